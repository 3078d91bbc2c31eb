// labelmap merge: compile the sheet set into a bundle (src/compile.ts), write its folder, print the
// summary, the warnings as a count, and one line of what to do next.
import path from 'node:path';
import { LabelmapError } from '../../findings.js';
import { compileSheets, writeBundleFolder } from '../../compile.js';
import { formatBundleJson, summarizeBundle } from '../../taxonomy/outputs.js';
import type { Bundle, CoarseMode } from '../../taxonomy/types.js';
import { refuseInsideSheets } from '../../io/index.js';
import { outputBase, type Context, type GlobalOptions } from '../context.js';
import { parseDatasetsOption } from '../datasets-option.js';
import { requireBundle } from '../report.js';
import { formatColumns } from '../table.js';

interface MergeOptions {
  vertical?: string;
  datasets?: string;
  taxonomy?: string;
  out?: string;
  coarse?: CoarseMode;
  allWarnings?: boolean;
}

export async function run(_args: unknown[], opts: GlobalOptions & MergeOptions, ctx: Context): Promise<number> {
  const location = ctx.sheetsForRead();
  const { dir } = location;
  // Outputs go next to the sheets folder (a run in sheets/mappings/ must not write build/ there).
  const out = opts.out !== undefined ? path.resolve(ctx.cwd, opts.out) : null;
  const sheetsShown = path.relative(ctx.cwd, dir) || '.';
  // Said before the compile: a wrong --out is known at once (the write guard checks again, by real path).
  if (out) refuseInsideSheets(out, dir, opts.out!, sheetsShown);
  const datasets = parseDatasetsOption(opts.datasets);
  const compiled = compileSheets(dir, { taxonomy: opts.taxonomy, vertical: opts.vertical, datasets, coarse: opts.coarse });
  const bundle = requireBundle(compiled, ctx, opts.allWarnings ? 'each' : 'count', 'merge --all-warnings prints them; `labelmap validate` lists every finding');

  const target = out ?? path.join(outputBase(location, ctx.cwd), 'build', bundle.vertical ?? 'unified');
  writeBundleFolder(target, bundle, {
    sheetsDir: dir,
    sheetsShown,
    shown: opts.out ?? (path.relative(ctx.cwd, target) || target),
    onWait: (holder) => ctx.info(`labelmap: waiting for another labelmap (pid ${holder.pid}${holder.host ? ` on ${holder.host}` : ''}) to finish writing ${opts.out ?? path.relative(ctx.cwd, target)}`),
  });

  const summary = formatSummary(bundle, ctx);
  if (ctx.json) {
    ctx.print(formatBundleJson(bundle));
    ctx.info(summary);
  } else {
    ctx.print(summary);
  }
  const relative = path.relative(ctx.cwd, target);
  const shown = relative === '' ? '.' : relative.startsWith('..') ? target : relative;
  ctx.info(
    ctx.style.dim(
      `wrote ${shown}${path.sep}: labels.csv (${bundle.labels.length} labels, ${bundle.id_bits}-bit, ignore ${bundle.ignore_id}), ` +
        `label_sets.csv (${bundle.label_sets.length}), lut/ (${bundle.datasets.length} dataset${bundle.datasets.length === 1 ? '' : 's'}), coverage.csv, labelmap.json`,
    ),
  );
  ctx.info(
    `next: labelmap export --bundle ${shown} --format python (training code), labelmap apply --bundle ${shown} --dataset <name> <masks> --out <dir> (remap annotation files), labelmap report (a page to explore)`,
  );
  return 0;
}

function formatSummary(bundle: Bundle, ctx: Context): string {
  const rows = summarizeBundle(bundle).map((s) => [
    `${s.dataset}@${s.version}`,
    String(s.classes),
    String(s.mapped),
    String(s.ignored),
    String(s.not_in_vertical),
    String(s.coarser),
    String(s.sets),
    `${s.full}/${s.partial}/${s.none}`,
  ]);
  const title = `${bundle.vertical ?? 'unified taxonomy'}: ${bundle.labels.length} output labels`;
  if (rows.length === 0) return `${title}; no datasets`;
  const table = formatColumns(['dataset', 'classes', 'mapped', 'ignored', 'not in vertical', 'coarser', 'as set', 'labels full/partial/none'], rows, ctx.style);
  return `${title}\n${table}`;
}
