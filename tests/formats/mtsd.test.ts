import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { formatById } from '../../src/formats/index.js';
import { mapillary } from '../../src/formats/mapillary.js';
import { mtsd } from '../../src/formats/mtsd.js';
import { selectFormat } from '../../src/formats/lib/select.js';
import { FIXTURES } from '../helpers/cli.js';
import { errorOf } from './city-helpers.js';

const DIR = path.join(FIXTURES, 'mtsd');
const at = (...f: string[]) => path.join(DIR, ...f);
const ANNOTATIONS = at('annotations');

describe('mtsd: Mapillary Traffic Sign Dataset annotation folders', () => {
  it('the labels of the annotations, sorted, ids their positions, category from the name as Vistas; --stats per label', async () => {
    expect(formatById('mtsd')).toBe(mtsd);
    const got = await mtsd.extract(ANNOTATIONS, { stats: true });
    expect(got.name).toBe('mtsd');
    expect(got.rows.map((r) => [r.id, r.name, r.category, r.instances, r.images])).toEqual([
      [0, 'other-sign', '', 1, 1],
      [1, 'regulatory--stop--g1', 'regulatory--stop', 3, 2],
      [2, 'warning--pedestrians-crossing--g4', 'warning--pedestrians-crossing', 1, 1],
    ]);
    expect(got.notes).toContain('5 shapes over 2 images');
    expect((await mtsd.extract(ANNOTATIONS, { stats: false, firstId: 1 })).rows.map((r) => r.id)).toEqual([1, 2, 3]);
    const one = await mtsd.extract(at('annotations', '1z2y3x4w5v6u7t8s9r0q1p.json'), { stats: true });
    expect(one.rows.map((r) => [r.name, r.instances])).toEqual([['regulatory--stop--g1', 2]]);
  });

  it('--labels <sheet>: ids from it; a label it lacks is one located error', async () => {
    const f = await errorOf(() => mtsd.extract(ANNOTATIONS, { stats: true, labels: at('mtsd-partial.csv') }));
    expect(f).toMatchObject({ code: 'unknown-label', file: at('annotations', '0a1b2c3d4e5f6g7h8i9j0k.json'), path: 'objects[1].label' });
    const only = await mtsd.extract(at('annotations', '1z2y3x4w5v6u7t8s9r0q1p.json'), { stats: true, labels: at('mtsd-partial.csv') });
    expect(only.rows.map((r) => [r.id, r.name, r.category, r.instances])).toEqual([
      [0, 'other-sign', '', 0], [1, 'regulatory--stop--g1', 'regulatory--stop', 2], [2, 'regulatory--yield--g1', 'regulatory--yield', 0],
    ]);
    const dup = await errorOf(() => mtsd.extract(ANNOTATIONS, { stats: false, labels: at('hostile', 'sheet-duplicate-id.csv') }));
    expect(dup).toMatchObject({ file: at('hostile', 'sheet-duplicate-id.csv'), line: 4 });
  });

  it('auto picks mtsd; mapillary says these are boxes, not Vistas polygons', async () => {
    expect((await selectFormat('auto', ANNOTATIONS)).format.id).toBe('mtsd');
    expect(await mapillary.detect(ANNOTATIONS)).toEqual({ ok: false, reason: '0a1b2c3d4e5f6g7h8i9j0k.json holds boxes ("bbox"), not polygons: Mapillary Traffic Sign Dataset, use mtsd' });
    expect((await mtsd.detect(path.join(FIXTURES, 'mapillary', 'vistas'))).ok).toBe(false);
  });

  it.each([
    ['empty.json', 'label-json-invalid', 1],
    ['truncated.json', 'label-json-invalid', 2],
    ['latin1.json', 'label-json-invalid', 1],
    ['no-label.json', 'label-json-shape', 'objects[1].label'],
    ['objects-not-array.json', 'label-json-shape', 'objects'],
  ])('%s: one located error %s', async (file, code, where) => {
    const f = await errorOf(() => mtsd.extract(at('hostile', file), { stats: true }));
    expect(f).toMatchObject({ code, file: at('hostile', file) });
    if (typeof where === 'string') expect(f.path).toBe(where);
    else expect(f.line).toBe(where);
  });
});
