// The taxonomy as a tree: parents, children, ancestors, subtrees. Pure.
//
// It is built from rows that may still be broken (an unknown parent, a cycle): the rules in
// rules/taxonomy.ts report those; here an unknown parent counts as no parent, a parent cycle is
// cut at its member with the lowest id (that member counts as a top-level class of the tree
// that `topDown` walks), and every walk stops at a class it has seen, so nothing loops or throws
// on bad input.
//
// Everything here is linear in the number of classes (issue 24: a 65,000-deep parent chain made
// merge quadratic when every class walked up to the root): the tree is laid out once in
// pre-order, so a subtree is one slice of it and "within" is an interval test, and a question
// about the nearest marked ancestor of every class is one pass down the tree (`nearestMarked`).
import type { TaxonomyClass } from '../sheets/schema.js';

export interface Hierarchy {
  /** Classes in taxonomy id order (the first row wins for a duplicated name). */
  readonly classes: readonly TaxonomyClass[];
  get(name: string): TaxonomyClass | undefined;
  has(name: string): boolean;
  /** The parent's name, or null for a top-level class (or an unknown parent). */
  parentOf(name: string): string | null;
  /** Direct children in id order. */
  childrenOf(name: string): readonly string[];
  /** Proper ancestors, nearest first. */
  ancestorsOf(name: string): string[];
  /** The class and all its descendants, in id order. */
  subtreeOf(name: string): string[];
  /** Whether `name` is `ancestor` or lies below it. */
  isWithin(name: string, ancestor: string): boolean;
  /**
   * Every class once, each after its parent (pre-order of the tree, children in id order, top-level
   * classes in id order, then the classes of parent cycles, each cycle cut at its lowest-id member).
   * A class's subtree is the slice `topDown[indexOf(name) .. indexOf(name) + sizeOf(name))`.
   */
  readonly topDown: readonly string[];
  /** The parent in `topDown`'s tree: parentOf, except null where a cycle is cut. */
  treeParentOf(name: string): string | null;
  /** Position in `topDown` (-1 for an unknown name). */
  indexOf(name: string): number;
  /** Number of classes in the subtree, the class included (0 for an unknown name). */
  sizeOf(name: string): number;
}

/**
 * The hierarchy of a taxonomy's rows, built once per rows array: the rules, merge and `find` all
 * read it from the same sheet (a loaded sheet's rows are not changed after reading; build from a
 * new array after changing rows). Ten builds of one 328-class taxonomy became one.
 */
export function buildHierarchy(rows: readonly TaxonomyClass[]): Hierarchy {
  let built = HIERARCHIES.get(rows);
  if (!built) HIERARCHIES.set(rows, (built = layOutHierarchy(rows)));
  return built;
}

const HIERARCHIES = new WeakMap<readonly TaxonomyClass[], Hierarchy>();

function layOutHierarchy(rows: readonly TaxonomyClass[]): Hierarchy {
  const byName = new Map<string, TaxonomyClass>();
  for (const row of rows) if (!byName.has(row.name)) byName.set(row.name, row);
  const classes = [...byName.values()].sort((a, b) => a.id - b.id || compareText(a.name, b.name));
  const rank = new Map(classes.map((c, i) => [c.name, i]));
  const parentOf = (name: string): string | null => {
    const p = byName.get(name)?.parent;
    return p && p !== name && byName.has(p) ? p : null;
  };
  const children = new Map<string, string[]>();
  for (const c of classes) {
    const p = parentOf(c.name);
    if (p !== null) {
      let list = children.get(p);
      if (!list) children.set(p, (list = []));
      list.push(c.name); // classes are in id order, so every list is too
    }
  }

  // The tree in pre-order: from the top-level classes, then from the lowest-id member of each
  // cycle not reached yet (a class below a cycle is reached from it). Iterative: no recursion depth.
  const topDown: string[] = [];
  const index = new Map<string, number>();
  const size: number[] = [];
  const cuts = new Set<string>();
  const layOut = (root: string) => {
    const stack = [root];
    while (stack.length) {
      const n = stack.pop()!;
      if (index.has(n)) continue;
      index.set(n, topDown.length);
      topDown.push(n);
      size.push(1);
      const kids = children.get(n) ?? [];
      for (let i = kids.length - 1; i >= 0; i--) if (!index.has(kids[i]!)) stack.push(kids[i]!);
    }
  };
  for (const c of classes) if (parentOf(c.name) === null) layOut(c.name);
  if (topDown.length < classes.length) {
    for (const cycle of findCycles(classes.filter((c) => !index.has(c.name)).map((c) => c.name), parentOf)) {
      const cut = cycle.reduce((a, b) => (rank.get(a)! <= rank.get(b)! ? a : b));
      cuts.add(cut);
      layOut(cut);
    }
  }
  // Subtree sizes: in pre-order every class comes after its tree parent, so one pass from the end
  // adds each finished size to the parent's.
  const treeParentOf = (name: string): string | null => (cuts.has(name) ? null : parentOf(name));
  for (let i = topDown.length - 1; i >= 0; i--) {
    const p = treeParentOf(topDown[i]!);
    if (p !== null) size[index.get(p)!]! += size[i]!;
  }

  const ancestorsOf = (name: string): string[] => {
    const out: string[] = [];
    const seen = new Set([name]);
    for (let p = parentOf(name); p !== null && !seen.has(p); p = parentOf(p)) {
      out.push(p);
      seen.add(p);
    }
    return out;
  };
  const subtreeOf = (name: string): string[] => {
    const i = index.get(name);
    if (i === undefined) return [];
    return topDown.slice(i, i + size[i]!).sort((a, b) => rank.get(a)! - rank.get(b)!);
  };
  const isWithin = (name: string, ancestor: string): boolean => {
    const i = index.get(name);
    const a = index.get(ancestor);
    return i !== undefined && a !== undefined && a <= i && i < a + size[a]!;
  };
  return {
    classes,
    get: (name) => byName.get(name),
    has: (name) => byName.has(name),
    parentOf,
    childrenOf: (name) => children.get(name) ?? [],
    ancestorsOf,
    subtreeOf,
    isWithin,
    topDown,
    treeParentOf,
    indexOf: (name) => index.get(name) ?? -1,
    sizeOf: (name) => {
      const i = index.get(name);
      return i === undefined ? 0 : size[i]!;
    },
  };
}

/**
 * For every class, its nearest ancestor-or-self (in `topDown`'s tree) for which `marked` holds,
 * or no entry when there is none. One pass down the tree: a class takes itself when marked, else
 * what its parent took.
 */
export function nearestMarked(hierarchy: Hierarchy, marked: (name: string) => boolean): Map<string, string> {
  const out = new Map<string, string>();
  for (const name of hierarchy.topDown) {
    if (marked(name)) out.set(name, name);
    else {
      const p = hierarchy.treeParentOf(name);
      const near = p === null ? undefined : out.get(p);
      if (near !== undefined) out.set(name, near);
    }
  }
  return out;
}

/**
 * The parent cycles among `names`, each as its members in walk order (a class, its parent, ...).
 * Linear: every class is walked up from at most once, and a walk stops at the first class an
 * earlier walk saw. `parentOf` returns null for no (or an unknown) parent.
 */
export function findCycles(names: Iterable<string>, parentOf: (name: string) => string | null): string[][] {
  const walkOf = new Map<string, number>();
  const cycles: string[][] = [];
  let walk = 0;
  for (const start of names) {
    if (walkOf.has(start)) continue;
    walk++;
    const path: string[] = [];
    let n: string | null = start;
    while (n !== null && !walkOf.has(n)) {
      walkOf.set(n, walk);
      path.push(n);
      n = parentOf(n);
    }
    // Met a class of this very walk: the path from there on is a cycle (an earlier walk's class: none).
    if (n !== null && walkOf.get(n) === walk) cycles.push(path.slice(path.indexOf(n)));
  }
  return cycles;
}

/** Code-unit order: the same on every machine and locale (localeCompare is not). */
export function compareText(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}
