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
