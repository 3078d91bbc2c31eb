// LVIS (and Objects365) files are COCO-shaped: the coco extractor reads them, and keeps LVIS's
// per-category synset, synonyms, def and frequency as x_ columns.
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { coco } from '../../src/formats/coco.js';
import { formatSheet, parseSheetText } from '../../src/sheets/csv.js';
import { FIXTURES, tempDir } from '../helpers/cli.js';
import { errorOf } from './city-helpers.js';

const LVIS = path.join(FIXTURES, 'lvis', 'lvis_v1_val.excerpt.json');

describe('LVIS through the coco extractor', () => {
  it('keeps synset, synonyms (";"-joined), def and frequency as x_ columns, and counts with --stats', async () => {
    expect(await coco.detect(LVIS)).toMatchObject({ ok: true });
    const { rows } = await coco.extract(LVIS, { stats: true });
    expect(rows.map((r) => [r.id, r.name, r.extra, r.instances, r.images])).toEqual([
      [1, 'aerosol_can', { x_synset: 'aerosol.n.02', x_def: 'a dispenser that holds a substance under pressure', x_synonyms: 'aerosol_can;spray_can', x_frequency: 'c' }, 1, 1],
      [2, 'air_conditioner', { x_synset: 'air_conditioner.n.01', x_def: 'a machine that keeps air cool and dry', x_synonyms: 'air_conditioner', x_frequency: 'f' }, 0, 0],
      [3, 'airplane', { x_synset: 'airplane.n.01', x_def: 'an aircraft that has a fixed wing', x_synonyms: 'airplane;aeroplane', x_frequency: 'f' }, 2, 1],
    ]);
    const back = parseSheetText('dataset', formatSheet('dataset', rows), 'lvis-v1@1.0.0.csv');
    expect(back.findings).toEqual([]);
    expect(back.sheet!.rows).toEqual(rows);
  });

  it('a frequency other than r, c, f is a located error', async () => {
    const dir = tempDir({ 'bad.json': '{"categories": [\n{"id": 1, "name": "a", "frequency": "x"}]}' });
    expect(await errorOf(() => coco.extract(path.join(dir, 'bad.json'), { stats: false }))).toMatchObject({ code: 'coco-category-field', line: 2 });
  });
});
