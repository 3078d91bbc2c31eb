// JSON Schema (draft 2020-12) of one sheet row, for editors and tools that check a CSV row as a
// JSON object of strings (column name -> cell text, exactly as in the file).
//
// Why not `z.toJSONSchema(ROW_SCHEMAS[kind], { io: 'input' })` alone: the row schemas take strings
// and check them with refinements (colour, boolean, snake_case, ranges), which JSON Schema cannot
// carry, so that output says little more than "a string" per column. Here every column gets the
// pattern that accepts exactly the cells the zod schema accepts (tests/validate/json-schema.test.ts
// holds the two against each other), by the column's cell type (CELL_TYPES in src/sheets/csv.ts).
import { CELL_TYPES, type CellType } from '../sheets/csv.js';
import { ATTRIBUTE_RULE_WHENS, COLUMNS, IGNORE_TARGET, SHEET_KINDS, SNAKE_CASE_RE, type SheetKind } from '../sheets/schema.js';

const SLUG = SNAKE_CASE_RE.source.replace(/^\^|\$$/g, '');

/**
 * The pattern of each cell type: `core` is the value without the spaces the reader trims;
 * `optional` allows an empty cell, `trimmed` also an all-space one (text cells, which the reader
 * trims first), `exact` only a truly empty one (number cells, which the reader matches against '').
 */
const PATTERNS: Record<CellType, { core?: string; optional?: 'trimmed' | 'exact'; anywhere?: string }> = {
  integer: { core: '-?\\d{1,15}' },
  'optional-integer': { core: '-?\\d{1,15}', optional: 'exact' },
  // `-0` is zero to the reader, so it passes a ">= 0" check.
  id: { core: '\\d{1,15}|-0{1,15}' },
  count: { core: '\\d{1,15}|-0{1,15}', optional: 'exact' },
  'train-id': { core: '0*(?:\\d{1,4}|[0-5]\\d{4}|6[0-4]\\d{3}|65[0-4]\\d{2}|655[0-2]\\d|6553[0-4])|-0+', optional: 'exact' },
  text: {},
  'required-text': { anywhere: '\\S' },
  // The reader lower-cases colours and booleans before checking them.
  color: { core: '#[0-9a-fA-F]{6}', optional: 'trimmed' },
  boolean: { core: '[Tt][Rr][Uu][Ee]|[Ff][Aa][Ll][Ss][Ee]', optional: 'trimmed' },
  'optional-boolean': { core: '[Tt][Rr][Uu][Ee]|[Ff][Aa][Ll][Ss][Ee]', optional: 'trimmed' },
  slug: { core: SLUG },
  'optional-slug': { core: SLUG, optional: 'trimmed' },
  target: { core: `${IGNORE_TARGET}|${SLUG}` },
  when: { core: ATTRIBUTE_RULE_WHENS.join('|') },
  decimal: { core: '\\d{1,15}(?:\\.\\d{1,15})?|\\.\\d{1,15}', optional: 'trimmed' },
};

const DESCRIPTIONS: Record<SheetKind, Record<string, string>> = {
  dataset: {
    id: 'native integer id, as in the annotation files',
    name: 'native class name, exactly as in the annotations (required)',
    display_name: 'human-readable name',
    category: "the dataset's own grouping (COCO supercategory, Cityscapes category)",
    train_id: "the dataset's official training id, or empty",
    color: 'colour as #rrggbb, or empty',
    is_thing: 'countable object: true, false or empty',
    evaluate: 'evaluated in the benchmark: true, false or empty',
    instances: 'number of instances (a count of 0 or more), or empty',
    images: 'number of images (a count of 0 or more), or empty',
    mask_value: "the value of this class in the dataset's mask files where they do not hold the id (COCO-Stuff stuffthingmaps: id - 1), or empty",
  },
  taxonomy: {
    id: 'stable integer id (0 or more): never renumbered, never reused',
    name: 'snake_case class name, unique in the sheet',
    parent: 'name of the parent class, or empty for a root',
    display_name: 'human-readable name',
    color: 'colour as #rrggbb, or empty',
    is_thing: 'countable object: true, false or empty',
    description: 'what the class covers',
  },
  mapping: {
    source: 'class name in the dataset sheet (required)',
    target: 'taxonomy class name, or ignore',
    note: 'why the mapping is so',
    contains: 'optional: taxonomy classes (space-separated) the source class also holds, outside its target',
  },
  vertical: {
    class: 'snake_case output label; several rows with one class group taxonomy classes',
    include: 'taxonomy class name; includes its whole subtree',
    train_id: 'output train id (0..65534), or empty to number classes from 0 in order',
    color: 'output colour as #rrggbb, or empty',
    is_thing: 'the output class is a thing (true) or stuff (false); empty = decided from the covered taxonomy classes',
    other: "true on the vertical's one catch-all class: every annotated class the vertical does not include goes there",
    absorbs: 'true: a source class coarser than the vertical whose target this class includes maps to it (MSeg merge-up) instead of a label set',
    note: 'optional: why the row is so (a boundary choice); does not change the output',
  },
  attributes: {
    key: 'snake_case attribute key (weather, time_of_day, ...)',
    value: 'snake_case value of the key; each (key, value) once',
    display_name: 'human-readable name',
    description: 'what the value covers',
  },
  'attribute-mapping': {
    source_key: "the dataset's attribute key, exactly as in its annotations",
    source_value: "the dataset's attribute value, exactly as in its annotations",
    key: 'unified attribute key',
    value: 'unified value of the key, or empty for missing (unknown, undefined)',
    note: 'why the mapping is so',
  },
  'attribute-rule': {
    key: 'unified attribute key the rule derives',
    value: 'value given when the rule holds',
    when: ATTRIBUTE_RULE_WHENS.join(', '),
    classes: 'taxonomy class names separated by |, each with its subtree',
    min: 'lower bound (share of image height, or a count), inclusive; empty for none',
    max: 'upper bound (share of image height), exclusive; empty for none',
    note: 'why the rule is so',
  },
};

/** The regular expression (as JSON Schema `pattern` text) a cell of a column must match, if any. */
export function cellPattern(kind: SheetKind, column: string): string | undefined {
  const type = CELL_TYPES[kind][column];
  const spec = type ? PATTERNS[type] : {};
  if (spec.anywhere || !spec.core) return spec.anywhere;
  const value = `\\s*(?:${spec.core})\\s*`;
  if (spec.optional === 'exact') return `^(?:${value})?$`;
  return spec.optional === 'trimmed' ? `^\\s*(?:${spec.core})?\\s*$` : `^${value}$`;
}

/** The JSON Schema of one row of a sheet kind. */
export function rowJsonSchema(kind: SheetKind): Record<string, unknown> {
  const spec = COLUMNS[kind];
  const properties: Record<string, unknown> = {};
  for (const column of [...spec.required, ...spec.optional]) {
    const pattern = cellPattern(kind, column);
    properties[column] = { type: 'string', ...(pattern ? { pattern } : {}), description: DESCRIPTIONS[kind][column] ?? '' };
  }
  return {
    $schema: 'https://json-schema.org/draft/2020-12/schema',
    title: `labelmap ${kind} sheet row`,
    description:
      `One row of a ${kind} sheet as a JSON object: column name -> cell text, as in the CSV. ` +
      'Every cell is a string; spaces around a value are allowed (labelmap trims them). ' +
      'Rules across rows and sheets (unique ids, parents, mappings, versions) are checked by `labelmap validate`.',
    type: 'object',
    properties,
    required: [...spec.required],
    patternProperties: { '^x_[a-z0-9_]+$': { type: 'string', description: 'extra data, kept as text' } },
    additionalProperties: false,
  };
}

/** The schemas of all four kinds, keyed by kind. */
export function allRowJsonSchemas(): Record<SheetKind, Record<string, unknown>> {
  return Object.fromEntries(SHEET_KINDS.map((kind) => [kind, rowJsonSchema(kind)])) as Record<SheetKind, Record<string, unknown>>;
}
