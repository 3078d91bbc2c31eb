// labelmap merge: load the sheet set, run the whole-set rules, build the bundle, write it.
import { existsSync, readdirSync, unlinkSync } from 'node:fs';
import path from 'node:path';
import { LabelmapError } from '../../findings.js';
import { existsAsNonFolder, writeFileAtomic } from '../../io/index.js';
import { parseRef } from '../../sheets/discover.js';
import { compileSheets } from '../../compile.js';
import { bundleFiles, formatBundleJson, summarizeBundle } from '../../taxonomy/outputs.js';
import type { Bundle } from '../../taxonomy/types.js';
import type { Context, GlobalOptions } from '../context.js';
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
  const { dir } = ctx.sheetsForRead();
  const datasets = opts.datasets === undefined ? 'all' : splitList(opts.datasets);
  const bundle = requireBundle(compileSheets(dir, { taxonomy: opts.taxonomy, vertical: opts.vertical, datasets }), ctx, opts.allWarnings ? 'each' : 'first');
  const verticalName = bundle.vertical;

  const out = path.resolve(ctx.cwd, opts.out ?? path.join('build', verticalName ?? 'unified'));
  writeOutputs(out, bundle);

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
        `lut/ (${bundle.datasets.length} datasets), coverage.csv, labelmap.json`,
    ),
  );
  return 0;
}

function splitList(text: string): string[] {
  const items = text.split(',').map((s) => s.trim()).filter((s) => s !== '');
  if (items.length === 0) throw new LabelmapError('datasets-list-invalid', {});
  for (const item of items) {
    if (!parseRef(item)) throw new LabelmapError('datasets-list-invalid', {}, { item });
  }
  return items;
}

/**
 * Writes every file atomically, labelmap.json last. A lut/<dataset>.csv left by an earlier merge
 * into the same folder (a labelmap.json is there) for a dataset no longer in the bundle is removed,
 * so the folder never shows a table the bundle does not list.
 */
function writeOutputs(out: string, bundle: Bundle): void {
  if (existsAsNonFolder(out)) {
    throw new LabelmapError('output-not-folder', { file: out });
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
    throw new LabelmapError('output-unwritable', { file: out }, { found: code });
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
