// `labelmap apply <input> --dataset <d> (--vertical <v> | --unified | --bundle <file>) --out <dir>`:
// remaps label masks to the label set's train ids. Flags -> applyMasks -> summary and exit code.
import { availableParallelism } from 'node:os';
import path from 'node:path';
import { readBundle } from '../../api/bundle.js';
import { compileSheets } from '../../compile.js';
import { LabelmapError } from '../../findings.js';
import type { NativeColours } from '../../apply/mask.js';
import { readSheet } from '../../sheets/io.js';
import type { Bundle, CoarseMode } from '../../taxonomy/types.js';
import type { Context, GlobalOptions } from '../context.js';
import { createProgress } from '../progress.js';
import { requireBundle } from '../report.js';
import { formatColumns } from '../table.js';

interface ApplyFlags {
  dataset?: string;
  vertical?: string;
  unified?: boolean;
  bundle?: string;
  taxonomy?: string;
  out?: string;
  jobs?: string;
  shard?: string;
  match?: string;
  force?: boolean;
  stats?: boolean;
  failFast?: boolean;
  keepIgnored?: boolean;
  encoding?: string;
  coarse?: CoarseMode;
}

export async function run(args: unknown[], flags: GlobalOptions & Record<string, unknown>, ctx: Context): Promise<number> {
  const opts = flags as GlobalOptions & ApplyFlags;
  const input = args[0] as string;
  if (!opts.dataset) throw new LabelmapError('apply-dataset-missing', {}, {});
  if (!opts.out && !opts.stats) throw new LabelmapError('apply-out-missing', {}, {});
  const jobs = opts.jobs === undefined ? availableParallelism() : parsePositive(opts.jobs, '--jobs');
  const shard = opts.shard === undefined ? undefined : parseShard(opts.shard);
  const bundle = loadApplyBundle(opts, ctx);

  const { applyMasks } = await import('../../apply/run.js');
  const progress = createProgress(ctx, `applying ${path.basename(input)}`);
  let result;
  try {
    result = await applyMasks({
      input: path.resolve(ctx.cwd, input),
      inputShown: input,
      out: opts.out && !opts.stats ? path.resolve(ctx.cwd, opts.out) : null,
      outShown: opts.out,
      sheets: { dir: ctx.sheetsLocation().dir, shown: path.relative(ctx.cwd, ctx.sheetsLocation().dir) || '.' },
      bundle,
      dataset: opts.dataset,
      nativeColours: readNativeColours(bundle, opts.dataset, ctx),
      jobs,
      shard,
      match: opts.match,
      force: opts.force,
      stats: opts.stats,
      failFast: opts.failFast,
      keepIgnored: opts.keepIgnored,
      encoding: opts.encoding ?? null,
      onProgress: progress,
    });
  } finally {
    progress?.finish();
  }
  const { manifest } = result;
  for (const f of result.findings) ctx.report(f);
  const f = manifest.files;
  const parts = [
    opts.stats ? `counted ${f.counted}` : `wrote ${f.written}`,
    ...(f.skipped ? [`skipped ${f.skipped} already complete`] : []),
    ...(f.failed ? [`${f.failed} failed`] : []),
    ...(f.not_recognised ? [`${f.not_recognised} not recognised`] : []),
  ];
  const line = `${manifest.dataset.name}@${manifest.dataset.version} -> ${bundle.vertical ?? 'unified'}: ${f.total} files${shard ? ` (shard ${shard.index}/${shard.count})` : ''}, ${parts.join(', ')}${result.stopped ? ' (stopped at the first failure: --fail-fast)' : ''}`;
  if (ctx.json) {
    const { outputs: _outputs, ...summary } = manifest;
    ctx.print(JSON.stringify({ ...summary, manifest: result.manifestFile }, null, 2));
    ctx.info(line);
  } else {
    if (opts.stats) {
      const rows = manifest.labels.filter((l) => l.pixels > 0).map((l) => [String(l.train_id), l.name, String(l.pixels)]);
      rows.push([String(manifest.ignore.train_id), '(ignore)', String(manifest.ignore.pixels)]);
      ctx.print(formatColumns(['train_id', 'label', 'pixels'], rows, ctx.style));
    }
    ctx.print(line);
    if (result.manifestFile) ctx.info(ctx.style.dim(`manifest: ${path.relative(ctx.cwd, result.manifestFile) || result.manifestFile}`));
    if (result.combinedFile) ctx.info(ctx.style.dim(`the last shard: combined every shard's manifest into ${path.relative(ctx.cwd, result.combinedFile) || result.combinedFile}`));
  }
  return f.failed > 0 ? 1 : 0;
}

/** The label set: compiled from the sheets for the one dataset (as merge does), or a bundle merge wrote. */
function loadApplyBundle(opts: ApplyFlags, ctx: Context): Bundle {
  const given = [opts.bundle, opts.vertical, opts.unified].filter((v) => v !== undefined && v !== false).length;
  if (given !== 1) {
    throw new LabelmapError('export-source', {}, { given });
  }
  if (opts.bundle) {
    const bundle = readBundle(path.resolve(ctx.cwd, opts.bundle), opts.bundle);
    // A bundle's LUTs are compiled: a different --coarse cannot be applied to them afterwards.
    if (opts.coarse !== undefined && opts.coarse !== bundle.coarse) throw new LabelmapError('apply-coarse-bundle', {}, { given: opts.coarse, bundle: bundle.coarse });
    return bundle;
  }
  const compiled = compileSheets(ctx.sheetsForRead().dir, { vertical: opts.unified ? null : opts.vertical, datasets: [opts.dataset!], taxonomy: opts.taxonomy, coarse: opts.coarse });
  return requireBundle(compiled, ctx, 'count');
}

/**
 * The dataset sheet's class colours, for colour-coded masks: the very file the bundle names
 * (same sha256) in the sheets folder; null when it is not there (colour masks then fail, saying so).
 */
function readNativeColours(bundle: Bundle, dataset: string, ctx: Context): NativeColours | null {
  const name = dataset.replace(/^(mappings|datasets)\//, '').replace(/@.*$/, '');
  const input = bundle.inputs.find((i) => i.kind === 'dataset' && i.name === name);
  if (!input) return null;
  try {
    const { dir } = ctx.sheetsForRead();
    const sheet = readSheet({ kind: 'dataset', name: input.name, version: input.version, file: path.join(dir, ...input.file.split('/')), rel: input.file });
    return sheet.sha256 === input.sha256 ? sheet.rows.map((r) => ({ id: r.id, color: r.color })) : null;
  } catch {
    return null;
  }
}

function parsePositive(text: string, flag: string): number {
  if (!/^[1-9][0-9]*$/.test(text)) throw new LabelmapError('option-not-positive-integer', {}, { flag, value: text });
  return Number(text);
}

/** `K/N`, K = 0..N-1 (Kubernetes JOB_COMPLETION_INDEX, SLURM_ARRAY_TASK_ID with --array=0-(N-1)). */
export function parseShard(text: string): { index: number; count: number } {
  const m = /^(\d+)\/([1-9]\d*)$/.exec(text);
  if (!m || Number(m[1]) >= Number(m[2])) {
    throw new LabelmapError('apply-shard-invalid', {}, { value: text });
  }
  return { index: Number(m[1]), count: Number(m[2]) };
}
