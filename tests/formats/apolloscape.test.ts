import { existsSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { formatById } from '../../src/formats/index.js';
import { APOLLOSCAPE_CATEGORY_EN, apolloscape } from '../../src/formats/apolloscape.js';
import { formatSheet, parseSheetText } from '../../src/sheets/csv.js';
import { tempDir } from '../helpers/cli.js';
import { APOLLO, CITY, REAL_APOLLO, VISTAS, asFacts, errorOf, readFacts } from './city-helpers.js';

const SCENE = path.join(APOLLO, 'labels_apollo.py');
const LANE = path.join(APOLLO, 'laneMarkDetection.py');

describe.skipIf(!existsSync(REAL_APOLLO))('the complete fixtures against the real facts', () => {
  it('labels_apollo.py gives exactly the 36 scene-parsing labels, with hex clsIds and colours decoded', async () => {
    const facts = readFacts(path.join(REAL_APOLLO, 'scene-parsing-labels.facts.csv'));
    expect(facts).toHaveLength(36);
    const got = await apolloscape.extract(SCENE, { stats: false });
    expect(got.name).toBe('apolloscape');
    expect(asFacts(got.rows, true)).toEqual(facts);
  });

  it('laneMarkDetection.py gives exactly the 38 lane-marking labels as apolloscape-lanemark', async () => {
    const facts = readFacts(path.join(REAL_APOLLO, 'lane-marking-labels.facts.csv'));
    expect(facts).toHaveLength(38);
    const got = await apolloscape.extract(LANE, { stats: false });
    expect(got.name).toBe('apolloscape-lanemark');
    expect(asFacts(got.rows)).toEqual(facts);
    expect(Object.keys(got.rows[0]!.extra)).toEqual(['x_category_id']);
  });
});

describe('ApolloScape scene parsing', () => {
  it('keeps the Chinese categories and spellings as published and adds the English category', async () => {
    const { rows, notes } = await apolloscape.extract(SCENE, { stats: false });
    const byName = new Map(rows.map((r) => [r.name, r]));
    expect(byName.get('siderwalk')).toMatchObject({ id: 50, category: '平面', extra: { x_category_en: 'flat', x_cls_id: '50' } });
    expect(byName.get('vegatation')).toMatchObject({ category: '自然', extra: { x_category_en: 'nature' } });
    // *_group classes share the train id of their single class
    expect(byName.get('car_groups')!.train_id).toBe(byName.get('car')!.train_id);
    for (const row of rows) expect(row.extra.x_category_en).toBe(APOLLOSCAPE_CATEGORY_EN[row.category]);
    expect(new Set(rows.map((r) => r.extra.x_category_en)).size).toBe(9);
    expect(notes.join('\n')).toContain('clsId -> x_cls_id');
  });

  it('writes a UTF-8 sheet with x_cls_id, x_category_id and x_category_en that reads back the same', async () => {
    const { rows } = await apolloscape.extract(SCENE, { stats: false });
    const text = formatSheet('dataset', rows);
    expect(text.split('\n')[0]).toBe('id,name,display_name,category,train_id,color,is_thing,evaluate,x_category_en,x_category_id,x_cls_id');
    expect(text).toContain('161,car_groups,,移动物体,1,#00008e,true,true,movable object,2,161');
    const back = parseSheetText('dataset', text, 'apolloscape@1.0.0.csv');
    expect(back.findings).toEqual([]);
    expect(back.sheet!.rows).toEqual(rows);
  });

  it('reads a file without a field list by its 9 values, and notes a category it has no English for', async () => {
    const dir = tempDir({
      'labels.py': "# -*- coding: utf-8 -*-\nlabels = [\n  Label('sky', 0x11, 17, 0, '天空', 1, False, False, 0x4682B4),\n  Label('kerb', 0X3A, 58, 22, '路缘', 3, False, False, 0xABCDEF),\n]\n",
    });
    const got = await apolloscape.extract(path.join(dir, 'labels.py'), { stats: true });
    expect(got.rows.map((r) => [r.id, r.name, r.extra.x_cls_id, r.color, r.extra.x_category_en])).toEqual([
      [17, 'sky', '17', '#4682b4', 'sky'],
      [58, 'kerb', '58', '#abcdef', ''],
    ]);
    const notes = got.notes.join('\n');
    expect(notes).toContain('no field list');
    expect(notes).toContain('路缘');
    expect(notes).toContain('a label file has no counts');
  });

  it('a colour integer beyond 0xFFFFFF is an error naming the field', async () => {
    const dir = tempDir({ 'labels.py': "labels = [Label('sky', 0x11, 17, 0, 'sky', 1, False, False, 0x1000000)]\n" });
    expect(await errorOf(() => apolloscape.extract(path.join(dir, 'labels.py'), { stats: false }))).toMatchObject({
      code: 'python-labels-value',
      line: 1,
      args: { field: 'color', found: String(0x1000000) },
    });
  });
});

describe('ApolloScape lane marking', () => {
  it('has ids 0 and 200..255, colours from (r, g, b) tuples', async () => {
    const { rows } = await apolloscape.extract(LANE, { stats: false });
    expect(rows).toHaveLength(38);
    expect(rows.every((r) => r.id === 0 || (r.id >= 200 && r.id <= 255))).toBe(true);
    expect(rows.find((r) => r.name === 'a_w_tl')).toMatchObject({ id: 221, train_id: 21, category: 'thru/turn', color: '#804ea0' });
  });
});

describe('detect and refusals', () => {
  it('recognises both ApolloScape files and says why', async () => {
    expect(await apolloscape.detect(SCENE)).toEqual({ ok: true, reason: 'ApolloScape scene-parsing labels: its field list has clsId' });
    expect(await apolloscape.detect(LANE)).toMatchObject({ ok: true, reason: expect.stringContaining('lane-marking codes') });
  });

  it('does not take Cityscapes files or JSON, and says what they are', async () => {
    expect(await apolloscape.detect(path.join(CITY, 'labels.py'))).toMatchObject({ ok: false, reason: expect.stringContaining('use cityscapes') });
    expect(await apolloscape.detect(path.join(CITY, 'kitti360-labels.py'))).toMatchObject({ ok: false, reason: expect.stringMatching(/kittiId.*use cityscapes/) });
    expect(await apolloscape.detect(path.join(VISTAS, 'config-no-version.json'))).toMatchObject({ ok: false });
    const f = await errorOf(() => apolloscape.extract(path.join(CITY, 'labels.py'), { stats: false }));
    expect(f).toMatchObject({ code: 'label-file-kind', args: { format: 'cityscapes' } });
    expect(f.text).toContain('labelmap extract cityscapes');
  });
});

describe('registry', () => {
  it('is registered as apolloscape', () => {
    expect(formatById('apolloscape')).toBe(apolloscape);
  });
});
