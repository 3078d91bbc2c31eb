// `labelmap report`: one self-contained HTML page of the taxonomy, coverage and lookup tables.
import { existsSync, statSync } from 'node:fs';
import path from 'node:path';
import { LabelmapError } from '../../findings.js';
import { loadLabelIndex } from '../../explore/load.js';
import { REPORT_GENERATOR, renderReport, reportData } from '../../explore/report.js';
import { readHead, refuseOutputFile, writeFileAtomic } from '../../io/index.js';
import { compileSet } from '../../compile.js';
import { resolveDiffSides } from '../../sheets/source.js';
import { describeChange, diffInputs } from '../../versioning/diff.js';
import { outputBase, type Context } from '../context.js';
import { resolveOutFile } from '../out-file.js';

export async function run(_args: unknown[], opts: { vertical?: string; out?: string; diff?: string[] }, ctx: Context): Promise<number> {
  const location = ctx.sheetsForRead();
  // The default, like merge's build/, goes next to the sheets folder when run inside it; an --out
  // file goes into a folder that exists, not in the sheets folder, not over a link (the write guard).
  const out = opts.out !== undefined ? resolveOutFile(opts.out, ctx) : path.join(outputBase(location, ctx.cwd), 'report.html');
  refuseOutputFile(out, location.dir, opts.out ?? 'report.html', path.relative(ctx.cwd, location.dir) || '.');
  const loaded = loadLabelIndex(location.dir, opts.vertical ? { verticals: [opts.vertical] } : {});
  const data = reportData('labelmap report', location.source === 'embedded' ? 'the sheets shipped with labelmap' : path.relative(ctx.cwd, location.dir) || '.', loaded.index, loaded.bundles);
  if (opts.diff) data.diff = reportDiff(opts.diff, ctx);
  const html = renderReport(data);
  refuseForeignFile(out);
  writeFileAtomic(out, html, { overwrite: true, durable: false });
  const shown = path.relative(ctx.cwd, out) || out;
  if (ctx.json) {
    const counts = { taxonomy_classes: loaded.index.classes.length, datasets: loaded.index.datasets.length, verticals: loaded.bundles.length };
    ctx.print(JSON.stringify({ format: 'labelmap-report', format_version: 1, file: shown, path: out, bytes: Buffer.byteLength(html, 'utf8'), ...counts, diff: data.diff !== undefined }, null, 2));
    return 0;
  }
  ctx.print(`wrote ${shown}: ${loaded.index.classes.length} taxonomy classes, ${loaded.index.datasets.length} datasets, ${loaded.bundles.length} vertical(s) (${Math.round(html.length / 1024)} kB, no network needed)`);
  return 0;
}

/** A report replaces an earlier report, never a file someone else made. */
function refuseForeignFile(file: string): void {
  if (!existsSync(file)) return;
  const stat = statSync(file);
  const head = stat.isFile() ? readHead(file, 'report', 4096).toString('utf8') : '';
  if (!stat.isFile() || !head.includes(REPORT_GENERATOR)) {
    throw new LabelmapError('output-not-ours', { file }, { what: 'report', fix: 'pass another --out, or remove the file yourself' });
  }
}

/** `--diff <a> [b]`: the changes between two versions or git revisions, as `labelmap diff` computes them. */
function reportDiff(refs: readonly string[], ctx: Context): NonNullable<ReturnType<typeof reportData>['diff']> {
  if (refs.length < 1 || refs.length > 2) throw new LabelmapError('report-diff-arguments', {}, { count: refs.length });
  const sides = resolveDiffSides(refs[0]!, refs[1], {
    cwd: ctx.cwd,
    sheets: () => {
      const location = ctx.sheetsForRead();
      return { dir: location.dir, git: location.source !== 'embedded' };
    },
  });
  const diff = diffInputs(sides.before, sides.after, { compile: compileSet });
  const changes = [
    ...diff.sheets.flatMap((s) => s.changes.map((c) => ({ sheet: s.sheet, level: c.level, text: describeChange(c) }))),
    ...(diff.compiled ?? []).flatMap((c) => c.changes.map((x) => ({ sheet: `compiled/${c.vertical ?? 'taxonomy'}`, level: x.level, text: describeChange(x) }))),
  ];
  return { a: sides.before.label, b: sides.after.label, changes };
}
