// merge-coarser-than-vertical and merge share one resolution of every target and one map of each
// mapping's first rows (resolverOf, firstRowOfSource in src/taxonomy/resolve.ts; issue 23 part 4).
// Held here to the rule as it was, which built its own label set, resolved every target anew and
// kept its own set of seen sources; and merge after the rule to merge of a set read afresh.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { finding, type Finding } from '../../src/findings.js';
import { checkCoarserThanVertical } from '../../src/rules/mappings.js';
import { at, refOf } from '../../src/rules/types.js';
import { BACKGROUND_TARGET, IGNORE_TARGET } from '../../src/sheets/schema.js';
import type { Sheet } from '../../src/sheets/types.js';
import { buildHierarchy } from '../../src/taxonomy/hierarchy.js';
import { buildBundle } from '../../src/taxonomy/merge.js';
import { becomesLabelSet, resolveTarget, verticalLabelSet } from '../../src/taxonomy/resolve.js';
import { readSet, setOf, sheetSets } from '../robustness/sets.js';

/** The rule before the shared memo: copies of the rows, so no hierarchy, label set or resolution is shared. */
function referenceRule(taxonomy: Sheet<'taxonomy'>, vertical: Sheet<'vertical'>, pairs: readonly { dataset: Sheet<'dataset'>; mapping: Sheet<'mapping'> }[]): Finding[] {
  const hierarchy = buildHierarchy([...taxonomy.rows]);
  const labelSet = verticalLabelSet(hierarchy, [...vertical.rows], vertical.name);
  const out: Finding[] = [];
  for (const { dataset, mapping } of pairs) {
    const classes = new Set(dataset.rows.map((r) => r.name));
    const seen = new Set<string>();
    mapping.rows.forEach((row, i) => {
      if (seen.has(row.source) || !classes.has(row.source)) return;
      seen.add(row.source);
      if (row.target !== IGNORE_TARGET && row.target !== BACKGROUND_TARGET && !hierarchy.has(row.target)) return;
      const r = resolveTarget(labelSet, hierarchy, row.target);
      if (r.reason !== 'coarser than vertical' || becomesLabelSet(r)) return;
      out.push(
        finding('merge-coarser-than-vertical', 'warning', at(mapping, i, 'target'), {
          dataset: dataset.name,
          source: row.source,
          target: row.target,
          vertical: refOf(vertical),
          labels: r.partial.map((l) => l.name),
          left_out: r.leftOut.length ? r.leftOut : undefined,
          left_out_count: r.leftOutCount > r.leftOut.length ? r.leftOutCount : undefined,
        }),
      );
    });
  }
  return out;
}

/**
 * A generated set whose mappings also repeat sources (a later row with another target: the first
 * one counts), name sources the dataset does not have, and point at unknown targets: the rows the
 * rule must skip the way it did.
 */
const noisySets = fc.tuple(sheetSets, fc.array(fc.tuple(fc.nat(), fc.nat(), fc.constantFrom('repeat', 'stranger', 'unknown-target')), { maxLength: 12 })).map(([g, extras]) => {
  const files = { ...g.files };
  const taxonomyNames = files['taxonomy/core@1.0.0.csv']!.split('\n').slice(1, -1).map((line) => line.split(',')[1]!);
  for (const [i, j, what] of extras) {
    const rel = `mappings/${g.datasets[i % g.datasets.length]}@1.0.0.csv`;
    const lines = files[rel]!.split('\n').slice(0, -1);
    const source = lines[1 + (j % (lines.length - 1))]!.split(',')[0]!;
    const target = taxonomyNames[j % taxonomyNames.length]!;
    lines.push(what === 'repeat' ? `${source},${target},` : what === 'stranger' ? `stranger_${j},${target},` : `${source},no_such_class,`);
    files[rel] = `${lines.join('\n')}\n`;
  }
  return files;
});

describe('merge-coarser-than-vertical on the shared resolution', () => {
  it('gives the findings of the rule that resolved on its own (codes, order, places, args), on generated sets', () => {
    let warned = 0;
    fc.assert(
      fc.property(noisySets, (files) => {
        const set = setOf(readSet(files).sheets)!;
        const vertical = set.verticals[0]!;
        const expected = referenceRule(set.taxonomy, vertical, set.datasets);
        expect(checkCoarserThanVertical(set.taxonomy, vertical, set.datasets)).toEqual(expected);
        // Asked again (everything memoised now): the same.
        expect(checkCoarserThanVertical(set.taxonomy, vertical, set.datasets)).toEqual(expected);
        warned += expected.length;
      }),
      { numRuns: 200, seed: 23 },
    );
    // The generator reaches the rule's warnings, not only clean sets.
    expect(warned).toBeGreaterThan(20);
  });

  it('merge after the rule builds the bundle a set read afresh builds, and the rule after merge warns as before', () => {
    fc.assert(
      fc.property(sheetSets, (g) => {
        const first = setOf(readSet(g.files).sheets)!;
        const ruleFirst = checkCoarserThanVertical(first.taxonomy, first.verticals[0]!, first.datasets);
        const afterRule = buildBundle({ taxonomy: first.taxonomy, vertical: first.verticals[0]!, datasets: first.datasets });

        const second = setOf(readSet(g.files).sheets)!;
        const alone = buildBundle({ taxonomy: second.taxonomy, vertical: second.verticals[0]!, datasets: second.datasets });
        expect(afterRule).toEqual(alone);
        expect(checkCoarserThanVertical(second.taxonomy, second.verticals[0]!, second.datasets)).toEqual(ruleFirst);
      }),
      { numRuns: 100, seed: 23 },
    );
  });
});
