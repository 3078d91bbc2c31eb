// From a loaded sheet set to what suggestMapping reads: the dataset's classes, the taxonomy, and
// every other mapping (the aliases). Pure.
import type { Sheet } from '../sheets/io.js';
import type { SheetSet } from '../taxonomy/types.js';
import type { KnownMapping, SuggestClass, SuggestTaxonomyClass } from './index.js';

export interface SuggestInputs {
  classes: SuggestClass[];
  taxonomy: SuggestTaxonomyClass[];
  known: KnownMapping[];
  reserved: string[];
}

/** The dataset's own mapping, if the set has one, is never learned from. */
export function suggestInputs(set: Pick<SheetSet, 'taxonomy' | 'datasets'>, dataset: Sheet<'dataset'>): SuggestInputs {
  return {
    classes: dataset.rows.map((r) => ({
      id: r.id,
      name: r.name,
      display_name: r.display_name,
      category: r.category,
      synonyms: (r.extra.x_synonyms ?? '').split(/[;|]/).map((s) => s.trim()).filter((s) => s !== ''),
    })),
    taxonomy: set.taxonomy.rows.map((r) => ({ name: r.name, parent: r.parent, display_name: r.display_name, description: r.description })),
    known: set.datasets.filter((d) => d.dataset.name !== dataset.name).map((d) => ({ dataset: d.dataset.name, rows: d.mapping.rows })),
    reserved: ['ignore'],
  };
}
