// Rules over the taxonomy sheet: a tree of unique snake_case classes with stable ids.
import { finding, sortFindings, type Finding } from '../findings.js';
import { BACKGROUND_TARGET, IGNORE_TARGET } from '../sheets/schema.js';
import type { Sheet } from '../sheets/types.js';
import { IGNORE_16 } from '../taxonomy/resolve.js';
import { maxOf } from '../arrays.js';
import { didYouMean } from '../text/index.js';
import { at, cellsOf, refOf, type Rule } from './types.js';

/** Parents exist, no cycles, `ignore` is not a class, ids fit the 16-bit unified label set. */
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
  // Cycles: walk up from every class; a walk that meets its own path has found a cycle. Each
  // cycle is reported once, on the row of its first member in the file.
  const done = new Set<string>();
  for (const start of names) {
    const path: string[] = [];
    let n: string | undefined = start;
    while (n !== undefined && n !== '' && !done.has(n) && indexOf.has(n)) {
      const k = path.indexOf(n);
      if (k >= 0) {
        const cycle = path.slice(k);
        const first = cycle.reduce((a, b) => (indexOf.get(a)! <= indexOf.get(b)! ? a : b));
        const from = cycle.indexOf(first);
        const ordered = [...cycle.slice(from), ...cycle.slice(0, from), first];
        out.push(finding('taxonomy-cycle', 'error', at(sheet, indexOf.get(first)!, 'parent'), { name: first, cycle: ordered.join(' -> ') }));
        break;
      }
      path.push(n);
      n = parentOf.get(n);
    }
    for (const p of path) done.add(p);
  }
  return sortFindings(out);
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
  latest.rows.forEach((row, i) => {
    for (let v = earlier.length - 1; v >= 0; v--) {
      const old = earlier[v]!.rows.find((r) => r.name === row.name);
      if (old && old.id !== row.id) {
        out.push(finding('taxonomy-id-changed', 'error', at(latest, i, 'id'), { name: row.name, id: row.id, previous: old.id, version: refOf(earlier[v]!) }));
        return;
      }
      if (old) break;
    }
    // The last version that had this id, and whether a version after it dropped the id.
    for (let v = chain.length - 2; v >= 0; v--) {
      const holder = chain[v]!.rows.find((r) => r.id === row.id);
      if (!holder) continue;
      const gap = chain.slice(v + 1, -1).some((s) => !s.rows.some((r) => r.id === row.id));
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
    codes: ['taxonomy-reserved-name', 'taxonomy-id-range', 'taxonomy-parent-unknown', 'taxonomy-cycle'],
    stage: 'taxonomy',
    check: ({ set }) => (set ? checkTaxonomy(set.taxonomy) : []),
  },
  {
    codes: ['taxonomy-id-changed', 'taxonomy-id-reused'],
    stage: 'taxonomy',
    check: ({ set }) => (set ? checkTaxonomyHistory(set.taxonomy, set.taxonomyHistory) : []),
  },
];
