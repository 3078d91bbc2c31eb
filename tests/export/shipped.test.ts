// The exports of the shipped self-driving vertical (compiled from sheets/ as `labelmap merge`
// does), each read in its consumer's terms: thing/stuff right in every detection and panoptic
// export, COCO ids from 1, full-length lookup tables.
import path from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { openSheets } from '../../src/api/index.js';
import { renderExport } from '../../src/export/render.js';
import type { Bundle } from '../../src/taxonomy/types.js';
import { ROOT } from '../helpers/cli.js';
import { hasPython, hasPyYaml, python } from './helpers.js';

const STUFF = ['road', 'lane_marking', 'crosswalk', 'barrier', 'vegetation', 'sky', 'sidewalk'];
const THINGS = ['car', 'pedestrian', 'rider', 'bicycle'];

describe('exports of the shipped self-driving vertical', () => {
  let bundle: Bundle;
  beforeAll(() => {
    bundle = openSheets(path.join(ROOT, 'sheets'), { vertical: 'self-driving' }).bundle;
  });

  it('coco: ids from 1 (road is 1, not the background id 0), isthing 0 for stuff and 1 for things', () => {
    const { categories } = JSON.parse(renderExport(bundle, 'coco')) as { categories: { id: number; name: string; isthing: number }[] };
    const byName = new Map(categories.map((c) => [c.name, c]));
    expect(byName.get('road')!.id).toBe(1);
    expect(Math.min(...categories.map((c) => c.id))).toBe(1);
    for (const name of STUFF) expect(byName.get(name)?.isthing, name).toBe(0);
    for (const name of THINGS) expect(byName.get(name)?.isthing, name).toBe(1);
    expect(categories.every((c) => c.isthing === 0 || c.isthing === 1)).toBe(true);
  });

  it.skipIf(!hasPython)('detectron2 and mmdet: no stuff among the thing classes; panoptic maps split things and stuff', () => {
    const got = python(
      `import json, runpy
d2 = runpy.run_path("d2.py")
mm = runpy.run_path("mmdet.py")["metainfo"]
m, p = d2["METADATA"], d2["PANOPTIC_METADATA"]
print(json.dumps({
    "thing_classes": m["thing_classes"],
    "mmdet": list(mm["classes"]),
    "pan_things": [p["stuff_classes"][c] for c in p["thing_dataset_id_to_contiguous_id"].values()],
    "pan_stuff": [p["stuff_classes"][c] for c in p["stuff_dataset_id_to_contiguous_id"].values()],
    "pan_ids": sorted([*p["thing_dataset_id_to_contiguous_id"], *p["stuff_dataset_id_to_contiguous_id"]]),
}))`,
      { 'd2.py': renderExport(bundle, 'detectron2'), 'mmdet.py': renderExport(bundle, 'mmdet') },
    ) as Record<string, any>;
    for (const list of [got.thing_classes, got.mmdet, got.pan_things]) {
      for (const name of THINGS) expect(list, name).toContain(name);
      for (const name of STUFF) expect(list, name).not.toContain(name);
    }
    for (const name of STUFF) expect(got.pan_stuff, name).toContain(name);
    for (const name of THINGS) expect(got.pan_stuff, name).not.toContain(name);
    expect(got.pan_ids[0]).toBe(1);
    expect(got.pan_ids).toHaveLength(bundle.labels.length);
  });

  it.skipIf(!hasPyYaml)('yolo: things only, with the keys Ultralytics requires', () => {
    const data = python('import json, yaml\nprint(json.dumps(yaml.safe_load(open("data.yaml", encoding="utf-8"))))', { 'data.yaml': renderExport(bundle, 'yolo') }, { site: true }) as {
      names: Record<string, string>;
      nc: number;
      train: string;
      val: string;
      path: string;
    };
    const names = Object.values(data.names);
    expect(data.nc).toBe(names.length);
    expect([typeof data.path, typeof data.train, typeof data.val]).toEqual(['string', 'string', 'string']);
    for (const name of THINGS) expect(names, name).toContain(name);
    for (const name of STUFF) expect(names, name).not.toContain(name);
  });

  it.skipIf(!hasPython)('python: every dataset has a full-length LUT (256 entries), so lut[mask] never fails on an 8-bit mask', () => {
    const got = python('import json, m\nprint(json.dumps({k: [len(v), v[255]] for k, v in m.LUT.items()}))', { 'm.py': renderExport(bundle, 'python') }) as Record<string, [number, number]>;
    expect(Object.keys(got).sort()).toEqual(bundle.datasets.map((d) => d.name).sort());
    for (const [dataset, [length, last]] of Object.entries(got)) {
      expect(length, dataset).toBe(256);
      expect(last, dataset).toBe(255);
    }
  });
});
