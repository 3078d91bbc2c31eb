// The compiled output as the diff compares it: plain lookup-table rows, taken from the bundle that
// `labelmap merge` writes (src/taxonomy/types.ts, the labelmap.json contract). Pure.
import type { Bundle } from '../taxonomy/types.js';
import type { CompiledLut } from './diff.js';

/** A merge bundle's lookup tables as `diffLuts` takes them. */
export function compiledFromBundle(bundle: Bundle): CompiledLut {
  return {
    vertical: bundle.vertical,
    ignore_id: bundle.ignore_id,
    rows: bundle.datasets.flatMap((d) => d.lut.map((e) => ({ dataset: d.name, id: e.id, name: e.name, train_id: e.train_id }))),
  };
}
