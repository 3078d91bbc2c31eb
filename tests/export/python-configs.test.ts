// mmseg / mmdet metainfo and detectron2 metadata: Python that python3 runs (as mmengine's config
// loader and `import` would), checked against the bundle.
import { beforeAll, describe, expect, it } from 'vitest';
import { labelSets } from '../../src/export/common.js';
import { renderExport } from '../../src/export/render.js';
import { LabelmapError } from '../../src/findings.js';
import type { Bundle } from '../../src/taxonomy/types.js';
import { BUNDLES, fixtureBundle, hasPython, python } from './helpers.js';

const hex = (c: string) => [1, 3, 5].map((i) => Number.parseInt(c.slice(i, i + 2), 16));
const indexNames = (b: Bundle) =>
  Array.from({ length: b.labels.at(-1)!.train_id + 1 }, (_, i) => b.labels.find((l) => l.train_id === i)?.name ?? `__unused_${i}__`);
const indexColors = (b: Bundle) => Array.from({ length: b.labels.at(-1)!.train_id + 1 }, (_, i) => hex(b.labels.find((l) => l.train_id === i)?.color ?? '#000000'));

const setRows = (b: Bundle) => labelSets(b).map((s) => [s.id, s.name, s.kind, s.member_ids]);

const RUN = `import glob, json, runpy
out = {}
for path in sorted(glob.glob("*.py")):
    ns = runpy.run_path(path)
    if "metainfo" in ns:
        m = ns["metainfo"]
        assert isinstance(m["classes"], tuple), path
        out[path] = {"classes": list(m["classes"]), "palette": m["palette"]}
        assert len(m["palette"]) == len(m["classes"]), path  # mmseg/mmdet check this
        if "label_sets" in m:
            out[path]["label_sets"] = [[k, v[0], v[1], list(v[2])] for k, v in m["label_sets"].items()]
            out[path]["ignore_index"] = ns["ignore_index"]
            out[path]["reduce_zero_label"] = ns["reduce_zero_label"]
    else:
        out[path] = {}
        for name in ("METADATA", "PANOPTIC_METADATA"):
            m = dict(ns[name])
            if "label_sets" in m:
                m["label_sets"] = [[k, v[0], v[1], list(v[2])] for k, v in m["label_sets"].items()]
            for key in ("thing_dataset_id_to_contiguous_id", "stuff_dataset_id_to_contiguous_id"):
                if key in m:
                    assert all(isinstance(k, int) and isinstance(v, int) for k, v in m[key].items()), (path, key)
                    m[key] = sorted(m[key].items())
            out[path][name] = m
print(json.dumps(out))`;

describe.skipIf(!hasPython)('mmseg, mmdet and detectron2 exports, run by python3', () => {
  const files: Record<string, string> = {};
  for (const name of BUNDLES) for (const f of ['mmseg', 'mmdet', 'detectron2']) files[`${name.replace(/-/g, '_')}_${f}.py`] = renderExport(fixtureBundle(name), f);
  let got: Record<string, any> = {};
  beforeAll(() => {
    got = python(RUN, files) as Record<string, any>;
  });

  it.each(BUNDLES)('%s: mmseg classes and palette by train id, label_sets, ignore_index, reduce_zero_label False', (name) => {
    const b = fixtureBundle(name);
    expect(got[`${name.replace(/-/g, '_')}_mmseg.py`]).toEqual({
      classes: indexNames(b),
      palette: indexColors(b),
      label_sets: setRows(b),
      ignore_index: b.ignore_id,
      reduce_zero_label: false,
    });
  });

  it.each(BUNDLES)('%s: mmdet classes are the thing labels in train-id order', (name) => {
    const b = fixtureBundle(name);
    const things = b.labels.filter((l) => l.is_thing === true);
    expect(got[`${name.replace(/-/g, '_')}_mmdet.py`]).toEqual({ classes: things.map((l) => l.name), palette: things.map((l) => hex(l.color)) });
  });

  it.each(BUNDLES)('%s: detectron2 METADATA (things contiguous, stuff classes by train id) and PANOPTIC_METADATA (standard layout)', (name) => {
    const b = fixtureBundle(name);
    const things = b.labels.filter((l) => l.is_thing === true);
    const stuff = b.labels.filter((l) => l.is_thing !== true);
    expect(got[`${name.replace(/-/g, '_')}_detectron2.py`]).toEqual({
      METADATA: {
        thing_classes: things.map((l) => l.name),
        thing_colors: things.map((l) => hex(l.color)),
        thing_dataset_id_to_contiguous_id: things.map((l, i) => [l.train_id + 1, i]),
        stuff_classes: indexNames(b),
        stuff_colors: indexColors(b),
        ignore_label: b.ignore_id,
        label_sets: setRows(b),
      },
      PANOPTIC_METADATA: {
        thing_classes: indexNames(b),
        thing_colors: indexColors(b),
        stuff_classes: indexNames(b),
        stuff_colors: indexColors(b),
        thing_dataset_id_to_contiguous_id: things.map((l) => [l.train_id + 1, l.train_id]),
        stuff_dataset_id_to_contiguous_id: stuff.map((l) => [l.train_id + 1, l.train_id]),
      },
    });
  });
});

describe('--format mmdet', () => {
  it('refuses a label set without things, and says what to use instead', () => {
    const b = structuredClone(fixtureBundle('self-driving')) as Bundle;
    for (const l of b.labels) l.is_thing = false;
    try {
      renderExport(b, 'mmdet');
      expect.unreachable();
    } catch (error) {
      expect(error).toBeInstanceOf(LabelmapError);
      expect((error as LabelmapError).message).toBe(
        'error export-empty: mmdet needs at least one thing label (is_thing true), and no output label of the vertical "self-driving" is one\n  fix: a detector needs countable classes; for segmentation use --format mmseg',
      );
    }
  });
});
