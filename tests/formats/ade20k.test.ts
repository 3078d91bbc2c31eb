import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { parse } from 'csv-parse/sync';
import { describe, expect, it } from 'vitest';
import { ade20k, parseObjectInfo } from '../../src/formats/ade20k.js';
import { formatById } from '../../src/formats/index.js';
import { selectFormat } from '../../src/formats/lib/select.js';
import { formatSheet, parseSheetText } from '../../src/sheets/csv.js';
import { FIXTURES, REAL } from '../helpers/cli.js';
import { errorOf } from './city-helpers.js';

const DIR = path.join(FIXTURES, 'ade20k');
const REAL_FILE = path.join(REAL, 'ade20k', 'objectInfo150.csv');

describe('ade20k', () => {
  it('is registered and detected by its header, with reasons either way', async () => {
    expect(formatById('ade20k')).toBe(ade20k);
    expect(await ade20k.detect(path.join(DIR, 'objectInfo150.csv'))).toEqual({ ok: true, reason: 'an ADE20K objectInfo csv (header Idx,Ratio,Train,Val,Stuff,Name)' });
    expect(await ade20k.detect(path.join(FIXTURES, 'coco'))).toMatchObject({ ok: false, reason: 'not a .csv file' });
    expect((await ade20k.detect(path.join(DIR, 'semicolons.csv'))).reason).toBe('its header is not Idx,Ratio,Train,Val,Stuff,Name');
    expect((await selectFormat('auto', path.join(DIR, 'objectInfo150.csv'))).format.id).toBe('ade20k');
  });

  it('reads ids, first words as names, every word as x_synonyms, Stuff as is_thing, Ratio as x_pixel_ratio, and adds 0 other', async () => {
    const got = await ade20k.extract(path.join(DIR, 'objectInfo150.csv'), { stats: false });
    expect(got.name).toBe('ade20k');
    expect(got.rows.map((r) => [r.id, r.name, r.is_thing, r.evaluate, r.extra.x_synonyms, r.extra.x_pixel_ratio, r.extra.x_train_images])).toEqual([
      [0, 'other', null, false, '', '', ''],
      [1, 'wall', false, true, 'wall', '0.2000', '100'],
      [2, 'building', false, true, 'building;edifice', '0.1000', '50'],
      [3, 'screen-3', true, true, 'screen;door;screen', '0.0100', '20'],
      [4, 'traffic', true, true, 'traffic;light;traffic;signal;stoplight', '0.0050', '10'],
      [5, 'screen-5', true, true, 'screen;silver;screen', '0.0010', '5'],
    ]);
    expect(got.notes.join('\n')).toContain('named screen-3, screen-5 by their id');
    const back = parseSheetText('dataset', formatSheet('dataset', got.rows), 'ade20k@1.0.0.csv');
    expect(back.findings).toEqual([]);
    expect(back.sheet!.rows).toEqual(got.rows);
  });

  it('takes CRLF line ends and a BOM', () => {
    const text = readFileSync(path.join(DIR, 'crlf-bom.csv'), 'utf8');
    expect(parseObjectInfo(text, 'x.csv').rows.map((r) => r.name)).toEqual(['other', 'wall', 'building']);
  });

  it.each([
    ['empty.csv', 'class-list-empty', 1, undefined],
    ['semicolons.csv', 'csv-delimiter', 1, undefined],
    ['truncated.csv', 'class-list-line', 3, undefined],
    ['duplicate-id.csv', 'labels-duplicate', 3, undefined],
    ['latin1.csv', 'file-encoding', 2, undefined],
    ['bad-stuff.csv', 'class-list-line', 2, 5],
  ])('%s: one located error %s', async (file, code, line, column) => {
    const f = await errorOf(() => ade20k.extract(path.join(DIR, file), { stats: false }));
    expect(f).toMatchObject({ code, file: path.join(DIR, file), line });
    if (column !== undefined) expect(f.column).toBe(column);
  });
});

describe.skipIf(!existsSync(REAL_FILE))('the real objectInfo150.csv', () => {
  it('150 classes with the published ids, pixel shares, stuff flags and synonyms, plus 0 other', async () => {
    const raw = parse(readFileSync(REAL_FILE, 'utf8'), { columns: true }) as Record<string, string>[];
    const { rows } = await ade20k.extract(REAL_FILE, { stats: false });
    expect(rows).toHaveLength(151);
    expect(rows.map((r) => r.id)).toEqual(Array.from({ length: 151 }, (_, i) => i));
    rows.slice(1).forEach((row, i) => {
      const r = raw[i]!;
      expect(row.id).toBe(Number(r.Idx));
      expect(row.extra.x_synonyms).toBe(r.Name);
      expect(row.extra.x_pixel_ratio).toBe(r.Ratio);
      expect(row.is_thing).toBe(r.Stuff === '0');
    });
    const byId = new Map(rows.map((r) => [r.id, r.name]));
    expect([1, 2, 3, 5, 13, 21, 59, 131].map((id) => byId.get(id))).toEqual(['wall', 'building', 'sky', 'tree', 'person', 'car', 'screen-59', 'screen-131']);
    expect(rows.filter((r) => r.is_thing === false)).toHaveLength(raw.filter((r) => r.Stuff === '1').length);
  });
});
