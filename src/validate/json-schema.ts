// JSON Schema (draft 2020-12) of one sheet row, for editors and tools that check a CSV row as a
// JSON object of strings (column name -> cell text, exactly as in the file).
//
// Why not `z.toJSONSchema(ROW_SCHEMAS[kind], { io: 'input' })` alone: the row schemas take strings
// and check them with refinements (colour, boolean, snake_case, ranges), which JSON Schema cannot
// carry, so that output says little more than "a string" per column. Here every column gets the
// pattern that accepts exactly the cells the zod schema accepts (tests/validate/json-schema.test.ts
// holds the two against each other), built on the same regular expressions where they can be shared.
import { COLUMNS, SHEET_KINDS, SNAKE_CASE_RE, type SheetKind } from '../sheets/schema.js';

interface CellSpec {
  /** The value part of the pattern, without the surrounding spaces that the reader trims. */
  core?: string;
  /** A whole pattern instead (not anchored). */
  pattern?: string;
  /**
   * An empty cell is allowed: `trimmed` also an all-space one (text cells, which the reader trims
   * first), `exact` only a truly empty one (number cells, which the reader matches against '').
   */
  optional?: 'trimmed' | 'exact';
  description: string;
}

const SLUG = SNAKE_CASE_RE.source.replace(/^\^|\$$/g, '');
const INTEGER = '-?\\d{1,15}';
// `-0` is zero to the reader, so it passes a ">= 0" check.
const NON_NEGATIVE = '\\d{1,15}|-0{1,15}';
const TRAIN_ID_16 = '0*(?:\\d{1,4}|[0-5]\\d{4}|6[0-4]\\d{3}|65[0-4]\\d{2}|655[0-2]\\d|6553[0-4])|-0+';
// The reader lower-cases colours and booleans before checking them.
const COLOR = '#[0-9a-fA-F]{6}';
const BOOLEAN = '[Tt][Rr][Uu][Ee]|[Ff][Aa][Ll][Ss][Ee]';
const TEXT: CellSpec = { description: 'free text' };
const REQUIRED_TEXT = '\\S';

const color = (what: string): CellSpec => ({ core: COLOR, optional: 'trimmed', description: `${what} as #rrggbb, or empty` });
const bool = (what: string): CellSpec => ({ core: BOOLEAN, optional: 'trimmed', description: `${what}: true, false or empty` });

const CELLS: Record<SheetKind, Record<string, CellSpec>> = {
  dataset: {
    id: { core: INTEGER, description: 'native integer id, as in the annotation files' },
    name: { pattern: REQUIRED_TEXT, description: 'native class name, exactly as in the annotations (required)' },
    display_name: { ...TEXT, description: 'human-readable name' },
    category: { ...TEXT, description: "the dataset's own grouping (COCO supercategory, Cityscapes category)" },
    train_id: { core: INTEGER, optional: 'exact', description: "the dataset's official training id, or empty" },
    color: color('colour'),
    is_thing: bool('countable object'),
    evaluate: bool('evaluated in the benchmark'),
    instances: { core: NON_NEGATIVE, optional: 'exact', description: 'number of instances (a count of 0 or more), or empty' },
    images: { core: NON_NEGATIVE, optional: 'exact', description: 'number of images (a count of 0 or more), or empty' },
  },
  taxonomy: {
    id: { core: NON_NEGATIVE, description: 'stable integer id (0 or more): never renumbered, never reused' },
    name: { core: SLUG, description: 'snake_case class name, unique in the sheet' },
    parent: { core: SLUG, optional: 'trimmed', description: 'name of the parent class, or empty for a root' },
    display_name: { ...TEXT, description: 'human-readable name' },
    color: color('colour'),
    is_thing: bool('countable object'),
    description: { ...TEXT, description: 'what the class covers' },
  },
  mapping: {
    source: { pattern: REQUIRED_TEXT, description: 'class name in the dataset sheet (required)' },
    target: { core: `ignore|${SLUG}`, description: 'taxonomy class name, or ignore' },
    note: { ...TEXT, description: 'why the mapping is so' },
  },
  vertical: {
    class: { core: SLUG, description: 'snake_case output label; several rows with one class group taxonomy classes' },
    include: { core: SLUG, description: 'taxonomy class name; includes its whole subtree' },
    train_id: { core: TRAIN_ID_16, optional: 'exact', description: 'output train id (0..65534), or empty to number classes from 0 in order' },
    color: color('output colour'),
  },
};

/** The regular expression (as JSON Schema `pattern` text) a cell of a column must match, if any. */
export function cellPattern(kind: SheetKind, column: string): string | undefined {
  const spec = CELLS[kind][column];
  if (spec?.pattern || !spec?.core) return spec?.pattern;
  const value = `\\s*(?:${spec.core})\\s*`;
  if (spec.optional === 'exact') return `^(?:${value})?$`;
  return spec.optional === 'trimmed' ? `^\\s*(?:${spec.core})?\\s*$` : `^${value}$`;
}

/** The JSON Schema of one row of a sheet kind. */
export function rowJsonSchema(kind: SheetKind): Record<string, unknown> {
  const spec = COLUMNS[kind];
  const properties: Record<string, unknown> = {};
  for (const column of [...spec.required, ...spec.optional]) {
    const cell = CELLS[kind][column]!;
    const pattern = cellPattern(kind, column);
    properties[column] = { type: 'string', ...(pattern ? { pattern } : {}), description: cell.description };
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
