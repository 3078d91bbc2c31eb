// The yolo export: the names section of an Ultralytics data YAML, read by PyYAML (what Ultralytics
// uses) when it is installed, and checked as exact text always.
import { describe, expect, it } from 'vitest';
import { renderExport } from '../../src/export/render.js';
import { yamlString } from '../../src/export/yolo.js';
import type { Bundle } from '../../src/taxonomy/types.js';
import { BUNDLES, fixtureBundle, hasPyYaml, python } from './helpers.js';

describe('--format yolo', () => {
  it('writes the path/train/val placeholders, nc and the names of the thing labels after a header comment', () => {
    const text = renderExport(fixtureBundle('tricky-names'), 'yolo');
    const body = text.split('\n').filter((l) => !l.startsWith('#'));
    expect(body).toEqual([
      'path: path/to/dataset',
      'train: images/train',
      'val: images/val',
      '',
      'nc: 4',
      'names:',
      '  0: "yes"',
      '  1: "a<b>&\\"c\\"\'"',
      '  2: "caf\\u00e9 \\\\ \\u6771\\u4eac"',
      '  3: "2nd"',
      '',
    ]);
    expect(text.startsWith('# Output labels of the vertical "tricky"')).toBe(true);
    expect(text).toContain('# Fill in path, train and val before training: they are placeholders.');
  });

  it('a label set without things is an error that points to a segmentation format', () => {
    const b = structuredClone(fixtureBundle('self-driving')) as Bundle;
    for (const l of b.labels) l.is_thing = false;
    expect(() => renderExport(b, 'yolo')).toThrow('yolo needs at least one thing label (is_thing true), and no output label of the vertical "self-driving" is one');
  });

  it.each([
    ['road', 'road'],
    ['traffic_light', 'traffic_light'],
    ['rug-merged', 'rug-merged'],
    ['v1.2', 'v1.2'],
    ['yes', '"yes"'],
    ['No', '"No"'],
    ['OFF', '"OFF"'],
    ['y', '"y"'],
    ['null', '"null"'],
    ['true', '"true"'],
    ['2nd', '"2nd"'],
    ['1e3', '"1e3"'],
    ['traffic light', '"traffic light"'],
    ['a: b', '"a: b"'],
    ['#x', '"#x"'],
    ['-', '"-"'],
  ])('yamlString(%j) = %s', (name, yaml) => {
    expect(yamlString(name)).toBe(yaml);
  });

  it.skipIf(!hasPyYaml)('PyYAML reads it as Ultralytics check_det_dataset does: train/val present, names 0..nc-1, things only', () => {
    const files = Object.fromEntries(BUNDLES.map((name) => [`${name}.yaml`, renderExport(fixtureBundle(name), 'yolo')]));
    const got = python(
      `import glob, json, yaml
out = {}
for path in sorted(glob.glob("*.yaml")):
    with open(path, encoding="utf-8") as f:
        data = yaml.safe_load(f)
    # what ultralytics.data.utils.check_det_dataset and check_class_names require
    for k in ("train", "val"):
        assert k in data, (path, k)
    names = data["names"]
    assert isinstance(names, dict), path
    assert all(isinstance(k, int) for k in names), path
    assert all(isinstance(v, str) for v in names.values()), path
    assert max(names) == len(names) - 1 and data["nc"] == len(names), path
    out[path] = {"keys": list(data), "path": data["path"], "nc": data["nc"], "names": [names[i] for i in range(data["nc"])]}
print(json.dumps(out))`,
      files,
      { site: true },
    ) as Record<string, { keys: string[]; path: string; nc: number; names: string[] }>;
    for (const name of BUNDLES) {
      const things = fixtureBundle(name).labels.filter((l) => l.is_thing === true).map((l) => l.name);
      expect(got[`${name}.yaml`], name).toEqual({ keys: ['path', 'train', 'val', 'nc', 'names'], path: 'path/to/dataset', nc: things.length, names: things });
    }
    expect(got['self-driving.yaml']!.names).toEqual(['pedestrian', 'bicyclist', 'motorcyclist', 'vehicle', 'two_wheeler', 'traffic_light']);
  });
});
