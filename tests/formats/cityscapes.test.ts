import { existsSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { formatById } from '../../src/formats/index.js';
import { cityscapes, readCityscapesLabels } from '../../src/formats/cityscapes.js';
import { formatSheet, parseSheetText } from '../../src/sheets/csv.js';
import type { DatasetClass } from '../../src/sheets/schema.js';
import { tempDir } from '../helpers/cli.js';
import { APOLLO, CITY, REAL_CITY, VISTAS, asFacts, errorOf, readFacts } from './city-helpers.js';

const LABELS = path.join(CITY, 'labels.py');
const GTFINE = path.join(CITY, 'gtFine');

/** The shipped sheet as the CLI would hand it over: here, the fixture table. */
function readDatasetSheet(ref: string): DatasetClass[] {
  if (ref !== 'cityscapes') throw new Error(`unexpected sheet ${ref}`);
  return readCityscapesLabels(LABELS).rows;
}

describe.skipIf(!existsSync(REAL_CITY))('the complete labels.py fixture against the real facts', () => {
  it('gives exactly the 35 labels of cityscapesScripts: ids, names, train ids, categories, flags, colours', async () => {
    const facts = readFacts(path.join(REAL_CITY, 'labels.facts.csv'));
    expect(facts).toHaveLength(35);
    const got = await cityscapes.extract(LABELS, { stats: false });
    expect(got.name).toBe('cityscapes');
    expect(asFacts(got.rows)).toEqual(facts);
    expect(Object.keys(got.rows[0]!.extra)).toEqual(['x_category_id']);
  });
});

/** The rows of classes that have objects in the folder. */
const occurring = <R extends { instances?: number | null }>(rows: R[]) => rows.filter((r) => (r.instances ?? 0) > 0);

describe('cityscapes label files', () => {
  it('writes a valid dataset sheet (negative id of license plate included) that reads back the same', async () => {
    const { rows } = await cityscapes.extract(LABELS, { stats: false });
    const text = formatSheet('dataset', rows);
    expect(text.split('\n')[0]).toBe('id,name,display_name,category,train_id,color,is_thing,evaluate,x_category_id');
    const back = parseSheetText('dataset', text, 'cityscapes@1.0.0.csv');
    expect(back.findings).toEqual([]);
    expect(back.sheet!.rows).toEqual(rows);
    expect(rows.at(-1)).toMatchObject({ id: -1, name: 'license plate', train_id: -1 });
  });

  it('reads a KITTI-360 fork: default name kitti-360, extra fields as x_ columns', async () => {
    const got = await cityscapes.extract(path.join(CITY, 'kitti360-labels.py'), { stats: true });
    expect(got.name).toBe('kitti-360');
    expect(got.rows).toHaveLength(7);
    expect(got.notes.join('\n')).toContain('kittiId -> x_kitti_id');
    expect(got.notes.join('\n')).toContain('ignoreInInst -> x_ignore_in_inst');
    expect(got.notes.join('\n')).toContain('a label file has no counts');
  });

  it("refuses ApolloScape's files, naming the extractor to use", async () => {
    for (const file of ['labels_apollo.py', 'laneMarkDetection.py']) {
      const f = await errorOf(() => cityscapes.extract(path.join(APOLLO, file), { stats: false }));
      expect(f).toMatchObject({ code: 'label-file-kind', args: { format: 'apolloscape' } });
      expect(f.text).toContain('labelmap extract apolloscape');
    }
  });
});

describe('gtFine polygon folders', () => {
  it('lists the labels that occur with polygon and image counts; crowds count toward their class', async () => {
    const progress: [number, number][] = [];
    const got = await cityscapes.extract(GTFINE, { stats: true, labels: LABELS, onProgress: (d, t) => progress.push([d, t]) });
    expect(got.name).toBe('cityscapes');
    // A folder is a subset: every label of the table stays in the sheet, the absent ones with 0.
    expect(got.rows).toHaveLength(35);
    expect(got.rows.find((r) => r.name === 'bus')).toMatchObject({ instances: 0, images: 0 });
    expect(occurring(got.rows).map((r) => [r.id, r.name, r.instances, r.images])).toEqual([
      [1, 'ego vehicle', 3, 3],
      [3, 'out of roi', 3, 3],
      [7, 'road', 3, 3],
      [8, 'sidewalk', 1, 1],
      [11, 'building', 2, 2],
      [17, 'pole', 1, 1],
      [18, 'polegroup', 1, 1], // in the table itself: not folded into pole
      [21, 'vegetation', 1, 1],
      [23, 'sky', 1, 1],
      [24, 'person', 2, 1],
      [25, 'rider', 2, 1],
      [26, 'car', 7, 3],
      [27, 'truck', 1, 1],
      [33, 'bicycle', 2, 1],
      [-1, 'license plate', 1, 1],
    ]);
    // the rest of each row comes from the label table
    expect(got.rows.find((r) => r.name === 'car')).toMatchObject({ train_id: 13, category: 'vehicle', color: '#00008e', extra: { x_category_id: '7' } });
    const notes = got.notes.join('\n');
    expect(notes).toContain('read 3 polygon files; 15 of the 35 labels');
    expect(notes).toContain('counted 3 "cargroup" objects as "car"');
    expect(notes).toContain('counted 1 "persongroup" object as "person"');
    expect(progress.at(-1)).toEqual([3, 3]);
    expect(progress).toHaveLength(3);
  });

  it('takes its ids from the sheet cityscapes by default, and from a dataset sheet CSV', async () => {
    const asked: string[] = [];
    const bySheet = await cityscapes.extract(GTFINE, {
      stats: false,
      readDatasetSheet: (ref) => {
        asked.push(ref);
        return readDatasetSheet(ref);
      },
    });
    expect(asked).toEqual(['cityscapes']);
    expect(bySheet.rows.map((r) => r.name)).toContain('license plate');
    expect(bySheet.rows[0]!.instances).toBeUndefined();
    expect(bySheet.notes.join('\n')).toContain('the sheet cityscapes');
    expect(bySheet.notes.join('\n')).toContain('add --stats');

    const dir = tempDir({ 'cityscapes@1.0.0.csv': formatSheet('dataset', readCityscapesLabels(LABELS).rows) });
    const byCsv = await cityscapes.extract(GTFINE, { stats: true, labels: path.join(dir, 'cityscapes@1.0.0.csv') });
    const byPy = await cityscapes.extract(GTFINE, { stats: true, labels: LABELS });
    expect(byCsv.rows).toEqual(byPy.rows);
  });

  it('counts gtFine files and leaves gtCoarse ones out when both are there; names a KITTI-360 table as such', async () => {
    const poly = (label: string) => JSON.stringify({ imgHeight: 1, imgWidth: 1, objects: [{ label, polygon: [] }] });
    const dir = tempDir({
      'gtFine/val/a/a_000000_000001_gtFine_polygons.json': poly('road'),
      'gtCoarse/train_extra/b/b_000000_000001_gtCoarse_polygons.json': poly('building'),
    });
    const both = await cityscapes.extract(dir, { stats: true, labels: LABELS });
    expect(occurring(both.rows).map((r) => r.name)).toEqual(['road']);
    expect(both.notes[0]).toBe('counted the 1 gtFine files; left out 1 gtCoarse files (pass the gtCoarse folder on its own to count them)');
    const coarse = await cityscapes.extract(path.join(dir, 'gtCoarse'), { stats: true, labels: path.join(CITY, 'kitti360-labels.py') });
    expect(occurring(coarse.rows).map((r) => [r.name, r.extra.x_kitti_id])).toEqual([['building', '11']]);
    expect(coarse.name).toBe('kitti-360');
    expect(coarse.notes[0]).toBe('no gtFine files: counted the 1 gtCoarse files');
  });

  it('reads one polygon file given on its own, and skips objects marked deleted', async () => {
    const dir = tempDir({
      'x_000000_000001_gtFine_polygons.json': JSON.stringify({
        imgHeight: 2,
        imgWidth: 2,
        objects: [
          { label: 'road', polygon: [], deleted: 0 },
          { label: 'no such label', polygon: [], deleted: 1 },
          { label: 'persongroup', polygon: [] },
        ],
      }),
    });
    const got = await cityscapes.extract(path.join(dir, 'x_000000_000001_gtFine_polygons.json'), { stats: true, labels: LABELS });
    expect(occurring(got.rows).map((r) => [r.name, r.instances, r.images])).toEqual([
      ['road', 1, 1],
      ['person', 1, 1],
    ]);
    expect(got.notes).toContain('skipped 1 object marked deleted');
  });

  it('an unknown label is an error naming the file, the JSON path, the other unknown labels and the fix', async () => {
    // skygroup: sky has no instances, so the group suffix is not dropped (cityscapesScripts does the same)
    const f = await errorOf(() => cityscapes.extract(path.join(CITY, 'gtFine-unknown'), { stats: true, labels: LABELS }));
    expect(f).toMatchObject({
      code: 'unknown-label',
      file: path.join(CITY, 'gtFine-unknown', 'train', 'bochum', 'bochum_000000_000313_gtFine_polygons.json'),
      path: 'objects[2].label',
      args: { label: 'skygroup', source: LABELS },
    });
    expect(f.args.more).toBe('"carr" in 2 files');
    expect(f.text).toContain('fix: pass the label table the annotations were made with (--labels <labels.py or sheet>)');
  });

  it('a damaged polygon file is an error with its place', async () => {
    const f = await errorOf(() => cityscapes.extract(path.join(CITY, 'gtFine-badjson'), { stats: true, labels: LABELS }));
    expect(f).toMatchObject({ code: 'label-json-invalid' });
    expect(f.file).toMatch(/bochum_000000_000313_gtFine_polygons\.json$/);
    const wrongShape = tempDir({ 'a/x_gtFine_polygons.json': '{"imgHeight": 1, "objects": {"label": "road"}}' });
    expect(await errorOf(() => cityscapes.extract(wrongShape, { stats: false, labels: LABELS }))).toMatchObject({
      code: 'label-json-shape',
      path: 'objects',
    });
    const noLabel = tempDir({ 'a/x_gtFine_polygons.json': '{"objects": [{"label": "road"}, {"polygon": []}]}' });
    expect(await errorOf(() => cityscapes.extract(noLabel, { stats: false, labels: LABELS }))).toMatchObject({
      code: 'label-json-shape',
      path: 'objects[1].label',
    });
  });

  it('a folder without polygon files, and a folder with no label table to read ids from, are errors', async () => {
    expect(await errorOf(() => cityscapes.extract(VISTAS, { stats: false, labels: LABELS }))).toMatchObject({ code: 'polygons-none', file: VISTAS });
    expect(await errorOf(() => cityscapes.extract(GTFINE, { stats: false }))).toMatchObject({ code: 'labels-source-missing' });
    expect(await errorOf(() => cityscapes.extract(GTFINE, { stats: false, labels: path.join(CITY, 'missing.py') }))).toMatchObject({
      code: 'file-not-found',
    });
    const f = await errorOf(() => cityscapes.extract(GTFINE, { stats: false, labels: path.join(VISTAS, 'config-no-version.json') }));
    expect(f).toMatchObject({ code: 'labels-file-invalid', args: { found: '.json' } });
  });

  it('takes a sheet reference with a kind and version to readDatasetSheet', async () => {
    const asked: string[] = [];
    await cityscapes.extract(GTFINE, {
      stats: false,
      labels: 'datasets/cityscapes@1.0.0',
      readDatasetSheet: (ref) => {
        asked.push(ref);
        return readCityscapesLabels(LABELS).rows;
      },
    });
    expect(asked).toEqual(['datasets/cityscapes@1.0.0']);
  });
});

describe('detect', () => {
  it('recognises labels.py, a KITTI-360 fork, a gtFine folder and a single polygon file', async () => {
    expect(await cityscapes.detect(LABELS)).toMatchObject({ ok: true });
    expect(await cityscapes.detect(path.join(CITY, 'kitti360-labels.py'))).toMatchObject({ ok: true, reason: expect.stringContaining('kittiId') });
    expect(await cityscapes.detect(GTFINE)).toMatchObject({ ok: true, reason: expect.stringContaining('aachen_000000_000019_gtFine_polygons.json') });
    expect(await cityscapes.detect(CITY)).toMatchObject({ ok: true });
    expect(
      await cityscapes.detect(path.join(GTFINE, 'val', 'frankfurt', 'frankfurt_000000_000294_gtFine_polygons.json')),
    ).toMatchObject({ ok: true });
  });

  it('says why not for ApolloScape files, other folders, other JSON and missing files', async () => {
    expect(await cityscapes.detect(path.join(APOLLO, 'labels_apollo.py'))).toEqual({
      ok: false,
      reason: expect.stringMatching(/clsId.*use apolloscape/),
    });
    expect(await cityscapes.detect(path.join(APOLLO, 'laneMarkDetection.py'))).toMatchObject({ ok: false, reason: expect.stringContaining('lane-marking') });
    expect(await cityscapes.detect(VISTAS)).toMatchObject({ ok: false, reason: expect.stringContaining('no *_gtFine_polygons.json') });
    expect(await cityscapes.detect(path.join(VISTAS, 'config-no-version.json'))).toMatchObject({ ok: false });
    expect(await cityscapes.detect(path.join(CITY, 'nothing-here.py'))).toMatchObject({ ok: false, reason: expect.stringContaining('cannot read') });
    const dir = tempDir();
    writeFileSync(path.join(dir, 'notes.py'), 'print("hello")\n');
    expect(await cityscapes.detect(path.join(dir, 'notes.py'))).toMatchObject({ ok: false, reason: expect.stringContaining('no Label(...) rows') });
  });
});

describe('registry', () => {
  it('is registered as cityscapes', () => {
    expect(formatById('cityscapes')).toBe(cityscapes);
  });
});
