// `labelmap suggest <dataset>`: a draft mapping sheet for a dataset, from general evidence.
import path from 'node:path';
import { LabelmapError } from '../../findings.js';
import { isInsideSheets, refuseSheetFolderOutside, writeFileAtomic } from '../../io/index.js';
import { resolveRef, scanSheetsDir, sheetRelPath } from '../../sheets/discover.js';
import { readSheet } from '../../sheets/io.js';
import { loadSheetSet } from '../../sheets/set.js';
import { DEFAULT_THRESHOLD, suggestMapping, type Candidate } from '../../suggest/index.js';
import { formatDraft } from '../../suggest/draft.js';
import { suggestInputs } from '../../suggest/load.js';
import { printableLines } from '../../text/index.js';
import type { Context } from '../context.js';
import { resolveOutFile } from '../out-file.js';

interface Options {
  taxonomy?: string;
  out?: string;
  write?: boolean;
  threshold?: string;
  explain?: string;
}

export async function run(args: (string | string[] | undefined)[], flags: Record<string, unknown>, ctx: Context): Promise<number> {
  const opts = flags as Options;
  const threshold = opts.threshold === undefined ? DEFAULT_THRESHOLD : Number(opts.threshold);
  if (!(threshold >= 0 && threshold <= 1)) throw new LabelmapError('suggest-threshold-invalid', {}, { found: String(opts.threshold) });
  if (opts.out && opts.write) throw new LabelmapError('suggest-out-and-write', {});
  const outFile = opts.out ? resolveOutFile(opts.out, ctx) : null;
  const location = opts.write ? ctx.sheetsForWrite() : ctx.sheetsForRead();
  const files = scanSheetsDir(location.dir).files;
  if (outFile && location.source !== 'embedded' && isInsideSheets(outFile, location.dir)) {
    // A draft is not a sheet until reviewed: in the sheets folder every reader would take it as one
    // (an unreviewed mapping in merge, or a misnamed file in another kind's folder).
    throw new LabelmapError('suggest-out-in-sheets', { file: opts.out }, { name: String(args[0]), sheets: path.relative(ctx.cwd, location.dir) || '.' });
  }
  const datasetFile = resolveRef(files, String(args[0]), 'dataset');
  if (datasetFile.kind !== 'dataset') {
    // The example names a dataset sheet that is there: the one of that name, else the first.
    const datasets = files.filter((f) => f.kind === 'dataset');
    const example = (datasets.find((f) => f.name === datasetFile.name) ?? datasets[0])?.name ?? 'my-dataset';
    throw new LabelmapError('sheet-ref-kind', {}, { ref: String(args[0]), kind: datasetFile.kind, file: datasetFile.rel, expected: 'dataset', command: 'suggest', example });
  }
  const dataset = readSheet(datasetFile as typeof datasetFile & { kind: 'dataset' });
  const loaded = loadSheetSet(location.dir, { taxonomy: opts.taxonomy, verticals: [], datasets: 'all' });
  if (!loaded.set) {
    const first = loaded.findings.find((f) => f.severity === 'error');
    throw first ? new LabelmapError(first.code, first, first.args) : new LabelmapError('suggest-no-taxonomy', {});
  }
  const inputs = suggestInputs(loaded.set, dataset);
  const suggestions = suggestMapping(inputs.classes, inputs.taxonomy, inputs.known, { threshold, reserved: inputs.reserved });
  const describe = (t: string) => loaded.set!.taxonomy.rows.find((r) => r.name === t)?.description ?? '';

  if (opts.explain !== undefined) {
    const s = suggestions.find((x) => x.source.name === opts.explain);
    if (!s) throw new LabelmapError('suggest-class-unknown', {}, { dataset: dataset.rel, class: String(opts.explain), example: dataset.rows[0]?.name ?? '' });
    const all = [s.best, ...s.alternatives].filter((c): c is Candidate => c !== null);
    if (ctx.json) {
      ctx.print(JSON.stringify({ format: 'labelmap-suggest-explain', format_version: 1, source: s.source, accepted: s.accepted, trap: s.trap, candidates: all.map((c) => ({ ...c, description: describe(c.target) })) }, null, 2));
      return 0;
    }
    ctx.print(printableLines(`${s.source.name} (id ${s.source.id}${s.source.category ? `, category ${s.source.category}` : ''})${s.trap.length ? `\n  trap: the existing mappings send this name to ${s.trap.join(' and ')}` : ''}`));
    if (all.length === 0) ctx.print('  no candidate: nothing in the taxonomy or the mappings speaks for any target');
    for (const c of all) {
      ctx.print(printableLines(`  ${c.confidence.toFixed(2)}  ${ctx.style.bold(c.target)}  ${c.evidence.map((e) => `${e.signal}${e.weight ? ` ${e.weight > 0 ? '+' : ''}${e.weight.toFixed(2)}` : ''}`).join(', ')}`));
      const d = describe(c.target);
      if (d) ctx.print(printableLines(`        ${d}`));
    }
    return 0;
  }

  const accepted = suggestions.filter((s) => s.accepted).length;
  const draft = formatDraft(suggestions, describe);
  // --out and --write write the draft also with --json (the JSON then names the file).
  let written: string | null = null;
  if (opts.out || opts.write) {
    const rel = opts.write ? sheetRelPath('mapping', dataset.name, '1.0.0') : null;
    if (opts.write && files.some((f) => f.kind === 'mapping' && f.name === dataset.name)) {
      throw new LabelmapError('suggest-mapping-exists', { file: dataset.rel }, { name: dataset.name });
    }
    const file = rel ? path.join(location.dir, rel) : outFile!;
    if (rel) refuseSheetFolderOutside(location.dir, file, rel);
    writeFileAtomic(file, draft, { overwrite: false });
    written = rel ?? path.relative(ctx.cwd, file);
  }
  if (ctx.json) {
    ctx.print(JSON.stringify({ format: 'labelmap-suggest', format_version: 1, dataset: dataset.rel, file: written, threshold, accepted, review: suggestions.length - accepted, suggestions }, null, 2));
  } else if (written !== null) {
    ctx.print(`wrote ${written}: draft mapping of ${suggestions.length} classes`);
  } else {
    ctx.print(draft);
  }
  ctx.info(
    `${accepted} of ${suggestions.length} classes suggested at confidence >= ${threshold}; ${suggestions.length - accepted} left for review (x_review = review). ` +
      'Review every row, then delete the x_ columns (validate warns while x_review is set).',
  );
  return 0;
}
