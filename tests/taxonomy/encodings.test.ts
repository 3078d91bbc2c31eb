// Mask encodings derived from the dataset sheet (train_id and mask_value columns), in the bundle
// and through LabelSpace.lut(dataset, {encoding}); against the real Cityscapes sheet when present.
import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { LabelSpace } from '../../src/api/label-api.js';
import { validateBundle } from '../../src/api/bundle.js';
import { LabelmapError } from '../../src/findings.js';
import { buildBundle, encodingsOf } from '../../src/taxonomy/merge.js';
import { ROOT } from '../helpers/cli.js';
import { mapping, sheet, taxonomy, vertical } from './sheets.js';

const HEADER = 'id,name,display_name,category,train_id,color,is_thing,evaluate,mask_value';
// A Cityscapes-like sheet (train ids, 255 void, -1 in no file) that also has a COCO-Stuff-like
// mask_value column (id - 1, unlabeled at 255).
const DS = sheet(
  'dataset',
  'ds@1.0.0',
  `${HEADER}
0,unlabeled,,,255,,,,255
1,dynamic,,,255,,,,0
7,road,,,0,,,,6
26,car,,,1,,,,25
27,plate,,,-1,,,,
`,
);

function space() {
  const { bundle } = buildBundle({
    taxonomy: taxonomy('1 road\n2 car'),
    vertical: vertical('car car\nroad road'),
    datasets: [{ dataset: DS, mapping: mapping('unlabeled ignore\ndynamic ignore\nroad road\ncar car\nplate ignore') }],
  });
  return new LabelSpace(validateBundle(JSON.parse(JSON.stringify(bundle))));
}

describe('mask encodings', () => {
  it('derives train_id and mask_value encodings; void and shared values are null; -1 and empty cells are in no file', () => {
    expect(encodingsOf(DS.rows).map((e) => [e.name, e.values])).toEqual([
      ['train_id', [[0, 7], [1, 26], [255, null]]],
      ['mask_value', [[0, 1], [6, 7], [25, 26], [255, null]]],
    ]);
  });

  it('no encoding where every value is the id', () => {
    const same = sheet('dataset', 'same@1.0.0', `${HEADER}\n0,a,,,0,,,,0\n1,b,,,1,,,,\n`);
    expect(encodingsOf(same.rows)).toEqual([]);
  });

  it('lut(dataset, {encoding}) is keyed by mask values, full length, ignore elsewhere', () => {
    const s = space();
    expect(s.encodings('ds')).toEqual(['train_id', 'mask_value']);
    // output labels: car 0, road 1.
    const native = s.lut('ds');
    expect([native[7], native[26], native[0]]).toEqual([1, 0, 255]);
    const trainIds = s.lut('ds', { encoding: 'train_id' });
    expect(trainIds.length).toBe(256);
    expect([trainIds[0], trainIds[1], trainIds[255], trainIds[7]]).toEqual([1, 0, 255, 255]);
    const stuffthing = s.lut('ds', { encoding: 'mask_value' });
    expect([stuffthing[6], stuffthing[25], stuffthing[0], stuffthing[255]]).toEqual([1, 0, 255, 255]);
    expect(() => s.lut('ds', { encoding: 'labelIds' })).toThrow(LabelmapError);
  });

  const REAL = path.join(ROOT, 'sheets', 'datasets', 'cityscapes@1.0.0.csv');
  it.skipIf(!existsSync(REAL))('the shipped Cityscapes sheet gives the 19 trainIds of *_trainIds.png', () => {
    const real = sheet('dataset', 'cityscapes@1.0.0', readFileSync(REAL, 'utf8'));
    const enc = encodingsOf(real.rows).find((e) => e.name === 'train_id')!;
    const named = enc.values.filter(([, id]) => id !== null);
    expect(named.map(([v]) => v)).toEqual(Array.from({ length: 19 }, (_, i) => i));
    const nameOf = new Map(real.rows.map((r) => [r.id, r.name]));
    expect(named.map(([v, id]) => `${v}:${nameOf.get(id!)}`).slice(0, 3)).toEqual(['0:road', '1:sidewalk', '2:building']);
    expect(enc.values.at(-1)).toEqual([255, null]);
  });
});
