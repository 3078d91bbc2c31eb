// CategoryImageCounter (formats/coco.ts) against a plain Map/Set count: every kind of image id
// (small, past the small table, negative, strings), categories by small and large ids, and more
// pairs than one batch (65,536), so that flushes in the middle count as one at the end.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { CategoryImageCounter } from '../../src/formats/coco.js';

function naive(pairs: [number, number | string][]) {
  const instances = new Map<number, number>();
  const images = new Map<number, Set<number | string>>();
  const all = new Set<number | string>();
  for (const [category, image] of pairs) {
    instances.set(category, (instances.get(category) ?? 0) + 1);
    if (!images.has(category)) images.set(category, new Set());
    images.get(category)!.add(image);
    all.add(image);
  }
  return { instances, images: new Map([...images].map(([c, s]) => [c, s.size])), distinct: all.size };
}

const sorted = (m: Map<number, number>) => [...m].sort((a, b) => a[0] - b[0]);

describe('CategoryImageCounter', () => {
  it('counts instances and distinct images per category as a Map and a Set do, across batches', () => {
    const image = fc.oneof(fc.integer({ min: 0, max: 3000 }), fc.integer({ min: 0, max: 5_000_000 }), fc.integer({ min: -50, max: -1 }), fc.constantFrom('a', 'b', '000000000139.jpg', '7'));
    const category = fc.oneof(fc.integer({ min: 1, max: 90 }), fc.constantFrom(70_000, -3, 0));
    fc.assert(
      fc.property(fc.array(fc.tuple(category, image), { maxLength: 300 }), fc.integer({ min: 0, max: 3 }), (pairs, repeat) => {
        // Repeated (with ids shifted), a case crosses one or two batch boundaries.
        const all: [number, number | string][] = [];
        for (let r = 0; r <= repeat; r++) for (const [c, i] of pairs) for (let k = 0; k < (repeat ? 80 : 1); k++) all.push([c, typeof i === 'number' && i >= 0 ? i + k * 7 : i]);
        const counter = new CategoryImageCounter();
        for (const [c, i] of all) counter.add(c, i);
        const expected = naive(all);
        expect(sorted(counter.instances())).toEqual(sorted(expected.instances));
        expect(sorted(counter.images())).toEqual(sorted(expected.images));
        expect(counter.distinctImages).toBe(expected.distinct);
      }),
      { numRuns: 60 },
    );
  });
});
