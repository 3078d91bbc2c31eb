import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { formatById } from '../../src/formats/index.js';
import { mapillary, readMapillaryConfig } from '../../src/formats/mapillary.js';
import { formatSheet, parseSheetText } from '../../src/sheets/csv.js';
import { tempDir } from '../helpers/cli.js';
import { CITY, REAL_VISTAS, VISTAS, errorOf } from './city-helpers.js';

const V11 = path.join(REAL_VISTAS, 'config_v1.1_public.json');
const V20 = path.join(REAL_VISTAS, 'config_v2.0.json');
const SUBSET = path.join(REAL_VISTAS, 'config_v2.0_user_subset.json');
const POLYGONS = path.join(VISTAS, 'vistas');

interface RawLabel {
  name: string;
  readable: string;
  instances: boolean;
  evaluate: boolean;
  color: number[];
}

describe.skipIf(!existsSync(REAL_VISTAS))('the real configs', () => {
  it('every label of v1.1 and v2.0 becomes a row: id = list position, display name, prefix category, flags, colour', async () => {
    for (const [file, count] of [
      [V11, 66],
      [V20, 124],
    ] as const) {
      const raw = (JSON.parse(readFileSync(file, 'utf8')) as { labels: RawLabel[] }).labels;
      const { rows } = await mapillary.extract(file, { stats: false });
      expect(rows).toHaveLength(count);
      expect(rows.map((r) => [r.id, r.name, r.display_name, r.category, r.is_thing, r.evaluate, r.color])).toEqual(
        raw.map((l, i) => [
          i,
          l.name,
          l.readable,
          l.name.split('--').slice(0, -1).join('--'),
          l.instances,
          l.evaluate,
          `#${l.color.map((c) => c.toString(16).padStart(2, '0')).join('')}`,
        ]),
      );
      expect(rows.every((r) => r.train_id === null && Object.keys(r.extra).length === 0)).toBe(true);
    }
  });

  it('names the sheet by the version, a number 1.1 in v1.1 and a string "2.0" in v2.0, and says why for 1.1', async () => {
    const v11 = await mapillary.extract(V11, { stats: false });
    expect(v11.name).toBe('mapillary-vistas-v1.2');
    expect(v11.notes).toContain('config version 1.1');
    expect(v11.notes.join('\n')).toContain('v1.1 and v1.2 share one 66-label set');
    const v20 = await mapillary.extract(V20, { stats: false });
    expect(v20.name).toBe('mapillary-vistas-v2.0');
    expect(v20.notes).toContain('config version 2.0');
    expect(v20.notes.join('\n')).not.toContain('warning');
    expect(readMapillaryConfig(V11).version).toBe('1.1');
  });

  it('warns that the 7-label user config is a partial one, keeps its own list positions, and names it apart', async () => {
    const got = await mapillary.extract(SUBSET, { stats: false });
    expect(got.rows.map((r) => [r.id, r.name])).toEqual([
      [0, 'human--person--individual'],
      [1, 'object--vehicle--boat'],
      [2, 'object--vehicle--bus'],
      [3, 'object--vehicle--car'],
      [4, 'object--vehicle--motorcycle'],
      [5, 'object--vehicle--on-rails'],
      [6, 'object--vehicle--truck'],
    ]);
    expect(got.name).toBe('mapillary-vistas-v2.0-subset');
    expect(got.notes.join('\n')).toMatch(/warning: only 7 of the 124 labels .* partial config/);
  });

  it('writes a valid sheet that reads back the same', async () => {
    const { rows } = await mapillary.extract(V20, { stats: false });
    const back = parseSheetText('dataset', formatSheet('dataset', rows), 'mapillary-vistas-v2.0@1.0.0.csv');
    expect(back.findings).toEqual([]);
    expect(back.sheet!.rows).toEqual(rows);
  });

  it('counts instances and images per label in a v2.0 polygons folder, ids from the config', async () => {
    const progress: number[] = [];
    const got = await mapillary.extract(POLYGONS, { stats: true, labels: V20, onProgress: (d) => progress.push(d) });
    expect(got.name).toBe('mapillary-vistas-v2.0');
    // The folder is a subset: every label of the config stays, the absent ones with 0 objects.
    expect(got.rows).toHaveLength(124);
    expect(got.rows.filter((r) => (r.instances ?? 0) > 0).map((r) => [r.id, r.name, r.instances, r.images])).toEqual([
      [21, 'construction--flat--road', 4, 3],
      [24, 'construction--flat--sidewalk', 1, 1],
      [30, 'human--person--individual', 1, 1],
      [32, 'human--rider--bicyclist', 1, 1],
      [45, 'marking--discrete--crosswalk-zebra', 1, 1],
      [61, 'nature--sky', 1, 1],
      [64, 'nature--vegetation', 1, 1],
      [100, 'object--traffic-sign--front', 1, 1],
      [105, 'object--vehicle--bicycle', 1, 1],
      [108, 'object--vehicle--car', 5, 3],
      [123, 'void--unlabeled', 1, 1],
    ]);
    expect(got.rows.find((r) => r.id === 21)).toMatchObject({ display_name: 'Road', category: 'construction--flat', is_thing: false });
    expect(progress).toEqual([1, 2, 3]);
    expect(got.notes[0]).toContain('read 3 polygon files; 11 of the 124 labels');
  });

  it('takes ids from the sheet mapillary-vistas-v2.0 by default', async () => {
    const asked: string[] = [];
    const got = await mapillary.extract(POLYGONS, {
      stats: false,
      readDatasetSheet: (ref) => {
        asked.push(ref);
        return readMapillaryConfig(V20).rows;
      },
    });
    expect(asked).toEqual(['mapillary-vistas-v2.0']);
    expect(got.rows).toHaveLength(124);
    expect(got.rows[0]!.instances).toBeUndefined();
  });

  it('a v1 name in a v2.0 polygon file is an unknown label, with the file and JSON path', async () => {
    const f = await errorOf(() => mapillary.extract(path.join(VISTAS, 'polygons-unknown'), { stats: true, labels: V20 }));
    expect(f).toMatchObject({
      code: 'unknown-label',
      file: path.join(VISTAS, 'polygons-unknown', '__CRGxvfQAJAGqPOs_fRqA.json'),
      path: 'objects[1].label',
      args: { label: 'human--person', source: V20, flag: '--labels <config.json or sheet>' },
    });
  });

  it('detects the configs and a polygons folder', async () => {
    expect(await mapillary.detect(V11)).toEqual({ ok: true, reason: 'a Vistas config (66 labels, version 1.1)' });
    expect(await mapillary.detect(V20)).toEqual({ ok: true, reason: 'a Vistas config (124 labels, version 2.0)' });
  });
});

describe('configs labelmap writes itself', () => {
  it('a config without a version: the release is inferred from its names, and a short one is a subset', async () => {
    const got = await mapillary.extract(path.join(VISTAS, 'config-no-version.json'), { stats: true });
    expect(got.name).toBe('mapillary-vistas-v1.2-subset');
    const notes = got.notes.join('\n');
    expect(notes).toContain('no "version" in the config: inferred mapillary-vistas-v1.2 from its 5 labels and the name human--person');
    expect(notes).toContain('partial config');
    expect(notes).toContain('a config has no counts');
    expect(got.rows.map((r) => [r.id, r.name, r.category])).toEqual([
      [0, 'construction--flat--road', 'construction--flat'],
      [1, 'human--person', 'human'],
      [2, 'nature--sky', 'nature'],
      [3, 'object--vehicle--car', 'object--vehicle'],
      [4, 'void--unlabeled', 'void'],
    ]);
  });

  it('keeps unknown label keys as x_ columns, and names an unknown release after its version', async () => {
    const dir = tempDir({
      'config.json': JSON.stringify({
        version: '3.1',
        labels: [{ name: 'flat', readable: 'Flat', instances: false, evaluate: true, color: [1, 2, 3], trainId: 4, group: 'ground' }],
      }),
    });
    const got = await mapillary.extract(path.join(dir, 'config.json'), { stats: false });
    expect(got.name).toBe('mapillary-vistas-v3.1');
    expect(got.rows[0]).toMatchObject({ id: 0, name: 'flat', category: '', color: '#010203', extra: { x_train_id: '4', x_group: 'ground' } });
    expect(got.notes.join('\n')).toContain('not a release labelmap knows');
  });

  it('errors: no labels array, a label without a name, a duplicate name, a bad colour', async () => {
    const file = (name: string) => path.join(VISTAS, name);
    expect(await errorOf(() => mapillary.extract(file('config-no-labels.json'), { stats: false }))).toMatchObject({
      code: 'mapillary-no-labels',
      path: 'labels',
      args: { found: 'an object with "version", "classes"' },
    });
    expect(await errorOf(() => mapillary.extract(file('config-label-no-name.json'), { stats: false }))).toMatchObject({
      code: 'mapillary-label-no-name',
      path: 'labels[1].name',
      args: { index: 1 },
    });
    const dup = await errorOf(() => mapillary.extract(file('config-duplicate-name.json'), { stats: false }));
    expect(dup).toMatchObject({ code: 'labels-duplicate', path: 'labels[2].name', args: { key: 'name', value: 'construction--flat--road', firstPlace: 'labels[0].name' } });
    const dir = tempDir({ 'c.json': '{"labels": [{"name": "a--b", "readable": "B", "color": [0, 0]}]}', 'd.json': '{"labels": [' });
    expect(await errorOf(() => mapillary.extract(path.join(dir, 'c.json'), { stats: false }))).toMatchObject({ code: 'label-json-shape', path: 'labels[0].color' });
    expect(await errorOf(() => mapillary.extract(path.join(dir, 'd.json'), { stats: false }))).toMatchObject({
      code: 'label-json-invalid',
      args: { reason: 'the file ends in the middle of the JSON' },
    });
  });

  it('a polygons folder needs label ids from somewhere, and a folder without polygon files is an error', async () => {
    expect(await errorOf(() => mapillary.extract(POLYGONS, { stats: true }))).toMatchObject({ code: 'labels-source-missing' });
    const empty = tempDir({ 'readme.txt': 'nothing' });
    expect(await errorOf(() => mapillary.extract(empty, { stats: true }))).toMatchObject({ code: 'polygons-none' });
  });
});

describe('detect', () => {
  it('recognises a polygons folder by its "--" names, and a config by its labels', async () => {
    expect(await mapillary.detect(POLYGONS)).toMatchObject({ ok: true, reason: expect.stringContaining('"construction--flat--road"') });
    expect(await mapillary.detect(path.join(VISTAS, 'config-no-version.json'))).toEqual({ ok: true, reason: 'a Vistas config (5 labels, no version)' });
  });

  it('says why not for other JSON, Cityscapes folders and Python files', async () => {
    expect(await mapillary.detect(path.join(VISTAS, 'config-no-labels.json'))).toEqual({ ok: false, reason: 'a JSON file without a "labels" array' });
    expect(await mapillary.detect(path.join(CITY, 'gtFine'))).toEqual({ ok: false, reason: 'no polygons/*.json files in the folder' });
    expect(await mapillary.detect(path.join(CITY, 'labels.py'))).toEqual({ ok: false, reason: 'not a JSON file or a folder' });
    const cityLike = tempDir({ 'polygons/a.json': JSON.stringify({ objects: [{ label: 'road', polygon: [] }] }) });
    expect(await mapillary.detect(cityLike)).toMatchObject({ ok: false, reason: expect.stringContaining('no "--" path') });
    const coco = tempDir({ 'instances.json': JSON.stringify({ images: [], annotations: [], categories: [{ id: 1, name: 'person' }] }) });
    expect(await mapillary.detect(path.join(coco, 'instances.json'))).toMatchObject({ ok: false });
  });
});

describe('registry', () => {
  it('is registered as mapillary', () => {
    expect(formatById('mapillary')).toBe(mapillary);
  });
});
