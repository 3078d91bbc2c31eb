import { spawnSync } from 'node:child_process';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { LabelmapError } from '../../src/findings.js';
import { coco, cocoExtraction, readCoco } from '../../src/formats/coco.js';
import { formatById } from '../../src/formats/index.js';
import { datasetClass } from '../../src/formats/types.js';
import type { DatasetClass } from '../../src/sheets/schema.js';
import { FIXTURES, REAL, ROOT, tempDir } from '../helpers/cli.js';

const fixture = (name: string): string => path.join(FIXTURES, 'coco', name);
const GEN_COCO = path.resolve(ROOT, '..', 'shared', 'tools', 'gen-coco.py');

async function failure(promise: Promise<unknown>): Promise<LabelmapError> {
  try {
    await promise;
  } catch (error) {
    if (error instanceof LabelmapError) return error;
    throw error;
  }
  throw new Error('expected a LabelmapError');
}

/** id -> [instances, images] */
const statsOf = (rows: DatasetClass[]): Record<number, [number | null | undefined, number | null | undefined]> =>
  Object.fromEntries(rows.map((r) => [r.id, [r.instances, r.images]]));

/** A dataset row as the extractor writes it (every column not named is empty). */
const row = datasetClass;

describe('coco extractor: registry', () => {
  it('is registered as `coco`', () => {
    expect(formatById('coco')).toBe(coco);
  });
});

describe('coco extractor: instances files', () => {
  const expectedRows = [
    row(1, 'person', { category: 'person', is_thing: true, instances: 3, images: 2 }),
    row(3, 'car "small"', { category: 'vehicle', is_thing: true, instances: 2, images: 2 }),
    row(5, 'unused', { category: '', is_thing: true, instances: 0, images: 0 }),
    row(7, 'café table', { category: 'furniture', is_thing: true, instances: 1, images: 1 }),
    row(12, '東京 tower [x]', { category: 'structure {a}', is_thing: true, instances: 1, images: 1 }),
  ];

  it('extracts rows sorted by id, names exactly as written, with stats (categories last)', async () => {
    const r = await coco.extract(fixture('instances-categories-last.json'), { stats: true });
    expect(r.name).toBe('coco');
    expect(r.rows).toEqual(expectedRows);
    expect(r.notes).toEqual(['a COCO instances file: 5 categories (5 things, 0 stuff)', '7 annotations over 3 images (4 listed)']);
  });

  it('gives the same rows when categories come first', async () => {
    const r = await coco.extract(fixture('instances-categories-first.json'), { stats: true });
    expect(r.rows).toEqual(expectedRows);
  });

  it('leaves the count columns out without --stats', async () => {
    const r = await coco.extract(fixture('instances-categories-last.json'), { stats: false });
    expect(r.rows.map((x) => 'instances' in x || 'images' in x)).toEqual([false, false, false, false, false]);
    expect(r.rows.map((x) => x.id)).toEqual([1, 3, 5, 7, 12]);
  });

  it('gives identical results whatever the read size (chunk boundaries anywhere)', async () => {
    for (const name of ['instances-categories-last.json', 'panoptic.json', 'stuff.json', 'panoptic-categories.json']) {
      const whole = await readCoco(fixture(name), { stats: true });
      for (const chunkSize of [1, 7, 64]) {
        expect(await readCoco(fixture(name), { stats: true, chunkSize }), `${name} @ ${chunkSize}`).toEqual(whole);
      }
    }
  });

  it('reports progress ending at the file size', async () => {
    const calls: [number, number][] = [];
    await coco.extract(fixture('stuff.json'), { stats: true, onProgress: (d, t) => calls.push([d, t]) });
    const size = readFileSync(fixture('stuff.json')).length;
    expect(calls.at(-1)).toEqual([size, size]);
  });

  it('notes annotations whose category is not in categories', async () => {
    const dir = tempDir({
      'x.json': JSON.stringify({
        annotations: [
          { image_id: 1, category_id: 1 },
          { image_id: 1, category_id: 999 },
          { image_id: 2, category_id: 999 },
        ],
        categories: [{ id: 1, name: 'a', supercategory: 's' }],
      }),
    });
    const r = await coco.extract(path.join(dir, 'x.json'), { stats: true });
    expect(statsOf(r.rows)).toEqual({ 1: [1, 1] });
    expect(r.notes).toContain('2 annotations name category ids that are not in categories (999); they are not counted');
  });

  it('accepts string image ids (some exporters write them) and counts them as distinct images', async () => {
    const dir = tempDir({
      'x.json': JSON.stringify({
        annotations: [
          { image_id: 'a.jpg', category_id: 1 },
          { image_id: 'a.jpg', category_id: 1 },
          { image_id: 'b.jpg', category_id: 1 },
          { image_id: 5_000_000_000, category_id: 1 },
          { image_id: 1, category_id: 70000 },
        ],
        categories: [
          { id: 1, name: 'a' },
          { id: 70000, name: 'b' },
        ],
      }),
    });
    const r = await coco.extract(path.join(dir, 'x.json'), { stats: true });
    expect(statsOf(r.rows)).toEqual({ 1: [4, 3], 70000: [1, 1] });
  });
});

describe('coco extractor: panoptic, stuff and bare category lists', () => {
  it('LVIS-style categories (synset, synonyms, def, frequency kept as x_ columns; ids 1..N): an instances file', async () => {
    const dir = tempDir({
      'lvis.json': JSON.stringify({
        images: [{ id: 9, neg_category_ids: [2], not_exhaustive_category_ids: [] }],
        annotations: [{ id: 1, image_id: 9, category_id: 2, bbox: [0, 0, 1, 1], area: 1, segmentation: [[0, 0, 1, 0, 1, 1]] }],
        categories: [
          { frequency: 'r', synset: 'aerosol.n.02', synonyms: ['aerosol_can', 'spray_can'], def: 'a dispenser that holds a substance under pressure', id: 1, name: 'aerosol_can', image_count: 64, instance_count: 109 },
          { frequency: 'f', synset: 'air_conditioner.n.01', synonyms: ['air_conditioner'], def: 'a machine that keeps air cool and dry', id: 2, name: 'air_conditioner', image_count: 364, instance_count: 1467 },
        ],
      }),
    });
    const r = await coco.extract(path.join(dir, 'lvis.json'), { stats: true });
    expect(r.name).toBe('coco');
    expect(r.rows).toEqual([
      row(1, 'aerosol_can', { is_thing: true, instances: 0, images: 0, extra: { x_frequency: 'r', x_synset: 'aerosol.n.02', x_synonyms: 'aerosol_can;spray_can', x_def: 'a dispenser that holds a substance under pressure' } }),
      row(2, 'air_conditioner', { is_thing: true, instances: 1, images: 1, extra: { x_frequency: 'f', x_synset: 'air_conditioner.n.01', x_synonyms: 'air_conditioner', x_def: 'a machine that keeps air cool and dry' } }),
    ]);
  });

  it('panoptic: is_thing from isthing, colours, counts of segments_info and images', async () => {
    const r = await coco.extract(fixture('panoptic.json'), { stats: true });
    expect(r.name).toBe('coco-panoptic');
    expect(r.rows).toEqual([
      row(1, 'person', { category: 'person', color: '#dc143c', is_thing: true, instances: 3, images: 2 }),
      row(2, 'bicycle', { category: 'vehicle', color: '#770b20', is_thing: true, instances: 0, images: 0 }),
      row(149, 'road', { category: 'ground', color: '#804080', is_thing: false, instances: 1, images: 1 }),
      row(187, 'sky-other-merged', { category: 'sky', color: '#4682b4', is_thing: false, instances: 1, images: 1 }),
    ]);
    expect(r.notes).toEqual([
      'a COCO panoptic file: 4 categories (2 things, 2 stuff)',
      '3 panoptic annotations with 5 segments (instances = segments) over 3 images (3 listed)',
    ]);
  });

  it('a bare categories array (panopticapi): rows, and empty counts with --stats', async () => {
    const r = await coco.extract(fixture('panoptic-categories.json'), { stats: true });
    expect(r.name).toBe('coco-panoptic');
    expect(r.rows).toEqual([
      row(1, 'person', { category: 'person', color: '#dc143c', is_thing: true, instances: null, images: null }),
      row(3, 'car', { category: 'vehicle', color: '#00008e', is_thing: true, instances: null, images: null }),
      row(171, 'wall-brick', { category: 'building', color: '#66669c', is_thing: false, instances: null, images: null }),
      row(195, 'café-merged', { category: 'food-stuff', color: '#ffb4c3', is_thing: false, instances: null, images: null }),
    ]);
    expect(r.notes).toContain('no annotations array in the file: instances and images are left empty');
  });

  it('a bare list without isthing leaves is_thing empty', async () => {
    const dir = tempDir({ 'cats.json': '[{"id": 2, "name": "b"}, {"id": 1, "name": "a", "supercategory": "s"}]' });
    const r = await coco.extract(path.join(dir, 'cats.json'), { stats: false });
    expect(r.name).toBe('coco');
    expect(r.rows).toEqual([row(1, 'a', { category: 's' }), row(2, 'b', {})]);
  });

  it('COCO-Stuff: every id within 92..183 makes every class stuff', async () => {
    const r = await coco.extract(fixture('stuff.json'), { stats: true });
    expect(r.name).toBe('coco-stuff');
    expect(r.rows).toEqual([
      row(92, 'banner', { category: 'textile', is_thing: false, instances: 2, images: 2 }),
      row(93, 'blanket', { category: 'textile', is_thing: false, instances: 0, images: 0 }),
      row(183, 'other', { category: 'other', is_thing: false, instances: 1, images: 1 }),
    ]);
  });

  it('cocoExtraction follows the kind and the is_thing rule of a read file', async () => {
    const read = await readCoco(fixture('panoptic.json'), { stats: false });
    expect(read.kind).toBe('panoptic');
    expect(cocoExtraction(read, false).rows.map((x) => x.is_thing)).toEqual([true, true, false, false]);
  });
});

describe('coco extractor: errors name the file, place and fix', () => {
  it('not JSON', async () => {
    const e = await failure(coco.extract(fixture('not-json.html'), { stats: false }));
    expect(e.finding).toMatchObject({ code: 'coco-not-json', file: fixture('not-json.html'), offset: 0 });
    expect(e.message).toContain(`not JSON: the file starts with '<' ("<!DOCTYPE html>")`);
  });

  it('truncated file: byte offset and line', async () => {
    const e = await failure(coco.extract(fixture('truncated.json'), { stats: true }));
    expect(e.finding).toMatchObject({ code: 'json-truncated', file: fixture('truncated.json'), offset: 1200, line: 14, path: '$.annotations[3]' });
    expect(e.message).toContain('the file ends at byte 1200 inside a key (3 brackets still open): it is truncated');
  });

  it('malformed JSON: byte offset, line and column', async () => {
    const e = await failure(coco.extract(fixture('malformed.json'), { stats: false }));
    expect(e.finding).toMatchObject({ code: 'json-malformed', line: 4, column: 3 });
  });

  it('no categories', async () => {
    const e = await failure(coco.extract(fixture('no-categories.json'), { stats: true }));
    expect(e.finding.code).toBe('coco-no-categories');
    expect(e.message).toContain(
      'no categories array found: this looks like a COCO-style file without its category list (keys: info, images, annotations); expected a COCO annotation file with a top-level categories array',
    );
  });

  it('another kind of JSON (a Mapillary config)', async () => {
    const dir = tempDir({ 'config.json': '{"labels": [{"name": "animal--bird", "readable": "Bird"}], "version": "2.0"}' });
    const e = await failure(coco.extract(path.join(dir, 'config.json'), { stats: false }));
    expect(e.message).toContain("this looks like a label config such as Mapillary Vistas' config.json (keys: labels, version)");
  });

  it('categories that is not an array', async () => {
    const dir = tempDir({ 'x.json': '{"annotations": [], "categories": {"1": "person"}}' });
    const e = await failure(coco.extract(path.join(dir, 'x.json'), { stats: false }));
    expect(e.finding).toMatchObject({ code: 'coco-no-categories', path: '$.categories' });
    expect(e.message).toContain('a JSON object whose categories is an object, not an array');
  });

  it('duplicate category ids and names, with both places', async () => {
    const ids = await failure(coco.extract(fixture('duplicate-ids.json'), { stats: false }));
    expect(ids.finding).toMatchObject({ code: 'coco-duplicate-category', line: 5, path: '$.categories[2].id', args: { field: 'id', value: 1, first: '$.categories[0]' } });
    const names = await failure(coco.extract(fixture('duplicate-names.json'), { stats: false }));
    expect(names.finding).toMatchObject({ code: 'coco-duplicate-category', path: '$.categories[2].name', args: { field: 'name', value: 'person' } });
    expect(names.message).toContain('duplicate category name "person" (first at $.categories[0])');
  });

  it('ids given as strings', async () => {
    const e = await failure(coco.extract(fixture('string-ids.json'), { stats: false }));
    expect(e.finding).toMatchObject({ code: 'coco-category-field', line: 4, path: '$.categories[1].id' });
    expect(e.message).toContain('category id: expected an integer, found the string "2"');
    expect(e.message).toContain('fix: write ids as JSON numbers (1, not "1")');
  });

  it.each([
    ['{"categories": [{"id": 1.5, "name": "a"}]}', '$.categories[0].id', 'expected an integer, found 1.5'],
    ['{"categories": [{"id": 1}]}', '$.categories[0].name', 'expected a non-empty string, found nothing (the key is missing)'],
    ['{"categories": [{"id": 1, "name": " "}]}', '$.categories[0].name', 'expected a non-empty string'],
    ['{"categories": [7]}', '$.categories[0]', 'expected an object'],
    ['{"categories": [{"id": 1, "name": "a", "color": [1, 2]}]}', '$.categories[0].color', 'expected an [r, g, b] array of integers 0..255'],
    ['{"categories": [{"id": 1, "name": "a", "isthing": "yes"}]}', '$.categories[0].isthing', 'expected 0 or 1'],
    ['{"categories": [{"id": 1, "name": "a", "supercategory": 3}]}', '$.categories[0].supercategory', 'expected a string'],
  ])('rejects a bad category %s', async (text, where, message) => {
    const dir = tempDir({ 'x.json': text });
    const e = await failure(coco.extract(path.join(dir, 'x.json'), { stats: false }));
    expect(e.finding).toMatchObject({ code: 'coco-category-field', path: where });
    expect(e.message).toContain(message);
  });

  it('annotation category ids given as strings (with --stats)', async () => {
    const e = await failure(coco.extract(fixture('annotation-string-category.json'), { stats: true }));
    expect(e.finding).toMatchObject({ code: 'coco-annotation-field', line: 4, path: '$.annotations[1].category_id' });
    expect(e.message).toContain('annotation category_id: expected an integer category id, found the string "1"');
    // Without --stats the annotations are not looked at.
    expect((await coco.extract(fixture('annotation-string-category.json'), { stats: false })).rows).toHaveLength(1);
  });

  it('annotations without image_id, and panoptic segments without category_id', async () => {
    const dir = tempDir({
      'a.json': '{"annotations": [{"category_id": 1}], "categories": [{"id": 1, "name": "a"}]}',
      'b.json': '{"annotations": [{"image_id": 1, "segments_info": [{"id": 1}]}], "categories": [{"id": 1, "name": "a", "isthing": 1}]}',
    });
    expect((await failure(coco.extract(path.join(dir, 'a.json'), { stats: true }))).finding).toMatchObject({ path: '$.annotations[0].image_id' });
    expect((await failure(coco.extract(path.join(dir, 'b.json'), { stats: true }))).finding).toMatchObject({ path: '$.annotations[0].segments_info[0].category_id' });
  });

  it('empty file, empty category list, duplicate categories key', async () => {
    const dir = tempDir({
      'empty.json': '',
      'none.json': '{"categories": []}',
      'twice.json': '{"categories": [{"id": 1, "name": "a"}], "categories": [{"id": 2, "name": "b"}]}',
      'twice-same.json': '{"categories": [{"id": 1, "name": "a"}], "categories": [{"id": 1, "name": "a"}]}',
    });
    expect((await failure(coco.extract(path.join(dir, 'empty.json'), { stats: false }))).finding.code).toBe('json-empty');
    expect((await failure(coco.extract(path.join(dir, 'none.json'), { stats: false }))).message).toContain('a COCO file whose categories array is empty');
    expect((await failure(coco.extract(path.join(dir, 'twice.json'), { stats: false }))).finding.code).toBe('coco-duplicate-key');
    expect((await failure(coco.extract(path.join(dir, 'twice-same.json'), { stats: false }))).finding.code).toBe('coco-duplicate-key');
  });

  it('deep nesting does not crash: 100,000 levels inside an annotation and as a category', async () => {
    const deep = '['.repeat(100_000) + ']'.repeat(100_000);
    const dir = tempDir({
      'ann.json': `{"annotations": [{"segmentation": ${deep}, "category_id": 1, "image_id": 1}], "categories": [{"id": 1, "name": "a"}]}`,
      'cat.json': `{"categories": [${deep}]}`,
      'open.json': `{"annotations": [${'['.repeat(100_000)}`,
    });
    const r = await coco.extract(path.join(dir, 'ann.json'), { stats: true });
    expect(statsOf(r.rows)).toEqual({ 1: [1, 1] });
    expect((await failure(coco.extract(path.join(dir, 'cat.json'), { stats: false }))).finding).toMatchObject({ code: 'coco-category-field', path: '$.categories[0]' });
    expect((await failure(coco.extract(path.join(dir, 'open.json'), { stats: false }))).finding).toMatchObject({ code: 'json-truncated', args: { open: 100_002 } });
  });
});

describe('coco extractor: detect', () => {
  it.each([
    ['instances-categories-last.json', true, 'a JSON object with COCO keys (images, annotations, categories)'],
    ['instances-categories-first.json', true, 'a JSON object with COCO keys (categories, images, annotations)'],
    ['panoptic-categories.json', true, 'a JSON array of categories (objects with id and name)'],
    ['not-json.html', false, `not JSON: starts with '<' ("<!DOCTYPE html>")`],
    ['no-categories.json', true, 'a JSON object with COCO keys (images, annotations)'],
  ])('%s -> %s', async (name, ok, reason) => {
    expect(await coco.detect(fixture(name))).toEqual({ ok, reason });
  });

  it('rejects other JSON with a reason', async () => {
    const dir = tempDir({
      'config.json': '{"labels": [], "version": "2.0"}',
      'list.json': '[1, 2, 3]',
      'broken.json': '{"images" [',
    });
    expect(await coco.detect(path.join(dir, 'config.json'))).toEqual({ ok: false, reason: 'a JSON object without categories/images/annotations keys (keys: labels, version)' });
    expect(await coco.detect(path.join(dir, 'list.json'))).toEqual({ ok: false, reason: 'a JSON array whose first element is not a category object with id and name' });
    expect((await coco.detect(path.join(dir, 'broken.json'))).reason).toBe("not valid JSON: malformed JSON at byte 10: expected ':' after the key, found '['");
    expect(await coco.detect(path.join(dir, 'missing.json'))).toMatchObject({ ok: false });
  });

  it('a folder is not COCO, but names the annotation file in it for the fix of extract auto', async () => {
    const dir = tempDir({ 'annotations/captions_val2017.json': '{"images": [], "annotations": []}', 'annotations/readme.json': '{"a": 1}' }, { 'annotations/instances_val2017.json': fixture('instances-categories-first.json') });
    const d = await coco.detect(dir);
    expect(d.ok).toBe(false);
    expect(d.reason).toBe(`a folder, not a file; COCO annotation files in it: ${path.join(dir, 'annotations', 'instances_val2017.json')}`);
    expect(d.hint).toEqual({ format: 'coco', input: path.join(dir, 'annotations', 'instances_val2017.json'), why: 'the folder holds a COCO annotation file' });
    expect(await coco.detect(tempDir({ 'x.txt': 'no' }))).toEqual({ ok: false, reason: 'a folder without COCO annotation JSON files (nor one level down)' });
  });

  it('looks past a long info block, up to 1 MiB', async () => {
    const dir = tempDir({
      'long-info.json': `{"info": {"description": "${'x'.repeat(100_000)}"}, "images": [], "annotations": [], "categories": []}`,
      'very-long-info.json': `{"info": {"description": "${'x'.repeat(2_000_000)}"}, "images": []}`,
    });
    expect(await coco.detect(path.join(dir, 'long-info.json'))).toEqual({ ok: true, reason: 'a JSON object with COCO keys (images, annotations, categories)' });
    expect(await coco.detect(path.join(dir, 'very-long-info.json'))).toEqual({ ok: false, reason: 'a JSON object whose first keys (info) are not COCO keys (categories, images, annotations)' });
  });

  it('reads only the head of the file: garbage after the first MiB is not looked at', async () => {
    const dir = tempDir();
    const file = path.join(dir, 'big.json');
    writeFileSync(file, `{"info": {}, "images": [${'{"id": 1}, '.repeat(200_000)}<<< not json >>>`);
    expect(await coco.detect(file)).toEqual({ ok: true, reason: 'a JSON object with COCO keys (images)' });
  });
});

describe.skipIf(!existsSync(REAL))('coco extractor: the real COCO files', () => {
  const real = (name: string): string => path.join(REAL, 'coco', name);

  it('instances_val2017 (excerpt): 80 classes, ids 1..90 with gaps', async () => {
    const r = await coco.extract(real('instances_val2017.excerpt.json'), { stats: true });
    expect(r.name).toBe('coco');
    expect(r.rows).toHaveLength(80);
    const ids = r.rows.map((x) => x.id);
    expect(ids[0]).toBe(1);
    expect(ids.at(-1)).toBe(90);
    expect([12, 26, 29, 30, 45, 66, 68, 69, 71, 83].filter((id) => ids.includes(id))).toEqual([]);
    expect(r.rows.find((x) => x.id === 18)).toMatchObject({ name: 'dog', category: 'animal', is_thing: true });
    // Its 100 annotations, counted independently.
    const data = JSON.parse(readFileSync(real('instances_val2017.excerpt.json'), 'utf8')) as { annotations: { category_id: number; image_id: number }[] };
    for (const x of r.rows) {
      const anns = data.annotations.filter((a) => a.category_id === x.id);
      expect([x.instances, x.images]).toEqual([anns.length, new Set(anns.map((a) => a.image_id)).size]);
    }
  });

  it('panoptic_coco_categories.json: 133 classes, 80 things and 53 stuff', async () => {
    const r = await coco.extract(real('panoptic_coco_categories.json'), { stats: false });
    expect(r.name).toBe('coco-panoptic');
    expect(r.rows).toHaveLength(133);
    expect(r.rows.filter((x) => x.is_thing === true)).toHaveLength(80);
    expect(r.rows.filter((x) => x.is_thing === false)).toHaveLength(53);
    expect(r.rows[0]).toMatchObject({ id: 1, name: 'person', color: '#dc143c' });
  });

  it('stuff_val2017 (excerpt): 92 stuff classes', async () => {
    const r = await coco.extract(real('stuff_val2017.excerpt.json'), { stats: true });
    expect(r.name).toBe('coco-stuff');
    expect(r.rows).toHaveLength(92);
    expect(r.rows.every((x) => x.is_thing === false)).toBe(true);
    expect(r.rows.at(-1)).toMatchObject({ id: 183, name: 'other' });
  });

  it('panoptic_examples.json: segments counted per class', async () => {
    const r = await coco.extract(real('panoptic_examples.json'), { stats: true });
    expect(r.name).toBe('coco-panoptic');
    const data = JSON.parse(readFileSync(real('panoptic_examples.json'), 'utf8')) as { annotations: { image_id: number; segments_info: { category_id: number }[] }[] };
    for (const x of r.rows) {
      const images = data.annotations.filter((a) => a.segments_info.some((s) => s.category_id === x.id));
      const segments = data.annotations.flatMap((a) => a.segments_info).filter((s) => s.category_id === x.id);
      expect([x.instances, x.images]).toEqual([segments.length, images.length]);
    }
    expect(r.rows.reduce((n, x) => n + (x.instances ?? 0), 0)).toBe(data.annotations.reduce((n, a) => n + a.segments_info.length, 0));
  });

  it('panoptic_coco_detection_format.json: no isthing, so COCO\'s id convention', async () => {
    const r = await coco.extract(real('panoptic_coco_detection_format.json'), { stats: true });
    expect(r.name).toBe('coco-panoptic');
    expect(r.rows.filter((x) => x.is_thing === true)).toHaveLength(80);
    expect(r.notes.join('\n')).toContain("is_thing follows COCO's id convention");
    expect(r.notes.join('\n')).toContain('50 annotations over 2 images');
  });
});

describe.skipIf(!existsSync(GEN_COCO))('coco extractor: against gen-coco.py counts', () => {
  for (const first of [false, true]) {
    it(`stats equal the generator's counts exactly${first ? ' (categories first)' : ''}`, async () => {
      const dir = tempDir();
      const file = path.join(dir, 'gen.json');
      const counts = path.join(dir, 'gen.counts.json');
      const args = [GEN_COCO, file, '--images', '500', '--annotations', '4000', '--counts', counts, ...(first ? ['--categories-first'] : [])];
      const py = spawnSync('python3', args, { encoding: 'utf8' });
      expect(py.status, py.stderr).toBe(0);
      const expected = JSON.parse(readFileSync(counts, 'utf8')) as Record<string, { instances: number; images: number }>;
      const r = await coco.extract(file, { stats: true });
      expect(r.rows).toHaveLength(80);
      expect(Object.fromEntries(r.rows.map((x) => [String(x.id), { instances: x.instances, images: x.images }]))).toEqual(expected);
      expect(r.rows[0]!.name).toBe('class "1" é');
      // Reads of an odd size cut numbers, keys and strings anywhere: the same counts.
      expect((await readCoco(file, { stats: true, chunkSize: 997 })).counts).toEqual((await readCoco(file, { stats: true })).counts);
    });
  }
});
