// labelmap formats: every format `extract` reads, with what it reads.
import { loadFormats } from '../../formats/registry.js';
import type { Context } from '../context.js';
import { formatColumns } from '../table.js';

export async function run(_args: unknown[], _opts: unknown, ctx: Context): Promise<number> {
  const formats = (await loadFormats()).map((f) => ({ id: f.id, title: f.title, input: f.input }));
  if (ctx.json) {
    ctx.print(JSON.stringify({ formats }, null, 2));
    return 0;
  }
  ctx.print(formatColumns(['format', 'title', 'reads'], formats.map((f) => [f.id, f.title, f.input]), ctx.style));
  return 0;
}
