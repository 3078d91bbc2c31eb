// labelmap formats: every format `extract` reads, with what it reads.
import { formatsWithPlugins, type PluginFormat } from '../../formats/plugins.js';
import { loadFormats } from '../../formats/registry.js';
import type { Context } from '../context.js';
import { formatColumns } from '../table.js';

export async function run(_args: unknown[], _opts: unknown, ctx: Context): Promise<number> {
  // The formats of the sheets repository's labelmap.config.mjs follow the built-ins, marked as plugins.
  const location = ctx.sheetsLocation();
  const all = (await formatsWithPlugins(location.source === 'embedded' ? null : location.dir, loadFormats)) ?? (await loadFormats());
  const formats = all.map((f) => {
    const plugin = (f as Partial<PluginFormat>).plugin;
    return plugin ? { id: f.id, title: `${f.title} (plugin)`, input: f.input, plugin } : { id: f.id, title: f.title, input: f.input };
  });
  if (ctx.json) {
    ctx.print(JSON.stringify({ format: 'labelmap-formats', format_version: 1, formats }, null, 2));
    return 0;
  }
  ctx.print(formatColumns(['format', 'title', 'reads'], formats.map((f) => [f.id, f.title, f.input]), ctx.style));
  return 0;
}
