// The yolo export: the names section of an Ultralytics data YAML, read by PyYAML (what Ultralytics
// uses) when it is installed, and checked as exact text always.
import { describe, expect, it } from 'vitest';
import { renderExport } from '../../src/export/render.js';
import { yamlString } from '../../src/export/yolo.js';
import { BUNDLES, fixtureBundle, hasPyYaml, python } from './helpers.js';

describe('--format yolo', () => {
  it('writes nc and names by index after a header comment', () => {
    const text = renderExport(fixtureBundle('tricky-names'), 'yolo');
    const body = text.split('\n').filter((l) => !l.startsWith('#'));
    expect(body).toEqual([
      'nc: 7',
      'names:',
      '  0: "yes"',
      '  1: "null"',
      '  2: "a<b>&\\"c\\"\'"',
      '  3: "x: y # z"',
      '  4: "caf\\u00e9 \\\\ \\u6771\\u4eac"',
      '  5: __unused_5__',
      '  6: "2nd"',
      '',
    ]);
    expect(text.startsWith('# Output labels of the vertical "tricky"')).toBe(true);
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

  it.skipIf(!hasPyYaml)('PyYAML reads back every name as a string at its train id', () => {
    const files = Object.fromEntries(BUNDLES.map((name) => [`${name}.yaml`, renderExport(fixtureBundle(name), 'yolo')]));
    const got = python(
      `import glob, json, yaml
out = {}
for path in sorted(glob.glob("*.yaml")):
    with open(path, encoding="utf-8") as f:
        data = yaml.safe_load(f)
    assert all(isinstance(k, int) for k in data["names"]), path
    assert all(isinstance(v, str) for v in data["names"].values()), path
    out[path] = {"nc": data["nc"], "names": [data["names"][i] for i in range(data["nc"])]}
print(json.dumps(out))`,
      files,
      { site: true },
    ) as Record<string, { nc: number; names: string[] }>;
    for (const name of BUNDLES) {
      const bundle = fixtureBundle(name);
      const expected = Array.from({ length: bundle.labels.at(-1)!.train_id + 1 }, (_, i) => bundle.labels.find((l) => l.train_id === i)?.name ?? `__unused_${i}__`);
      expect(got[`${name}.yaml`], name).toEqual({ nc: expected.length, names: expected });
    }
  });
});
