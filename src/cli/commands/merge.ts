// labelmap merge: load the sheet set, run the whole-set rules, build the bundle, write it.
import { existsSync, readdirSync, statSync, unlinkSync } from 'node:fs';
import path from 'node:path';
import { inputError, LabelmapError, usageError } from '../../findings.js';
import { writeFileAtomic } from '../../sheets/io.js';
import { parseRef } from '../../sheets/discover.js';
import { compileSheets } from '../../compile.js';
import { bundleFiles, formatBundleJson, summarizeBundle } from '../../taxonomy/outputs.js';
import type { Bundle } from '../../taxonomy/types.js';
import { isInside, outputBase, type Context, type GlobalOptions } from '../context.js';
import { requireBundle } from '../report.js';
import { formatColumns } from '../table.js';

interface MergeOptions {
  vertical?: string;
  datasets?: string;
  taxonomy?: string;
  out?: string;
  allWarnings?: boolean;
}

export async function run(_args: unknown[], opts: GlobalOptions & MergeOptions, ctx: Context): Promise<number> {
  const location = ctx.sheetsForRead();
  const { dir } = location;
  // Outputs go next to the sheets folder (a run in sheets/mappings/ must not write build/ there).
  const out = opts.out !== undefined ? path.resolve(ctx.cwd, opts.out) : null;
  if (out && isInside(out, dir)) throw new LabelmapError('output-in-sheets', { file: opts.out }, { sheets: path.relative(ctx.cwd, dir) || '.' });
  const datasets = opts.datasets === undefined ? 'all' : splitList(opts.datasets);
  const bundle = requireBundle(compileSheets(dir, { taxonomy: opts.taxonomy, vertical: opts.vertical, datasets }), ctx, opts.allWarnings ? 'each' : 'first');
  const verticalName = bundle.vertical;

  const target = out ?? path.join(outputBase(location, ctx.cwd), 'build', verticalName ?? 'unified');
  writeOutputs(target, bundle);

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
        `lut/ (${bundle.datasets.length} dataset${bundle.datasets.length === 1 ? '' : 's'}), coverage.csv, labelmap.json`,
    ),
  );
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

/**
 * Writes every file atomically, labelmap.json last. A lut/<dataset>.csv left by an earlier merge
 * into the same folder (a labelmap.json is there) for a dataset no longer in the bundle is removed,
 * so the folder never shows a table the bundle does not list.
 */
function writeOutputs(out: string, bundle: Bundle): void {
  if (existsSync(out) && !statSync(out).isDirectory()) {
    throw inputError({ file: out }, 'the output path is not a folder', { expected: 'a folder (or a path that does not exist yet)', found: 'a file', fix: 'pass another --out' });
  }
  const files = bundleFiles(bundle);
  const ours = existsSync(path.join(out, 'labelmap.json'));
  try {
    for (const f of files) writeFileAtomic(path.join(out, f.path), f.text, { overwrite: true, durable: false });
    if (ours) {
      const keep = new Set(files.map((f) => f.path));
      const lutDir = path.join(out, 'lut');
      for (const base of existsSync(lutDir) ? readdirSync(lutDir) : []) {
        if (base.endsWith('.csv') && !keep.has(`lut/${base}`)) unlinkSync(path.join(lutDir, base));
      }
    }
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (!code) throw error;
    throw inputError({ file: out }, 'cannot write the output folder', { found: code, fix: 'pass a writable folder with --out' });
  }
}

function formatSummary(bundle: Bundle, ctx: Context): string {
  const rows = summarizeBundle(bundle).map((s) => [
    `${s.dataset}@${s.version}`,
    String(s.classes),
    String(s.mapped),
    String(s.ignored),
    String(s.not_in_vertical),
    String(s.coarser),
    `${s.full}/${s.partial}/${s.none}`,
  ]);
  const title = `${bundle.vertical ?? 'unified taxonomy'}: ${bundle.labels.length} output labels`;
  if (rows.length === 0) return `${title}; no datasets`;
  const table = formatColumns(['dataset', 'classes', 'mapped', 'ignored', 'not in vertical', 'coarser', 'labels full/partial/none'], rows, ctx.style);
  return `${title}\n${table}`;
}
