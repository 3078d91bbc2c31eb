// Issue 24: hostile taxonomies stay linear. A 65,000-deep parent chain with a vertical that
// includes the root made merge, export and diff quadratic (every class walked up to the root, every
// target walked its whole subtree); a 100,000-long parent cycle took 17-36 s and its finding was a
// 988 KB line. Each case is asserted by its result, and the work by a count of what the code asks
// the hierarchy (a quadratic walk asks n^2/2 times), never by a clock.
import { describe, expect, it } from 'vitest';
import { formatFinding } from '../../src/findings.js';
import { checkSheetSet } from '../../src/rules/index.js';
import { checkTaxonomy, MAX_TAXONOMY_DEPTH } from '../../src/rules/taxonomy.js';
import type { Sheet } from '../../src/sheets/io.js';
import type { SheetKind } from '../../src/sheets/schema.js';
import { sheetFromText } from '../../src/sheets/set.js';
import { buildHierarchy, findCycles, type Hierarchy } from '../../src/taxonomy/hierarchy.js';
import { buildBundle } from '../../src/taxonomy/merge.js';
import { RESOLUTION_LIST_MOST, resolveTarget, verticalLabelSet } from '../../src/taxonomy/resolve.js';
import { tempDir } from '../helpers/cli.js';
import { runLabelmap } from './helpers.js';
import { deepChain, longCycle } from './hostile-sheets.js';

function parsed<K extends SheetKind>(kind: K, files: Record<string, string>, rel: string): Sheet<K> {
  const r = sheetFromText(kind, rel, files[`sheets/${rel}`]!);
  if (!r.sheet) throw new Error(`bad generated sheet ${rel}`);
  return r.sheet;
}

function chainSet(depth: number, verticalText?: string) {
  const files = deepChain(depth);
  if (verticalText) files['sheets/verticals/product@1.0.0.csv'] = verticalText;
  return {
    taxonomy: parsed('taxonomy', files, 'taxonomy/core@1.0.0.csv'),
    vertical: parsed('vertical', files, 'verticals/product@1.0.0.csv'),
    dataset: parsed('dataset', files, 'datasets/ds@1.0.0.csv'),
    mapping: parsed('mapping', files, 'mappings/ds@1.0.0.csv'),
  };
}

/**
 * The hierarchy with a counter: every method call counts 1 plus the length of an array it returns,
 * every read of an array property (topDown, classes) its length.
 */
function counted(h: Hierarchy): { hierarchy: Hierarchy; asked: () => number } {
  let asked = 0;
  const hierarchy = new Proxy(h, {
    get(target, key) {
      const v = Reflect.get(target, key) as unknown;
      if (typeof v === 'function') {
        return (...args: unknown[]) => {
          const r = (v as (...a: unknown[]) => unknown)(...args);
          asked += 1 + (Array.isArray(r) ? r.length : 0);
          return r;
        };
      }
      if (Array.isArray(v)) asked += v.length;
      return v;
    },
  });
  return { hierarchy, asked: () => asked };
}

const DEPTH = 65_000;

describe('a 65,000-deep parent chain', () => {
  const set = chainSet(DEPTH);

  it('merges: every class of the chain lands in the vertical class that includes the root', () => {
    const { bundle, findings } = buildBundle({ taxonomy: set.taxonomy, vertical: set.vertical, datasets: [{ dataset: set.dataset, mapping: set.mapping }] });
    expect(findings).toEqual([]);
    const lut = bundle!.datasets[0]!.lut;
    expect(lut).toHaveLength(DEPTH);
    expect(lut.every((e) => e.kind === 'label' && e.label === 'all' && e.reason === 'mapped')).toBe(true);
    expect(bundle!.labels[0]!.covers).toHaveLength(DEPTH);
  });

  it('is refused by the depth rule, once, naming the first class too deep (the other rules run in linear time too)', () => {
    const findings = checkSheetSet({ taxonomy: set.taxonomy, taxonomyHistory: [], verticals: [set.vertical], datasets: [{ dataset: set.dataset, mapping: set.mapping }] });
    expect(findings.map((f) => `${f.code} ${f.line}`)).toEqual([`taxonomy-too-deep ${MAX_TAXONOMY_DEPTH + 2}`]);
    expect(findings[0]!.args).toMatchObject({ name: `c${MAX_TAXONOMY_DEPTH}`, root: 'c0', depth: DEPTH, count: DEPTH - MAX_TAXONOMY_DEPTH, max: 64 });
  });

  it('a vertical that includes only the middle of the chain: every class above it is coarse, with its left-out classes listed and counted', () => {
    const mid = DEPTH / 2;
    const s = chainSet(DEPTH, `class,include,train_id,color\nlow,c${mid},,\n`);
    const hierarchy = buildHierarchy(s.taxonomy.rows);
    const labelSet = verticalLabelSet(hierarchy, s.vertical.rows, 'product');
    const top = resolveTarget(labelSet, hierarchy, 'c0');
    expect(top).toMatchObject({ reason: 'coarser than vertical', label: null, leftOutCount: mid, outsideCount: 0 });
    expect(top.partial.map((l) => l.name)).toEqual(['low']);
    expect(top.leftOut).toEqual(Array.from({ length: RESOLUTION_LIST_MOST }, (_, i) => `c${i}`));
    expect(resolveTarget(labelSet, hierarchy, `c${mid - 1}`)).toMatchObject({ reason: 'coarser than vertical', leftOut: [`c${mid - 1}`], leftOutCount: 1 });
    expect(resolveTarget(labelSet, hierarchy, `c${mid}`)).toMatchObject({ reason: 'mapped', leftOutCount: 0 });
    // The rules' warning names 5 of them and counts the rest.
    const warning = checkSheetSet({ taxonomy: s.taxonomy, taxonomyHistory: [], verticals: [s.vertical], datasets: [{ dataset: s.dataset, mapping: s.mapping }] }).find(
      (f) => f.code === 'merge-coarser-than-vertical' && f.args.source === 'n0',
    )!;
    expect(formatFinding(warning)).toContain(`(not in the vertical: c0, c1, c2, c3, c4 and ${mid - 5} more)`);
  });

  it('two vertical classes on the chain: the classes above the lower include become the set of both', () => {
    const s = chainSet(DEPTH, `class,include,train_id,color\nhigh,c0,,\nlow,c${DEPTH - 10},,\n`);
    const { bundle } = buildBundle({ taxonomy: s.taxonomy, vertical: s.vertical, datasets: [{ dataset: s.dataset, mapping: s.mapping }] });
    const lut = bundle!.datasets[0]!.lut;
    expect(bundle!.label_sets.map((l) => l.name)).toEqual(['high|low']);
    expect(lut.filter((e) => e.kind === 'set')).toHaveLength(DEPTH - 10);
    expect(lut.slice(DEPTH - 10).every((e) => e.label === 'low')).toBe(true);
  });

  it('resolving every class asks the hierarchy a linear number of times (a walk up from each would be n^2/2)', () => {
    for (const n of [2_000, 4_000]) {
      const s = chainSet(n, `class,include,train_id,color\nhigh,c0,,\nlow,c${n / 2},,\n`);
      const { hierarchy, asked } = counted(buildHierarchy(s.taxonomy.rows));
      const labelSet = verticalLabelSet(hierarchy, s.vertical.rows, 'product');
      for (let i = 0; i < n; i++) resolveTarget(labelSet, hierarchy, `c${i}`);
      expect(asked()).toBeLessThan(20 * n);
    }
  });
});

describe('a 100,000-long parent cycle', () => {
  const LENGTH = 100_000;
  const r = sheetFromText('taxonomy', 'taxonomy/core@1.0.0.csv', longCycle(LENGTH));

  it('is one short finding: the first members and how many more', () => {
    const cycles = checkTaxonomy(r.sheet!).filter((f) => f.code === 'taxonomy-cycle');
    expect(cycles).toHaveLength(1);
    expect(cycles[0]).toMatchObject({ line: 2, args: { name: 'c0', length: LENGTH, more: LENGTH - 6 } });
    const text = formatFinding(cycles[0]!);
    expect(text).toContain('a cycle of 100000 classes: c0 -> c1 -> c2 -> c3 -> c4 -> c5 -> ... (and 99994 more)');
    expect(text.length).toBeLessThan(400);
  });

  it('is found walking each class once', () => {
    let calls = 0;
    const parentOf = (name: string) => {
      calls++;
      return `c${(Number(name.slice(1)) + 1) % LENGTH}`;
    };
    const found = findCycles(Array.from({ length: LENGTH }, (_, i) => `c${i}`), parentOf);
    expect(found).toHaveLength(1);
    expect(found[0]).toHaveLength(LENGTH);
    expect(calls).toBe(LENGTH);
  });

  it('a short cycle keeps its whole path', () => {
    const small = sheetFromText('taxonomy', 'taxonomy/core@1.0.0.csv', longCycle(3)).sheet!;
    const [f] = checkTaxonomy(small);
    expect(formatFinding(f!)).toContain('the parents form a cycle: c0 -> c1 -> c2 -> c0 (expected a tree)');
  });
});

describe('the depth rule', () => {
  it(`allows ${MAX_TAXONOMY_DEPTH} levels and refuses ${MAX_TAXONOMY_DEPTH + 1}`, () => {
    const at = (depth: number) => checkTaxonomy(chainSet(depth).taxonomy).map((f) => f.code);
    expect(at(MAX_TAXONOMY_DEPTH)).toEqual([]);
    expect(at(MAX_TAXONOMY_DEPTH + 1)).toEqual(['taxonomy-too-deep']);
  });

  it('merge and validate through the built CLI end with the depth finding, once', async () => {
    const dir = tempDir(deepChain(DEPTH));
    const merge = await runLabelmap(['merge', '--vertical', 'product', '--out', 'build'], { cwd: dir, hangGuardMs: 170_000 });
    expect(merge.code).toBe(2);
    expect(merge.stderr.match(/taxonomy-too-deep/g)).toHaveLength(1);
    expect(merge.stderr).toContain('taxonomy/core@1.0.0.csv:66:3');
    const validate = await runLabelmap(['validate'], { cwd: dir, hangGuardMs: 170_000 });
    expect(validate.code).toBe(1);
    expect(validate.stdout.match(/taxonomy-too-deep/g)).toHaveLength(1);
  });
});
