import { readFileSync } from 'node:fs';
import path from 'node:path';
import { initSheetsRepo } from '../../validate/init.js';
import { embeddedSheetsDir, type Context } from '../context.js';

export async function run(args: (string | string[] | undefined)[], opts: Record<string, unknown>, ctx: Context): Promise<number> {
  const dir = path.resolve(ctx.cwd, typeof args[0] === 'string' ? args[0] : '.');
  const shippedSheets = embeddedSheetsDir();
  const packageDir = path.dirname(shippedSheets);
  const { version } = JSON.parse(readFileSync(path.join(packageDir, 'package.json'), 'utf8')) as { version: string };
  const result = initSheetsRepo(dir, {
    empty: opts.empty === true,
    shippedSheets,
    templates: path.join(packageDir, 'templates'),
    version,
  });
  if (ctx.json) {
    ctx.print(JSON.stringify({ dir, ...result }, null, 2));
    return 0;
  }
  for (const rel of result.created) ctx.print(`created ${rel}`);
  for (const rel of result.kept) ctx.warn(`kept ${rel}: it exists already (compare it with the labelmap template and merge by hand)`);
  if (opts.empty !== true && result.copied === 0) ctx.warn('this labelmap ships no sheets to copy: the sheet folders are empty');
  const where = path.relative(ctx.cwd, dir) || '.';
  ctx.info(
    [
      '',
      `next: ${where === '.' ? '' : `cd ${where}, `}edit the sheets (labelmap list, labelmap show <sheet>), then check them with`,
      '  labelmap validate sheets',
      'CI runs the same check (.github/workflows/labelmap.yml); `pre-commit install` runs it before each commit.',
    ].join('\n'),
  );
  return 0;
}
