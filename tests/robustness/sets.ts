// Generated sheet sets that pass the whole-set rules by construction: a taxonomy tree, a vertical
// that includes an antichain of it (no class together with its ancestor), and datasets whose
// mappings send every class to a taxonomy class or ignore. As CSV texts by path, and as a SheetSet.
import fc from 'fast-check';
import { formatSheet } from '../../src/sheets/csv.js';
import type { Sheet } from '../../src/sheets/io.js';
import type { DatasetClass, MappingRow, RowOf, SheetKind, TaxonomyClass, VerticalRow } from '../../src/sheets/schema.js';
import { KIND_DIRS } from '../../src/sheets/schema.js';
import { sheetFromText } from '../../src/sheets/set.js';
import type { SheetSet } from '../../src/taxonomy/types.js';
import { name, text } from './arbitraries.js';

export interface GeneratedSet {
  /** `taxonomy/core@1.0.0.csv` -> CSV text. */
  files: Record<string, string>;
  vertical: string;
  datasets: string[];
}

export const KIND_OF: Record<string, SheetKind> = Object.fromEntries(Object.entries(KIND_DIRS).map(([kind, dir]) => [dir, kind as SheetKind]));

export const sheetSets: fc.Arbitrary<GeneratedSet> = fc.gen().map((g) => {
  const n = g(fc.integer, { min: 1, max: 20 });
  const ids = g(fc.shuffledSubarray, [...Array(n * 3).keys()], { minLength: n, maxLength: n });
  const parent: number[] = [];
  const taxonomy: TaxonomyClass[] = ids.map((id, i) => {
    parent[i] = i === 0 ? -1 : g(fc.integer, { min: -1, max: i - 1 });
    return { id, name: `t${i}`, parent: parent[i]! < 0 ? '' : `t${parent[i]}`, display_name: g(() => text), color: '', is_thing: g(fc.boolean), description: g(() => text) };
  });
  const ancestors = (i: number): number[] => (parent[i]! < 0 ? [] : [parent[i]!, ...ancestors(parent[i]!)]);
  // An antichain: a class whose ancestor or descendant is included already is left out.
  const chosen: number[] = [];
  for (const i of g(fc.shuffledSubarray, [...Array(n).keys()], { minLength: 1 })) {
    if (chosen.some((c) => ancestors(i).includes(c) || ancestors(c).includes(i))) continue;
    chosen.push(i);
  }
  const outputs = g(fc.integer, { min: 1, max: chosen.length });
  const vertical: VerticalRow[] = chosen.map((i) => ({ class: `o${g(fc.integer, { min: 0, max: outputs - 1 })}`, include: `t${i}`, train_id: null, color: '' }));
  const files: Record<string, string> = {
    'taxonomy/core@1.0.0.csv': formatSheet('taxonomy', taxonomy),
    'verticals/product@1.0.0.csv': formatSheet('vertical', vertical),
  };
  const datasets: string[] = [];
  const count = g(fc.integer, { min: 1, max: 3 });
  for (let d = 0; d < count; d++) {
    const classes = g(() => fc.uniqueArray(fc.tuple(fc.integer({ min: -5, max: 100_000 }), name), { minLength: 1, maxLength: 10, selector: (c) => c[0] }));
    const names = new Set<string>();
    const rows: DatasetClass[] = [];
    for (const [id, className] of classes) {
      if (names.has(className)) continue;
      names.add(className);
      rows.push({ id, name: className, display_name: '', category: '', train_id: null, color: '', is_thing: null, evaluate: null, extra: {} });
    }
    const mapping: MappingRow[] = rows.map((r) => ({ source: r.name, target: g(fc.constantFrom, 'ignore', ...taxonomy.map((t) => t.name)), note: '' }));
    files[`datasets/ds${d}@1.0.0.csv`] = formatSheet('dataset', rows);
    files[`mappings/ds${d}@1.0.0.csv`] = formatSheet('mapping', mapping);
    datasets.push(`ds${d}`);
  }
  return { files, vertical: 'product', datasets };
});

/** The sheets that parse (and every finding of parsing). */
export function readSet(files: Record<string, string>): { sheets: Map<string, Sheet>; findings: ReturnType<typeof sheetFromText>['findings'] } {
  const sheets = new Map<string, Sheet>();
  const findings: ReturnType<typeof sheetFromText>['findings'] = [];
  for (const [rel, csv] of Object.entries(files)) {
    const r = sheetFromText(KIND_OF[rel.split('/')[0]!]!, rel, csv);
    findings.push(...r.findings);
    if (r.sheet) sheets.set(rel, r.sheet);
  }
  return { sheets, findings };
}

/** The SheetSet of the parsed sheets; null without a taxonomy. Datasets need a dataset and a mapping sheet. */
export function setOf(sheets: Map<string, Sheet>, order: 'sorted' | 'reversed' = 'sorted'): SheetSet | null {
  const taxonomy = sheets.get('taxonomy/core@1.0.0.csv') as Sheet<'taxonomy'> | undefined;
  if (!taxonomy) return null;
  const verticals = [...sheets.values()].filter((s): s is Sheet<'vertical'> => s.kind === 'vertical');
  const datasets = [...sheets.values()]
    .filter((s): s is Sheet<'dataset'> => s.kind === 'dataset')
    .map((dataset) => ({ dataset, mapping: sheets.get(`mappings/${dataset.name}@1.0.0.csv`) as Sheet<'mapping'> | undefined }))
    .filter((d): d is { dataset: Sheet<'dataset'>; mapping: Sheet<'mapping'> } => d.mapping !== undefined)
    .sort((a, b) => (a.dataset.name < b.dataset.name ? -1 : 1));
  if (order === 'reversed') datasets.reverse();
  return { taxonomy, taxonomyHistory: [], verticals, datasets };
}

export type RowsOf<K extends SheetKind> = RowOf[K][];
