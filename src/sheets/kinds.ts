// The kinds of sheet (the four of DESIGN.md and the three of docs/attributes.md) and their folders: a leaf module, so that commands which only find and
// count sheets (`list`) do not load the row schemas (zod) of schema.ts.
export type SheetKind = 'dataset' | 'taxonomy' | 'mapping' | 'vertical' | 'attributes' | 'attribute-mapping' | 'attribute-rule';
export const SHEET_KINDS: readonly SheetKind[] = ['dataset', 'taxonomy', 'mapping', 'vertical', 'attributes', 'attribute-mapping', 'attribute-rule'];

/** The folder of each kind inside a sheets folder. */
export const KIND_DIRS: Record<SheetKind, string> = {
  dataset: 'datasets',
  taxonomy: 'taxonomy',
  mapping: 'mappings',
  vertical: 'verticals',
  attributes: 'attributes',
  'attribute-mapping': 'attribute-mappings',
  'attribute-rule': 'attribute-rules',
};

/** A sheet name: lower-case letters, digits, `.`, `_`, `-`; starts and ends with a letter or digit. */
export const SHEET_NAME_RE = /^[a-z0-9](?:[a-z0-9._-]*[a-z0-9])?$/;

export function isSafeSheetName(name: string): boolean {
  return SHEET_NAME_RE.test(name) && !name.includes('..') && name.length <= 100;
}
