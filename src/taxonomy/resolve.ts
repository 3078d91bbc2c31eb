// Output label sets and the resolution of one mapping target into them. Pure.
//
// A label set is either a vertical (its rows group taxonomy subtrees into output classes) or the
// unified set (every taxonomy class is its own output label). Both answer one question per
// taxonomy class: which output label does it fall into (its "owner"), if any.
//
// Resolution of a source class with mapping target T (see docs/merge.md):
// - T = ignore                        -> ignore, `ignored by mapping`;
// - unified set                       -> the label of T itself, `mapped` (exact: no coarser case);
// - vertical, every class of T's subtree (T included) has one and the same owner L
//                                     -> L, `mapped`;
// - vertical, no class of the subtree has an owner
//                                     -> ignore, `not in vertical`;
// - vertical, otherwise (the subtree spans several labels, or one label and classes outside the
//   vertical)                         -> ignore, `coarser than vertical`.
// The last case is the careful one: a Cityscapes `rider` pixel may be a bicyclist or a
// motorcyclist; training it as either would teach the model a wrong label, so it is ignored and
// the dataset counts as `partial` for every label the subtree reaches. The same holds when the
// vertical keeps only part of the subtree (bicyclist in, motorcyclist out): a rider pixel may be
// a motorcyclist, which the product must not call a bicyclist.
import type { MappingRow, TaxonomyClass, VerticalRow } from '../sheets/schema.js';
import { BACKGROUND_TARGET, IGNORE_TARGET } from '../sheets/schema.js';
import { compareText, nearestMarked, type Hierarchy } from './hierarchy.js';
import type { CoverageStatus, LutReason, OutputLabel } from './types.js';

/** Train ids of an 8-bit label set: 0..254, 255 = ignore. */
export const IGNORE_8 = 255;
/** Train ids of a 16-bit label set: 0..65534, 65535 = ignore. */
export const IGNORE_16 = 65535;
export const MAX_VERTICAL_CLASSES = 255;

export interface LabelSet {
  /** Vertical name, or null for the unified set. */
  vertical: string | null;
  id_bits: 8 | 16;
  ignore_id: 255 | 65535;
  /** In train-id order. */
  labels: OutputLabel[];
  /** The output label each taxonomy class falls into; a class that is not in the set is absent. */
  owner: ReadonlyMap<string, OutputLabel>;
  /** The unified set: a source class maps to exactly its target's label, never `coarser`. */
  exact: boolean;
  /** The vertical's catch-all label (its `other` column), or null. */
  other: OutputLabel | null;
  /** Taxonomy classes that fall into `other` only because the vertical does not include them. */
  rest: ReadonlySet<string>;
  /** Labels whose `absorbs` column is true: a coarse source whose target they own maps to them. */
  absorbing: ReadonlySet<OutputLabel>;
}

export interface Resolution {
  reason: LutReason;
  /** The output label, or null for ignore. */
  label: OutputLabel | null;
  /**
   * Labels the target's subtree reaches although the source class does not map to them: the
   * dataset labels them only through this coarser class (-> coverage `partial`).
   */
  partial: OutputLabel[];
  /**
   * Classes of the target's subtree outside the label set (they make a target coarser too): the
   * first RESOLUTION_LIST_MOST of them in id order (all when there are no more), for messages.
   */
  leftOut: string[];
  /** How many classes leftOut stands for. */
  leftOutCount: number;
  /**
   * The part of leftOut that is really outside the vertical: classes no part of whose subtree
   * falls into a label (a parent node whose children are all included is not outside: `person`
   * when pedestrian and rider are labels). A coarse source with outside classes cannot become a
   * label set: its pixel may be none of the members. Listed like leftOut.
   */
  outside: string[];
  outsideCount: number;
}

/** At most this many names in Resolution.leftOut and .outside (a message shows five). */
export const RESOLUTION_LIST_MOST = 20;

/** 8 bits when every train id fits 0..254 (ignore 255), else 16 bits (ignore 65535). */
export function idBitsFor(labels: readonly OutputLabel[]): { id_bits: 8 | 16; ignore_id: 255 | 65535 } {
  const max = labels.reduce((m, l) => Math.max(m, l.train_id), -1);
  return max < IGNORE_8 ? { id_bits: 8, ignore_id: IGNORE_8 } : { id_bits: 16, ignore_id: IGNORE_16 };
}

/**
 * The unified label set: every taxonomy class is an output label that covers exactly itself, with
 * its taxonomy id as train id. Taxonomy ids are stable (never renumbered, never reused), so a
 * model trained on the unified set keeps its output channels across taxonomy versions; removed
 * classes leave unused channels. More than 254 as highest id -> 16-bit ids, ignore 65535.
 */
export function unifiedLabelSet(hierarchy: Hierarchy): LabelSet {
  const labels: OutputLabel[] = hierarchy.classes.map((c) => ({
    train_id: c.id,
    name: c.name,
    color: c.color || derivedColor(c.name),
    covers: [c.name],
    is_thing: c.is_thing ?? false,
  }));
  const owner = new Map(labels.map((l) => [l.name, l]));
  return { vertical: null, ...idBitsFor(labels), labels, owner, exact: true, other: null, rest: new Set(), absorbing: new Set() };
}

export interface OutputClass {
  name: string;
  train_id: number;
  /** The first non-empty colour among its rows ('' when none). */
  color: string;
  /** Taxonomy classes it includes, in row order, each once. */
  includes: string[];
  /** Row index of its first row, of the row that gives its train id, of the row that gives its colour (each the first row when none does). */
  firstRow: number;
  trainIdRow: number;
  colorRow: number;
  /** Whether a row gives its train id (else it was counted out). */
  explicit: boolean;
  /** The first non-empty `is_thing` cell among its rows (optional column), else null. */
  is_thing: boolean | null;
  /** Some row says `other` true: the catch-all class. */
  other: boolean;
  /** Some row says `absorbs` true. */
  absorbs: boolean;
}

/**
 * The one reading of a vertical's output classes (merge, diff and the rules all use it). Several
 * rows with one `class` are one output class, in order of first appearance. A class takes the
 * first explicit `train_id` among its rows; classes without one get the smallest free ids from 0,
 * in that order (all empty = contiguous from 0).
 */
export function outputClassesOf(rows: readonly VerticalRow[]): OutputClass[] {
  const byName = new Map<string, OutputClass & { given: number | null }>();
  const included = new Set<string>(); // `class\0include` pairs seen: one class may have many rows
  rows.forEach((r, i) => {
    let c = byName.get(r.class);
    if (!c) {
      c = { name: r.class, train_id: -1, color: '', includes: [], firstRow: i, trainIdRow: i, colorRow: i, explicit: false, is_thing: null, other: false, absorbs: false, given: null };
      byName.set(r.class, c);
    }
    if (c.is_thing === null && r.is_thing !== undefined && r.is_thing !== null) c.is_thing = r.is_thing;
    if (r.other === true) c.other = true;
    if (r.absorbs === true) c.absorbs = true;
    if (c.given === null && r.train_id !== null) {
      c.given = r.train_id;
      c.trainIdRow = i;
    }
    if (c.color === '' && r.color !== '') {
      c.color = r.color;
      c.colorRow = i;
    }
    const pair = `${r.class}\0${r.include}`;
    if (!included.has(pair)) {
      included.add(pair);
      c.includes.push(r.include);
    }
  });
  const taken = new Set<number>();
  for (const c of byName.values()) if (c.given !== null) taken.add(c.given);
  let next = 0;
  const out: OutputClass[] = [];
  for (const { given, ...c } of byName.values()) {
    let id = given;
    if (id === null) {
      while (taken.has(next)) next++;
      id = next;
      taken.add(id);
    }
    out.push({ ...c, train_id: id, explicit: given !== null });
  }
  return out;
}

/**
 * The label set of a vertical sheet. Output classes in order of first appearance; train ids from
 * the `train_id` column where a class gives one, otherwise the smallest free id in that order
 * (contiguous from 0 when no class gives one; the rules forbid mixing the two). A taxonomy class
 * falls into the class whose `include` is its nearest ancestor-or-self, so a more specific
 * include wins for its subtree. Colour: the class's first non-empty `color` cell, else the
 * taxonomy colour of its first include that has one, else a colour derived from the name.
 */
export function verticalLabelSet(hierarchy: Hierarchy, rows: readonly VerticalRow[], name: string): LabelSet {
  // One label set per (taxonomy, vertical rows, name): the rules and merge read the same vertical.
  let byRows = LABEL_SETS.get(hierarchy);
  if (!byRows) LABEL_SETS.set(hierarchy, (byRows = new WeakMap()));
  const known = byRows.get(rows);
  if (known?.vertical === name) return known;
  const made = composeLabelSet(hierarchy, rows, name);
  byRows.set(rows, made);
  return made;
}

const LABEL_SETS = new WeakMap<Hierarchy, WeakMap<readonly VerticalRow[], LabelSet>>();

function composeLabelSet(hierarchy: Hierarchy, rows: readonly VerticalRow[], name: string): LabelSet {
  const classes = outputClassesOf(rows);
  const classOfInclude = new Map<string, string>();
  for (const row of rows) if (!classOfInclude.has(row.include)) classOfInclude.set(row.include, row.class);

  // The catch-all: the first class whose `other` cell is true (the rules allow one).
  const otherClass = classes.find((c) => c.other)?.name ?? null;
  const ownerClass = new Map<string, string>();
  const rest = new Set<string>();
  // The nearest included ancestor-or-self of every class, in one pass down the tree.
  const nearest = nearestMarked(hierarchy, (n) => classOfInclude.has(n));
  for (const c of hierarchy.classes) {
    const hit = nearest.get(c.name);
    if (hit !== undefined) ownerClass.set(c.name, classOfInclude.get(hit)!);
    else if (otherClass !== null) {
      // Not included anywhere: the catch-all takes it (it covers it, and coarse sets may hold it).
      ownerClass.set(c.name, otherClass);
      rest.add(c.name);
    }
  }
  const covers = new Map<string, string[]>(classes.map((c) => [c.name, []]));
  for (const c of hierarchy.classes) {
    const cls = ownerClass.get(c.name);
    if (cls !== undefined) covers.get(cls)!.push(c.name);
  }

  const labels: OutputLabel[] = classes.map((cls) => {
    const covered = covers.get(cls.name)!;
    const color = cls.color || cls.includes.map((i) => hierarchy.get(i)?.color ?? '').find((c) => c !== '') || derivedColor(cls.name);
    return {
      train_id: cls.train_id,
      name: cls.name,
      color,
      covers: covered,
      is_thing: cls.is_thing ?? decidedIsThing(hierarchy.get(cls.includes[0]!) ?? null, covered.map((n) => hierarchy.get(n)!)),
    };
  });
  labels.sort((a, b) => a.train_id - b.train_id);
  const byName = new Map(labels.map((l) => [l.name, l]));
  const owner = new Map<string, OutputLabel>();
  for (const [t, cls] of ownerClass) owner.set(t, byName.get(cls)!);
  const other = otherClass === null ? null : byName.get(otherClass)!;
  const absorbing = new Set(classes.filter((c) => c.absorbs).map((c) => byName.get(c.name)!));
  return { vertical: name, ...idBitsFor(labels), labels, owner, exact: false, other, rest, absorbing };
}

/**
 * Whether a coarse resolution compiles to a label set (merge's default `--coarse set`): it reaches
 * two labels or more and no class wholly outside the vertical. Otherwise the pixel may be none of
 * the labels it reaches (a Mapillary vehicle-group pixel may be a boat, which self-driving leaves
 * out), a set cannot say so, and it goes to ignore. The rules warn exactly for those.
 */
export function becomesLabelSet(r: Resolution): boolean {
  return r.reason === 'coarser than vertical' && r.partial.length >= 2 && r.outsideCount === 0;
}


/**
 * Where one mapping target goes in a label set (see the rules at the top of this file). Resolved
 * once per label set and target: many classes of many datasets share a target, and the rules
 * (merge-coarser-than-vertical) and merge ask for the same ones. A Resolution is not changed by
 * its readers.
 */
export function resolveTarget(set: LabelSet, hierarchy: Hierarchy, target: string): Resolution {
  return resolverOf(set, hierarchy)(target);
}

/**
 * resolveTarget for one label set and hierarchy, with the memo looked up once: for loops over every
 * mapping row (the rule merge-coarser-than-vertical and merge each ask ~100,000 times at 100
 * datasets). The same memo as resolveTarget's: whoever asks first resolves, the other reads.
 */
export function resolverOf(set: LabelSet, hierarchy: Hierarchy): (target: string) => Resolution {
  let known = RESOLUTIONS.get(set);
  if (!known || known.hierarchy !== hierarchy) RESOLUTIONS.set(set, (known = { hierarchy, byTarget: new Map() }));
  const { byTarget } = known;
  return (target) => {
    let r = byTarget.get(target);
    if (!r) byTarget.set(target, (r = resolveUncached(set, hierarchy, target)));
    return r;
  };
}

/**
 * The index of the mapping row each source class compiles from: its first row (a repeated source
 * is the reader's `duplicate-name`). Built once per rows array, for merge and the rule
 * merge-coarser-than-vertical alike; a loaded sheet's rows are not changed after reading.
 */
export function firstRowOfSource(rows: readonly MappingRow[]): ReadonlyMap<string, number> {
  let known = FIRST_ROWS.get(rows);
  if (!known) {
    const made = new Map<string, number>();
    for (let i = 0; i < rows.length; i++) if (!made.has(rows[i]!.source)) made.set(rows[i]!.source, i);
    FIRST_ROWS.set(rows, (known = made));
  }
  return known;
}

const FIRST_ROWS = new WeakMap<readonly MappingRow[], ReadonlyMap<string, number>>();

const RESOLUTIONS = new WeakMap<LabelSet, { hierarchy: Hierarchy; byTarget: Map<string, Resolution> }>();

function resolveUncached(set: LabelSet, hierarchy: Hierarchy, target: string): Resolution {
  if (target === IGNORE_TARGET) return { reason: 'ignored by mapping', label: null, partial: [], leftOut: [], leftOutCount: 0, outside: [], outsideCount: 0 };
  if (target === BACKGROUND_TARGET) return { reason: 'background', label: null, partial: [], leftOut: [], leftOutCount: 0, outside: [], outsideCount: 0 };
  if (!hierarchy.has(target)) {
    // checkMapping reports this (mapping-target-unknown) before anything resolves.
    throw new Error(`resolveTarget: ${JSON.stringify(target)} is not a taxonomy class; run checkSheetSet first`);
  }
  const summary = summaryOf(set, hierarchy);
  const i = hierarchy.indexOf(target);
  const leftOutCount = summary.unowned[i]!;
  const outsideCount = summary.outside[i]!;
  const rest = {
    leftOut: listed(summary, summary.nextUnowned, i, leftOutCount),
    leftOutCount,
    outside: listed(summary, summary.nextOutside, i, outsideCount),
    outsideCount,
  };
  if (set.exact) {
    // Every class is its own label: the labels below the target are the subtree's, which the
    // result lists anyway (its size is the output's).
    const label = set.owner.get(target)!;
    const partial = hierarchy
      .subtreeOf(target)
      .filter((t) => t !== target)
      .map((t) => set.owner.get(t)!)
      .sort((a, b) => a.train_id - b.train_id);
    return { reason: 'mapped', label, partial, ...rest };
  }
  const reached = summary.reachedSorted(i);
  if (reached.length === 0) return { reason: 'not in vertical', label: null, ...rest, partial: [] };
  if (reached.length === 1 && leftOutCount === 0) {
    // Wholly outside the vertical's includes: the catch-all takes it (reason `other`).
    const isRest = set.other !== null && summary.allRest[i] === 1;
    return { reason: isRest ? 'other' : 'mapped', label: reached[0]!, ...rest, partial: [] };
  }
  // MSeg merge-up: the label that owns the target itself absorbs the coarse class; the finer labels
  // it spans are then not labelled by this class at all (coverage none, unless another class is).
  const own = set.owner.get(target);
  if (own && set.absorbing.has(own)) return { reason: 'absorbed', label: own, ...rest, partial: [] };
  return { reason: 'coarser than vertical', label: null, ...rest, partial: [...reached] };
}

/**
 * What every subtree holds in one label set, by position in `hierarchy.topDown`: built once per
 * set in one pass up the tree (children before parents), so resolving every class of a
 * 65,000-deep chain costs the chain's length, not its square.
 */
interface SubtreeSummary {
  hierarchy: Hierarchy;
  /** hierarchy.topDown, and each position's subtree size. */
  order: readonly string[];
  size: Int32Array;
  /** Classes of the subtree without an owner, and of those the ones outside (no owner anywhere below). */
  unowned: Int32Array;
  outside: Int32Array;
  /** 1 when every class of the subtree falls into `other` only because nothing includes it. */
  allRest: Uint8Array;
  /** The first position at or after i (in topDown) of an unowned / outside class. */
  nextUnowned: Int32Array;
  nextOutside: Int32Array;
  /** The labels the subtree reaches, by train id (vertical sets only; the unified set never asks). */
  reachedSorted(i: number): readonly OutputLabel[];
}

const SUMMARIES = new WeakMap<LabelSet, SubtreeSummary>();

function summaryOf(set: LabelSet, hierarchy: Hierarchy): SubtreeSummary {
  const known = SUMMARIES.get(set);
  if (known && known.hierarchy === hierarchy) return known;
  const order = hierarchy.topDown;
  const n = order.length;
  const parent = Int32Array.from(order, (name) => {
    const p = hierarchy.treeParentOf(name);
    return p === null ? -1 : hierarchy.indexOf(p);
  });
  const unowned = new Int32Array(n);
  const outside = new Int32Array(n);
  const owned = new Uint8Array(n);
  const allRest = new Uint8Array(n).fill(1);
  const isUnowned = new Uint8Array(n);
  const isOutside = new Uint8Array(n);
  // The reached labels: a class shares its child's set until it needs to add to it (a chain under
  // one label is one set), and copies it then.
  const reached: (Set<OutputLabel> | undefined)[] = new Array(n);
  const shared = new Uint8Array(n);
  const addTo = (i: number, labels: Iterable<OutputLabel>) => {
    let mine = reached[i];
    if (mine === undefined) mine = reached[i] = new Set();
    else if (shared[i]) {
      mine = reached[i] = new Set(mine);
      shared[i] = 0;
    }
    for (const l of labels) mine.add(l);
  };
  for (let i = n - 1; i >= 0; i--) {
    const name = order[i]!;
    const own = set.owner.get(name);
    if (own) owned[i] = 1;
    else {
      isUnowned[i] = 1;
      unowned[i]! += 1;
      if (!owned[i]) {
        isOutside[i] = 1;
        outside[i]! += 1;
      }
    }
    if (!set.rest.has(name)) allRest[i] = 0;
    if (!set.exact && own && !reached[i]?.has(own)) addTo(i, [own]);
    const p = parent[i]!;
    if (p < 0) continue;
    unowned[p]! += unowned[i]!;
    outside[p]! += outside[i]!;
    if (owned[i]) owned[p] = 1;
    if (!allRest[i]) allRest[p] = 0;
    const mine = reached[i];
    if (mine === undefined || mine === reached[p]) continue;
    if (reached[p] === undefined) {
      reached[p] = mine;
      shared[p] = 1;
    } else addTo(p, mine);
  }
  const nextOf = (is: Uint8Array) => {
    const next = new Int32Array(n + 1);
    next[n] = n;
    for (let i = n - 1; i >= 0; i--) next[i] = is[i] ? i : next[i + 1]!;
    return next;
  };
  const sorted = new Map<Set<OutputLabel>, OutputLabel[]>();
  const summary: SubtreeSummary = {
    hierarchy,
    order,
    size: Int32Array.from(order, (name) => hierarchy.sizeOf(name)),
    unowned,
    outside,
    allRest,
    nextUnowned: nextOf(isUnowned),
    nextOutside: nextOf(isOutside),
    reachedSorted: (i) => {
      const mine = reached[i];
      if (mine === undefined) return [];
      let list = sorted.get(mine);
      if (!list) sorted.set(mine, (list = [...mine].sort((a, b) => a.train_id - b.train_id)));
      return list;
    },
  };
  SUMMARIES.set(set, summary);
  return summary;
}

/**
 * The first RESOLUTION_LIST_MOST classes of the subtree at position i that `next` marks, in id
 * order: jumps from one marked class to the next, so the cost is the length of the list.
 */
function listed(summary: SubtreeSummary, next: Int32Array, i: number, count: number): string[] {
  if (count === 0) return [];
  const end = i + summary.size[i]!;
  const out: string[] = [];
  for (let j = next[i]!; j < end && out.length < RESOLUTION_LIST_MOST; j = next[j + 1]!) out.push(summary.order[j]!);
  const idOf = (name: string) => summary.hierarchy.get(name)!.id;
  return out.sort((a, b) => idOf(a) - idOf(b) || compareText(a, b));
}

/**
 * Coverage of every label by one dataset, from the resolutions of all its source classes:
 * - `partial` when some source class reaches the label only coarsely (it is coarser than the
 *   vertical, or, in the unified set, it maps to an ancestor of the label's class): the dataset
 *   has pixels of this label that it does not label as this label;
 * - `full` when some source class maps to the label and none reaches it coarsely;
 * - `none` otherwise: the dataset never labels it, so its absence there is not background.
 */
export function coverageOf(labels: readonly OutputLabel[], resolutions: readonly { label: OutputLabel | null; partial: readonly OutputLabel[] }[]): CoverageStatus[] {
  const mapped = new Set<OutputLabel | null>();
  const partial = new Set<OutputLabel>();
  for (const r of resolutions) {
    mapped.add(r.label);
    for (const l of r.partial) partial.add(l);
  }
  return labels.map((l) => (partial.has(l) ? 'partial' : mapped.has(l) ? 'full' : 'none'));
}

/**
 * Thing or stuff for an output label (docs/merge.md): the taxonomy value of the class the label's
 * first `include` names (what the sheet's author chose to call the label); where that is empty,
 * the majority of the covered classes that have a value (a tie is stuff); with no value at all,
 * stuff (false): a label nothing marks countable gets no instance head.
 */
export function decidedIsThing(first: TaxonomyClass | null, covered: readonly TaxonomyClass[]): boolean {
  if (first && first.is_thing !== null) return first.is_thing;
  const things = covered.filter((c) => c.is_thing === true).length;
  const stuff = covered.filter((c) => c.is_thing === false).length;
  return things > stuff;
}

/** A stable colour for a label without one: FNV-1a of the name, as #rrggbb. */
export function derivedColor(name: string): string {
  let h = 0x811c9dc5;
  for (const ch of name) {
    h ^= ch.codePointAt(0)!;
    h = Math.imul(h, 0x01000193) >>> 0;
  }
  return `#${(h & 0xffffff).toString(16).padStart(6, '0')}`;
}
