// Issue 24: data-sized arrays never pass through a call's argument list (`push(...xs)`,
// `Math.max(...xs)`), which throws `Maximum call stack size exceeded` past ~100k elements. The
// inputs are built in memory and run in-process; no time limits.
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { maxOf, pushAll } from '../../src/arrays.js';
import { parseBundle } from '../../src/api/bundle.js';
import { renderExport } from '../../src/export/render.js';
import type { Bundle } from '../../src/taxonomy/types.js';
import { FIXTURES } from '../helpers/cli.js';

const BUNDLE = path.join(FIXTURES, 'export', 'self-driving.json');

/** The self-driving fixture with its first dataset's LUT replaced by `count` classes, ids `first`.. (every 1000th a road). */
function bigDataset(count: number, first = 0): Bundle {
  const bundle = parseBundle(readFileSync(BUNDLE, 'utf8'), BUNDLE);
  const road = bundle.labels[0]!;
  const dataset = bundle.datasets[0]!;
  dataset.lut = Array.from({ length: count }, (_, i) =>
    i % 1000 === 0
      ? { id: first + i, name: `c${i}`, target: road.covers[0]!, kind: 'label' as const, train_id: road.train_id, label: road.name, set: null, reason: 'mapped' as const }
      : { id: first + i, name: `c${i}`, target: null, kind: 'ignore' as const, train_id: bundle.ignore_id, label: null, set: null, reason: 'ignored by mapping' as const },
  ) as Bundle['datasets'][number]['lut'];
  return bundle;
}

describe('large arrays', () => {
  it('pushAll and maxOf take 1,000,000 elements', () => {
    const big = Array.from({ length: 1_000_000 }, (_, i) => i);
    expect(pushAll([-1], big).length).toBe(1_000_001);
    expect(maxOf(big, -1)).toBe(999_999);
    expect(maxOf([], -1)).toBe(-1);
  });

  it('a 650,000-class dataset exports to python', () => {
    const text = renderExport(bigDataset(650_000), 'python');
    expect(text).toContain('"c649999": None,');
  });
});
