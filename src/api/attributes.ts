// Per-image attributes for training and evaluation code: the table `labelmap attributes` writes,
// read back and asked per image, its cells checked against a bundle's attribute vocabulary.
// CSV (image, then one column per key; an empty cell is missing):
//   image,weather,time_of_day,scene,roadworks,traffic_near,traffic_far,crowded
//   a.jpg,clear,day,city,no,yes,yes,no
// or JSONL, one object per image ("" or null is missing):
//   {"image":"a.jpg","weather":"clear","time_of_day":"day",...}
// Pure: parseAttributeTable takes the text; openAttributeTable in ./index.ts reads the file.
import { LabelmapError } from '../findings.js';
import { parseCsvTable } from '../sheets/csv.js';
import type { AttributeVocabulary } from '../taxonomy/types.js';

/** One image's attributes: key -> value, null for missing. */
export type ImageAttributes = Record<string, string | null>;

export class AttributeTable {
  /** The keys, in the table's column order. */
  readonly keys: readonly string[];
  readonly file: string;
  readonly #rows: Map<string, ImageAttributes>;

  constructor(file: string, keys: readonly string[], rows: Map<string, ImageAttributes>) {
    this.file = file;
    this.keys = keys;
    this.#rows = rows;
  }

  /** The images, in table order. */
  images(): string[] {
    return [...this.#rows.keys()];
  }

  has(image: string): boolean {
    return this.#rows.has(image);
  }

  /** An image's attributes (a fresh object): every key of the table, null where missing. */
  attributesOf(image: string): ImageAttributes {
    const row = this.#rows.get(image);
    if (!row) throw new LabelmapError('attribute-image-unknown', {}, { image, file: this.file, images: this.#rows.size });
    return { ...row };
  }

  /** The images whose `key` is `value` (null: the images where the key is missing), in table order. */
  imagesWith(key: string, value: string | null): string[] {
    if (!this.keys.includes(key)) throw new LabelmapError('attribute-key-unknown', {}, { key, known: this.keys.join(', ') });
    return [...this.#rows].filter(([, row]) => row[key] === value).map(([image]) => image);
  }

  /** Images per value of `key` (`null` for missing), values in first-seen order. */
  counts(key: string): Map<string | null, number> {
    if (!this.keys.includes(key)) throw new LabelmapError('attribute-key-unknown', {}, { key, known: this.keys.join(', ') });
    const out = new Map<string | null, number>();
    for (const row of this.#rows.values()) out.set(row[key]!, (out.get(row[key]!) ?? 0) + 1);
    return out;
  }
}

/**
 * Parses a table of `labelmap attributes` (CSV, or JSONL when the text starts with `{`). With a
 * vocabulary (a bundle's `attributes`), every column must be one of its keys and every cell one
 * of the key's values or empty: a table from other sheets is an error, not a silent mismatch.
 */
export function parseAttributeTable(text: string, file: string, vocabulary?: AttributeVocabulary | null): AttributeTable {
  const body = text.charCodeAt(0) === 0xfeff ? text.slice(1) : text;
  const jsonl = body.trimStart().startsWith('{');
  const { keys, rows } = jsonl ? readJsonl(body, file) : readCsv(body, file);
  if (vocabulary) checkVocabulary(keys, rows, file, vocabulary);
  const table = new Map<string, ImageAttributes>();
  for (const { line, image, values } of rows) {
    if (table.has(image)) throw invalid(file, line, `image ${JSON.stringify(image)} is in the table twice`, 'one row per image');
    table.set(image, values);
  }
  return new AttributeTable(file, keys, table);
}

interface TableRow {
  line: number;
  image: string;
  values: ImageAttributes;
}

function invalid(file: string, line: number | undefined, problem: string, expected: string): LabelmapError {
  return new LabelmapError('attribute-table-invalid', { file, line }, { problem, expected });
}

function readCsv(text: string, file: string): { keys: string[]; rows: TableRow[] } {
  const { table, findings } = parseCsvTable(text, file);
  if (!table) throw new LabelmapError(findings[0]!.code, findings[0]!, findings[0]!.args);
  const [first, ...keys] = table.header;
  if (first !== 'image') throw invalid(file, 1, `the first column is ${JSON.stringify(first ?? '')}`, 'a header image,<key>,<key>,... as labelmap attributes writes it');
  const rows = table.rows.map((row) => {
    if (row.cells.length !== keys.length + 1) throw invalid(file, row.line, `the row has ${row.cells.length} cells`, `${keys.length + 1} cells, as the header`);
    const image = row.cells[0]!;
    if (image === '') throw invalid(file, row.line, 'the image cell is empty', 'an image name');
    const values: ImageAttributes = {};
    keys.forEach((k, i) => (values[k] = row.cells[i + 1] === '' ? null : row.cells[i + 1]!));
    return { line: row.line, image, values };
  });
  return { keys, rows };
}

function readJsonl(text: string, file: string): { keys: string[]; rows: TableRow[] } {
  const keys: string[] = [];
  const seen = new Set<string>();
  const rows: TableRow[] = [];
  text.split('\n').forEach((raw, i) => {
    const line = i + 1;
    if (raw.trim() === '') return;
    let value: unknown;
    try {
      value = JSON.parse(raw);
    } catch {
      throw invalid(file, line, 'the line is not JSON', 'one JSON object per line');
    }
    if (typeof value !== 'object' || value === null || Array.isArray(value)) throw invalid(file, line, 'the line is not a JSON object', 'one JSON object per line');
    const { image, ...rest } = value as Record<string, unknown>;
    if (typeof image !== 'string' || image === '') throw invalid(file, line, 'the object has no "image" name', '{"image": "<name>", "<key>": "<value>", ...}');
    const values: ImageAttributes = {};
    for (const [k, v] of Object.entries(rest)) {
      if (v !== null && typeof v !== 'string') throw invalid(file, line, `${JSON.stringify(k)} is ${JSON.stringify(v)}`, 'a value as a string, or "" / null for missing');
      values[k] = v === '' ? null : v;
      if (!seen.has(k)) {
        seen.add(k);
        keys.push(k);
      }
    }
    rows.push({ line, image, values });
  });
  // A key an object leaves out is missing for that image.
  for (const row of rows) for (const k of keys) row.values[k] ??= null;
  return { keys, rows };
}

function checkVocabulary(keys: readonly string[], rows: readonly TableRow[], file: string, vocabulary: AttributeVocabulary): void {
  const values = new Map(vocabulary.keys.map((k) => [k.key, new Set(k.values.map((v) => v.value))]));
  const name = `${vocabulary.name}@${vocabulary.version}`;
  for (const key of keys) {
    if (!values.has(key)) throw new LabelmapError('attribute-table-value-unknown', { file, line: 1 }, { what: `the column ${JSON.stringify(key)}`, vocabulary: name, known: [...values.keys()].join(', ') });
  }
  for (const row of rows) {
    for (const [key, value] of Object.entries(row.values)) {
      const known = values.get(key)!;
      if (value !== null && !known.has(value)) {
        throw new LabelmapError('attribute-table-value-unknown', { file, line: row.line }, { what: `${key} = ${JSON.stringify(value)} (image ${JSON.stringify(row.image)})`, vocabulary: name, known: [...known].join(', ') });
      }
    }
  }
}
