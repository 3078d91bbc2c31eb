// The one column table of every sheet kind: for each column, in written order, its name, what its
// cells hold (a cell type), whether the header must have it, and what it means. Everything else
// about columns is derived from this table: the TypeScript row types (below), the zod row schemas
// and the fast cell reading (schema.ts, csv.ts), the header order (`columnOrder`), the header
// checks, the fixes of bad cells and `labelmap schema` (src/validate/json-schema.ts).
// A leaf module (no zod, no fs), like kinds.ts.
import { SHEET_KINDS, type SheetKind } from './kinds.js';

/** How a derived attribute is computed from the annotations (docs/attributes.md). */
export type AttributeRuleWhen = 'any-class' | 'box-height-share' | 'count';
export const ATTRIBUTE_RULE_WHENS: readonly AttributeRuleWhen[] = ['any-class', 'box-height-share', 'count'];

/** What a cell holds, and the value it is read as. */
export interface CellValues {
  integer: number;
  'optional-integer': number | null;
  /** An integer of 0 or more (taxonomy ids). */
  id: number;
  /** A count of 0 or more, or empty (null). */
  count: number | null;
  /** 0..65534, or empty: numbered in order (null). */
  'train-id': number | null;
  /** Any text; empty is ''. */
  text: string;
  /** Text with something in it, trimmed. */
  'required-text': string;
  /** #rrggbb lower-cased, or ''. */
  color: string;
  /** true, false, or empty (null). */
  boolean: boolean | null;
  slug: string;
  'optional-slug': string;
  /** A taxonomy class name or `ignore`. */
  target: string;
  when: AttributeRuleWhen;
  /** A plain decimal of 0 or more, or empty (null). */
  decimal: number | null;
}
export type CellType = keyof CellValues;

export interface ColumnSpec {
  readonly name: string;
  readonly cell: CellType;
  /** The header may leave the column out; a row of such a sheet then has no such field. */
  readonly optional?: true;
  /** What a required-text cell must hold, for the message of an empty one ("a non-empty class name"). */
  readonly what?: string;
  readonly description: string;
}

export const SHEET_COLUMNS = {
  dataset: [
    { name: 'id', cell: 'integer', description: 'native integer id, as in the annotation files' },
    { name: 'name', cell: 'required-text', what: 'class name', description: 'native class name, exactly as in the annotations (required)' },
    { name: 'display_name', cell: 'text', description: 'human-readable name' },
    { name: 'category', cell: 'text', description: "the dataset's own grouping (COCO supercategory, Cityscapes category)" },
    { name: 'train_id', cell: 'optional-integer', description: "the dataset's official training id, or empty" },
    { name: 'color', cell: 'color', description: 'colour as #rrggbb, or empty' },
    { name: 'is_thing', cell: 'boolean', description: 'countable object: true, false or empty' },
    { name: 'evaluate', cell: 'boolean', description: 'evaluated in the benchmark: true, false or empty' },
    { name: 'instances', cell: 'count', optional: true, description: 'number of instances (a count of 0 or more), or empty' },
    { name: 'images', cell: 'count', optional: true, description: 'number of images (a count of 0 or more), or empty' },
    {
      name: 'mask_value',
      cell: 'count',
      optional: true,
      description: "the value of this class in the dataset's mask files where they do not hold the id (COCO-Stuff stuffthingmaps: id - 1), or empty",
    },
  ],
  taxonomy: [
    { name: 'id', cell: 'id', description: 'stable integer id (0 or more): never renumbered, never reused' },
    { name: 'name', cell: 'slug', description: 'snake_case class name, unique in the sheet' },
    { name: 'parent', cell: 'optional-slug', description: 'name of the parent class, or empty for a root' },
    { name: 'display_name', cell: 'text', description: 'human-readable name' },
    { name: 'color', cell: 'color', description: 'colour as #rrggbb, or empty' },
    { name: 'is_thing', cell: 'boolean', description: 'countable object: true, false or empty' },
    { name: 'description', cell: 'text', description: 'what the class covers' },
  ],
  mapping: [
    { name: 'source', cell: 'required-text', what: 'source class name', description: 'class name in the dataset sheet (required)' },
    { name: 'target', cell: 'target', description: 'taxonomy class name, or ignore' },
    { name: 'note', cell: 'text', description: 'why the mapping is so' },
    {
      name: 'contains',
      cell: 'text',
      optional: true,
      // Cityscapes `terrain` holds curbs next to grass: coverage counts the dataset partial for curb.
      description: 'optional: taxonomy classes (space-separated) the source class also holds, outside its target',
    },
  ],
  vertical: [
    { name: 'class', cell: 'slug', description: 'snake_case output label; several rows with one class group taxonomy classes' },
    { name: 'include', cell: 'slug', description: 'taxonomy class name; includes its whole subtree' },
    { name: 'train_id', cell: 'train-id', description: 'output train id (0..65534), or empty to number classes from 0 in order' },
    { name: 'color', cell: 'color', description: 'output colour as #rrggbb, or empty' },
    {
      name: 'is_thing',
      cell: 'boolean',
      optional: true,
      description: 'the output class is a thing (true) or stuff (false); empty = decided from the covered taxonomy classes',
    },
    {
      name: 'other',
      cell: 'boolean',
      optional: true,
      description: "true on the vertical's one catch-all class: every annotated class the vertical does not include goes there",
    },
    {
      name: 'absorbs',
      cell: 'boolean',
      optional: true,
      description: 'true: a source class coarser than the vertical whose target this class includes maps to it (MSeg merge-up) instead of a label set',
    },
    { name: 'note', cell: 'text', optional: true, description: 'optional: why the row is so (a boundary choice); does not change the output' },
  ],
  attributes: [
    { name: 'key', cell: 'slug', description: 'snake_case attribute key (weather, time_of_day, ...)' },
    { name: 'value', cell: 'slug', description: 'snake_case value of the key; each (key, value) once' },
    { name: 'display_name', cell: 'text', description: 'human-readable name' },
    { name: 'description', cell: 'text', description: 'what the value covers' },
  ],
  'attribute-mapping': [
    { name: 'source_key', cell: 'required-text', what: 'source attribute key', description: "the dataset's attribute key, exactly as in its annotations" },
    { name: 'source_value', cell: 'required-text', what: 'source attribute value', description: "the dataset's attribute value, exactly as in its annotations" },
    { name: 'key', cell: 'slug', description: 'unified attribute key' },
    { name: 'value', cell: 'optional-slug', description: 'unified value of the key, or empty for missing (unknown, undefined)' },
    { name: 'note', cell: 'text', description: 'why the mapping is so' },
  ],
  'attribute-rule': [
    { name: 'key', cell: 'slug', description: 'unified attribute key the rule derives' },
    { name: 'value', cell: 'slug', description: 'value given when the rule holds' },
    { name: 'when', cell: 'when', description: ATTRIBUTE_RULE_WHENS.join(', ') },
    { name: 'classes', cell: 'text', description: 'taxonomy class names separated by |, each with its subtree' },
    { name: 'min', cell: 'decimal', description: 'lower bound (share of image height, or a count), inclusive; empty for none' },
    { name: 'max', cell: 'decimal', description: 'upper bound (share of image height), exclusive; empty for none' },
    { name: 'note', cell: 'text', description: 'why the rule is so' },
  ],
} as const satisfies Record<SheetKind, readonly ColumnSpec[]>;

type Columns = typeof SHEET_COLUMNS;
/** The row type of a column table: required columns always there, optional ones maybe. */
type RowOfColumns<C extends readonly ColumnSpec[]> = {
  -readonly [K in C[number] as K extends { optional: true } ? never : K['name']]: CellValues[K['cell']];
} & {
  -readonly [K in C[number] as K extends { optional: true } ? K['name'] : never]?: CellValues[K['cell']];
};

export type DatasetClass = RowOfColumns<Columns['dataset']> & {
  /** `x_` columns, keyed by the full column name (`x_cls_id`). */
  extra: Record<string, string>;
};
export type TaxonomyClass = RowOfColumns<Columns['taxonomy']>;
export type MappingRow = RowOfColumns<Columns['mapping']>;
export type VerticalRow = RowOfColumns<Columns['vertical']>;
/** One value of one unified image attribute (`weather = rain`). */
export type AttributeValueRow = RowOfColumns<Columns['attributes']>;
/**
 * A dataset's attribute value -> a unified one. An empty `value` maps the source value to missing
 * (BDD100K's `undefined`): the image has no value for that key, which is not a value of its own.
 */
export type AttributeMappingRow = RowOfColumns<Columns['attribute-mapping']>;
export type AttributeRuleRow = RowOfColumns<Columns['attribute-rule']>;

export interface RowOf {
  dataset: DatasetClass;
  taxonomy: TaxonomyClass;
  mapping: MappingRow;
  vertical: VerticalRow;
  attributes: AttributeValueRow;
  'attribute-mapping': AttributeMappingRow;
  'attribute-rule': AttributeRuleRow;
}

const byKind = <T>(f: (columns: readonly ColumnSpec[]) => T): Record<SheetKind, T> =>
  Object.fromEntries(SHEET_KINDS.map((k) => [k, f(SHEET_COLUMNS[k])])) as Record<SheetKind, T>;

/** Columns in written order; `required` must be in the header, `optional` may be; `x_` columns are always allowed. */
export const COLUMNS: Record<SheetKind, { required: readonly string[]; optional: readonly string[]; extra: boolean }> = byKind((cs) => ({
  required: cs.filter((c) => !c.optional).map((c) => c.name),
  optional: cs.filter((c) => c.optional).map((c) => c.name),
  extra: true,
}));

/** The cell type of each column. */
export const CELL_TYPES: Record<SheetKind, Record<string, CellType>> = byKind((cs) => Object.fromEntries(cs.map((c) => [c.name, c.cell])));

/** What each column means (`labelmap schema`). */
export const COLUMN_DESCRIPTIONS: Record<SheetKind, Record<string, string>> = byKind((cs) => Object.fromEntries(cs.map((c) => [c.name, c.description])));

export function isExtraColumn(name: string): boolean {
  return /^x_[a-z0-9_]+$/.test(name);
}

/** The header a sheet is written with: required, the optional ones present, then `x_` columns sorted. */
export function columnOrder(kind: SheetKind, present: Iterable<string>): string[] {
  const have = new Set(present);
  const spec = COLUMNS[kind];
  const extras = [...have].filter(isExtraColumn).sort();
  return [...spec.required, ...spec.optional.filter((c) => have.has(c)), ...extras];
}
