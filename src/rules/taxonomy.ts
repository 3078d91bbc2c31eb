// Rules over the taxonomy sheet: a tree of unique snake_case classes with stable ids.
import { finding, sortFindings, type Finding } from '../findings.js';
import { BACKGROUND_TARGET, IGNORE_TARGET, type TaxonomyClass } from '../sheets/schema.js';
import type { Sheet } from '../sheets/types.js';
import { IGNORE_16 } from '../taxonomy/resolve.js';
import { buildHierarchy, findCycles, type Hierarchy } from '../taxonomy/hierarchy.js';
import { maxOf } from '../arrays.js';
import { didYouMean } from '../text/index.js';
import { at, cellsOf, refOf, type Rule } from './types.js';

/** Names of a parent cycle shown in its finding; the rest are counted. */
const CYCLE_NAMES_SHOWN = 6;

/**
 * The deepest a taxonomy may be, in levels (a top-level class is level 1). Real label taxonomies
 * are shallow: the shipped core is 4 levels, COCO's 3, Open Images' 5, and WordNet's noun tree
 * (the deepest in common use, under ImageNet-21k) about 20. A chain deeper than 64 is a mistake
 * (a parent column shifted by one row makes each class the child of the one above) or hostile (a
 * 65,000-deep chain, issue 24). merge and diff are linear in the depth now, but the paths shown
 * (find, report: `vehicle > two_wheeler > bicycle`) and a unified-set bundle's coverage
 * (`because` names every coarser ancestor) grow with depth x classes: the limit keeps them small.
 */
export const MAX_TAXONOMY_DEPTH = 64;

/** Parents exist, no cycles, `ignore` is not a class, ids fit the 16-bit unified label set, at most 64 levels. */
export function checkTaxonomy(sheet: Sheet<'taxonomy'>): Finding[] {
  const out: Finding[] = [];
  const parentOf = new Map<string, string>();
  const indexOf = new Map<string, number>();
  sheet.rows.forEach((row, i) => {
    if (!indexOf.has(row.name)) {
      indexOf.set(row.name, i);
      parentOf.set(row.name, row.parent);
    }
  });
  const names = [...indexOf.keys()];
  // A class whose row did not type is still a class (its cell-invalid says what is wrong).
  const present = cellsOf(sheet, 'name');
  sheet.rows.forEach((row, i) => {
    if (row.name === IGNORE_TARGET || row.name === BACKGROUND_TARGET) out.push(finding('taxonomy-reserved-name', 'error', at(sheet, i, 'name'), { name: row.name }));
    if (row.id >= IGNORE_16) {
      out.push(finding('taxonomy-id-range', 'error', at(sheet, i, 'id'), { name: row.name, id: row.id, max: IGNORE_16 - 1, ignore: IGNORE_16 }));
    }
    if (row.parent !== '' && !indexOf.has(row.parent) && !present.has(row.parent)) {
      out.push(
        finding('taxonomy-parent-unknown', 'error', at(sheet, i, 'parent'), {
          name: row.name,
          parent: row.parent,
          suggestion: didYouMean(row.parent, names),
        }),
      );
    }
  });
  // Cycles: one walk up from each class not walked yet (linear: a 100,000-long cycle is walked
  // once). Each cycle is reported once, on the row of its first member in the file, with its
  // first few members (the whole cycle of a hostile sheet would be a megabyte-long line).
  const parentIn = (name: string): string | null => {
    const p = parentOf.get(name);
    return p !== undefined && p !== '' && indexOf.has(p) ? p : null;
  };
  const inCycle = new Set<string>();
  for (const cycle of findCycles(names, parentIn)) {
    const first = cycle.reduce((a, b) => (indexOf.get(a)! <= indexOf.get(b)! ? a : b));
    const from = cycle.indexOf(first);
    const ordered = [...cycle.slice(from), ...cycle.slice(0, from)];
    for (const c of cycle) inCycle.add(c);
    out.push(
      finding('taxonomy-cycle', 'error', at(sheet, indexOf.get(first)!, 'parent'), {
        name: first,
        cycle: ordered.length <= CYCLE_NAMES_SHOWN ? [...ordered, first].join(' -> ') : `${ordered.slice(0, CYCLE_NAMES_SHOWN).join(' -> ')} -> ...`,
        length: ordered.length,
        more: ordered.length > CYCLE_NAMES_SHOWN ? ordered.length - CYCLE_NAMES_SHOWN : undefined,
      }),
    );
  }
  // Depth: one pass down the tree (parents first); a class in or below a cycle has no depth.
  // One finding for the sheet, at the first class (in tree order) one level too deep.
  const hierarchy = buildHierarchy(sheet.rows);
  const depth = new Map<string, number>();
  let tooDeep: string | null = null;
  let deeper = 0;
  let deepest = 0;
  for (const name of hierarchy.topDown) {
    const p = hierarchy.treeParentOf(name);
    if (inCycle.has(name) || (p !== null && !depth.has(p))) continue;
    const d = p === null ? 1 : depth.get(p)! + 1;
    depth.set(name, d);
    deepest = Math.max(deepest, d);
    if (d > MAX_TAXONOMY_DEPTH) {
      deeper++;
      if (tooDeep === null) tooDeep = name;
    }
  }
  if (tooDeep !== null) {
    out.push(
      finding('taxonomy-too-deep', 'error', at(sheet, indexOf.get(tooDeep)!, 'parent'), {
        name: tooDeep,
        root: rootOf(hierarchy, tooDeep),
        depth: deepest,
        count: deeper,
        max: MAX_TAXONOMY_DEPTH,
      }),
    );
  }
  return sortFindings(out);
}

/** The top-level class above `name` (a walk up the tree, at most its depth). */
function rootOf(hierarchy: Hierarchy, name: string): string {
  let n = name;
  for (let p = hierarchy.treeParentOf(n); p !== null; p = hierarchy.treeParentOf(n)) n = p;
  return n;
}

/**
 * Ids are stable across versions: a class keeps its id in every later version
 * (`taxonomy-id-changed`), and an id that disappeared is never given out again
 * (`taxonomy-id-reused`). An id that passes straight from one name to another between two
 * consecutive versions reads as a rename, which is allowed (a major change that diff reports).
 */
export function checkTaxonomyHistory(latest: Sheet<'taxonomy'>, earlier: readonly Sheet<'taxonomy'>[]): Finding[] {
  const out: Finding[] = [];
  const chain = [...earlier, latest];
  // The id to suggest for a new class: after the highest ever used, or the first never used.
  const used = new Set(chain.flatMap((s) => s.rows.map((r) => r.id)));
  let next = maxOf(used, -1) + 1;
  if (next >= IGNORE_16) for (next = 0; used.has(next); ) next++;
  // Each version's first row of every name and of every id (what a search of its rows finds first).
  const firstBy = <K>(rows: readonly TaxonomyClass[], key: (r: TaxonomyClass) => K) => {
    const m = new Map<K, TaxonomyClass>();
    for (const r of rows) if (!m.has(key(r))) m.set(key(r), r);
    return m;
  };
  const byName = chain.map((s) => firstBy(s.rows, (r) => r.name));
  const byId = chain.map((s) => firstBy(s.rows, (r) => r.id));
  latest.rows.forEach((row, i) => {
    for (let v = earlier.length - 1; v >= 0; v--) {
      const old = byName[v]!.get(row.name);
      if (old && old.id !== row.id) {
        out.push(finding('taxonomy-id-changed', 'error', at(latest, i, 'id'), { name: row.name, id: row.id, previous: old.id, version: refOf(earlier[v]!) }));
        return;
      }
      if (old) break;
    }
    // The last version that had this id, and whether a version after it dropped the id.
    for (let v = chain.length - 2; v >= 0; v--) {
      const holder = byId[v]!.get(row.id);
      if (!holder) continue;
      const gap = byId.slice(v + 1, -1).some((ids) => !ids.has(row.id));
      // Without a gap, a new name under the same id is a rename (a major change, allowed) as long
      // as it is the same concept: same parent and colour. A new parent or colour as well means
      // another class took the id (the same reading as the diff's renamed-vs-replaced rule).
      const replaced = holder.name !== row.name && (holder.parent !== row.parent || holder.color !== row.color);
      if (holder.name !== row.name && (gap || replaced)) {
        out.push(
          finding('taxonomy-id-reused', 'error', at(latest, i, 'id'), {
            name: row.name,
            id: row.id,
            previousName: holder.name,
            version: refOf(chain[v]!),
            next,
          }),
        );
      }
      break;
    }
  });
  return out;
}

export const TAXONOMY_RULES: readonly Rule[] = [
  {
    codes: ['taxonomy-reserved-name', 'taxonomy-id-range', 'taxonomy-parent-unknown', 'taxonomy-cycle', 'taxonomy-too-deep'],
    stage: 'taxonomy',
    check: ({ set }) => (set ? checkTaxonomy(set.taxonomy) : []),
  },
  {
    codes: ['taxonomy-id-changed', 'taxonomy-id-reused'],
    stage: 'taxonomy',
    check: ({ set }) => (set ? checkTaxonomyHistory(set.taxonomy, set.taxonomyHistory) : []),
  },
];
