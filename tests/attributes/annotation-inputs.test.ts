// labelmap attributes over annotation-only inputs: a COCO instances file and Cityscapes / Mapillary
// polygon folders (fixtures/attributes, hand-counted in the comments there and here). They carry no
// dataset attributes: weather, time_of_day and scene stay missing, the derived keys are computed.
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { FIXTURES, ROOT, runInProcess, tempDir } from '../helpers/cli.js';

const SHEETS = path.join(ROOT, 'sheets');
const DIR = path.join(FIXTURES, 'attributes');
const COCO = path.join(DIR, 'coco-instances.json');
const HEADER = 'image,weather,time_of_day,scene,roadworks,traffic_near,traffic_far,crowded';
const attributes = (args: string[], cwd?: string) => runInProcess(['--sheets', SHEETS, 'attributes', ...args], { cwd, env: { NO_COLOR: '1' } });
const lines = (stdout: string) => stdout.trim().split('\n');

// The shipped rules (attribute-rules/derived@1.0.0): near = a person|vehicle box >= 0.2 of the image
// high, far = one < 0.05, crowded = at least 20 instances, roadworks = temporary_barrier|traffic_cone|
// temporary_sign_front. COCO classes reach the taxonomy through mappings/coco.
const COCO_TABLE = [
  HEADER,
  // car 96/480 = 0.2 exactly: near; person 20/480 = 0.042: far; traffic light and an unknown category id: no road user
  'a.jpg,,,,no,yes,yes,no',
  // bicycle 30/400 = 0.075: neither; dog 300/400: no road user; a person without bbox has no height
  'b.jpg,,,,no,no,no,no',
  // listed, no annotation: every derived key no
  'c.jpg,,,,no,no,no,no',
  // 20 persons of 10 px but no height in images: not near, not far; crowded (20)
  'd.jpg,,,,no,no,no,yes',
  // image id 7 is only named by an annotation: by its id, after the listed images, no height
  '7,,,,no,no,no,no',
];

describe('labelmap attributes on a COCO instances file', () => {
  it('gives each listed image its derived attributes from bbox height / image height', async () => {
    const r = await attributes([COCO, '--dataset', 'coco']);
    expect(r.code, r.stderr).toBe(0);
    expect(lines(r.stdout)).toEqual(COCO_TABLE);
    expect(r.stderr).toContain('5 images, derived attributes only (a coco input has no dataset attributes) into unified@1.0.0, classes by coco@1.0.0, derived by derived@1.0.0');
    expect(r.stderr).toContain('weather: (missing) 5');
    expect(r.stderr).toContain('crowded: no 4, yes 1');
  });

  it('--image-height stands in for images whose file gives no height', async () => {
    const r = await attributes([COCO, '--dataset', 'coco', '--image-height', '100']);
    expect(r.code, r.stderr).toBe(0);
    // d.jpg: persons 10/100 = 0.1, neither; "7": car 50/100: near. a.jpg keeps its own 480.
    expect(lines(r.stdout)).toEqual([...COCO_TABLE.slice(0, 4), 'd.jpg,,,,no,no,no,yes', '7,,,,no,yes,no,no']);
  });

  it('gives the same table whatever the order of images, annotations and categories in the file', async () => {
    const json = JSON.parse(readFileSync(COCO, 'utf8'));
    const reordered = { categories: json.categories, annotations: json.annotations, images: json.images };
    const dir = tempDir({ 'in.json': JSON.stringify(reordered, null, 2) });
    const r = await attributes(['in.json', '--dataset', 'coco'], dir);
    expect(r.code, r.stderr).toBe(0);
    expect(lines(r.stdout)).toEqual(COCO_TABLE);
  });

  it('--json names the input format and the class mapping; no attribute mapping', async () => {
    const r = await attributes([COCO, '--dataset', 'coco', '--json']);
    const json = JSON.parse(r.stdout);
    expect(json).toMatchObject({ input: 'coco', images: 5, mapping: null, classMapping: 'coco@1.0.0' });
    expect(json.counts.traffic_far).toEqual({ no: 4, yes: 1 });
  });

  it.each([
    ['an image height that is no number', '{"images": [{"id": 1, "height": "480"}], "annotations": [], "categories": [{"id": 1, "name": "car"}]}', 'image height: expected a height in pixels'],
    ['an image without id', '{"images": [{"file_name": "a.jpg"}], "annotations": [], "categories": [{"id": 1, "name": "car"}]}', 'image id: expected an integer'],
    ['an annotation without image_id', '{"images": [], "annotations": [{"category_id": 1, "bbox": [0, 0, 1, 1]}], "categories": [{"id": 1, "name": "car"}]}', 'annotation image_id'],
    ['no categories', '{"images": [{"id": 1}], "annotations": []}', 'coco-no-categories'],
    ['no images and no annotations', '{"images": [], "annotations": [], "categories": [{"id": 1, "name": "car"}]}', 'no image'],
  ])('%s: exit 2 with a message, no stack', async (_what, json, words) => {
    const dir = tempDir({ 'in.json': json });
    const r = await attributes(['in.json', '--dataset', 'coco'], dir);
    expect(r.code, r.stderr).toBe(2);
    expect(r.stderr).toContain(words);
    expect(r.stderr).not.toMatch(/\n\s+at /);
  });

  it('a box that is not four numbers has no height', async () => {
    const dir = tempDir({
      'in.json': JSON.stringify({
        images: [{ id: 1, file_name: 'a.jpg', height: 100 }],
        annotations: [
          { image_id: 1, category_id: 1, bbox: [0, 0, 5, 'x'] },
          { image_id: 1, category_id: 1, bbox: [0, 0, 50] },
          { image_id: 1, category_id: 1, bbox: [0, 0, 5, -30] },
          { image_id: 1, category_id: 1, bbox: { h: 90 } },
        ],
        categories: [{ id: 1, name: 'car' }],
      }),
    });
    const r = await attributes(['in.json', '--dataset', 'coco'], dir);
    expect(r.code, r.stderr).toBe(0);
    expect(lines(r.stdout)[1]).toBe('a.jpg,,,,no,no,no,no');
  });
});

describe('labelmap attributes on polygon folders', () => {
  it('Cityscapes gtFine: polygon y extent / imgHeight; deleted objects out; cargroup counts as car; gtCoarse left out', async () => {
    const r = await attributes([path.join(DIR, 'gtFine'), '--dataset', 'cityscapes']);
    expect(r.code, r.stderr).toBe(0);
    expect(lines(r.stdout)).toEqual([
      HEADER,
      // car 250/1024 = 0.244: near; person 40/1024 = 0.039: far; road: no road user
      'frankfurt_000000_000294_leftImg8bit.png,,,,no,yes,yes,no',
      // rider 100/1024 = 0.098: neither; the deleted car (1000 px) is left out; a traffic sign is no road user
      'frankfurt_000000_000576_leftImg8bit.png,,,,no,no,no,no',
      // cargroup 300/1024 = 0.29: near (the gtCoarse file's small person would make it far)
      'lindau_000000_000019_leftImg8bit.png,,,,no,yes,no,no',
    ]);
    expect(r.stderr).toContain('3 images, derived attributes only (a cityscapes input has no dataset attributes) into unified@1.0.0, classes by cityscapes@1.1.0');
  });

  it('one Cityscapes polygon file is an input too', async () => {
    const file = path.join(DIR, 'gtFine', 'val', 'lindau', 'lindau_000000_000019_gtCoarse_polygons.json');
    const r = await attributes([file, '--dataset', 'cityscapes']);
    expect(r.code, r.stderr).toBe(0);
    // person 10/1024: far
    expect(lines(r.stdout)).toEqual([HEADER, 'lindau_000000_000019_leftImg8bit.png,,,,no,no,yes,no']);
  });

  it('Mapillary Vistas v2.0 polygons: temporary barriers and cones are roadworks', async () => {
    const r = await attributes([path.join(DIR, 'vistas'), '--dataset', 'mapillary-vistas-v2.0']);
    expect(r.code, r.stderr).toBe(0);
    expect(lines(r.stdout)).toEqual([
      HEADER,
      // construction--barrier--temporary: roadworks; car 900/3000 = 0.3: near
      'k1.jpg,,,,yes,yes,no,no',
      // object--traffic-cone: roadworks; person 100/3000 = 0.033: far
      'k2.jpg,,,,yes,no,yes,no',
      // bus 400/3000 = 0.133: neither; road: no road user
      'k3.jpg,,,,no,no,no,no',
    ]);
    expect(r.stderr).toContain('roadworks: no 1, yes 2');
  });

  it('a polygon file with a height that is no number, a folder without polygon files, an unknown dataset: exit 2', async () => {
    const dir = tempDir({ 'gtFine/x/a_gtFine_polygons.json': '{"imgHeight": "1024", "objects": []}', 'empty/readme.txt': 'nothing' });
    const bad = await attributes(['gtFine', '--dataset', 'cityscapes'], dir);
    expect(bad.code).toBe(2);
    expect(bad.stderr).toContain('the image height in pixels');
    const empty = await attributes(['empty', '--dataset', 'cityscapes'], dir);
    expect(empty.code).toBe(2);
    expect(empty.stderr).toContain('polygons-none');
    const unknown = await attributes([path.join(DIR, 'vistas'), '--dataset', 'vistas']);
    expect(unknown.code).toBe(2);
    expect(unknown.stderr).toContain('attribute-dataset-unmapped');
    expect(unknown.stderr).toContain('mapillary-vistas-v2.0');
    expect(unknown.stderr).not.toMatch(/\n\s+at /);
  });
});
