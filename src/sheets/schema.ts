// The kinds of control sheet (DESIGN.md, docs/attributes.md) and the zod schema of one row, built
// from the column table of columns.ts. Cells arrive as strings; the schemas turn them into values.
//
// zod is loaded, and the schemas built, on the first call of rowSchemaOf: the sheet reader types
// the plain form of a cell without zod (csv.ts FAST_CELLS) and asks the schema only for any other
// text, so reading clean sheets never loads zod. Loading zod and building the schemas at start-up
// cost every command about 30 ms (BENCHMARKS.md, "find"). Through require: a static import would
// load it anyway.
import { createRequire } from 'node:module';
import type { z as Zod } from 'zod/v3';

import {
  ATTRIBUTE_RULE_WHENS,
  SHEET_COLUMNS,
  type AttributeRuleWhen,
  type CellType,
  type ColumnSpec,
  type MappingRow,
} from './columns.js';
import { KIND_DIRS, SHEET_KINDS, type SheetKind } from './kinds.js';

export { KIND_DIRS, SHEET_KINDS, type SheetKind };
export {
  ATTRIBUTE_RULE_WHENS,
  COLUMNS,
  columnOrder,
  isExtraColumn,
  type AttributeMappingRow,
  type AttributeRuleRow,
  type AttributeRuleWhen,
  type AttributeValueRow,
  type DatasetClass,
  type MappingRow,
  type RowOf,
  type TaxonomyClass,
  type VerticalRow,
} from './columns.js';

export const IGNORE_TARGET = 'ignore';
/**
 * Mapping target for "none of this dataset's classes" (VOC background): the dataset labelled every
 * class it knows, so the pixel is a negative for each of them (docs/merge.md, void and background).
 */
export const BACKGROUND_TARGET = 'background';

export const COLOR_RE = /^#[0-9a-f]{6}$/;
export const SNAKE_CASE_RE = /^[a-z][a-z0-9]*(?:_[a-z0-9]+)*$/;

/** A share or a count: a plain decimal of 0 or more (`0.25`, `3`), or an empty cell. */
export const DECIMAL_RE = /^(?:\d{1,15}(?:\.\d{1,15})?|\.\d{1,15})$/;

/** The zod schema of one row: a plain object of cell schemas, no rule across cells. */
export type RowSchema = Zod.ZodObject<Record<string, Zod.ZodTypeAny>>;

let rowSchemas: Record<SheetKind, RowSchema> | undefined;

/** The schema of one row of a kind (zod loaded and every kind's schema built on the first call). */
export function rowSchemaOf(kind: SheetKind): RowSchema {
  rowSchemas ??= buildRowSchemas((createRequire(import.meta.url)('zod/v3') as typeof import('zod/v3')).z);
  return rowSchemas[kind];
}

function buildRowSchemas(z: typeof Zod): Record<SheetKind, RowSchema> {
  // --- cell types -----------------------------------------------------------------------------

  const requiredText = (what: string) =>
    z.string().refine((v) => v.trim() !== '', { message: `a non-empty ${what}` }).transform((v) => v.trim());
  const optionalText = z.string().default('');

  const integerCell = z
    .string()
    .trim()
    .regex(/^-?\d+$/, { message: 'an integer' })
    .transform((v) => Number(v))
    .refine((v) => Number.isSafeInteger(v), { message: 'an integer of at most 15 digits' });

  const optionalInteger = z.union([z.literal('').transform(() => null), integerCell]);
  const nonNegativeCount = z.union([
    z.literal('').transform(() => null),
    integerCell.refine((v) => v >= 0, { message: 'a count of 0 or more' }),
  ]);

  const colorCell = z
    .string()
    .trim()
    .transform((v) => v.toLowerCase())
    .refine((v) => v === '' || COLOR_RE.test(v), { message: 'a colour #rrggbb (or an empty cell)' });

  const booleanCell = z
    .string()
    .trim()
    .transform((v) => v.toLowerCase())
    .refine((v) => v === '' || v === 'true' || v === 'false', { message: 'true, false or an empty cell' })
    .transform((v) => (v === '' ? null : v === 'true'));

  const slugCell = z
    .string()
    .trim()
    .refine((v) => SNAKE_CASE_RE.test(v), { message: 'a snake_case name (a-z, 0-9 and single underscores)' });
  const optionalSlug = z
    .string()
    .trim()
    .refine((v) => v === '' || SNAKE_CASE_RE.test(v), { message: 'a snake_case name or an empty cell' });

  const optionalDecimal = z
    .string()
    .trim()
    .refine((v) => v === '' || DECIMAL_RE.test(v), { message: 'a number of 0 or more (e.g. 0.25), or an empty cell' })
    .transform((v) => (v === '' ? null : Number(v)));

  // --- row schemas ----------------------------------------------------------------------------

  /** The zod schema of each cell type (a required-text cell names what it must hold). */
  function cellSchema(column: ColumnSpec): Zod.ZodTypeAny {
    const schemas: Record<CellType, () => Zod.ZodTypeAny> = {
      integer: () => integerCell,
      'optional-integer': () => optionalInteger,
      id: () => integerCell.refine((v) => v >= 0, { message: 'an id of 0 or more' }),
      count: () => nonNegativeCount,
      'train-id': () =>
        z.union([z.literal('').transform(() => null), integerCell.refine((v) => v >= 0 && v <= 65534, { message: 'a train id from 0 to 65534' })]),
      text: () => optionalText,
      'required-text': () => requiredText(column.what ?? column.name),
      color: () => colorCell,
      boolean: () => booleanCell,
      slug: () => slugCell,
      'optional-slug': () => optionalSlug,
      target: () =>
        z
          .string()
          .trim()
          .refine((v) => v === IGNORE_TARGET || SNAKE_CASE_RE.test(v), { message: `a taxonomy class name or "${IGNORE_TARGET}"` }),
      when: () =>
        z
          .string()
          .trim()
          .refine((v) => (ATTRIBUTE_RULE_WHENS as readonly string[]).includes(v), { message: `one of ${ATTRIBUTE_RULE_WHENS.join(', ')}` })
          .transform((v) => v as AttributeRuleWhen),
      decimal: () => optionalDecimal,
    };
    const schema = schemas[column.cell]();
    return column.optional ? schema.optional() : schema;
  }

  return Object.fromEntries(
    SHEET_KINDS.map((kind) => [kind, z.object(Object.fromEntries((SHEET_COLUMNS[kind] as readonly ColumnSpec[]).map((c) => [c.name, cellSchema(c)])))]),
  ) as Record<SheetKind, RowSchema>;
}

/** The taxonomy classes a mapping row declares it also contains (its `contains` cell, space-separated). */
export function containsOf(row: MappingRow): string[] {
  // Asked of every mapping row by the rules and merge; most rows have no contains cell.
  if (!row.contains) return [];
  return row.contains.split(/\s+/).filter((n) => n !== '');
}
