// The python export, checked by python3 itself: it imports the module with only the standard
// library on its path, and every table agrees with the Label API over the same bundle.
import { describe, expect, it } from 'vitest';
import { LabelSpace } from '../../src/api/label-api.js';
import { renderExport } from '../../src/export/render.js';
import { LabelmapError } from '../../src/findings.js';
import type { Bundle } from '../../src/taxonomy/types.js';
import { BUNDLES, fixtureBundle, hasPython, python } from './helpers.js';

const DUMP = `
import json
import labelmap_labels as m
print(json.dumps({
    "vertical": m.VERTICAL, "id_bits": m.ID_BITS, "ignore": m.IGNORE, "num_classes": m.NUM_CLASSES,
    "inputs": [list(i) for i in m.INPUTS],
    "enum": [[x.name, int(x)] for x in m.Label],
    "id2label": [[k, v] for k, v in m.ID2LABEL.items()],
    "label2id": [[k, v] for k, v in m.LABEL2ID.items()],
    "is_thing": [[k, v] for k, v in m.IS_THING.items()],
    "covers": [[k, list(v)] for k, v in m.COVERS.items()],
    "palette": [list(p) for p in m.PALETTE],
    "lut": m.LUT,
    "negative": {k: [[i, t] for i, t in v.items()] for k, v in m.NEGATIVE_LUT.items()},
    "name_to_label": m.NAME_TO_LABEL,
    "coverage": m.COVERAGE,
}))
`;

const hex = (c: string) => [1, 3, 5].map((i) => Number.parseInt(c.slice(i, i + 2), 16));

describe.skipIf(!hasPython)('--format python, imported by python3', () => {
  it.each(BUNDLES)('%s: the module imports with the standard library only and its tables agree with the bundle', (name) => {
    const bundle = fixtureBundle(name);
    const space = new LabelSpace(bundle);
    const text = renderExport(bundle, 'python');
    // python() runs python3 -I -S: no site-packages, so an import outside the standard library fails.
    const got = python(DUMP, { 'labelmap_labels.py': text }) as Record<string, any>;
    expect(text.match(/^[ \t]*(from|import) .*/gm)).toEqual(['from enum import IntEnum']);

    expect([got.vertical, got.id_bits, got.ignore, got.num_classes]).toEqual([space.vertical, space.idBits, space.ignoreId, space.numClasses]);
    expect(got.inputs).toEqual(space.inputs.map((i) => [i.kind, i.name, i.version, i.file, i.sha256]));
    expect(got.enum.map((e: [string, number]) => e[1])).toEqual(space.labels().map((l) => l.train_id));
    expect(got.id2label).toEqual(space.labels().map((l) => [l.train_id, l.name]));
    expect(got.label2id).toEqual(space.labels().map((l) => [l.name, l.train_id]));
    expect(got.is_thing).toEqual(space.labels().map((l) => [l.train_id, l.is_thing]));
    expect(got.covers).toEqual(space.labels().map((l) => [l.train_id, l.covers]));
    expect(got.palette).toHaveLength(space.numClasses);
    for (const l of space.labels()) expect(got.palette[l.train_id]).toEqual(hex(l.color));
    for (const d of space.datasets()) {
      expect(got.lut[d], d).toEqual([...space.lut(d)]);
      expect(got.negative[d]).toEqual([...space.lutMap(d)].filter(([id]) => id < 0));
      for (const [nativeName, label] of Object.entries(got.name_to_label[d] as Record<string, string | null>)) {
        expect(label).toBe(space.lookup(d, nativeName).label);
      }
      expect(Object.keys(got.name_to_label[d])).toHaveLength(space.predictionFilter(d).keep.length + space.predictionFilter(d).off.length);
      expect(got.coverage[d]).toEqual(Object.fromEntries(space.coverage(d).map((c) => [c.label, c.status])));
    }
  });

  it('Label constants are UPPER_CASE identifiers, whatever the label names', () => {
    const got = python(DUMP, { 'labelmap_labels.py': renderExport(fixtureBundle('tricky-names'), 'python') }) as { enum: [string, number][]; id2label: [number, string][] };
    expect(got.enum).toEqual([['YES', 0], ['NULL', 1], ['A_B_C', 2], ['X_Y_Z', 3], ['CAF', 4], ['L_2ND', 6]]);
    expect(got.id2label.map((e) => e[1])).toEqual(['yes', 'null', 'a<b>&"c"\'', 'x: y # z', 'café \\ 東京', '2nd']);
  });

  it('the Cityscapes -1 stays out of the list (Python would read it as the last element)', () => {
    const got = python(`${DUMP.replace('print(json.dumps({', 'print(json.dumps({"last": m.LUT["cityscapes"][-1], "neg": m.NEGATIVE_LUT["cityscapes"][-1],')}`, {
      'labelmap_labels.py': renderExport(fixtureBundle('self-driving'), 'python'),
    }) as { last: number; neg: number };
    // The list is full length (256 entries, the last the ignore id); -1 is in NEGATIVE_LUT only.
    expect(got).toMatchObject({ last: 255, neg: 255 });
  });
});

describe('--format python without python3', () => {
  it('two labels that become one Python name are an error, not a silent rename', () => {
    const b = structuredClone(fixtureBundle('self-driving')) as Bundle;
    b.labels[1]!.name = 'Road';
    for (const d of b.datasets) d.coverage[1]!.label = 'Road';
    b.datasets[0]!.lut.find((e) => e.label === 'sidewalk')!.label = 'Road';
    try {
      renderExport(b, 'python');
      expect.unreachable();
    } catch (error) {
      expect(error).toBeInstanceOf(LabelmapError);
      expect((error as LabelmapError).message).toContain('output labels "road" and "Road" both become the Python name "ROAD"');
    }
  });

  it('a header comment names every input with version and checksum', () => {
    const text = renderExport(fixtureBundle('self-driving'), 'python');
    expect(text.split('\n').slice(0, 4)).toEqual([
      '# Output labels of the vertical "self-driving": 9 labels, 8-bit train ids, ignore = 255.',
      '# Written by `labelmap export --format python` from a labelmap.json bundle: do not edit; change the sheets and export again.',
      '# Inputs (kind, name, version, file, sha256):',
      '#   dataset   cityscapes    1.0.0  datasets/cityscapes@1.0.0.csv     6979d04e41aedd4d8c973dda4d3256023936960de854d31435944b451ca57bb8',
    ]);
  });
});
