// Exploring the labels: one index over every sheet (taxonomy classes, dataset classes, mapping
// rows, vertical outputs and what each dataset class compiles to in each vertical), and `find`
// over it. Pure: sheets and compiled bundles in, data out. `labelmap find` prints it; the HTML
// report embeds the same index and searches it with the same normaliser.
import type { TaxonomyClass } from '../sheets/schema.js';
import type { Bundle, DatasetOutput, LutEntry, SheetSet } from '../taxonomy/types.js';
import { matchLevel, nameTokens } from '../text/normalize.js';

/** Where one dataset class lands in one vertical (or the unified set). */
export interface Landing {
  vertical: string;
  /** 'label', 'set' or 'ignore' (the bundle's LUT entry kind; v1 bundles: label or ignore). */
  kind: 'label' | 'set' | 'ignore';
  /** The output label, or the label set's name, or null for ignore. */
  output: string | null;
  train_id: number;
  reason: string;
}

export interface SourceClass {
  dataset: string;
  dataset_version: string;
  id: number;
  name: string;
  display_name: string;
  /** The mapping target: a taxonomy class, or `ignore` / `background`. */
  target: string;
  note: string;
  synonyms: string[];
  instances: number | null;
  images: number | null;
  landings: Landing[];
}

export interface TaxonomyNode extends TaxonomyClass {
  /** The path from the root: `vehicle > bicycle`. */
  path: string[];
  /** Per vertical, the output label that holds this class (absent: not in that vertical). */
  outputs: Record<string, string>;
}

export interface LabelIndex {
  taxonomy: { name: string; version: string };
  verticals: string[];
  datasets: { name: string; version: string }[];
  classes: TaxonomyNode[];
  sources: SourceClass[];
}

/**
 * What the index reads of a compiled vertical: a whole Bundle (buildBundle, the report) or only its
 * labels and LUTs (compileLuts, `labelmap find`).
 */
export type IndexedBundle = Pick<Bundle, 'vertical' | 'labels' | 'ignore_id'> & { datasets: readonly Pick<DatasetOutput, 'name' | 'lut'>[] };

/** The index of a loaded sheet set and the bundles compiled from it (one per vertical). */
export function buildLabelIndex(set: SheetSet, bundles: readonly IndexedBundle[]): LabelIndex {
  const rows = set.taxonomy.rows;
  const parentOf = new Map(rows.map((r) => [r.name, r.parent]));
  const pathOf = (name: string): string[] => {
    const out: string[] = [];
    const seen = new Set<string>();
    for (let n: string | undefined = name; n && !seen.has(n); n = parentOf.get(n)) {
      seen.add(n);
      out.unshift(n);
    }
    return out;
  };
  const verticals = bundles.map((b) => b.vertical ?? 'unified');
  const ownerOf = bundles.map((b) => {
    const owner = new Map<string, string>();
    for (const l of b.labels) for (const c of l.covers) owner.set(c, l.name);
    return { vertical: b.vertical ?? 'unified', owner };
  });
  const classes: TaxonomyNode[] = rows.map((r) => {
    const outputs: Record<string, string> = Object.create(null);
    for (const { vertical, owner } of ownerOf) {
      const label = owner.get(r.name);
      if (label !== undefined) outputs[vertical] = label;
    }
    return { ...r, path: pathOf(r.name), outputs };
  });

  const sources: SourceClass[] = [];
  for (const { dataset, mapping } of set.datasets) {
    const rowOf = new Map(mapping.rows.map((m) => [m.source, m]));
    const lutOf = bundles.map((b) => ({ vertical: b.vertical ?? 'unified', lut: new Map((b.datasets.find((d) => d.name === dataset.name)?.lut ?? []).map((e) => [e.id, e])), ignore: b.ignore_id }));
    for (const cls of dataset.rows) {
      const m = rowOf.get(cls.name);
      const landings: Landing[] = [];
      for (const { vertical, lut } of lutOf) {
        // v2 bundles say the kind and the set; a v1 entry is a label or ignore.
        const e = lut.get(cls.id) as (LutEntry & { kind?: Landing['kind']; set?: string | null }) | undefined;
        if (!e) continue;
        const kind: Landing['kind'] = e.kind ?? (e.label === null ? 'ignore' : 'label');
        landings.push({ vertical, kind, output: kind === 'set' ? (e.set ?? null) : e.label, train_id: e.train_id, reason: e.reason });
      }
      sources.push({
        dataset: dataset.name,
        dataset_version: dataset.version,
        id: cls.id,
        name: cls.name,
        display_name: cls.display_name,
        target: m?.target ?? '',
        note: m?.note ?? '',
        synonyms: splitList(cls.extra.x_synonyms ?? ''),
        instances: cls.instances ?? null,
        images: cls.images ?? null,
        landings,
      });
    }
  }
  return {
    taxonomy: { name: set.taxonomy.name, version: set.taxonomy.version },
    verticals,
    datasets: set.datasets.map((d) => ({ name: d.dataset.name, version: d.dataset.version })),
    classes,
    sources,
  };
}

function splitList(text: string): string[] {
  // Most classes have no synonyms: no regular expression for them.
  if (text === '') return [];
  return text
    .split(/[;|]/)
    .map((s) => s.trim())
    .filter((s) => s !== '');
}

/** One taxonomy class (or `ignore` / `background`) and everything that matched or maps to it. */
export interface FindGroup {
  /** The taxonomy class, or null for sources mapped to `ignore` / `background`. */
  class: TaxonomyNode | null;
  /** `ignore` or `background` when `class` is null. */
  target: string;
  /** What matched, strongest first: `taxonomy name`, `dataset name (cityscapes)`, `output (maps)`, ... */
  matched: string[];
  /** 3 exact, 2 every word, 1 part of a word (the strongest match in the group). */
  level: number;
  /** Every dataset class mapped to this class; `matched` marks the ones whose names matched. */
  sources: (SourceClass & { matched: boolean })[];
}

export interface FindResult {
  query: string;
  groups: FindGroup[];
}

/**
 * Every taxonomy class that the query names, through its own name, display name or description,
 * a dataset class mapped to it (name, display name, `x_synonyms`), or a vertical output that holds
 * it. Description matches count only as whole words and only where nothing else matched.
 * Groups are ordered by match strength, then taxonomy id.
 */
export function findLabels(index: LabelIndex, query: string): FindResult {
  const q = nameTokens(query);
  const groups = new Map<string, FindGroup>();
  const classByName = new Map(index.classes.map((c) => [c.name, c]));
  const groupOf = (target: string): FindGroup => {
    let g = groups.get(target);
    if (!g) {
      const cls = classByName.get(target) ?? null;
      g = { class: cls, target, matched: [], level: 0, sources: [] };
      groups.set(target, g);
    }
    return g;
  };
  const hit = (target: string, level: number, what: string) => {
    if (level === 0) return;
    const g = groupOf(target);
    g.level = Math.max(g.level, level);
    if (!g.matched.includes(what)) g.matched.push(what);
  };
  for (const c of index.classes) {
    hit(c.name, Math.max(matchLevel(q, c.name), matchLevel(q, c.display_name)), 'taxonomy name');
    for (const [vertical, output] of Object.entries(c.outputs)) hit(c.name, matchLevel(q, output) >= 2 ? matchLevel(q, output) : 0, `output (${vertical})`);
  }
  const matchedSources = new Set<SourceClass>();
  for (const s of index.sources) {
    let level = Math.max(matchLevel(q, s.name), matchLevel(q, s.display_name));
    for (const n of s.synonyms) level = Math.max(level, matchLevel(q, n));
    if (level > 0 && s.target !== '') {
      matchedSources.add(s);
      hit(s.target, level, `dataset class (${s.dataset})`);
    }
  }
  if (groups.size === 0 && q.length > 0) {
    // Nothing by name: whole words of the descriptions.
    for (const c of index.classes) {
      const words = new Set(nameTokens(c.description));
      if (q.every((t) => words.has(t))) hit(c.name, 1, 'description');
    }
  }
  for (const s of index.sources) {
    const g = groups.get(s.target);
    if (g) g.sources.push({ ...s, matched: matchedSources.has(s) });
  }
  const order = (g: FindGroup) => g.class?.id ?? Number.MAX_SAFE_INTEGER;
  return {
    query,
    groups: [...groups.values()].sort((a, b) => b.level - a.level || order(a) - order(b) || (a.target < b.target ? -1 : 1)),
  };
}
