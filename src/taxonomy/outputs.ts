// The files merge writes, as text: labels.csv, label_sets.csv, lut/<dataset>.csv, coverage.csv,
// labelmap.json.
// Pure and deterministic: the same bundle gives the same bytes (LF, fixed column order, sorted
// rows, no timestamps). The CSV files are for people and spreadsheets: a text cell that would
// start a formula (a native class name `=cmd|...`, `@SUM(...)`) is written with a leading `'`
// (OWASP CSV injection; src/text/spreadsheet.ts); labelmap.json keeps every name exact.
import { quoteCsvCell } from '../sheets/csv.js';
import { spreadsheetCell } from '../text/index.js';
import type { Bundle, DatasetOutput } from './types.js';

export const LABELS_COLUMNS = ['train_id', 'name', 'color', 'is_thing', 'covers'] as const;
export const LABEL_SETS_COLUMNS = ['id', 'name', 'kind', 'members'] as const;
export const LUT_COLUMNS = ['id', 'name', 'target', 'kind', 'train_id', 'label', 'set', 'reason'] as const;
export const COVERAGE_COLUMNS = ['dataset', 'train_id', 'label', 'status', 'because', 'count_unit', 'count_exact', 'count_partial'] as const;

/**
 * One text cell of an output CSV: through spreadsheetCell (a formula start gets a `'`), then quoted
 * as the sheet writer quotes (quoteCsvCell). Numbers and booleans are written as they are: they
 * never start a formula nor need quotes.
 */
function textCell(text: string): string {
  return quoteCsvCell(spreadsheetCell(text));
}

/**
 * A header and one line per row, joined once. The writers below build each line from the bundle's
 * own records (no row arrays, no per-cell conversion): the 100-dataset merge writes ~125,000 lines.
 * tests/taxonomy/outputs-format.test.ts holds every file byte-identical to csv-stringify behind
 * spreadsheetCell, on generated sets with hostile names.
 */
function csvFile(columns: readonly string[], lines: string[]): string {
  lines.unshift(columns.map(quoteCsvCell).join(','));
  lines.push('');
  return lines.join('\n');
}

/** One row per output label in train-id order; `covers` lists taxonomy classes, space-separated. */
export function formatLabelsCsv(bundle: Bundle): string {
  return csvFile(
    LABELS_COLUMNS,
    bundle.labels.map((l) => `${l.train_id},${textCell(l.name)},${textCell(l.color)},${l.is_thing},${textCell(l.covers.join(' '))}`),
  );
}

/** One row per label set, by id; `members` lists output label names in train-id order, space-separated. */
export function formatLabelSetsCsv(bundle: Bundle): string {
  return csvFile(
    LABEL_SETS_COLUMNS,
    bundle.label_sets.map((s) => `${s.id},${textCell(s.name)},${textCell(s.kind)},${textCell(s.members.join(' '))}`),
  );
}

/** One row per native id of the dataset, by id: a label, a label set, or ignore (the bundle's ignore_id). */
export function formatLutCsv(dataset: DatasetOutput): string {
  const lines: string[] = new Array(dataset.lut.length);
  for (let i = 0; i < dataset.lut.length; i++) {
    const e = dataset.lut[i]!;
    lines[i] =
      `${e.id},${textCell(e.name)},${textCell(e.target ?? 'ignore')},${textCell(e.kind)},${e.train_id},` +
      `${textCell(e.label ?? '')},${textCell(e.set ?? '')},${textCell(e.reason)}`;
  }
  return csvFile(LUT_COLUMNS, lines);
}

/**
 * One row per dataset and output label: full, partial or none; `because`: the coarse source classes,
 * space-separated; `count_*`: where the dataset sheet has counts, the instances (or images) of the
 * classes that give the label exactly and partly (empty without counts).
 */
export function formatCoverageCsv(bundle: Bundle): string {
  const lines: string[] = [];
  for (const d of bundle.datasets) {
    const dataset = textCell(d.name);
    for (const c of d.coverage) {
      const counts = c.counts ? `${textCell(c.counts.unit)},${c.counts.exact},${c.counts.partial}` : ',,';
      lines.push(`${dataset},${c.train_id},${textCell(c.label)},${textCell(c.status)},${c.because ? textCell(c.because.join(' ')) : ''},${counts}`);
    }
  }
  return csvFile(COVERAGE_COLUMNS, lines);
}

/**
 * labelmap.json: one record per line. Objects and arrays are laid out as JSON.stringify(v, null, 2)
 * lays them out, except that a record (an object or array holding no object and no array of
 * them: a LUT entry, a coverage row, a label, an input, an encoding's value pairs) is written
 * compactly on its own line:
 *
 *   {
 *     "format": "labelmap-bundle",
 *     ...
 *     "datasets": [
 *       {
 *         "name": "cityscapes",
 *         "version": "1.0.0",
 *         "lut": [
 *           {"id":7,"name":"road","target":"road","kind":"set","train_id":19,"label":null,"set":"road|lane_marking","reason":"coarser than vertical"},
 *
 * Same value as before (JSON.parse gives the same object), about half the bytes of the fully
 * indented text (a 100-dataset bundle: 31 MB -> 15 MB), and a changed LUT row is one changed line
 * in a diff.
 */
export function formatBundleJson(bundle: Bundle): string {
  const parts: string[] = [];
  jsonRecords(bundle, '', parts);
  parts.push('\n');
  return parts.join('');
}

/** A value with no object inside (arrays of plain values allowed): written on one line. */
function isRecord(value: unknown): boolean {
  if (value === null || typeof value !== 'object') return true;
  if (Array.isArray(value)) {
    for (const v of value) if (!isFlat(v)) return false;
    return true;
  }
  for (const k in value) if (!isFlat((value as Record<string, unknown>)[k])) return false;
  return true;
}

/** A record with at least one key (an array of records is written in one piece). */
function isRecordObject(v: unknown): boolean {
  if (v === null || typeof v !== 'object' || Array.isArray(v)) return false;
  let keys = 0;
  for (const k in v) {
    if (!isFlat((v as Record<string, unknown>)[k])) return false;
    keys++;
  }
  return keys > 0;
}

/** A plain value, or an array of plain values. */
function isFlat(v: unknown): boolean {
  if (v === null || typeof v !== 'object') return true;
  if (!Array.isArray(v)) return false;
  for (const w of v) if (w !== null && typeof w === 'object') return false;
  return true;
}

// Pieces pushed onto one list and joined once: a 100-dataset bundle is ~125,000 records, and
// strings built with += or nested joins cost more than the records' own JSON.stringify.
function jsonRecords(value: unknown, indent: string, parts: string[]): void {
  if (isRecord(value)) {
    parts.push(JSON.stringify(value) ?? 'null');
    return;
  }
  const inner = `${indent}  `;
  if (Array.isArray(value) && value.every(isRecordObject)) {
    // An array of records (a LUT, coverage rows, labels) in one JSON.stringify, then one line per
    // record: `},{"` is where one record ends and the next begins, and it cannot occur inside a
    // string (JSON.stringify writes a quote there as \").
    const text = JSON.stringify(value);
    parts.push(`[\n${inner}`, text.slice(1, -1).replaceAll('},{"', `},\n${inner}{"`), `\n${indent}]`);
    return;
  }
  if (Array.isArray(value)) {
    parts.push('[');
    for (let i = 0; i < value.length; i++) {
      const v: unknown = value[i];
      parts.push(i === 0 ? `\n${inner}` : `,\n${inner}`);
      // As JSON.stringify: an element it cannot write (undefined, a function) is null.
      if (v === undefined || typeof v === 'function' || typeof v === 'symbol') parts.push('null');
      else jsonRecords(v, inner, parts);
    }
    parts.push(`\n${indent}]`);
    return;
  }
  let first = true;
  for (const [k, v] of Object.entries(value as Record<string, unknown>)) {
    if (v === undefined || typeof v === 'function' || typeof v === 'symbol') continue;
    parts.push(`${first ? '{\n' : ',\n'}${inner}${JSON.stringify(k)}: `);
    jsonRecords(v, inner, parts);
    first = false;
  }
  parts.push(first ? '{}' : `\n${indent}}`);
}

/** Every output file, relative to the output folder; labelmap.json last (it marks a complete set). */
export function bundleFiles(bundle: Bundle): { path: string; text: string }[] {
  return [
    { path: 'labels.csv', text: formatLabelsCsv(bundle) },
    { path: 'label_sets.csv', text: formatLabelSetsCsv(bundle) },
    ...bundle.datasets.map((d) => ({ path: `lut/${d.name}.csv`, text: formatLutCsv(d) })),
    { path: 'coverage.csv', text: formatCoverageCsv(bundle) },
    { path: 'labelmap.json', text: formatBundleJson(bundle) },
  ];
}

export interface DatasetSummary {
  dataset: string;
  version: string;
  classes: number;
  mapped: number;
  ignored: number;
  not_in_vertical: number;
  coarser: number;
  /** Classes that compile to a label set (coarse or background). */
  sets: number;
  full: number;
  partial: number;
  none: number;
}

/** Per dataset: how its classes resolved, and how many output labels it covers full/partial/none. */
export function summarizeBundle(bundle: Bundle): DatasetSummary[] {
  return bundle.datasets.map((d) => {
    const reasons = (r: string) => d.lut.filter((e) => e.reason === r).length;
    const status = (s: string) => d.coverage.filter((c) => c.status === s).length;
    return {
      dataset: d.name,
      version: d.version,
      classes: d.lut.length,
      // A class the vertical's catch-all takes (`other`) or an absorbing label takes (`absorbed`) is mapped to a label too.
      mapped: reasons('mapped') + reasons('other') + reasons('absorbed'),
      ignored: reasons('ignored by mapping'),
      not_in_vertical: reasons('not in vertical'),
      coarser: reasons('coarser than vertical'),
      sets: d.lut.filter((e) => e.kind === 'set').length,
      full: status('full'),
      partial: status('partial'),
      none: status('none'),
    };
  });
}
