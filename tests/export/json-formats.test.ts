// The JSON exports (json, hf, coco, cvat, via), each checked in the terms of what reads it.
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { labelSets } from '../../src/export/common.js';
import { renderExport } from '../../src/export/render.js';
import { bundleFiles } from '../../src/taxonomy/outputs.js';
import type { Bundle } from '../../src/taxonomy/types.js';
import { BUNDLES, fixtureBundle, fixturePath, hasPython, python } from './helpers.js';

/** The name at every index 0..highest train id, as index-based consumers need it. */
function namesByIndex(bundle: Bundle): string[] {
  const max = Math.max(-1, ...bundle.labels.map((l) => l.train_id));
  return Array.from({ length: max + 1 }, (_, i) => bundle.labels.find((l) => l.train_id === i)?.name ?? `__unused_${i}__`);
}

describe('--format json', () => {
  it.each(BUNDLES)('%s: the bundle, byte for byte as merge writes it', (name) => {
    const bundle = fixtureBundle(name);
    const text = renderExport(bundle, 'json');
    expect(text).toBe(bundleFiles(bundle).find((f) => f.path === 'labelmap.json')!.text);
    // The fixtures are bundles of the earlier, fully indented layout: the same value.
    expect(JSON.parse(text)).toEqual(JSON.parse(readFileSync(fixturePath(name), 'utf8')));
  });
});

describe('--format hf', () => {
  it.each(BUNDLES)('%s: id2label with string keys 0..N-1 and label2id its inverse', (name) => {
    const bundle = fixtureBundle(name);
    const config = JSON.parse(renderExport(bundle, 'hf')) as { id2label: Record<string, string>; label2id: Record<string, number>; semantic_loss_ignore_index: number; label_sets: object };
    const names = namesByIndex(bundle);
    expect(Object.keys(config)).toEqual(['id2label', 'label2id', 'semantic_loss_ignore_index', 'label_sets']);
    expect(config.semantic_loss_ignore_index).toBe(bundle.ignore_id);
    expect(config.label_sets).toEqual(Object.fromEntries(labelSets(bundle).map((s) => [String(s.id), { name: s.name, kind: s.kind, members: s.member_ids }])));
    expect(Object.keys(config.id2label)).toEqual(names.map((_, i) => String(i)));
    expect(Object.values(config.id2label)).toEqual(names);
    expect(Object.entries(config.label2id)).toEqual(names.map((n, i) => [n, i]));
  });

  it('the unified set keeps train id = model index, with placeholders in the gaps', () => {
    const config = JSON.parse(renderExport(fixtureBundle('unified-16'), 'hf')) as { id2label: Record<string, string> };
    expect(Object.keys(config.id2label)).toHaveLength(1001);
    expect([config.id2label['10'], config.id2label['2'], config.id2label['1000']]).toEqual(['person', '__unused_2__', 'sky']);
  });
});

interface Category {
  id: number;
  name: string;
  supercategory: string;
  isthing: number;
  color: number[];
}

/** The COCO category layout (as pycocotools and panopticapi read it); returns the problems found. */
function cocoProblems(file: unknown): string[] {
  const problems: string[] = [];
  const cats = (file as { categories?: unknown }).categories;
  if (!Array.isArray(cats)) return ['no categories array'];
  const ids = new Set<number>();
  const names = new Set<string>();
  cats.forEach((c: Record<string, unknown>, i) => {
    const keys = Object.keys(c).filter((k) => !['id', 'name', 'supercategory', 'isthing', 'color'].includes(k));
    if (keys.length) problems.push(`${i}: unknown keys ${keys.join(', ')}`);
    // Category ids start at 1: torchvision and most converters read 0 as background.
    if (!Number.isInteger(c.id) || (c.id as number) < 1) problems.push(`${i}: id`);
    if (typeof c.name !== 'string' || c.name === '') problems.push(`${i}: name`);
    if (typeof c.supercategory !== 'string') problems.push(`${i}: supercategory`);
    if (c.isthing !== 0 && c.isthing !== 1) problems.push(`${i}: isthing`);
    const color = c.color as unknown[];
    if (!Array.isArray(color) || color.length !== 3 || !color.every((v) => Number.isInteger(v) && (v as number) >= 0 && (v as number) <= 255)) problems.push(`${i}: color`);
    if (ids.has(c.id as number)) problems.push(`${i}: duplicate id`);
    if (names.has(c.name as string)) problems.push(`${i}: duplicate name`);
    ids.add(c.id as number);
    names.add(c.name as string);
  });
  return problems;
}

describe('--format coco', () => {
  it.each(BUNDLES)('%s: categories in the COCO panoptic layout, ids from 1, isthing on every one', (name) => {
    const bundle = fixtureBundle(name);
    const file = JSON.parse(renderExport(bundle, 'coco')) as { categories: Category[] };
    expect(cocoProblems(file)).toEqual([]);
    expect(file.categories.map((c) => [c.id, c.name])).toEqual(bundle.labels.map((l) => [l.train_id + 1, l.name]));
    expect(file.categories.map((c) => c.isthing)).toEqual(bundle.labels.map((l) => (l.is_thing === true ? 1 : 0)));
    expect(Math.min(...file.categories.map((c) => c.id))).toBeGreaterThanOrEqual(1);
  });

  it('colours as [r, g, b]; train id 0 is category 1, never the background id 0', () => {
    const file = JSON.parse(renderExport(fixtureBundle('tricky-names'), 'coco')) as { categories: Category[] };
    expect(file.categories[0]).toEqual({ id: 1, name: 'yes', supercategory: '', isthing: 1, color: [0xab, 0xcd, 0xef] });
    expect(file.categories[1]).toEqual({ id: 2, name: 'null', supercategory: '', isthing: 0, color: [0, 0, 0] });
    expect(file.categories.some((c) => c.id === 0)).toBe(false);
  });

  it('the checker catches what it should (it can fail)', () => {
    expect(cocoProblems({ categories: [{ id: 1, name: 'a', color: [0, 0, 256] }, { id: 1, name: 'a', supercategory: '', isthing: 1 }, { id: 0, name: 'b', supercategory: '', isthing: 1, color: [0, 0, 0] }] })).toEqual([
      '0: supercategory',
      '0: isthing',
      '0: color',
      '1: color',
      '1: duplicate id',
      '1: duplicate name',
      '2: id',
    ]);
  });
});

describe('--format cvat', () => {
  it.each(BUNDLES)('%s: the label constructor array: name, #rrggbb colour, type, attributes', (name) => {
    const bundle = fixtureBundle(name);
    const labels = JSON.parse(renderExport(bundle, 'cvat')) as Record<string, unknown>[];
    expect(labels).toEqual(bundle.labels.map((l) => ({ name: l.name, color: l.color.toLowerCase(), type: 'any', attributes: [] })));
  });

  it('--shape restricts the label type', () => {
    const labels = JSON.parse(renderExport(fixtureBundle('self-driving'), 'cvat', { shape: 'rectangle' })) as { type: string }[];
    expect(new Set(labels.map((l) => l.type))).toEqual(new Set(['rectangle']));
  });
});

describe('--format via', () => {
  it.each(BUNDLES)('%s: a "class" region dropdown with one option per label, in train-id order', (name) => {
    const bundle = fixtureBundle(name);
    const attributes = JSON.parse(renderExport(bundle, 'via')) as { region: Record<string, any>; file: object };
    expect(Object.keys(attributes)).toEqual(['region', 'file']);
    expect(attributes.file).toEqual({});
    const cls = attributes.region.class;
    expect([cls.type, cls.default_options]).toEqual(['dropdown', {}]);
    expect(typeof cls.description).toBe('string');
    expect(Object.entries(cls.options)).toEqual(bundle.labels.map((l) => [l.name, l.name]));
  });
});

describe.skipIf(!hasPython)('the JSON exports, read by python3', () => {
  it('python json reads every one; hf keys turn into ints as transformers does', () => {
    const files: Record<string, string> = {};
    for (const name of BUNDLES) for (const f of ['json', 'hf', 'coco', 'cvat', 'via']) files[`${name}.${f}.json`] = renderExport(fixtureBundle(name), f);
    const got = python(
      `import json, glob
out = {}
for path in sorted(glob.glob("*.json")):
    with open(path, encoding="utf-8") as f:
        data = json.load(f)
    if path.endswith(".hf.json"):
        data = {"id2label": [[k, v] for k, v in {int(k): v for k, v in data["id2label"].items()}.items()], "label2id": data["label2id"], "ignore": data["semantic_loss_ignore_index"]}
    out[path] = data
print(json.dumps(out))`,
      files,
    ) as Record<string, any>;
    for (const [file, text] of Object.entries(files)) {
      const data = JSON.parse(text);
      if (file.endsWith('.hf.json')) {
        expect(got[file].id2label, file).toEqual(Object.entries(data.id2label).map(([k, v]) => [Number(k), v]));
        expect(got[file].label2id, file).toEqual(data.label2id);
        expect(got[file].ignore, file).toEqual(data.semantic_loss_ignore_index);
      } else {
        expect(got[file], file).toEqual(data);
      }
    }
  });
});
