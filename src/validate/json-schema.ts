// JSON Schema (draft 2020-12) of one sheet row, for editors and tools that check a CSV row as a
// JSON object of strings (column name -> cell text, exactly as in the file).
//
// Why not `z.toJSONSchema(rowSchemaOf(kind), { io: 'input' })` alone: the row schemas take strings
// and check them with refinements (colour, boolean, snake_case, ranges), which JSON Schema cannot
// carry, so that output says little more than "a string" per column. Here every column gets the
// pattern that accepts exactly the cells the zod schema accepts (tests/validate/json-schema.test.ts
// holds the two against each other), by the column's cell type (the column table, src/sheets/columns.ts).
import { CELL_TYPES, COLUMN_DESCRIPTIONS, type CellType } from '../sheets/columns.js';
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
  slug: { core: SLUG },
  'optional-slug': { core: SLUG, optional: 'trimmed' },
  target: { core: `${IGNORE_TARGET}|${SLUG}` },
  when: { core: ATTRIBUTE_RULE_WHENS.join('|') },
  decimal: { core: '\\d{1,15}(?:\\.\\d{1,15})?|\\.\\d{1,15}', optional: 'trimmed' },
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
    properties[column] = { type: 'string', ...(pattern ? { pattern } : {}), description: COLUMN_DESCRIPTIONS[kind][column] ?? '' };
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

/** The schemas of every kind, keyed by kind. */
export function allRowJsonSchemas(): Record<SheetKind, Record<string, unknown>> {
  return Object.fromEntries(SHEET_KINDS.map((kind) => [kind, rowJsonSchema(kind)])) as Record<SheetKind, Record<string, unknown>>;
}
