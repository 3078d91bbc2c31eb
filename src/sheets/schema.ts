// The kinds of control sheet (DESIGN.md, docs/attributes.md): their columns, in the order they are
// written, and the zod schema of one row. Cells arrive as strings; the schemas turn them into values.
import { z } from 'zod/v3';

import { KIND_DIRS, SHEET_KINDS, type SheetKind } from './kinds.js';

export { KIND_DIRS, SHEET_KINDS, type SheetKind };

export interface DatasetClass {
  id: number;
  name: string;
  display_name: string;
  category: string;
  train_id: number | null;
  color: string;
  is_thing: boolean | null;
  evaluate: boolean | null;
  instances?: number | null;
  images?: number | null;
  /** Optional column: the value this class has in the dataset's mask files where it is not `id` (COCO-Stuff stuffthingmaps: id - 1). */
  mask_value?: number | null;
  /** `x_` columns, keyed by the full column name (`x_cls_id`). */
  extra: Record<string, string>;
}

export interface TaxonomyClass {
  id: number;
  name: string;
  parent: string;
  display_name: string;
  color: string;
  is_thing: boolean | null;
  description: string;
}

export interface MappingRow {
  source: string;
  target: string;
  note: string;
  /**
   * Optional column `contains`: taxonomy classes (space-separated) whose pixels the source class
   * also holds although its target does not cover them (Cityscapes `terrain` holds curbs next to
   * grass). Coverage counts the dataset as partial for the labels of those classes.
   */
  contains?: string;
}

export interface VerticalRow {
  class: string;
  include: string;
  train_id: number | null;
  color: string;
  /** Optional column: the output class is a thing (true) or stuff (false); empty = decided by rule. */
  is_thing?: boolean | null;
  /** Optional column: true marks the vertical's catch-all class (`other`, docs/merge.md). */
  other?: boolean | null;
  /** Optional column: true = the class absorbs coarse sources (MSeg merge-up, docs/merge.md). */
  absorbs?: boolean | null;
  /** Optional column: why the row is so (a boundary choice of the vertical); never changes the output. */
  note?: string;
}

/** One value of one unified image attribute (`weather = rain`). */
export interface AttributeValueRow {
  key: string;
  value: string;
  display_name: string;
  description: string;
}

/**
 * A dataset's attribute value -> a unified one. An empty `value` maps the source value to missing
 * (BDD100K's `undefined`): the image has no value for that key, which is not a value of its own.
 */
export interface AttributeMappingRow {
  source_key: string;
  source_value: string;
  key: string;
  value: string;
  note: string;
}

/** How a derived attribute is computed from the annotations (docs/attributes.md). */
export type AttributeRuleWhen = 'any-class' | 'box-height-share' | 'count';
export const ATTRIBUTE_RULE_WHENS: readonly AttributeRuleWhen[] = ['any-class', 'box-height-share', 'count'];

export interface AttributeRuleRow {
  key: string;
  value: string;
  when: AttributeRuleWhen;
  /** Taxonomy class names separated by `|`; each means its whole subtree. */
  classes: string;
  min: number | null;
  max: number | null;
  note: string;
}

export interface RowOf {
  dataset: DatasetClass;
  taxonomy: TaxonomyClass;
  mapping: MappingRow;
  vertical: VerticalRow;
  attributes: AttributeValueRow;
  'attribute-mapping': AttributeMappingRow;
  'attribute-rule': AttributeRuleRow;
}

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

export const ROW_SCHEMAS = {
  dataset: z.object({
    id: integerCell,
    name: requiredText('class name'),
    display_name: optionalText,
    category: optionalText,
    train_id: optionalInteger,
    color: colorCell,
    is_thing: booleanCell,
    evaluate: booleanCell,
    instances: nonNegativeCount.optional(),
    images: nonNegativeCount.optional(),
    mask_value: nonNegativeCount.optional(),
  }),
  taxonomy: z.object({
    id: integerCell.refine((v) => v >= 0, { message: 'an id of 0 or more' }),
    name: slugCell,
    parent: optionalSlug,
    display_name: optionalText,
    color: colorCell,
    is_thing: booleanCell,
    description: optionalText,
  }),
  mapping: z.object({
    source: requiredText('source class name'),
    target: z
      .string()
      .trim()
      .refine((v) => v === IGNORE_TARGET || SNAKE_CASE_RE.test(v), {
        message: `a taxonomy class name or "${IGNORE_TARGET}"`,
      }),
    note: optionalText,
    contains: optionalText.optional(),
  }),
  vertical: z.object({
    class: slugCell,
    include: slugCell,
    train_id: z.union([
      z.literal('').transform(() => null),
      integerCell.refine((v) => v >= 0 && v <= 65534, { message: 'a train id from 0 to 65534' }),
    ]),
    color: colorCell,
    is_thing: booleanCell.optional(),
    other: booleanCell.optional(),
    absorbs: booleanCell.optional(),
    note: optionalText.optional(),
  }),
  attributes: z.object({
    key: slugCell,
    value: slugCell,
    display_name: optionalText,
    description: optionalText,
  }),
  'attribute-mapping': z.object({
    source_key: requiredText('source attribute key'),
    source_value: requiredText('source attribute value'),
    key: slugCell,
    value: optionalSlug,
    note: optionalText,
  }),
  'attribute-rule': z.object({
    key: slugCell,
    value: slugCell,
    when: z
      .string()
      .trim()
      .refine((v) => (ATTRIBUTE_RULE_WHENS as readonly string[]).includes(v), { message: `one of ${ATTRIBUTE_RULE_WHENS.join(', ')}` })
      .transform((v) => v as AttributeRuleWhen),
    classes: optionalText,
    min: optionalDecimal,
    max: optionalDecimal,
    note: optionalText,
  }),
} satisfies Record<SheetKind, z.ZodType>;

/** Columns in written order; `required` must be in the header, `optional` may be. */
export const COLUMNS: Record<SheetKind, { required: readonly string[]; optional: readonly string[]; extra: boolean }> = {
  dataset: {
    required: ['id', 'name', 'display_name', 'category', 'train_id', 'color', 'is_thing', 'evaluate'],
    optional: ['instances', 'images', 'mask_value'],
    extra: true,
  },
  taxonomy: {
    required: ['id', 'name', 'parent', 'display_name', 'color', 'is_thing', 'description'],
    optional: [],
    extra: true,
  },
  mapping: { required: ['source', 'target', 'note'], optional: ['contains'], extra: true },
  vertical: { required: ['class', 'include', 'train_id', 'color'], optional: ['is_thing', 'other', 'absorbs', 'note'], extra: true },
  attributes: { required: ['key', 'value', 'display_name', 'description'], optional: [], extra: true },
  'attribute-mapping': { required: ['source_key', 'source_value', 'key', 'value', 'note'], optional: [], extra: true },
  'attribute-rule': { required: ['key', 'value', 'when', 'classes', 'min', 'max', 'note'], optional: [], extra: true },
};

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

/** The taxonomy classes a mapping row declares it also contains (its `contains` cell, space-separated). */
export function containsOf(row: MappingRow): string[] {
  return (row.contains ?? '').split(/\s+/).filter((n) => n !== '');
}
