// The python export, checked by python3 itself: it imports the module with only the standard
// library on its path, and every table agrees with the Label API over the same bundle.
import { spawnSync } from 'node:child_process';
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
    "label_sets": [[k, v[0], v[1], list(v[2])] for k, v in m.LABEL_SETS.items()],
    "multi_hot": [[k, list(v)] for k, v in m.SET_MULTI_HOT.items()],
    "name_to_set": m.NAME_TO_SET,
    "encodings": m.ENCODINGS,
    "encoding_lut": m.ENCODING_LUT,
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
    expect(text.match(/^(from|import) .*/gm)).toEqual(['from enum import IntEnum']);
    // numpy and torch only inside the loss functions, imported when called.
    expect(text.match(/^[ \t]+(from|import) .*/gm)).toEqual(['    import numpy as np', '    import numpy as np', '    import torch']);

    expect([got.vertical, got.id_bits, got.ignore, got.num_classes]).toEqual([space.vertical, space.idBits, space.ignoreId, space.numClasses]);
    expect(got.inputs).toEqual(space.inputs.map((i) => [i.kind, i.name, i.version, i.file, i.sha256]));
    expect(got.enum.map((e: [string, number]) => e[1])).toEqual(space.labels().map((l) => l.train_id));
    expect(got.id2label).toEqual(space.labels().map((l) => [l.train_id, l.name]));
    expect(got.label2id).toEqual(space.labels().map((l) => [l.name, l.train_id]));
    expect(got.is_thing).toEqual(space.labels().map((l) => [l.train_id, l.is_thing === true]));
    expect(got.covers).toEqual(space.labels().map((l) => [l.train_id, l.covers]));
    expect(got.palette).toHaveLength(space.numClasses);
    for (const l of space.labels()) expect(got.palette[l.train_id]).toEqual(hex(l.color));
    expect(got.label_sets).toEqual(bundle.label_sets.map((set) => [set.id, set.name, set.kind, set.member_ids]));
    expect(got.multi_hot).toEqual(bundle.label_sets.map((set) => [set.id, Array.from({ length: space.numClasses }, (_, i) => (set.member_ids.includes(i) ? 1 : 0))]));
    for (const d of space.datasets()) {
      expect(got.name_to_set[d]).toEqual(Object.fromEntries(bundle.datasets.find((x) => x.name === d)!.lut.filter((e) => e.kind === 'set').map((e) => [e.name, e.set])));
      // Full length: every value an 8- or 16-bit mask can hold; IGNORE past the dataset's ids.
      const table = [...space.lut(d)];
      expect(table.length, d).toBeGreaterThanOrEqual(256);
      expect(got.lut[d], d).toEqual(table);
      expect(got.negative[d]).toEqual([...space.lutMap(d)].filter(([id]) => id < 0));
      for (const [nativeName, label] of Object.entries(got.name_to_label[d] as Record<string, string | null>)) {
        expect(label).toBe(space.lookup(d, nativeName).label);
      }
      expect(Object.keys(got.name_to_label[d])).toHaveLength(bundle.datasets.find((x) => x.name === d)!.lut.length);
      expect(got.coverage[d]).toEqual(Object.fromEntries(space.coverage(d).map((c) => [c.label, c.status])));
    }
  });

  it('a class coarser than the vertical and a background class hold their label set ids in the LUT', () => {
    const got = python(DUMP, { 'labelmap_labels.py': renderExport(fixtureBundle('sets'), 'python') }) as Record<string, any>;
    expect([got.lut.cityscapes[25], got.lut.coco[0]]).toEqual([9, 10]);
    expect(got.label_sets).toEqual([
      [9, 'bicyclist|motorcyclist', 'coarse', [3, 4]],
      [10, 'sidewalk|bicyclist|motorcyclist', 'background', [1, 3, 4]],
    ]);
    expect(got.name_to_set).toEqual({ cityscapes: { rider: 'bicyclist|motorcyclist' }, coco: { background: 'sidewalk|bicyclist|motorcyclist' } });
    expect(got.name_to_label.cityscapes.rider).toBeNull();
  });

  it('an annotation encoding gets a full-length LUT of its own: mask value -> train id of the native class it holds', () => {
    const bundle = fixtureBundle('sets');
    const got = python(DUMP, { 'labelmap_labels.py': renderExport(bundle, 'python') }) as Record<string, any>;
    const coco = bundle.datasets.find((d) => d.name === 'coco')!;
    const encoding = coco.encodings![0]!;
    expect(got.encodings).toEqual({ coco: { stuffthingmaps: encoding.description } });
    const table = got.encoding_lut.coco.stuffthingmaps as number[];
    expect(table).toHaveLength(256);
    // stuffthingmaps value = native id - 1: 0 is person (pedestrian, 2), 148 is road (0), 186 sky (8), 255 unlabeled.
    expect([table[0], table[148], table[186], table[255]]).toEqual([2, 0, 8, 255]);
    for (let value = 0; value < 256; value++) {
      const native = encoding.values.find(([v]) => v === value)?.[1];
      const expected = native === undefined || native === null ? 255 : got.lut.coco[native];
      expect(table[value], `value ${value}`).toBe(expected);
    }
    expect(got.encoding_lut.cityscapes).toBeUndefined();
  });

  it('Label constants are UPPER_CASE identifiers, whatever the label names', () => {
    const got = python(DUMP, { 'labelmap_labels.py': renderExport(fixtureBundle('tricky-names'), 'python') }) as { enum: [string, number][]; id2label: [number, string][] };
    expect(got.enum).toEqual([['YES', 0], ['NULL', 1], ['A_B_C', 2], ['X_Y_Z', 3], ['CAF', 4], ['L_2ND', 6]]);
    expect(got.id2label.map((e) => e[1])).toEqual(['yes', 'null', 'a<b>&"c"\'', 'x: y # z', 'café \\ 東京', '2nd']);
  });

  it('the Cityscapes -1 stays out of the list (Python would read it as the last element, value 255)', () => {
    const got = python(`${DUMP.replace('print(json.dumps({', 'print(json.dumps({"last": m.LUT["cityscapes"][-1], "neg": m.NEGATIVE_LUT["cityscapes"][-1],')}`, {
      'labelmap_labels.py': renderExport(fixtureBundle('self-driving'), 'python'),
    }) as { last: number; neg: number; lut: Record<string, number[]> };
    expect(got).toMatchObject({ last: 255, neg: 255 });
    expect(got.lut.cityscapes).toHaveLength(256);
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

const hasNumpy = hasPython && spawnSync('python3', ['-c', 'import numpy']).status === 0;

// The loss on one image of 5 pixels whose scores are logits = ln(w), w = (1, 1, 1, 1, 1, 1, 1, 1, 2),
// so softmax p = w / 10: p(road = 0) = 0.1, p(sky = 8) = 0.2, and for the sets of fixtures/export/sets.json
// p(bicyclist) + p(motorcyclist) = 0.2 (set 9), p(sidewalk) + p(bicyclist) + p(motorcyclist) = 0.3 (set 10).
const LOSS = `
import json
import numpy as np
import labelmap_labels as m
w = np.array([1, 1, 1, 1, 1, 1, 1, 1, 2], dtype=np.float64)
logits = np.repeat(np.log(w)[None, :, None, None], 5, axis=3)   # (N=1, C=9, H=1, W=5)
target = np.array([[[m.Label.SKY, 9, m.Label.ROAD, 10, m.IGNORE]]])
out = {
    "mean": m.partial_label_loss(logits, target),
    "none": m.partial_label_loss(logits, target, reduction="none").tolist(),
    "sum": m.partial_label_loss(logits, target, reduction="sum"),
    "all_ignored": m.partial_label_loss(logits, np.full((1, 1, 5), m.IGNORE)),
    "table": m.target_multi_hot().astype(int).tolist(),
}
# Far apart scores: the set's members at -1000, the rest at +1000 -> 2000 + ln(7/2), not inf.
far = np.where(np.isin(np.arange(9), [3, 4]), -1000.0, 1000.0)[None, :, None]
out["far"] = m.partial_label_loss(far, np.array([[9]]))
# The LUT feeds it directly: Cityscapes rider (25) -> set 9.
lut = np.asarray(m.LUT["cityscapes"], dtype=np.uint8)
out["via_lut"] = m.partial_label_loss(logits[:, :, :, :2], lut[np.array([[[25, 23]]])])
errors = []
for bad in (200, 12, -1):
    try:
        m.partial_label_loss(logits, np.array([[[bad, 0, 0, 0, 0]]]))
        errors.append("no error")
    except ValueError as e:
        errors.append(str(e))
out["errors"] = errors
print(json.dumps(out))
`;

describe.skipIf(!hasNumpy)('the partial-label loss of the python export, run with numpy', () => {
  it('-log sum_{u in set} p(u) over the pixels not ignored; a label is plain cross-entropy', () => {
    const got = python(LOSS, { 'labelmap_labels.py': renderExport(fixtureBundle('sets'), 'python') }, { site: true }) as Record<string, any>;
    // sky: -ln 0.2 = ln 5; set 9: -ln(0.1 + 0.1) = ln 5; road: -ln 0.1 = ln 10; set 10: -ln 0.3; ignore: left out.
    const ln5 = 1.6094379124341003;
    const ln10 = 2.302585092994046;
    const lnThird = 1.2039728043259361; // -ln 0.3
    expect(got.mean).toBeCloseTo((2 * ln5 + ln10 + lnThird) / 4, 12);
    expect(got.mean).toBeCloseTo(1.681358, 6); // (2 ln 5 + ln 10 - ln 0.3) / 4 = (3.218876 + 2.302585 + 1.203973) / 4
    expect(got.none[0][0]).toEqual([expect.closeTo(ln5, 12), expect.closeTo(ln5, 12), expect.closeTo(ln10, 12), expect.closeTo(lnThird, 12), 0]);
    expect(got.sum).toBeCloseTo(2 * ln5 + ln10 + lnThird, 12);
    expect(got.all_ignored).toBe(0);
    // Rows 0..8 one-hot, 9 and 10 the members.
    expect(got.table).toHaveLength(11);
    expect(got.table.slice(0, 9)).toEqual(Array.from({ length: 9 }, (_, i) => Array.from({ length: 9 }, (_, j) => (i === j ? 1 : 0))));
    expect(got.table.slice(9)).toEqual([
      [0, 0, 0, 1, 1, 0, 0, 0, 0],
      [0, 1, 0, 1, 1, 0, 0, 0, 0],
    ]);
    expect(got.far).toBeCloseTo(2000 + Math.log(3.5), 9);
    // rider -> set 9 (ln 5), sky -> 8 (ln 5)
    expect(got.via_lut).toBeCloseTo(ln5, 12);
    expect(got.errors).toEqual([
      'target value 200 is neither a train id, a label set id nor IGNORE (255)',
      'target value 12 is neither a train id, a label set id nor IGNORE (255)',
      'target value -1 is neither a train id, a label set id nor IGNORE (255)',
    ]);
  });
});

const hasTorch = hasNumpy && spawnSync('python3', ['-c', 'import torch']).status === 0;

// Not installed on this machine (no torch on the package sources here): runs where torch imports.
describe.skipIf(!hasTorch)('the PyTorch partial-label loss', () => {
  it('gives the numpy values, and a gradient', () => {
    const got = python(
      `import json
import numpy as np, torch
import labelmap_labels as m
w = np.array([1, 1, 1, 1, 1, 1, 1, 1, 2], dtype=np.float64)
logits = np.repeat(np.log(w)[None, :, None, None], 5, axis=3)
target = np.array([[[m.Label.SKY, 9, m.Label.ROAD, 10, m.IGNORE]]])
t = torch.tensor(logits, requires_grad=True)
loss = m.partial_label_loss_torch(t, torch.tensor(target))
loss.backward()
print(json.dumps({"torch": float(loss), "numpy": m.partial_label_loss(logits, target), "grad": bool(torch.isfinite(t.grad).all())}))`,
      { 'labelmap_labels.py': renderExport(fixtureBundle('sets'), 'python') },
      { site: true },
    ) as { torch: number; numpy: number; grad: boolean };
    expect(got.torch).toBeCloseTo(got.numpy, 9);
    expect(got.grad).toBe(true);
  });
});
