// labelmap merge: compile the sheet set into a bundle (src/compile.ts), write its folder, print the
// summary, the warnings as a count, and one line of what to do next.
import path from 'node:path';
import { usageError } from '../../findings.js';
import { parseRef } from '../../sheets/discover.js';
import { compileSheets, defaultOutputFolder, writeBundleFolder } from '../../compile.js';
import { formatBundleJson, summarizeBundle } from '../../taxonomy/outputs.js';
import type { Bundle, CoarseMode } from '../../taxonomy/types.js';
import type { Context, GlobalOptions } from '../context.js';
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
  const { dir } = ctx.sheetsForRead();
  const datasets = opts.datasets === undefined ? 'all' : splitList(opts.datasets);
  const compiled = compileSheets(dir, { taxonomy: opts.taxonomy, vertical: opts.vertical, datasets, coarse: opts.coarse });
  const bundle = requireBundle(compiled, ctx, opts.allWarnings ? 'each' : 'count', 'merge --all-warnings prints them; `labelmap validate` lists every finding');

  const out = path.resolve(ctx.cwd, opts.out ?? defaultOutputFolder(bundle));
  writeBundleFolder(out, bundle);

  const summary = formatSummary(bundle, ctx);
  if (ctx.json) {
    ctx.print(formatBundleJson(bundle));
    ctx.info(summary);
  } else {
    ctx.print(summary);
  }
  const relative = path.relative(ctx.cwd, out);
  const shown = relative === '' ? '.' : relative.startsWith('..') ? out : relative;
  ctx.info(
    ctx.style.dim(
      `wrote ${shown}${path.sep}: labels.csv (${bundle.labels.length} labels, ${bundle.id_bits}-bit, ignore ${bundle.ignore_id}), ` +
        `label_sets.csv (${bundle.label_sets.length}), lut/ (${bundle.datasets.length} datasets), coverage.csv, labelmap.json`,
    ),
  );
  ctx.info(`next: labelmap export --bundle ${shown} --format python (training code; other formats: labelmap export --help)`);
  return 0;
}

function splitList(text: string): string[] {
  const items = text.split(',').map((s) => s.trim()).filter((s) => s !== '');
  if (items.length === 0) throw usageError('--datasets is empty', 'name datasets separated by commas, e.g. --datasets coco,cityscapes@1.0.0');
  for (const item of items) {
    if (!parseRef(item)) throw usageError(`${JSON.stringify(item)} in --datasets is not a sheet reference`, 'write name, name@1.2.0 or mappings/name@1.2.0');
  }
  return items;
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
