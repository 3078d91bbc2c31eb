// labelmap extract <format|auto> <input>: dataset metadata -> a versioned dataset sheet.
import path from 'node:path';
import { LabelmapError } from '../../findings.js';
import { selectFormat } from '../../formats/lib/select.js';
import { formatsWithPlugins } from '../../formats/plugins.js';
import { loadFormats } from '../../formats/registry.js';
import { readBytes, writeFileAtomic } from '../../io/index.js';
import { formatSheet, parseSheetText } from '../../sheets/csv.js';
import type { DatasetWriteResult } from '../../sheets/dataset-write.js';
import { isSafeSheetName, resolveRef, scanSheetsDir } from '../../sheets/discover.js';
import { readSheet, throwFirstError } from '../../sheets/io.js';
import { printableLines, shellWord } from '../../text/index.js';
import type { Context } from '../context.js';
import { createProgress } from '../progress.js';

interface ExtractFlags {
  name?: string;
  stats?: boolean;
  stdout?: boolean;
  classes?: string;
  labels?: string;
  firstId?: string;
  sameDataset?: boolean;
  dropStats?: boolean;
  jobs?: string;
}

export async function run(args: (string | string[] | undefined)[], flags: Record<string, unknown>, ctx: Context): Promise<number> {
  const [word, input] = args as [string, string];
  const opts = flags as ExtractFlags;
  if (opts.name !== undefined && !isSafeSheetName(opts.name)) throw new LabelmapError('extract-name', {}, { name: opts.name });
  // Refuse early, before a long read, when the result could not be written anyway.
  const target = opts.stdout ? null : ctx.sheetsForWrite();

  const location = ctx.sheetsLocation();
  const formats = await formatsWithPlugins(location.source === 'embedded' ? null : location.dir, loadFormats);
  const { format, reason } = await selectFormat(word, input, formats).catch((error: unknown) => {
    throw repeatingFlags(error, opts, ctx);
  });
  if (reason) ctx.info(`labelmap: ${format.id}: ${reason}`);
  const progress = createProgress(ctx, `reading ${path.basename(input)}`);
  let extraction;
  try {
    extraction = await format.extract(input, {
      stats: Boolean(opts.stats),
      classes: opts.classes,
      labels: opts.labels,
      firstId: opts.firstId === undefined ? undefined : Number(opts.firstId),
      jobs: opts.jobs === undefined ? undefined : Number(opts.jobs),
      onProgress: progress,
      readDatasetSheet: (ref) => readSheet({ ...resolveRef(scanSheetsDir(ctx.sheetsForRead().dir).files, ref, 'dataset'), kind: 'dataset' }).rows,
    });
  } catch (error) {
    throw repeatingFlags(error, opts, ctx);
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
  // The write path's modules (versions, diffs, semver: ~20 files) load only when a sheet is written.
  const [{ writeDatasetVersion }, { describeChange }] = await Promise.all([import('../../sheets/dataset-write.js'), import('../../versioning/diff.js')]);
  const result = writeDatasetVersion(target.dir, name, extraction.rows, {
    sameDataset: Boolean(opts.sameDataset),
    stats: Boolean(opts.stats),
    dropStats: Boolean(opts.dropStats),
  });
  report(ctx, result, describeChange);
  return 0;
}

/**
 * A fix that names the file to pass instead (`extract coco <folder>`, `extract auto <folder>`)
 * repeats the user's other flags, so that it runs as written (without its --name, a new name can
 * collide): the error again, with the flags among its arguments.
 */
function repeatingFlags(error: unknown, opts: ExtractFlags, ctx: Context): unknown {
  if (!(error instanceof LabelmapError)) return error;
  const { code, args: found, file, line, column, offset, path: at } = error.finding;
  return new LabelmapError(code, { file, line, column, offset, path: at }, { ...found, flags: flagWords(opts, ctx) });
}

/** The flags of this run as a shell would read them back (for a fix that repeats the command). */
function flagWords(opts: ExtractFlags, ctx: Context): string {
  const given = ctx.sheetsLocation();
  const words: string[] = [];
  const value = (flag: string, v: string | undefined) => (v === undefined ? [] : [flag, shellWord(v)]);
  words.push(...value('--name', opts.name), ...value('--classes', opts.classes), ...value('--labels', opts.labels), ...value('--first-id', opts.firstId));
  if (opts.stats) words.push('--stats');
  if (opts.dropStats) words.push('--drop-stats');
  if (opts.sameDataset) words.push('--same-dataset');
  words.push(...value('--jobs', opts.jobs));
  if (opts.stdout) words.push('--stdout');
  if (given.source === 'flag') words.push('--sheets', shellWord(path.relative(ctx.cwd, given.dir) || '.'));
  return words.join(' ');
}

function report(ctx: Context, o: DatasetWriteResult, describeChange: typeof import('../../versioning/diff.js').describeChange): void {
  const rows = o.rows.length;
  if (ctx.json) {
    const changes = o.action === 'write' ? o.changes.map((c) => ({ ...c, description: describeChange(c) })) : [];
    const level = o.action === 'write' ? o.level : null;
    const previous = o.action === 'write' ? (o.previous ?? undefined) : undefined;
    ctx.print(JSON.stringify({ format: 'labelmap-extract', format_version: 1, name: o.name, version: o.version, file: o.file, written: o.written, level, changes, rows, previous }, null, 2));
    return;
  }
  if (o.action === 'unchanged') {
    ctx.print(`unchanged: ${o.file} already holds these ${rows} classes; nothing written`);
    return;
  }
  const why = o.previous ? ` (${o.level} bump from ${o.previous}: ${o.changes.length} change${o.changes.length === 1 ? '' : 's'})` : '';
  ctx.print(printableLines(`wrote ${o.file}: ${rows} classes${why}`));
  for (const change of o.changes) ctx.print(printableLines(`  ${change.level.padEnd(5)}  ${describeChange(change)}`));
}
