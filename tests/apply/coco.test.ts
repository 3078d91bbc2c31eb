// apply on COCO instances and panoptic JSON, in-process: the output is read as a COCO reader
// reads it (JSON.parse here, in the test) and compared with the input remapped through the
// bundle's LUT entries in the test; the bytes outside annotations/categories are the input's.
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { applyMasks } from '../../src/apply/run.js';
import { compileSheets } from '../../src/compile.js';
import type { Bundle } from '../../src/taxonomy/types.js';
import { FIXTURES, ROOT, tempDir } from '../helpers/cli.js';

const SHEETS = path.join(ROOT, 'sheets');
const COCO = path.join(FIXTURES, 'apply', 'coco');

function compile(vertical: string, dataset: string): Bundle {
  const { bundle, findings } = compileSheets(SHEETS, { vertical, datasets: [dataset] });
  if (!bundle) throw new Error(JSON.stringify(findings.filter((f) => f.severity === 'error')));
  return bundle;
}

type Json = Record<string, unknown>;
const read = (file: string): Json => JSON.parse(readFileSync(file, 'utf8')) as Json;

/** The expected category id of a native id (train id + 1), 'ignore', or a set name, from the LUT. */
function targetOf(bundle: Bundle, dataset: string, nativeId: number): { id: number; set: string | null } | 'ignore' {
  const e = bundle.datasets.find((d) => d.name === dataset)!.lut.find((x) => x.id === nativeId)!;
  return e.kind === 'ignore' ? 'ignore' : { id: e.train_id + 1, set: e.kind === 'set' ? e.set : null };
}

function expectedAnnotations(bundle: Bundle, dataset: string, input: Json, keepIgnored = false): Json[] {
  const out: Json[] = [];
  for (const a of input.annotations as Json[]) {
    const key = 'category_id' in a ? 'category_id' : 'category\u005fid';
    const t = targetOf(bundle, dataset, a[key] as number);
    if (t === 'ignore') {
      if (keepIgnored) out.push({ ...a, category_id: 0, ignore: 1 });
      continue;
    }
    out.push({ ...a, category_id: t.id, ...(t.set ? { label_set: t.set } : {}) });
  }
  return out;
}

const SD_COCO = compile('self-driving', 'coco');
const SD_PANOPTIC = compile('self-driving', 'coco-panoptic');

describe('apply: COCO instances JSON', () => {
  const file = path.join(COCO, 'instances_val.json');
  it('rewrites category_id (ids from 1), drops ignored classes, replaces categories; the rest is the input byte for byte', async () => {
    const out = tempDir();
    const r = await applyMasks({ input: file, inputShown: 'instances_val.json', out, bundle: SD_COCO, dataset: 'coco', jobs: 1 });
    expect(r.findings).toEqual([]);
    const input = read(file);
    const output = read(path.join(out, 'instances_val.json'));
    expect(output.annotations).toEqual(expectedAnnotations(SD_COCO, 'coco', input));
    // dining table (ignored in self-driving) is dropped; person goes to the set pedestrian|rider
    expect((output.annotations as Json[]).map((a) => a.id)).toEqual([1, 2, 3, 5, 6, 7]);
    const rgb = (hex: string): number[] => [1, 3, 5].map((i) => parseInt(hex.slice(i, i + 2), 16));
    expect((output.categories as Json[]).slice(0, SD_COCO.labels.length)).toEqual(SD_COCO.labels.map((l) => ({ id: l.train_id + 1, name: l.name, supercategory: '', isthing: l.is_thing ? 1 : 0, color: rgb(l.color) })));
    for (const key of ['info', 'licenses', 'images']) expect(output[key]).toEqual(input[key]);
    const inText = readFileSync(file, 'utf8');
    const outText = readFileSync(path.join(out, 'instances_val.json'), 'utf8');
    const head = inText.indexOf('"annotations"');
    expect(outText.slice(0, head)).toBe(inText.slice(0, head));
    // a nested "category_id" (inside attributes) is left alone; an escaped key is found
    expect((output.annotations as Json[]).find((a) => a.id === 5)!.attributes).toEqual({ category_id: 1, note: 'a nested "category_id"' });
    expect(r.manifest.instances_dropped).toBe(1);
    expect(r.manifest.native.find((n) => n.id === 3)).toMatchObject({ name: 'car', kind: 'label', label: 'car', instances: 1, pixels: 0 });
    expect(r.manifest.labels.find((l) => l.name === 'car')!.instances).toBe(1);
    expect(r.manifest.ignore.instances).toBe(1);
  });

  it('--keep-ignored keeps them with category_id 0 and "ignore": 1', async () => {
    const out = tempDir();
    await applyMasks({ input: file, inputShown: 'x', out, bundle: SD_COCO, dataset: 'coco', jobs: 1, keepIgnored: true });
    const output = read(path.join(out, 'instances_val.json'));
    expect(output.annotations).toEqual(expectedAnnotations(SD_COCO, 'coco', read(file), true));
    expect((output.annotations as Json[]).length).toBe(7);
    expect((output.annotations as Json[]).find((a) => a.id === 4)).toMatchObject({ category_id: 0, ignore: 1 });
  });

  it('a label set (person is coarser than self-driving\'s pedestrian and rider): its annotations carry the set id and name; the set is a category marked as a set', async () => {
    const set = SD_COCO.label_sets.find((x) => x.name === 'pedestrian|rider')!;
    expect(SD_COCO.datasets[0]!.lut.find((e) => e.id === 1)).toMatchObject({ kind: 'set', set: set.name });
    const out = tempDir();
    const r = await applyMasks({ input: file, inputShown: 'x', out, bundle: SD_COCO, dataset: 'coco', jobs: 1 });
    const output = read(path.join(out, 'instances_val.json'));
    for (const id of [1, 7]) expect((output.annotations as Json[]).find((a) => a.id === id)).toMatchObject({ category_id: set.id + 1, label_set: 'pedestrian|rider' });
    const pedestrian = SD_COCO.labels.find((l) => l.name === 'pedestrian')!;
    expect((output.categories as Json[]).at(-1)).toEqual({
      id: set.id + 1, name: 'pedestrian|rider', supercategory: '', isthing: 1,
      color: [1, 3, 5].map((i) => parseInt(pedestrian.color.slice(i, i + 2), 16)), label_set: { kind: 'coarse', members: ['pedestrian', 'rider'] },
    });
    expect(r.manifest.label_sets).toEqual([{ id: set.id, name: 'pedestrian|rider', kind: 'coarse', pixels: 0, instances: 2 }]);
  });

  it('a generated file larger than the read window (~12 MB) equals the input remapped in the test', async () => {
    const dir = tempDir();
    const big = path.join(dir, 'instances_big.json');
    const ids = [1, 2, 3, 6, 8, 67];
    const annotations: string[] = [];
    for (let i = 0; i < 30000; i++) {
      const poly = Array.from({ length: 40 }, (_, k) => ((i * 7 + k * 13) % 640) + 0.25).join(', ');
      annotations.push(`{"segmentation": [[${poly}]], "area": ${i}.5, "iscrowd": 0, "image_id": ${i % 97}, "bbox": [1, 2, 3, 4], "category_id": ${ids[i % ids.length]}, "id": ${i + 1}}`);
    }
    writeFileSync(big, `{"info": {"year": 2017}, "images": [], "annotations": [\n${annotations.join(',\n')}\n], "categories": [{"id": 1, "name": "person"}]}\n`);
    const out = tempDir();
    const r = await applyMasks({ input: big, inputShown: 'big', out, bundle: SD_COCO, dataset: 'coco', jobs: 1 });
    expect(r.findings).toEqual([]);
    const input = read(big);
    const output = read(path.join(out, 'instances_big.json'));
    expect(output.annotations).toEqual(expectedAnnotations(SD_COCO, 'coco', input));
    expect(r.manifest.instances_dropped).toBe(5000);
  });

  it('--stats counts instances and writes nothing', async () => {
    const r = await applyMasks({ input: file, inputShown: 'x', out: null, stats: true, bundle: SD_COCO, dataset: 'coco', jobs: 1 });
    expect(r.manifest.files.counted).toBe(1);
    expect(r.manifest.native.map((n) => [n.id, n.instances])).toEqual([[1, 2], [2, 1], [3, 1], [6, 1], [8, 1], [67, 1]]);
  });
});

describe('apply: COCO panoptic JSON', () => {
  it('rewrites segments_info[].category_id, drops segments of ignored classes (VOID), keeps every annotation', async () => {
    const file = path.join(COCO, 'panoptic_val.json');
    const out = tempDir();
    const r = await applyMasks({ input: file, inputShown: 'x', out, bundle: SD_PANOPTIC, dataset: 'coco-panoptic', jobs: 1 });
    expect(r.findings).toEqual([]);
    const input = read(file);
    const output = read(path.join(out, 'panoptic_val.json'));
    const expected = (input.annotations as Json[]).map((a) => ({
      ...a,
      segments_info: (a.segments_info as Json[]).flatMap((s) => {
        const t = targetOf(SD_PANOPTIC, 'coco-panoptic', s.category_id as number);
        return t === 'ignore' ? [] : [{ ...s, category_id: t.id, ...(t.set ? { label_set: t.set } : {}) }];
      }),
    }));
    expect(output.annotations).toEqual(expected);
    expect((output.annotations as Json[]).map((a) => (a.segments_info as Json[]).length)).toEqual([3, 1]);
    expect(output.images).toEqual(input.images);
    expect(r.manifest.instances_dropped).toBe(1); // rug-merged
  });
});

describe('apply: hostile COCO files', () => {
  it('a category the dataset sheet lacks, a JSON without annotations, a cut-off file: located failures, nothing written', async () => {
    const dir = tempDir();
    writeFileSync(path.join(dir, 'unknown.json'), '{"images": [], "annotations": [{"id": 1, "category_id": 3}, {"id": 2, "category_id": 999}], "categories": []}');
    writeFileSync(path.join(dir, 'nothing.json'), '{"images": [], "categories": [{"id": 1, "name": "person"}]}');
    writeFileSync(path.join(dir, 'truncated.json'), '{"images": [], "annotations": [{"id": 1, "category_id": 3}, {"id": 2, "categ');
    const out = tempDir();
    const r = await applyMasks({ input: dir, inputShown: 'in', out, bundle: SD_COCO, dataset: 'coco', jobs: 1 });
    expect(r.manifest.files.failed).toBe(3);
    const byFile = new Map(r.manifest.failed.map((f) => [f.file, f]));
    expect(byFile.get('unknown.json')).toMatchObject({ code: 'apply-coco-category-unknown', args: { value: 999, path: '$.annotations[1].category_id' } });
    expect(byFile.get('unknown.json')!.offset).toBe(60);
    expect(byFile.get('nothing.json')).toMatchObject({ code: 'apply-coco-not-coco', args: { path: '$.annotations' } });
    expect(byFile.get('truncated.json')!.code).toMatch(/^json-/);
    for (const f of ['unknown.json', 'nothing.json', 'truncated.json']) expect(existsSync(path.join(out, f))).toBe(false);
    expect(r.findings.find((f) => f.code === 'apply-coco-category-unknown')).toMatchObject({ path: '$.annotations[1].category_id', offset: 60 });
  });

  it('--force: a file that now fails loses the output an earlier run wrote (no stale output beside a failure)', async () => {
    const dir = tempDir();
    const f = path.join(dir, 'a.json');
    writeFileSync(f, '{"images": [], "annotations": [{"id": 1, "category_id": 3}], "categories": []}');
    const out = tempDir();
    await applyMasks({ input: dir, inputShown: 'in', out, bundle: SD_COCO, dataset: 'coco', jobs: 1 });
    expect(existsSync(path.join(out, 'a.json'))).toBe(true);
    writeFileSync(f, '{"images": [], "annotations": [{"id": 1, "category_id": 999}], "categories": []}');
    const r = await applyMasks({ input: dir, inputShown: 'in', out, bundle: SD_COCO, dataset: 'coco', jobs: 1, force: true });
    expect(r.manifest.files.failed).toBe(1);
    expect(existsSync(path.join(out, 'a.json'))).toBe(false);
  });
});
