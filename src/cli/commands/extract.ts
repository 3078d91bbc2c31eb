// labelmap extract <format|auto> <input>: dataset metadata -> a versioned dataset sheet.
import path from 'node:path';
import { LabelmapError } from '../../findings.js';
import { selectFormat } from '../../formats/lib/select.js';
import { readBytes, writeFileAtomic } from '../../io/index.js';
import { formatSheet, parseSheetText } from '../../sheets/csv.js';
import { isSafeSheetName, latestOf, resolveRef, scanSheetsDir, sheetRelPath } from '../../sheets/discover.js';
import { readSheet, SHEET_MAX_BYTES, throwFirstError } from '../../sheets/io.js';
// From the modules themselves, not versioning/index.js: its lock module loads zod 4 (~100 ms).
import { nextVersion, requiredBump, type Level } from '../../versioning/bump.js';
import { describeChange, diffSheets } from '../../versioning/diff.js';
import type { Context } from '../context.js';
import { createProgress } from '../progress.js';

interface ExtractFlags {
  name?: string;
  stats?: boolean;
  stdout?: boolean;
  classes?: string;
  labels?: string;
  firstId?: string;
}

export async function run(args: (string | string[] | undefined)[], flags: Record<string, unknown>, ctx: Context): Promise<number> {
  const [word, input] = args as [string, string];
  const opts = flags as ExtractFlags;
  if (opts.name !== undefined && !isSafeSheetName(opts.name)) throw new LabelmapError('extract-name', {}, { name: opts.name });
  // Refuse early, before a long read, when the result could not be written anyway.
  const target = opts.stdout ? null : ctx.sheetsForWrite();

  const { format, reason } = await selectFormat(word, input);
  if (reason) ctx.info(`labelmap: ${format.id}: ${reason}`);
  const progress = createProgress(ctx, `reading ${path.basename(input)}`);
  let extraction;
  try {
    extraction = await format.extract(input, {
      stats: Boolean(opts.stats),
      classes: opts.classes,
      labels: opts.labels,
      firstId: opts.firstId === undefined ? undefined : Number(opts.firstId),
      onProgress: progress,
      readDatasetSheet: (ref) => readSheet({ ...resolveRef(scanSheetsDir(ctx.sheetsForRead().dir).files, ref, 'dataset'), kind: 'dataset' }).rows,
    });
  } finally {
    progress?.finish();
  }
  const name = opts.name ?? extraction.name;
  if (!isSafeSheetName(name)) throw new LabelmapError('extract-name', {}, { name });
  for (const note of extraction.notes) ctx.info(`labelmap: ${note}`);

  const text = formatSheet('dataset', extraction.rows);
  // What is written must read back cleanly: the reader's rules (unique ids and names, types) are the gate.
  throwFirstError(parseSheetText('dataset', text, `${format.id} input ${input}`).findings);

  if (!target) {
    ctx.print(text);
    return 0;
  }
  const files = scanSheetsDir(target.dir).files;
  const latest = latestOf(files, 'dataset', name);
  let version = '1.0.0';
  let changes: ReturnType<typeof diffSheets> = [];
  let level: Level | null = null;
  if (latest) {
    if (readBytes(latest.file, 'sheet', SHEET_MAX_BYTES).toString('utf8') === text) {
      report(ctx, { name, version: latest.version, file: latest.rel, written: false, level: null, changes: [], rows: extraction.rows.length });
      return 0;
    }
    changes = diffSheets('dataset', readSheet({ ...latest, kind: 'dataset' }).rows, extraction.rows);
    // A change that no row shows (column order, quoting) still makes a new file: a patch.
    level = requiredBump(changes) ?? 'patch';
    version = nextVersion(latest.version, level);
  }
  const rel = sheetRelPath('dataset', name, version);
  try {
    writeFileAtomic(path.join(target.dir, rel), text, { overwrite: false });
  } catch (error) {
    // The version was free when this run looked: another run (a parallel CI job) wrote it since.
    if (error instanceof LabelmapError && error.finding.code === 'sheet-exists') throw new LabelmapError('extract-raced', { file: rel }, { file: rel });
    throw error;
  }
  report(ctx, { name, version, file: rel, written: true, level, changes, rows: extraction.rows.length, previous: latest?.version });
  return 0;
}

interface Outcome {
  name: string;
  version: string;
  file: string;
  written: boolean;
  level: Level | null;
  changes: ReturnType<typeof diffSheets>;
  rows: number;
  previous?: string;
}

function report(ctx: Context, o: Outcome): void {
  if (ctx.json) {
    ctx.print(JSON.stringify({ ...o, changes: o.changes.map((c) => ({ ...c, description: describeChange(c) })) }, null, 2));
    return;
  }
  if (!o.written) {
    ctx.print(`unchanged: ${o.file} already holds these ${o.rows} classes; nothing written`);
    return;
  }
  const why = o.previous ? ` (${o.level} bump from ${o.previous}: ${o.changes.length} change${o.changes.length === 1 ? '' : 's'})` : '';
  ctx.print(`wrote ${o.file}: ${o.rows} classes${why}`);
  for (const change of o.changes) ctx.print(`  ${change.level.padEnd(5)}  ${describeChange(change)}`);
}
