// The files merge writes, held to what they were before the small CSV formatter and the
// record-per-line labelmap.json (issue 23): the CSV outputs byte-identical to csv-stringify behind
// the same spreadsheet treatment, labelmap.json the same value as the fully indented text.
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { stringify } from 'csv-stringify/sync';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { parseBundle, readBundle } from '../../src/api/bundle.js';
import { mergeSheetSet } from '../../src/compile.js';
import { COVERAGE_COLUMNS, LABELS_COLUMNS, LABEL_SETS_COLUMNS, LUT_COLUMNS, bundleFiles, formatBundleJson } from '../../src/taxonomy/outputs.js';
import { spreadsheetCell } from '../../src/text/index.js';
import type { Bundle } from '../../src/taxonomy/types.js';
import { readSet, setOf, sheetSets } from '../robustness/sets.js';

const FIXTURES = path.resolve(__dirname, '..', '..', 'fixtures');

type Row = Record<string, string | number | boolean | null>;

/** The writer as it was (a cell with a CR now quoted too): every text cell through spreadsheetCell, then csv-stringify. */
function referenceCsv(columns: readonly string[], rows: Row[]): string {
  const cell = (v: unknown) => (v === null || v === undefined ? '' : typeof v === 'string' ? spreadsheetCell(v) : String(v));
  return stringify(
    rows.map((r) => columns.map((c) => cell(r[c]))),
    { header: true, columns: [...columns], record_delimiter: '\n', quoted_match: [/^[\s]|[\s]$/, /\r/] },
  );
}

function referenceFiles(bundle: Bundle): Map<string, string> {
  const out = new Map<string, string>();
  out.set('labels.csv', referenceCsv(LABELS_COLUMNS, bundle.labels.map((l) => ({ train_id: l.train_id, name: l.name, color: l.color, is_thing: l.is_thing, covers: l.covers.join(' ') }))));
  out.set('label_sets.csv', referenceCsv(LABEL_SETS_COLUMNS, bundle.label_sets.map((s) => ({ id: s.id, name: s.name, kind: s.kind, members: s.members.join(' ') }))));
  for (const d of bundle.datasets) {
    out.set(`lut/${d.name}.csv`, referenceCsv(LUT_COLUMNS, d.lut.map((e) => ({ id: e.id, name: e.name, target: e.target ?? 'ignore', kind: e.kind, train_id: e.train_id, label: e.label ?? '', set: e.set ?? '', reason: e.reason }))));
  }
  out.set(
    'coverage.csv',
    referenceCsv(
      COVERAGE_COLUMNS,
      bundle.datasets.flatMap((d) =>
        d.coverage.map((c) => ({ dataset: d.name, train_id: c.train_id, label: c.label, status: c.status, because: (c.because ?? []).join(' '), count_unit: c.counts?.unit ?? '', count_exact: c.counts?.exact ?? '', count_partial: c.counts?.partial ?? '' })),
      ),
    ),
  );
  return out;
}

describe('merge outputs', () => {
  it('the CSV files are byte-identical to csv-stringify behind spreadsheetCell, on generated sets with hostile native names', () => {
    fc.assert(
      fc.property(sheetSets, fc.array(fc.constantFrom('=cmd|x', '+1+1', '-x', '@SUM(A1)', ' lead', 'trail ', 'a,b', 'say "hi"', 'two\nlines', 'cr\rin', '-1', '\u00a0nb'), { minLength: 1, maxLength: 6 }), (g, hostile) => {
        const bundle = mergeSheetSet(setOf(readSet(g.files).sheets), 'product').bundle!;
        // Native names and a `because` list made hostile (the sheet reader trims what a sheet can hold).
        bundle.datasets.forEach((d, i) => {
          d.lut.forEach((e, k) => {
            if (k % 2 === 0) e.name = hostile[(i + k) % hostile.length]!;
          });
          d.coverage.forEach((c, k) => {
            if (k % 2 === 1) c.because = [hostile[k % hostile.length]!, 'x'];
          });
        });
        const expected = referenceFiles(bundle);
        const written = bundleFiles(bundle).filter((f) => f.path !== 'labelmap.json');
        expect(written.map((f) => f.path)).toEqual([...expected.keys()]);
        for (const f of written) expect(f.text, f.path).toBe(expected.get(f.path));
      }),
      { numRuns: 150, seed: 23 },
    );
  });

  it('labelmap.json is the same value as the indented text, one record per line, and reads back', () => {
    fc.assert(
      fc.property(sheetSets, fc.constantFrom('product', null), (g, vertical) => {
        const bundle = mergeSheetSet(setOf(readSet(g.files).sheets), vertical).bundle!;
        const text = formatBundleJson(bundle);
        expect(text.endsWith('}\n')).toBe(true);
        expect(JSON.parse(text)).toEqual(JSON.parse(JSON.stringify(bundle, null, 2)));
        expect(parseBundle(text, 'labelmap.json')).toEqual(bundle);
        const lines = text.split('\n');
        // Every LUT entry, coverage row, label and input is one line of its own.
        for (const d of bundle.datasets) {
          for (const e of d.lut) expect(lines).toContain(`        ${JSON.stringify(e)}${e === d.lut.at(-1) ? '' : ','}`);
          for (const c of d.coverage) expect(lines).toContain(`        ${JSON.stringify(c)}${c === d.coverage.at(-1) ? '' : ','}`);
        }
        for (const l of bundle.labels) expect(lines).toContain(`    ${JSON.stringify(l)}${l === bundle.labels.at(-1) ? '' : ','}`);
        expect(lines.length).toBeLessThan(40 + bundle.inputs.length + bundle.labels.length + bundle.label_sets.length + bundle.datasets.reduce((n, d) => n + 8 + d.lut.length + d.coverage.length + (d.encodings?.length ?? 0) * 6, 0));
      }),
      { numRuns: 100, seed: 23 },
    );
  });

  it('writes a bundle of the old, fully indented layout as the same value, and the old file still loads', () => {
    for (const file of ['self-driving.json', 'sets.json', 'unified-16.json', 'tricky-names.json']) {
      const old = readFileSync(path.join(FIXTURES, 'export', file), 'utf8');
      const bundle = readBundle(path.join(FIXTURES, 'export', file));
      expect(old).toContain('\n      "kind"'); // the old layout: one key per line
      const text = formatBundleJson(bundle);
      expect(JSON.parse(text)).toEqual(JSON.parse(old));
      expect(text.length).toBeLessThan(old.length * 0.8);
      expect(parseBundle(text, file)).toEqual(bundle);
    }
  });

  it('writes values JSON.stringify cannot as it does (undefined keys left out, undefined elements null), with empty containers kept', () => {
    const odd = { format: 'x', a: undefined, b: [], c: {}, d: [{ e: [1, [2]] }, undefined], f: [[1, 2], [3]] } as unknown as Bundle;
    const text = formatBundleJson(odd);
    expect(JSON.parse(text)).toEqual(JSON.parse(JSON.stringify(odd)));
    expect(text).toBe('{\n  "format": "x",\n  "b": [],\n  "c": {},\n  "d": [\n    {\n      "e": [1,[2]]\n    },\n    null\n  ],\n  "f": [[1,2],[3]]\n}\n');
  });
});
