import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { bdd100k, CITYSCAPES_TRAIN_NAMES } from '../../src/formats/bdd100k.js';
import { formatById } from '../../src/formats/index.js';
import { scanJson } from '../../src/formats/json-scan.js';
import { readFrameAttributes } from '../../src/formats/lib/bdd100k-attributes.js';
import { selectFormat } from '../../src/formats/lib/select.js';
import { formatSheet, parseSheetText } from '../../src/sheets/csv.js';
import { FIXTURES, REAL } from '../helpers/cli.js';
import { errorOf, readFacts } from './city-helpers.js';

const DIR = path.join(FIXTURES, 'bdd100k');
const at = (f: string) => path.join(DIR, f);
const REAL_DIR = path.join(REAL, 'bdd100k');

describe('bdd100k: Scalabel configs', () => {
  it('leaf categories in order are the ids, the parent is the category, colours, mappings as x_ columns', async () => {
    expect(formatById('bdd100k')).toBe(bdd100k);
    const got = await bdd100k.extract(at('det.toml'), { stats: false });
    expect(got.name).toBe('bdd100k-det');
    expect(got.rows.map((r) => [r.id, r.name, r.category, r.color, r.extra.x_aliases, r.extra.x_ignored_aliases])).toEqual([
      [0, 'pedestrian', 'human', '', 'person', 'other person'],
      [1, 'rider', 'human', '', '', ''],
      [2, 'bicycle', '', '', 'bike', ''],
      [3, 'traffic sign', '', '#dcdc00', '', ''],
    ]);
    expect((await bdd100k.extract(at('det.toml'), { stats: false, firstId: 1 })).rows[0]!.id).toBe(1);
    const back = parseSheetText('dataset', formatSheet('dataset', got.rows), 'bdd100k-det@1.0.0.csv');
    expect(back.findings).toEqual([]);
    expect(back.sheet!.rows).toEqual(got.rows);
  });

  it('detects configs and label files, with reasons', async () => {
    expect(await bdd100k.detect(at('det.toml'))).toEqual({ ok: true, reason: 'a Scalabel config with [[scalabel.categories]]' });
    expect(await bdd100k.detect(at('labels.json'))).toEqual({ ok: true, reason: 'a BDD100K label file (a list of frames with labels[].category)' });
    expect(await bdd100k.detect(at('empty.toml'))).toEqual({ ok: false, reason: 'a TOML file without [[scalabel.categories]]' });
    expect(await bdd100k.detect(path.join(FIXTURES, 'coco', 'instances-categories-first.json'))).toMatchObject({ ok: false });
    expect((await selectFormat('auto', at('det.toml'))).format.id).toBe('bdd100k');
    expect((await selectFormat('auto', at('labels.json'))).format.id).toBe('bdd100k');
  });

  it.each([
    ['empty.toml', 'config-shape', undefined, undefined],
    ['truncated.toml', 'config-syntax', 3, 12],
    ['duplicate-key.toml', 'config-syntax', 3, 1],
    ['duplicate-name.toml', 'labels-duplicate', undefined, undefined],
    ['bad-color.toml', 'config-shape', undefined, undefined],
    ['latin1.toml', 'file-encoding', 3, undefined],
    ['nesting-bomb.toml', 'config-syntax', 4, undefined],
    ['mapping-unknown.toml', 'config-shape', undefined, undefined],
  ])('%s: one located error %s', async (file, code, line, column) => {
    const f = await errorOf(() => bdd100k.extract(at(file), { stats: false }));
    expect(f).toMatchObject({ code, file: at(file) });
    if (line !== undefined) expect(f.line).toBe(line);
    if (column !== undefined) expect(f.column).toBe(column);
    if (line === undefined) expect(f.path).toMatch(/^(scalabel|name_mapping)/);
  });
});

describe('bdd100k: label JSON', () => {
  it('--stats with a config: name_mapping folds bike into bicycle, ignored_mapping is left out and said', async () => {
    const got = await bdd100k.extract(at('labels.json'), { stats: true, labels: at('det.toml') });
    expect(got.name).toBe('bdd100k-det');
    expect(got.rows.map((r) => [r.id, r.name, r.instances, r.images])).toEqual([
      [0, 'pedestrian', 2, 1],
      [1, 'rider', 0, 0],
      [2, 'bicycle', 2, 2],
      [3, 'traffic sign', 1, 1],
    ]);
    expect(got.notes).toContain('left out (ignored_mapping): other person (1)');
  });

  it('without a config: the categories found, ids alphabetical, and a note that says so', async () => {
    const got = await bdd100k.extract(at('labels.json'), { stats: true });
    expect(got.rows.map((r) => [r.id, r.name, r.instances])).toEqual([
      [0, 'bicycle', 1], [1, 'bike', 1], [2, 'other person', 1], [3, 'pedestrian', 2], [4, 'traffic sign', 1],
    ]);
    expect(got.notes[1]).toContain('ids by alphabetical order');
    expect((await bdd100k.extract(at('labels.json'), { stats: false })).rows[0]!.instances).toBeUndefined();
  });

  it('a truncated file and an unknown category are located errors', async () => {
    expect(await errorOf(() => bdd100k.extract(at('truncated.json'), { stats: true }))).toMatchObject({ code: 'json-truncated', file: at('truncated.json'), line: 2 });
    expect(await errorOf(() => bdd100k.extract(at('unknown-category.json'), { stats: true, labels: at('det.toml') }))).toMatchObject({
      code: 'unknown-label', line: 2, args: { label: 'unicycle', source: 'det.toml' },
    });
  });

  it('the attribute reader gives each frame its weather, scene and time of day', async () => {
    const frames: unknown[] = [];
    await scanJson(at('labels.json'), { root: { whole: true, onElement: (e) => frames.push(readFrameAttributes(e.value, { file: 'labels.json', line: e.line, path: `[${e.index}]` })) } });
    expect(frames).toEqual([
      { image: 'a.jpg', weather: 'clear', scene: 'city street', timeofday: 'daytime' },
      { image: 'b.jpg', weather: 'rainy', scene: 'highway', timeofday: 'night' },
      { image: 'c.jpg', weather: 'undefined', scene: 'tunnel', timeofday: 'dawn/dusk' },
    ]);
    expect(await errorOf(() => readFrameAttributes({ name: 'x.jpg', attributes: { weather: 'sunny' } }, { file: 'f.json', line: 3, path: '[2]' }))).toMatchObject({
      code: 'label-json-shape', line: 3, path: '[2].attributes.weather',
    });
  });
});

describe.skipIf(!existsSync(REAL_DIR))('the real BDD100K configs', () => {
  it('det.toml: 10 leaf classes under human, vehicle, bike; the five name mappings and three ignored ones', async () => {
    const got = await bdd100k.extract(path.join(REAL_DIR, 'det.toml'), { stats: false });
    expect(got.rows.map((r) => [r.id, r.name, r.category])).toEqual([
      [0, 'pedestrian', 'human'], [1, 'rider', 'human'], [2, 'car', 'vehicle'], [3, 'truck', 'vehicle'], [4, 'bus', 'vehicle'],
      [5, 'train', 'vehicle'], [6, 'motorcycle', 'bike'], [7, 'bicycle', 'bike'], [8, 'traffic light', ''], [9, 'traffic sign', ''],
    ]);
    expect(Object.fromEntries(got.rows.map((r) => [r.name, [r.extra.x_aliases, r.extra.x_ignored_aliases]]))).toMatchObject({
      pedestrian: ['person', 'other person'], car: ['caravan;van', 'other vehicle'], truck: ['', 'trailer'], motorcycle: ['motor', ''], bicycle: ['bike', ''],
    });
  });

  it("sem_seg.toml: Cityscapes' 19 train classes with their ids and colours, said in train_id and x_cityscapes_train_id", async () => {
    const got = await bdd100k.extract(path.join(REAL_DIR, 'sem_seg.toml'), { stats: false });
    expect(got.name).toBe('bdd100k-sem-seg');
    expect(got.rows.map((r) => r.name)).toEqual([...CITYSCAPES_TRAIN_NAMES]);
    expect(got.rows.every((r) => r.train_id === r.id && r.extra.x_cityscapes_train_id === String(r.id))).toBe(true);
    expect(got.notes.join('\n')).toContain('BDD100K sem_seg ids equal Cityscapes train ids');
    const city = readFacts(path.join(REAL, 'cityscapes', 'labels.facts.csv'));
    const trained = new Map(city.filter((c) => c.train_id !== '255' && c.train_id !== '-1').map((c) => [Number(c.train_id), c]));
    expect(trained.size).toBe(19);
    expect(got.rows.map((r) => [r.id, r.name])).toEqual(got.rows.map((r) => [r.id, trained.get(r.id)!.name]));
    // The same colours, but for one published quirk: BDD100K gives wall fence's colour and fence wall's.
    const differ = got.rows.filter((r) => r.color !== trained.get(r.id)!.color).map((r) => [r.name, r.color, trained.get(r.id)!.color]);
    expect(differ).toEqual([['wall', '#be9999', '#66669c'], ['fence', '#66669c', '#be9999']]);
    expect(readFileSync(path.join(REAL_DIR, 'sem_seg.toml'), 'utf8')).toContain('[[scalabel.categories]]');
  });
});
