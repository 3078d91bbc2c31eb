// The kinds of control sheet (DESIGN.md, docs/attributes.md) and the zod schema of one row, built
// from the column table of columns.ts. Cells arrive as strings; the schemas turn them into values.
import { z } from 'zod/v3';

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

// --- cell types -------------------------------------------------------------------------------

const requiredText = (what: string) =>
  z.string().refine((v) => v.trim() !== '', { message: `a non-empty ${what}` }).transform((v) => v.trim());
const optionalText = z.string().default('');

export const integerCell = z
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

export const COLOR_RE = /^#[0-9a-f]{6}$/;
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

export const SNAKE_CASE_RE = /^[a-z][a-z0-9]*(?:_[a-z0-9]+)*$/;
const slugCell = z
  .string()
  .trim()
  .refine((v) => SNAKE_CASE_RE.test(v), { message: 'a snake_case name (a-z, 0-9 and single underscores)' });
const optionalSlug = z
  .string()
  .trim()
  .refine((v) => v === '' || SNAKE_CASE_RE.test(v), { message: 'a snake_case name or an empty cell' });

/** A share or a count: a plain decimal of 0 or more (`0.25`, `3`), or an empty cell. */
export const DECIMAL_RE = /^(?:\d{1,15}(?:\.\d{1,15})?|\.\d{1,15})$/;
const optionalDecimal = z
  .string()
  .trim()
  .refine((v) => v === '' || DECIMAL_RE.test(v), { message: 'a number of 0 or more (e.g. 0.25), or an empty cell' })
  .transform((v) => (v === '' ? null : Number(v)));

// --- row schemas --------------------------------------------------------------------------------

/** The zod schema of each cell type (a required-text cell names what it must hold). */
function cellSchema(column: ColumnSpec): z.ZodTypeAny {
  const schemas: Record<CellType, () => z.ZodTypeAny> = {
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

type RowSchema = z.ZodObject<Record<string, z.ZodTypeAny>>;

/** The schema of one row of each kind: a plain object of cell schemas, no rule across cells. */
export const ROW_SCHEMAS = Object.fromEntries(
  SHEET_KINDS.map((kind) => [kind, z.object(Object.fromEntries((SHEET_COLUMNS[kind] as readonly ColumnSpec[]).map((c) => [c.name, cellSchema(c)])))]),
) as Record<SheetKind, RowSchema>;

/** The taxonomy classes a mapping row declares it also contains (its `contains` cell, space-separated). */
export function containsOf(row: MappingRow): string[] {
  return (row.contains ?? '').split(/\s+/).filter((n) => n !== '');
}
