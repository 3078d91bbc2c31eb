// The detection and panoptic exports read the way their libraries read them, with the exports
// used together (coco categories + detectron2 metadata, coco categories + mmdet metainfo). The
// library code is not installed here, so python3 runs the few lines of it that consume these
// files, as they are in detectron2 (data/catalog.py Metadata.__setattr__, datasets/coco.py
// load_coco_json, datasets/coco_panoptic.py register_coco_panoptic and load_coco_panoptic_json)
// and mmdet (datasets/coco.py CocoDataset.load_data_list).
import { describe, expect, it } from 'vitest';
import { renderExport } from '../../src/export/render.js';
import { BUNDLES, fixtureBundle, hasPython, python } from './helpers.js';

const CONSUMERS = `import json, runpy

class Metadata:
    """detectron2.data.catalog.Metadata: setting a key twice to another value is an error."""
    def __init__(self):
        self.__dict__["_d"] = {}
    def __setattr__(self, key, val):
        old = self._d.get(key)
        assert old is None or old == val, f"Attribute '{key}' cannot be set to a different value! {old} != {val}"
        self._d[key] = val
    def __getattr__(self, key):
        return self._d[key]
    def set(self, **kwargs):
        for k, v in kwargs.items():
            setattr(self, k, v)
        return self

d2 = runpy.run_path("labelmap_detectron2.py")
with open("categories.json", encoding="utf-8") as f:
    categories = json.load(f)["categories"]
mmdet = runpy.run_path("metainfo_mmdet.py")["metainfo"]
out = {}

# Instances: METADATA, then load_coco_json over a detection json whose categories are the things.
meta = Metadata().set(**d2["METADATA"])
things = [c for c in categories if c["isthing"] == 1]
cat_ids = sorted(c["id"] for c in things)
cats = sorted(things, key=lambda c: c["id"])
meta.thing_classes = [c["name"] for c in cats]
meta.thing_dataset_id_to_contiguous_id = {v: i for i, v in enumerate(cat_ids)}
out["instances"] = [[c["id"], meta.thing_dataset_id_to_contiguous_id[c["id"]], meta.thing_classes[meta.thing_dataset_id_to_contiguous_id[c["id"]]]] for c in cats]

# Semantic segmentation: the pixel value (train id) indexes stuff_classes.
out["sem_seg"] = {"classes": meta.stuff_classes, "ignore": meta.ignore_label}

# Panoptic: register_coco_panoptic passes its own keys next to **metadata (a duplicate is a TypeError),
# then load_coco_panoptic_json converts every segment's category id.
pan = Metadata().set(panoptic_root="p", image_root="i", panoptic_json="j", json_file=None,
                     evaluator_type="coco_panoptic_seg", ignore_label=255, label_divisor=1000, **d2["PANOPTIC_METADATA"])
m = pan._d
segments = []
for c in categories:
    s = {"id": 1, "category_id": c["id"]}
    if s["category_id"] in m["thing_dataset_id_to_contiguous_id"]:
        s["category_id"] = m["thing_dataset_id_to_contiguous_id"][s["category_id"]]
        s["isthing"] = True
    else:
        s["category_id"] = m["stuff_dataset_id_to_contiguous_id"][s["category_id"]]
        s["isthing"] = False
    segments.append([c["id"], s["category_id"], s["isthing"], m["stuff_classes"][s["category_id"]], c["isthing"] == 1])
out["panoptic"] = segments

# mmdet: cat_ids = coco.get_cat_ids(cat_names=classes); cat2label = {cat_id: i}.
by_name = {c["name"]: c for c in categories}
cat_ids = [by_name[n]["id"] for n in mmdet["classes"]]
out["mmdet"] = [[cid, i, by_name[n]["isthing"]] for i, (cid, n) in enumerate(zip(cat_ids, mmdet["classes"]))]
print(json.dumps(out))`;

describe.skipIf(!hasPython)('coco + detectron2 + mmdet exports, read together as the libraries read them', () => {
  it.each(BUNDLES)('%s: category id -> contiguous id -> name agree across the exports; things and stuff as the bundle says', (name) => {
    const b = fixtureBundle(name);
    const got = python(CONSUMERS, {
      'labelmap_detectron2.py': renderExport(b, 'detectron2'),
      'categories.json': renderExport(b, 'coco'),
      'metainfo_mmdet.py': renderExport(b, 'mmdet'),
    }) as Record<string, any>;
    const things = b.labels.filter((l) => l.is_thing === true);
    // Instances: COCO id (train id + 1) -> contiguous position among the things -> the same name.
    expect(got.instances).toEqual(things.map((l, i) => [l.train_id + 1, i, l.name]));
    // Semantic: index = train id.
    for (const l of b.labels) expect(got.sem_seg.classes[l.train_id]).toBe(l.name);
    expect(got.sem_seg.ignore).toBe(b.ignore_id);
    // Panoptic: every category converts; contiguous id = train id; isthing from the category agrees.
    expect(got.panoptic).toEqual(b.labels.map((l) => [l.train_id + 1, l.train_id, l.is_thing === true, l.name, l.is_thing === true]));
    // mmdet: only things, each a thing category of the coco export.
    expect(got.mmdet).toEqual(things.map((l, i) => [l.train_id + 1, i, 1]));
  });
});
