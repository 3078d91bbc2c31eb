// Composition: dataset sheet --mapping--> taxonomy --vertical--> output labels, into the Bundle
// that labelmap.json holds. Pure: parsed sheets in, data and findings out.
import { finding, type Finding } from '../findings.js';
import type { Sheet } from '../sheets/types.js';
import { SHEET_KINDS, containsOf, type DatasetClass, type MappingRow, type SheetKind } from '../sheets/schema.js';
import { BUNDLE_FORMAT_VERSION } from './bundle-version.js';
import { buildHierarchy, compareText, type Hierarchy } from './hierarchy.js';
import { becomesLabelSet, coverageOf, firstRowOfSource, resolverOf, unifiedLabelSet, verticalLabelSet, type LabelSet, type Resolution } from './resolve.js';
import { attributeVocabularyOf } from './attribute-vocabulary.js';
import type { Bundle, BundleInput, CoarseMode, CoverageStatus, DatasetOutput, DatasetSheets, LabelSetDef, LabelSetKind, LutEntry, OutputLabel } from './types.js';

export interface MergeInput {
  taxonomy: Sheet<'taxonomy'>;
  /** Null for the unified label set (every taxonomy class an output label). */
  vertical: Sheet<'vertical'> | null;
  datasets: readonly DatasetSheets[];
  /** How a source class coarser than the vertical compiles: a label set (default) or ignore (bundle v1 behaviour). */
  coarse?: CoarseMode;
  /** The image-attribute vocabulary, carried into the bundle as `attributes`. */
  attributes?: Sheet<'attributes'> | null;
}

/**
 * Builds the bundle. The sheets must pass the rules of the set stages without errors
 * (src/compile.ts runs both); a source class that falls to ignore only because the vertical splits
 * it is the rules' warning `merge-coarser-than-vertical` (src/rules/mappings.ts). Findings:
 * `merge-too-many-label-sets` (error, no bundle) when the sets do not fit below the ignore id.
 */
export function buildBundle(input: MergeInput): { bundle: Bundle | null; findings: Finding[] } {
  const coarse = input.coarse ?? 'set';
  const findings: Finding[] = [];
  const compiled = compileDrafts(input, buildHierarchy(input.taxonomy.rows));
  if ('error' in compiled) return { bundle: null, findings: [compiled.error] };
  const { labelSet, drafts, label_sets, setOf } = compiled;
  const datasets = drafts.map((d) => datasetOutput(d, labelSet, setOf));
  // With --coarse ignore, the classes that would have been label sets go to ignore: one warning each,
  // as bundle v1 gave (the rules warn only for coarse classes that fall to ignore in either mode).
  if (coarse === 'ignore') {
    for (const d of drafts) {
      const { dataset, mapping } = d.sheets;
      const column = mapping.columns.indexOf('target');
      for (const e of d.entries) {
        if (!becomesLabelSet(e.resolution)) continue;
        findings.push(
          finding('merge-coarser-than-vertical', 'warning', { file: mapping.rel, line: mapping.lines[e.row], column: column >= 0 ? column + 1 : undefined }, {
            dataset: dataset.name,
            source: e.cls.name,
            target: e.target,
            vertical: input.vertical ? `${input.vertical.name}@${input.vertical.version}` : 'unified',
            labels: e.resolution.partial.map((l) => l.name),
            left_out: e.resolution.leftOut.length ? e.resolution.leftOut : undefined,
            left_out_count: e.resolution.leftOutCount > e.resolution.leftOut.length ? e.resolution.leftOutCount : undefined,
          }),
        );
      }
    }
  }

  const sheets: (Sheet<'taxonomy'> | Sheet<'vertical'> | Sheet<'dataset'> | Sheet<'mapping'>)[] = [input.taxonomy, ...(input.vertical ? [input.vertical] : []), ...input.datasets.flatMap((d) => [d.dataset, d.mapping])];
  const inputs: BundleInput[] = sheets
    .map((s) => ({ kind: s.kind, name: s.name, version: s.version, file: s.rel, sha256: s.sha256 }))
    .sort((a, b) => kindRank(a.kind) - kindRank(b.kind) || compareText(a.name, b.name));

  const bundle: Bundle = {
    format: 'labelmap-bundle',
    format_version: BUNDLE_FORMAT_VERSION,
    vertical: labelSet.vertical,
    id_bits: labelSet.id_bits,
    ignore_id: labelSet.ignore_id,
    coarse,
    inputs,
    labels: labelSet.labels,
    label_sets,
    other: labelSet.other?.name ?? null,
    datasets,
  };
  if (input.attributes) bundle.attributes = attributeVocabularyOf(input.attributes);
  return { bundle, findings };
}

/** The vertical's labels, the label sets and each dataset's LUT: what a lookup needs of a bundle. */
export interface CompiledLuts {
  vertical: Bundle['vertical'];
  ignore_id: Bundle['ignore_id'];
  labels: OutputLabel[];
  label_sets: LabelSetDef[];
  datasets: { name: string; version: string; lut: LutEntry[] }[];
}

/**
 * The LUTs of buildBundle without the rest of the bundle (coverage, encodings, inputs): the same
 * resolution, label sets and entries, for readers that only look classes up (`labelmap find`).
 * `hierarchy` is the taxonomy's (buildHierarchy), passed in so that several verticals share it.
 * Same preconditions and error finding as buildBundle.
 */
export function compileLuts(input: MergeInput, hierarchy: Hierarchy = buildHierarchy(input.taxonomy.rows)): { luts: CompiledLuts | null; findings: Finding[] } {
  const compiled = compileDrafts(input, hierarchy);
  if ('error' in compiled) return { luts: null, findings: [compiled.error] };
  const { labelSet, drafts, label_sets, setOf } = compiled;
  const datasets = drafts.map((d) => ({ name: d.sheets.dataset.name, version: d.sheets.dataset.version, lut: lutOf(d, labelSet, setOf) }));
  return { luts: { vertical: labelSet.vertical, ignore_id: labelSet.ignore_id, labels: labelSet.labels, label_sets, datasets }, findings: [] };
}

interface Compiled {
  labelSet: LabelSet;
  drafts: Draft[];
  label_sets: LabelSetDef[];
  setOf: Map<string, LabelSetDef>;
}

/** Every dataset resolved against the vertical, and the label sets they need (ids below the ignore id). */
function compileDrafts(input: MergeInput, hierarchy: Hierarchy): Compiled | { error: Finding } {
  const coarse = input.coarse ?? 'set';
  const labelSet = input.vertical ? verticalLabelSet(hierarchy, input.vertical.rows, input.vertical.name) : unifiedLabelSet(hierarchy);
  // Many source classes (of many datasets) share a target: each is resolved once, and the rule
  // merge-coarser-than-vertical has resolved most of them already (the same memo).
  const resolve = resolverOf(labelSet, hierarchy);
  const drafts = [...input.datasets]
    .sort((a, b) => compareText(a.dataset.name, b.dataset.name))
    .map((d) => draftDataset(d, labelSet, resolve, coarse));

  // Label sets: every distinct member list, ids after the highest label id, below the ignore id.
  const wanted = new Map<string, { members: OutputLabel[]; kind: LabelSetKind }>();
  for (const d of drafts) {
    for (const e of d.entries) {
      if (e.members && !wanted.has(setKey(e.members))) wanted.set(setKey(e.members), { members: e.members, kind: e.resolution.reason === 'background' ? 'background' : 'coarse' });
    }
  }
  const ordered = [...wanted.values()].sort((a, b) => compareIds(a.members, b.members));
  const firstId = (labelSet.labels.at(-1)?.train_id ?? -1) + 1;
  if (firstId + ordered.length > labelSet.ignore_id) {
    const file = input.vertical?.rel ?? input.taxonomy.rel;
    return { error: finding('merge-too-many-label-sets', 'error', { file }, { sets: ordered.length, first: firstId, ignore: labelSet.ignore_id, room: Math.max(0, labelSet.ignore_id - firstId) }) };
  }
  const label_sets: LabelSetDef[] = ordered.map((w, i) => ({
    id: firstId + i,
    name: w.members.map((l) => l.name).join('|'),
    members: w.members.map((l) => l.name),
    member_ids: w.members.map((l) => l.train_id),
    kind: w.kind,
  }));
  const setOf = new Map(label_sets.map((s) => [s.member_ids.join(','), s]));
  return { labelSet, drafts, label_sets, setOf };
}

interface DraftEntry {
  cls: { id: number; name: string };
  target: string;
  /** Index of the mapping row. */
  row: number;
  resolution: Resolution;
  /** The members of the label set this class compiles to; undefined when it is no set. */
  members?: OutputLabel[];
  /**
   * Labels of the classes the row declares in `contains` that the class is trained as something
   * else: the dataset has pixels of them under another label (-> coverage `partial`).
   */
  impure: OutputLabel[];
  /** resolution.label, here for coverageOf. */
  label: OutputLabel | null;
  /**
   * The labels the class reaches only partly: through a coarse target (or label set), or a declared
   * impurity (resolution.partial and impure, each once). What coverageOf reads as `partial`.
   */
  partial: readonly OutputLabel[];
}

interface Draft {
  sheets: DatasetSheets;
  entries: DraftEntry[];
  statuses: CoverageStatus[];
}

/**
 * One dataset's classes resolved, with the label set each coarse (or background) class becomes:
 * - coarser than the vertical, `coarse: set`, reaching two labels or more and no class outside
 *   the vertical -> the set of the labels it reaches (a pixel of Cityscapes `road` is one of road,
 *   lane_marking, crosswalk, bike_lane); with one label, or classes outside, it stays ignore: the
 *   pixel may be none of the members, and a set cannot say so;
 * - background -> the set of every label this dataset does not annotate (coverage none): the
 *   pixel is none of the dataset's classes, so it is one of the labels the dataset never labels.
 *   With no such label it is ignore.
 */
function draftDataset(sheets: DatasetSheets, labelSet: LabelSet, resolve: (target: string) => Resolution, coarse: CoarseMode): Draft {
  const { dataset, mapping } = sheets;
  // The same first rows the rule merge-coarser-than-vertical read (one map per mapping sheet).
  const rowOf = firstRowOfSource(mapping.rows);
  const entries: DraftEntry[] = [...dataset.rows]
    .sort((a, b) => a.id - b.id)
    .map((cls) => {
      const row = rowOf.get(cls.name);
      if (row === undefined) throw new Error(`buildBundle: ${cls.name} has no mapping row; run the rules first`);
      const target = mapping.rows[row]!.target;
      const resolution = resolve(target);
      const impure = impureLabels(labelSet, mapping.rows[row]!, resolution, coarse);
      // resolution.partial holds each label once already.
      const partial = impure.length === 0 ? resolution.partial : [...new Set([...resolution.partial, ...impure])];
      // The sheet's row itself as `cls` (only its id and name are read).
      return { cls, target, row, resolution, impure, label: resolution.label, partial };
    });
  const statuses = coverageOf(labelSet.labels, entries);
  const background = labelSet.labels.filter((_, i) => statuses[i] === 'none');
  for (const e of entries) {
    const r = e.resolution;
    if (r.reason === 'coarser than vertical' && coarse === 'set' && becomesLabelSet(r)) e.members = r.partial;
    if (r.reason === 'background' && background.length > 0) e.members = background;
  }
  return { sheets, entries, statuses };
}

/**
 * The labels a row's declared `contains` classes fall into, where the class is trained (a label,
 * or a label set) and those labels are not already what it is trained as: Cityscapes `terrain`
 * trained as terrain holds curb pixels, so Cityscapes is partial for curb. A class that ends in
 * ignore (void, not in the vertical, coarse without a set) hides them: no label learns them
 * wrongly. Background rows are left alone: their set is every label the dataset never labels.
 */
function impureLabels(labelSet: LabelSet, row: MappingRow, r: Resolution, coarse: CoarseMode): OutputLabel[] {
  const trainedAs = r.label ? [r.label] : coarse === 'set' && becomesLabelSet(r) ? r.partial : null;
  if (!trainedAs) return [];
  const out: OutputLabel[] = [];
  for (const name of containsOf(row)) {
    const l = labelSet.owner.get(name);
    if (l && !trainedAs.includes(l) && !out.includes(l)) out.push(l);
  }
  return out;
}

/** Native id -> train id, label or set, and the reason, in id order. */
function lutOf(draft: Draft, labelSet: LabelSet, setOf: ReadonlyMap<string, LabelSetDef>): LutEntry[] {
  // Object literals, not `{ ...base, ... }`: the spread is the slowest part of a cold compile
  // (`labelmap find` compiles ~6,000 entries once; BENCHMARKS.md, find). Same keys, same order.
  return draft.entries.map(({ cls, target, resolution: r, members }): LutEntry => {
    const mapped = r.reason === 'ignored by mapping' ? null : target;
    if (r.label) return { id: cls.id, name: cls.name, target: mapped, kind: 'label', train_id: r.label.train_id, label: r.label.name, set: null, reason: r.reason };
    if (members) {
      const set = setOf.get(setKey(members))!;
      return { id: cls.id, name: cls.name, target: mapped, kind: 'set', train_id: set.id, label: null, set: set.name, reason: r.reason };
    }
    return { id: cls.id, name: cls.name, target: mapped, kind: 'ignore', train_id: labelSet.ignore_id, label: null, set: null, reason: r.reason };
  });
}

function datasetOutput(draft: Draft, labelSet: LabelSet, setOf: ReadonlyMap<string, LabelSetDef>): DatasetOutput {
  const { dataset } = draft.sheets;
  const lut = lutOf(draft, labelSet, setOf);
  // What makes a label partial: the native classes that reach it only coarsely.
  const because = new Map<string, string[]>();
  for (const e of draft.entries) {
    for (const l of e.partial) {
      let list = because.get(l.name);
      if (!list) because.set(l.name, (list = []));
      list.push(e.cls.name);
    }
  }
  const counts = countsOf(draft, dataset.rows);
  const coverage = labelSet.labels.map((label, i) => {
    const status = draft.statuses[i]!;
    const counted = counts ? { counts: { unit: counts.unit, exact: counts.exact.get(label.name) ?? 0, partial: counts.partial.get(label.name) ?? 0 } } : {};
    return status === 'partial'
      ? { label: label.name, train_id: label.train_id, status, because: because.get(label.name) ?? [], ...counted }
      : { label: label.name, train_id: label.train_id, status, ...counted };
  });
  const encodings = encodingsOf(dataset.rows);
  return { name: dataset.name, version: dataset.version, lut, coverage, ...(encodings.length ? { encodings } : {}) };
}

/**
 * The share of a dataset's annotations behind each coverage status, where its sheet counts every
 * class (`extract --stats` writes `instances` and `images`; instances are preferred, they weigh a
 * class by its objects): per label, the count of the classes that map to it (exact) and of those
 * that reach it only partly (a coarse source or label set, a declared impurity). Null when some
 * class has no count: a share of an unknown total would mislead.
 */
function countsOf(draft: Draft, rows: readonly DatasetClass[]): { unit: 'instances' | 'images'; exact: Map<string, number>; partial: Map<string, number> } | null {
  const unit = (['instances', 'images'] as const).find((u) => rows.length > 0 && rows.every((r) => typeof r[u] === 'number'));
  if (!unit) return null;
  const countOf = new Map(rows.map((r) => [r.name, r[unit] as number]));
  const exact = new Map<string, number>();
  const partial = new Map<string, number>();
  const add = (m: Map<string, number>, label: string, n: number) => m.set(label, (m.get(label) ?? 0) + n);
  for (const e of draft.entries) {
    const n = countOf.get(e.cls.name) ?? 0;
    if (e.resolution.label) add(exact, e.resolution.label.name, n);
    for (const l of e.partial) add(partial, l.name, n);
  }
  return { unit, exact, partial };
}

/**
 * The other value spaces of a dataset's mask files, derived from columns of its sheet (no table per
 * dataset in code):
 * - `train_id`: files that hold the sheet's `train_id` column (Cityscapes `*_trainIds.png`); 255,
 *   or any value two classes share, stands for no one class: null (void);
 * - `mask_value`: files that hold the optional `mask_value` column (COCO-Stuff stuffthingmaps:
 *   id - 1, with unlabeled at 255), by the same rule.
 * An encoding is given only where some class has another value there than its id.
 */
export function encodingsOf(rows: readonly DatasetClass[]): NonNullable<DatasetOutput['encodings']> {
  const out: NonNullable<DatasetOutput['encodings']> = [];
  const spaces = [
    { name: 'train_id', value: (r: DatasetClass) => r.train_id, description: "mask files that hold the sheet's train_id column (e.g. Cityscapes *_trainIds.png); 255 is void" },
    { name: 'mask_value', value: (r: DatasetClass) => r.mask_value ?? null, description: "mask files that hold the sheet's mask_value column (e.g. COCO-Stuff stuffthingmaps: id - 1, 255 unlabeled)" },
  ];
  for (const space of spaces) {
    const byValue = new Map<number, number | null>();
    let differs = false;
    for (const r of rows) {
      const v = space.value(r);
      if (v === null || v < 0) continue; // Cityscapes license plate: train_id -1, in no mask file
      if (v !== r.id) differs = true;
      byValue.set(v, byValue.has(v) || v === 255 ? null : r.id);
    }
    if (!differs || byValue.size === 0) continue;
    out.push({ name: space.name, description: space.description, values: [...byValue].sort((a, b) => a[0] - b[0]) });
  }
  return out;
}

function setKey(members: readonly OutputLabel[]): string {
  return members.map((l) => l.train_id).join(',');
}

/** Label sets in a fixed order: by their member ids, lexicographically. */
function compareIds(a: readonly OutputLabel[], b: readonly OutputLabel[]): number {
  for (let i = 0; i < Math.min(a.length, b.length); i++) {
    const d = a[i]!.train_id - b[i]!.train_id;
    if (d !== 0) return d;
  }
  return a.length - b.length;
}

function kindRank(kind: SheetKind): number {
  return SHEET_KINDS.indexOf(kind);
}
