// What the Python label tables that Cityscapes, KITTI-360 and ApolloScape publish share, on top of
// the literal reader (lib/python-literals.ts): the fields of a row as dataset sheet columns,
// whatever a fork calls them, and which published table a file is.
import { statSync } from 'node:fs';
import { LabelmapError } from '../findings.js';
import type { DatasetClass } from '../sheets/schema.js';
import { LABEL_FILE_MAX_BYTES, nameLabelValues, readPythonLabelsFile, type KnownLayout, type LabelRecord, type PythonLabels, type PyValue } from './lib/python-literals.js';
import { datasetClass, rgbToHex } from './types.js';

// --- fields -> dataset columns ------------------------------------------------------------------

/** The meaning of a field, whatever a fork calls it. */
export type FieldRole =
  | 'name'
  | 'id'
  | 'trainId'
  | 'category'
  | 'categoryId'
  | 'hasInstances'
  | 'ignoreInEval'
  | 'color'
  | 'clsId';

const ROLE_BY_KEY: Record<string, FieldRole> = {
  name: 'name',
  id: 'id',
  trainid: 'trainId',
  category: 'category',
  categoryid: 'categoryId',
  catid: 'categoryId',
  hasinstances: 'hasInstances',
  ignoreineval: 'ignoreInEval',
  color: 'color',
  colour: 'color',
  clsid: 'clsId',
};

export function roleOf(field: string): FieldRole | undefined {
  return ROLE_BY_KEY[field.toLowerCase().replace(/_/g, '')];
}

/** `kittiId` -> `kitti_id`, `ignoreInInst` -> `ignore_in_inst`. */
export function snakeCase(field: string): string {
  return field
    .replace(/([a-z0-9])([A-Z])/g, '$1_$2')
    .replace(/([A-Z]+)([A-Z][a-z])/g, '$1_$2')
    .replace(/[^A-Za-z0-9]+/g, '_')
    .replace(/^_+|_+$/g, '')
    .toLowerCase();
}

/** The `x_` column of a field that has no dataset column of its own. */
export function extraColumnOf(field: string): string {
  const role = roleOf(field);
  if (role === 'categoryId') return 'x_category_id';
  if (role === 'clsId') return 'x_cls_id';
  const snake = snakeCase(field);
  return `x_${/^[a-z]/.test(snake) ? snake : `f_${snake}`}`;
}

function typeName(v: PyValue | undefined): string {
  if (v === undefined) return 'nothing';
  if (v === null) return 'None';
  if (Array.isArray(v)) return `(${v.map((x) => typeName(x)).join(', ')})`;
  if (typeof v === 'string') return JSON.stringify(v);
  if (typeof v === 'boolean') return v ? 'True' : 'False';
  return String(v);
}

function valueError(rec: LabelRecord, file: string, field: string, expected: string): LabelmapError {
  return new LabelmapError('python-labels-value', { file, line: rec.line, column: rec.column }, {
    field,
    expected,
    found: typeName(rec.values.get(field)),
  });
}

/** Reads the value of one field of a row as a given type, with an error naming the field. */
export class FieldReader {
  constructor(
    private readonly rec: LabelRecord,
    private readonly file: string,
  ) {}

  has(field: string | undefined): field is string {
    return field !== undefined && this.rec.values.has(field);
  }

  int(field: string): number {
    const v = this.rec.values.get(field);
    if (typeof v === 'number' && Number.isInteger(v)) return v;
    throw valueError(this.rec, this.file, field, 'an integer');
  }

  optionalInt(field: string | undefined): number | null {
    if (!this.has(field) || this.rec.values.get(field) === null) return null;
    return this.int(field);
  }

  text(field: string | undefined): string {
    if (!this.has(field)) return '';
    const v = this.rec.values.get(field);
    if (v === null) return '';
    if (typeof v === 'string') return v;
    throw valueError(this.rec, this.file, field, 'a quoted string');
  }

  flag(field: string | undefined): boolean | null {
    if (!this.has(field)) return null;
    const v = this.rec.values.get(field);
    if (typeof v === 'boolean') return v;
    if (v === 0 || v === 1) return v === 1;
    if (v === null) return null;
    throw valueError(this.rec, this.file, field, 'True or False');
  }

  /** `(r, g, b)`, `[r, g, b]`, `0x4682B4` or `'#4682b4'` -> `#4682b4`. */
  color(field: string | undefined): string {
    if (!this.has(field)) return '';
    const v = this.rec.values.get(field);
    if (v === null) return '';
    if (Array.isArray(v) && v.length === 3 && v.every((c) => typeof c === 'number' && Number.isInteger(c) && c >= 0 && c <= 255)) {
      return rgbToHex(v as number[]);
    }
    if (typeof v === 'number' && Number.isInteger(v) && v >= 0 && v <= 0xffffff) return `#${v.toString(16).padStart(6, '0')}`;
    if (typeof v === 'string' && /^#[0-9a-fA-F]{6}$/.test(v)) return v.toLowerCase();
    throw valueError(this.rec, this.file, field, 'a colour: (r, g, b) with 0..255, a hex integer 0xRRGGBB or "#rrggbb"');
  }
}

/** A value as the text of an `x_` cell. */
export function extraText(v: PyValue): string {
  if (v === null) return '';
  if (typeof v === 'boolean') return v ? 'true' : 'false';
  if (Array.isArray(v)) return JSON.stringify(v);
  return String(v);
}

export interface LabelTable {
  fields: string[];
  layout?: KnownLayout;
  rows: DatasetClass[];
  /** Line of each row, index-aligned with rows. */
  lines: number[];
  /** Fields kept as `x_` columns (file name -> column). */
  extras: Map<string, string>;
}

/**
 * Rows of a label file as dataset classes: id, name, train_id, category, is_thing (hasInstances),
 * evaluate (not ignoreInEval), color; every other field (categoryId, clsId, kittiId, ...) as an
 * `x_` column. Names and ids must be unique.
 */
export function labelTableOf(labels: PythonLabels, file: string, layouts: readonly KnownLayout[]): LabelTable {
  const { fields, records, layout } = nameLabelValues(labels, file, layouts);
  const byRole = new Map<FieldRole, string>();
  const extras = new Map<string, string>();
  for (const f of fields) {
    const role = roleOf(f);
    if (role && role !== 'categoryId' && role !== 'clsId' && !byRole.has(role)) byRole.set(role, f);
    else extras.set(f, extraColumnOf(f));
  }
  for (const required of ['name', 'id'] as const) {
    if (!byRole.has(required)) {
      throw new LabelmapError('python-labels-field-missing', { file, line: labels.fieldsLine }, {
        field: required,
        fields: fields.join(', '),
      });
    }
  }
  const rows: DatasetClass[] = [];
  const lines: number[] = [];
  for (const rec of records) {
    const r = new FieldReader(rec, file);
    const name = r.text(byRole.get('name')).trim();
    if (name === '') throw valueError(rec, file, byRole.get('name')!, 'a non-empty name');
    const ignore = r.flag(byRole.get('ignoreInEval'));
    const extra: Record<string, string> = {};
    for (const [field, column] of extras) if (rec.values.has(field)) extra[column] = extraText(rec.values.get(field)!);
    rows.push(
      datasetClass(r.int(byRole.get('id')!), name, {
        train_id: r.optionalInt(byRole.get('trainId')),
        category: r.text(byRole.get('category')),
        is_thing: r.flag(byRole.get('hasInstances')),
        evaluate: ignore === null ? null : !ignore,
        color: r.color(byRole.get('color')),
        extra,
      }),
    );
    lines.push(rec.line);
  }
  checkUniqueLabels(rows, lines, file);
  return { fields, layout, rows, lines, extras };
}

/** Every id and every name once; the second of two is an error naming both lines. */
export function checkUniqueLabels(rows: readonly DatasetClass[], lines: readonly (number | undefined)[], file: string, path?: (i: number) => string): void {
  for (const key of ['id', 'name'] as const) {
    const first = new Map<string | number, number>();
    rows.forEach((row, i) => {
      const seen = first.get(row[key]);
      if (seen !== undefined) {
        throw new LabelmapError('labels-duplicate', { file, line: lines[i], path: path?.(i) }, {
          key,
          value: row[key],
          name: row.name,
          other: rows[seen]!.name,
          firstPlace: lines[seen] !== undefined ? `line ${lines[seen]}` : (path?.(seen) ?? `row ${seen + 1}`),
        });
      }
      first.set(row[key], i);
    });
  }
}

// --- which published table a file is ------------------------------------------------------------
// Each format file holds its own layouts and recogniser: cityscapes.ts (Cityscapes, KITTI-360, and
// the combined guessLabelFamily) and apolloscape.ts (scene parsing, lane marking).

export type LabelFileFamily = 'cityscapes' | 'kitti-360' | 'apolloscape' | 'apolloscape-lanemark';

export interface FamilyGuess {
  family: LabelFileFamily;
  /** Why, in words (`its field list has clsId`). */
  reason: string;
}

/** Whether a field list names a field, ignoring case and underscores (`cls_id` is `clsId`). */
export function hasField(fields: readonly string[] | null, role: string): boolean {
  return (fields ?? []).some((f) => f.toLowerCase().replace(/_/g, '') === role.toLowerCase());
}

/** The number of values in a table's first row (how a file without a field list is told apart). */
export function firstRowArity(labels: PythonLabels): number {
  const first = labels.rows[0];
  return first ? first.args.length + Object.keys(first.kwargs).length : 0;
}

/**
 * Reads a file for `detect`: a Python label table, or why it is not one (the caller guesses its
 * family with guessLabelFamily in ./cityscapes.ts). Never
 * throws; reads at most 4 MB (published label files are 10 kB).
 */
export function sniffLabelFile(file: string): { labels: PythonLabels } | { reason: string } {
  let size: number;
  try {
    size = statSync(file).size;
  } catch {
    return { reason: `cannot read ${file}` };
  }
  if (size > LABEL_FILE_MAX_BYTES) return { reason: `${size} bytes is too large for a Python label table` };
  let labels: PythonLabels;
  try {
    labels = readPythonLabelsFile(file);
  } catch (error) {
    if (error instanceof LabelmapError) return { reason: `not a Python label table: ${error.message.split('\n')[0]}` };
    return { reason: `cannot read it: ${String(error)}` };
  }
  return { labels };
}
