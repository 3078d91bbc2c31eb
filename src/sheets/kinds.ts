// The four kinds of sheet and their folders: a leaf module, so that commands which only find and
// count sheets (`list`) do not load the row schemas (zod) of schema.ts.
export type SheetKind = 'dataset' | 'taxonomy' | 'mapping' | 'vertical';
export const SHEET_KINDS: readonly SheetKind[] = ['dataset', 'taxonomy', 'mapping', 'vertical'];

/** The folder of each kind inside a sheets folder. */
export const KIND_DIRS: Record<SheetKind, string> = {
  dataset: 'datasets',
  taxonomy: 'taxonomy',
  mapping: 'mappings',
  vertical: 'verticals',
};
