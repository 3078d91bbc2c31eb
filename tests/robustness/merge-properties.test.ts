// Properties of merge over generated sheet sets (sets.ts): it is deterministic (the same bundle
// bytes on every run and whatever order the datasets come in), every native id of every dataset
// lands in its lookup table exactly once, and what it writes is a bundle the loader accepts.
import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { parseBundle } from '../../src/api/bundle.js';
import { checkSheetSet } from '../../src/rules/index.js';
import { mergeSheetSet } from '../../src/compile.js';
import { formatBundleJson } from '../../src/taxonomy/outputs.js';
import { readSet, setOf, sheetSets } from './sets.js';

describe('merge', () => {
  it('generated sets pass the whole-set rules (the generator is sound)', () => {
    fc.assert(
      fc.property(sheetSets, (g) => {
        const { sheets, findings } = readSet(g.files);
        expect(findings).toEqual([]);
        expect(checkSheetSet(setOf(sheets)!).filter((f) => f.severity === 'error')).toEqual([]);
      }),
      { numRuns: 100 },
    );
  });

  for (const vertical of ['product', null] as const) {
    it(`is deterministic and places every native id exactly once (${vertical ? 'a vertical' : 'the unified label set'})`, () => {
      fc.assert(
        fc.property(sheetSets, (g) => {
          const { sheets } = readSet(g.files);
          const first = mergeSheetSet(setOf(sheets), vertical);
          expect(first.findings.filter((f) => f.severity === 'error')).toEqual([]);
          const bundle = first.bundle!;
          const text = formatBundleJson(bundle);
          // Again, from freshly read sheets, and with the datasets in the other order.
          expect(formatBundleJson(mergeSheetSet(setOf(readSet(g.files).sheets), vertical).bundle!)).toBe(text);
          expect(formatBundleJson(mergeSheetSet(setOf(sheets, 'reversed'), vertical).bundle!)).toBe(text);

          expect(bundle.datasets.map((d) => d.name)).toEqual(g.datasets);
          for (const d of bundle.datasets) {
            const rows = sheets.get(`datasets/${d.name}@1.0.0.csv`)!.rows as { id: number; name: string }[];
            expect(d.lut.map((e) => e.id)).toEqual(rows.map((r) => r.id).sort((a, b) => a - b));
            expect(new Set(d.lut.map((e) => e.id)).size).toBe(d.lut.length);
            const byId = new Map(rows.map((r) => [r.id, r.name]));
            for (const e of d.lut) {
              expect(e.name).toBe(byId.get(e.id));
              const label = bundle.labels.find((l) => l.name === e.label);
              const set = bundle.label_sets.find((x) => x.name === e.set);
              expect(e.train_id).toBe(e.kind === 'label' ? label!.train_id : e.kind === 'set' ? set!.id : bundle.ignore_id);
            }
            expect(d.coverage.map((c) => c.label)).toEqual(bundle.labels.map((l) => l.name));
          }
          // What merge writes, the loader reads back unchanged.
          expect(parseBundle(text, 'labelmap.json')).toEqual(bundle);
        }),
        { numRuns: 100 },
      );
    });
  }
});
