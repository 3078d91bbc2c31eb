// Exports of label sets built from the real published metadata: the Cityscapes 19-class trainId
// set (labels.py) and the 133 COCO panoptic categories. The exports must give back what the
// datasets themselves define.
import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { LabelSpace } from '../../src/api/label-api.js';
import { renderExport } from '../../src/export/render.js';
import type { Bundle, LutEntry, OutputLabel } from '../../src/taxonomy/types.js';
import { REAL } from '../helpers/cli.js';
import { hasPython, hasPyYaml, python } from './helpers.js';

const SHA = '0'.repeat(64);
const slug = (name: string) => name.replace(/[^a-z0-9]+/g, '_');

/** A bundle of one dataset whose output labels are `labels` and whose lookup table is `lut`. */
function bundleOf(vertical: string, labels: OutputLabel[], dataset: string, lut: LutEntry[]): Bundle {
  return {
    format: 'labelmap-bundle',
    format_version: 2,
    vertical,
    id_bits: 8,
    ignore_id: 255,
    coarse: 'set',
    inputs: [{ kind: 'dataset', name: dataset, version: '1.0.0', file: `datasets/${dataset}@1.0.0.csv`, sha256: SHA }],
    labels,
    label_sets: [],
    other: null,
    datasets: [
      {
        name: dataset,
        version: '1.0.0',
        lut,
        coverage: labels.map((l) => ({ label: l.name, train_id: l.train_id, status: lut.some((e) => e.label === l.name) ? ('full' as const) : ('none' as const) })),
      },
    ],
  };
}

describe.skipIf(!existsSync(REAL))('exports of real label sets', () => {
  // name,id,train_id,category,category_id,has_instances,ignore_in_eval,color
  const rows = () =>
    readFileSync(path.join(REAL, 'cityscapes', 'labels.facts.csv'), 'utf8')
      .trim()
      .split('\n')
      .slice(1)
      .map((line) => {
        const [name, id, trainId, , , hasInstances, , color] = line.split(',');
        return { name: name!, id: Number(id), trainId: Number(trainId), thing: hasInstances === 'true', color: color! };
      });

  function cityscapes19(): { bundle: Bundle; rows: ReturnType<typeof rows> } {
    const all = rows();
    const labels = all
      .filter((r) => r.trainId >= 0 && r.trainId < 255)
      .sort((a, b) => a.trainId - b.trainId)
      .map((r) => ({ train_id: r.trainId, name: slug(r.name), color: r.color, covers: [slug(r.name)], is_thing: r.thing }));
    const lut: LutEntry[] = all
      .sort((a, b) => a.id - b.id)
      .map((r) => {
        const mapped = r.trainId >= 0 && r.trainId < 255;
        return {
          id: r.id,
          name: r.name,
          target: slug(r.name),
          kind: mapped ? 'label' : 'ignore',
          train_id: mapped ? r.trainId : 255,
          label: mapped ? slug(r.name) : null,
          set: null,
          reason: mapped ? 'mapped' : 'not in vertical',
        };
      });
    return { bundle: bundleOf('cityscapes-19', labels, 'cityscapes', lut), rows: all };
  }

  it('Cityscapes: the lookup table is labels.py id -> trainId (255 and -1 as ignore)', () => {
    const { bundle, rows: all } = cityscapes19();
    const space = new LabelSpace(bundle);
    expect(space.numClasses).toBe(19);
    const lut = space.lut('cityscapes');
    for (const r of all.filter((r) => r.id >= 0)) expect(lut[r.id], r.name).toBe(r.trainId);
    expect(space.lutMap('cityscapes').get(-1)).toBe(255);
  });

  it.skipIf(!hasPython)('Cityscapes: the python module gives the same table to numpy-style indexing', () => {
    const { bundle, rows: all } = cityscapes19();
    const got = python('import json, m\nprint(json.dumps({"lut": m.LUT["cityscapes"], "neg": m.NEGATIVE_LUT["cityscapes"], "n": m.NUM_CLASSES}))', {
      'm.py': renderExport(bundle, 'python'),
    }) as { lut: number[]; neg: Record<string, number>; n: number };
    expect(got.n).toBe(19);
    expect(got.lut).toHaveLength(256);
    expect(got.lut.slice(34)).toEqual(new Array(256 - 34).fill(255));
    for (const r of all.filter((r) => r.id >= 0)) expect(got.lut[r.id], r.name).toBe(r.trainId);
    expect(got.neg).toEqual({ '-1': 255 });
  });

  it('COCO panoptic: the coco export of its 133 categories gives back name, isthing and color, and ids as train id + 1', () => {
    const cats = JSON.parse(readFileSync(path.join(REAL, 'coco', 'panoptic_coco_categories.json'), 'utf8')) as {
      id: number;
      name: string;
      isthing: number;
      color: number[];
      supercategory: string;
    }[];
    const hex = (c: number[]) => `#${c.map((v) => v.toString(16).padStart(2, '0')).join('')}`;
    // Train ids 0..132 in COCO's order: category id = train id + 1 gives back 1..133.
    const labels = cats.map((c, i) => ({ train_id: i, name: c.name, color: hex(c.color), covers: [slug(c.name)], is_thing: c.isthing === 1 }));
    const lut = cats.map((c, i) => ({ id: c.id, name: c.name, target: slug(c.name), kind: 'label' as const, train_id: i, label: c.name, set: null, reason: 'mapped' as const }));
    const bundle = bundleOf('coco-panoptic', labels, 'coco', lut);
    const out = JSON.parse(renderExport(bundle, 'coco')) as { categories: Record<string, unknown>[] };
    expect(out.categories).toHaveLength(133);
    expect(out.categories).toEqual(cats.map(({ supercategory: _s, id: _id, ...c }, i) => ({ id: i + 1, name: c.name, supercategory: '', isthing: c.isthing, color: c.color })));
    // Its YOLO data YAML holds the 80 things, by position.
    const yolo = renderExport(bundle, 'yolo');
    expect(yolo).toContain('nc: 80\n');
    expect(yolo).toContain('  0: person\n');
    expect(yolo).toContain('  79: toothbrush\n');
    if (hasPyYaml) {
      const names = python('import json, yaml\nprint(json.dumps(yaml.safe_load(open("n.yaml", encoding="utf-8"))["names"]))', { 'n.yaml': yolo }, { site: true }) as Record<string, string>;
      expect(Object.values(names)).toEqual(cats.filter((c) => c.isthing === 1).map((c) => c.name));
    }
  });
});
