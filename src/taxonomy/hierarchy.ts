// The taxonomy as a tree: parents, children, ancestors, subtrees. Pure.
//
// It is built from rows that may still be broken (an unknown parent, a cycle): the rules in
// rules.ts report those; here an unknown parent counts as no parent and every walk stops at a
// class it has seen, so nothing loops or throws on bad input.
import type { TaxonomyClass } from '../sheets/schema.js';
import { pushAll } from '../arrays.js';

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
}

export function buildHierarchy(rows: readonly TaxonomyClass[]): Hierarchy {
  const byName = new Map<string, TaxonomyClass>();
  for (const row of rows) if (!byName.has(row.name)) byName.set(row.name, row);
  const classes = [...byName.values()].sort((a, b) => a.id - b.id || compareText(a.name, b.name));
  const rank = new Map(classes.map((c, i) => [c.name, i]));
  const children = new Map<string, string[]>();
  for (const c of classes) {
    if (c.parent && c.parent !== c.name && byName.has(c.parent)) {
      let list = children.get(c.parent);
      if (!list) children.set(c.parent, (list = []));
      list.push(c.name); // classes are in id order, so every list is too
    }
  }
  const parentOf = (name: string): string | null => {
    const p = byName.get(name)?.parent;
    return p && p !== name && byName.has(p) ? p : null;
  };
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
    if (!byName.has(name)) return [];
    const seen = new Set<string>();
    const stack = [name];
    while (stack.length) {
      const n = stack.pop()!;
      if (seen.has(n)) continue;
      seen.add(n);
      pushAll(stack, children.get(n) ?? []);
    }
    return [...seen].sort((a, b) => rank.get(a)! - rank.get(b)!);
  };
  return {
    classes,
    get: (name) => byName.get(name),
    has: (name) => byName.has(name),
    parentOf,
    childrenOf: (name) => children.get(name) ?? [],
    ancestorsOf,
    subtreeOf,
    isWithin: (name, ancestor) => name === ancestor || ancestorsOf(name).includes(ancestor),
  };
}

/** Code-unit order: the same on every machine and locale (localeCompare is not). */
export function compareText(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}
