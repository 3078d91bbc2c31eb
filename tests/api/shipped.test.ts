// The shipped sheets compiled by the merge engine: every bundle it writes passes validateBundle,
// the Label API agrees with the bundle's own tables, and every export format renders it.
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { validateBundle } from '../../src/api/bundle.js';
import { LabelSpace } from '../../src/api/label-api.js';
import { EXPORT_IDS } from '../../src/export/index.js';
import { renderExport } from '../../src/export/render.js';
import { loadSheetSet } from '../../src/sheets/set.js';
import { mergeSheetSet } from '../../src/compile.js';
import { formatBundleJson } from '../../src/taxonomy/outputs.js';
import type { Bundle } from '../../src/taxonomy/types.js';
import { ROOT } from '../helpers/cli.js';
import { hasPython, python } from '../export/helpers.js';

const SHEETS = path.join(ROOT, 'sheets');
const VERTICALS = ['self-driving', 'smart-city', 'indoor', 'maps', null] as const;

function compile(vertical: string | null): Bundle {
  const loaded = loadSheetSet(SHEETS, { verticals: vertical === null ? [] : [vertical], datasets: 'all' });
  const { bundle, findings } = mergeSheetSet(loaded.set, vertical, loaded.findings);
  expect(findings.filter((f) => f.severity === 'error')).toEqual([]);
  return bundle!;
}

describe('bundles of the shipped sheets', () => {
  it.each(VERTICALS)('%s: merge output passes validateBundle and serializes unchanged', (vertical) => {
    const bundle = compile(vertical);
    const checked = validateBundle(JSON.parse(JSON.stringify(bundle)), 'merged');
    expect(JSON.stringify(checked)).toBe(JSON.stringify(bundle));
    expect(renderExport(bundle, 'json')).toBe(formatBundleJson(bundle));
    expect(JSON.parse(renderExport(bundle, 'json'))).toEqual(JSON.parse(JSON.stringify(bundle)));
  });

  it.each(VERTICALS)('%s: the Label API agrees with the lookup tables, and every format renders', (vertical) => {
    const bundle = compile(vertical);
    const space = new LabelSpace(bundle);
    for (const d of bundle.datasets) {
      const lut = space.lut(d.name);
      for (const e of d.lut) {
        expect(space.lookup(d.name, e.id).train_id).toBe(e.train_id);
        expect(space.lookup(d.name, e.name).label).toBe(e.label);
        if (e.id >= 0) expect(lut[e.id]).toBe(e.train_id);
      }
      const filter = space.predictionFilter(d.name);
      expect(filter.keep.length + filter.sets.length + filter.off.length).toBe(d.lut.length);
      expect(lut.length).toBe(256);
    }
    for (const label of bundle.labels) {
      const r = space.reverse(label.name);
      for (const d of bundle.datasets) expect(r.sources[d.name]).toEqual(d.lut.filter((e) => e.label === label.name).map((e) => e.name));
    }
    for (const id of EXPORT_IDS) {
      if (id === 'mmdet' && !bundle.labels.some((l) => l.is_thing !== false)) continue;
      expect(renderExport(bundle, id).endsWith('\n'), id).toBe(true);
    }
  });

  it.skipIf(!hasPython)('unified: python3 imports the python export and its tables agree with the Label API', () => {
    const bundle = compile(null);
    const space = new LabelSpace(bundle);
    const got = python('import json, m\nprint(json.dumps({"lut": m.LUT, "n": m.NUM_CLASSES, "labels": len(m.Label), "ignore": m.IGNORE}))', {
      'm.py': renderExport(bundle, 'python'),
    }) as { lut: Record<string, number[]>; n: number; labels: number; ignore: number };
    expect([got.n, got.labels, got.ignore]).toEqual([space.numClasses, bundle.labels.length, space.ignoreId]);
    for (const d of space.datasets()) expect(got.lut[d], d).toEqual([...space.lut(d)]);
  });
});
