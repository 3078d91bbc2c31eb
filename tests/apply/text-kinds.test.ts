// apply on VOC XML, YOLO txt and LabelMe / Cityscapes polygon JSON folders, in-process: each
// output is read back (XML by regex on <object>, YOLO lines, JSON.parse) and compared with the
// input remapped through the bundle's LUT entries here.
import { existsSync, readFileSync, writeFileSync, mkdirSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { applyMasks } from '../../src/apply/run.js';
import { compileSheets } from '../../src/compile.js';
import type { Bundle } from '../../src/taxonomy/types.js';
import { FIXTURES, ROOT, tempDir } from '../helpers/cli.js';

const SHEETS = path.join(ROOT, 'sheets');
const DIR = path.join(FIXTURES, 'apply');

function compile(vertical: string, dataset: string): Bundle {
  const { bundle, findings } = compileSheets(SHEETS, { vertical, datasets: [dataset] });
  if (!bundle) throw new Error(JSON.stringify(findings.filter((f) => f.severity === 'error')));
  return bundle;
}

/** Output name of a native class name (label, set, or null = ignore), from the LUT. */
function outputName(bundle: Bundle, name: string): string | null {
  const e = bundle.datasets[0]!.lut.find((x) => x.name === name)!;
  return e.kind === 'ignore' ? null : e.kind === 'set' ? e.set : e.label;
}

const objectNames = (xml: string): string[] =>
  [...xml.matchAll(/<object>([\s\S]*?)<\/object>/g)].map((m) => /<name>([^<]*)<\/name>/.exec(m[1]!.replace(/<part>[\s\S]*?<\/part>/g, ''))![1]!);

describe('apply: VOC XML folders', () => {
  const bundle = compile('indoor', 'voc');
  it('rewrites each object\'s own <name> (not a part\'s, not the owner\'s), removes objects of ignored classes, counts them', async () => {
    const out = tempDir();
    const input = path.join(DIR, 'voc-xml');
    const r = await applyMasks({ input, inputShown: 'voc-xml', out, bundle, dataset: 'voc', jobs: 1 });
    expect(r.findings).toEqual([]);
    expect(r.manifest.files.written).toBe(2);
    for (const file of ['Annotations/2007_000027.xml', 'Annotations/2007_000032.xml']) {
      const before = readFileSync(path.join(input, file), 'utf8');
      const after = readFileSync(path.join(out, file), 'utf8');
      expect(objectNames(after)).toEqual(objectNames(before).map((n) => outputName(bundle, n)).filter((n) => n !== null));
      // outside the objects the file is unchanged
      expect(after.slice(0, after.indexOf('<object>'))).toBe(before.slice(0, before.indexOf('<object>')));
    }
    const first = readFileSync(path.join(out, 'Annotations/2007_000027.xml'), 'utf8');
    expect(first).toContain('<name>head</name>');
    expect(first).toContain('<owner>\n\t\t<flickrid>someone</flickrid>\n\t\t<name>car</name>');
    expect(objectNames(first)).toEqual(['person', 'potted_plant']);
    expect(r.manifest.instances_dropped).toBe(2); // car and aeroplane: ignored in indoor
    expect(r.manifest.labels.find((l) => l.name === 'potted_plant')!.instances).toBe(1);
  });

  it('a class the sheet lacks is a located failure; nothing is written for that file', async () => {
    const dir = tempDir();
    writeFileSync(path.join(dir, 'bad.xml'), '<annotation>\n<object>\n<name>unicorn</name>\n</object>\n</annotation>\n');
    const out = tempDir();
    const r = await applyMasks({ input: dir, inputShown: 'in', out, bundle, dataset: 'voc', jobs: 1 });
    expect(r.manifest.failed).toMatchObject([{ file: 'bad.xml', code: 'apply-class-unknown', args: { name: 'unicorn', line: 3 } }]);
    expect(r.findings[0]).toMatchObject({ code: 'apply-class-unknown', line: 3 });
    expect(existsSync(path.join(out, 'bad.xml'))).toBe(false);
  });
});

describe('apply: YOLO txt folders', () => {
  const bundle = compile('self-driving', 'coco');
  // YOLO class index i is the i-th class of the dataset sheet in id order (COCO: 0 person, 2 car, 56 chair).
  const order = bundle.datasets[0]!.lut.filter((e) => e.id >= 0).sort((a, b) => a.id - b.id);
  it('rewrites the class index to the train id, drops lines of ignored classes, keeps the coordinates; classes.txt is not a label file', async () => {
    const out = tempDir();
    const input = path.join(DIR, 'yolo');
    const r = await applyMasks({ input, inputShown: 'yolo', out, bundle, dataset: 'coco', jobs: 1 });
    expect(r.manifest.files).toMatchObject({ written: 2, failed: 0, not_recognised: 1 });
    const before = readFileSync(path.join(input, 'labels/train/000000000139.txt'), 'utf8').trim().split('\n');
    const expected = before.flatMap((line) => {
      const [index, ...rest] = line.split(' ');
      const e = order[Number(index)]!;
      return e.kind === 'ignore' ? [] : [[String(e.train_id), ...rest].join(' ')];
    });
    expect(readFileSync(path.join(out, 'labels/train/000000000139.txt'), 'utf8').trim().split('\n')).toEqual(expected);
    expect(expected.length).toBe(4); // chair dropped; person goes to the set pedestrian|rider
    expect(readFileSync(path.join(out, 'labels/train/000000000285.txt'), 'utf8')).toBe('');
    expect(r.manifest.instances_dropped).toBe(1);
    expect(r.manifest.not_recognised[0]!.file).toBe('classes.txt');
  });

  it('an index past the dataset\'s classes, a line that is not YOLO: located failures', async () => {
    const dir = tempDir();
    writeFileSync(path.join(dir, 'a.txt'), '0 0.5 0.5 0.1 0.1\n80 0.5 0.5 0.1 0.1\n');
    writeFileSync(path.join(dir, 'b.txt'), '0 0.5 0.5 0.1 0.1\n2 0.5 x 0.1 0.1\n');
    const r = await applyMasks({ input: dir, inputShown: 'in', out: tempDir(), bundle, dataset: 'coco', jobs: 1 });
    expect(r.manifest.failed).toMatchObject([
      { file: 'a.txt', code: 'apply-yolo-index-unknown', args: { index: 80, line: 2, classes: 80 } },
      { file: 'b.txt', code: 'apply-yolo-line', args: { line: 2 } },
    ]);
  });
});

describe('apply: LabelMe and Cityscapes polygon JSON folders', () => {
  const bundle = compile('self-driving', 'cityscapes');
  it('renames each label; an ignored class keeps its place as "__ignore__" (polygons are drawn in order); the file keeps its indentation', async () => {
    const out = tempDir();
    const input = path.join(DIR, 'polygons');
    const r = await applyMasks({ input, inputShown: 'polygons', out, bundle, dataset: 'cityscapes', jobs: 1 });
    expect(r.findings).toEqual([]);
    for (const [file, key] of [['labelme/street.json', 'shapes'], ['cityscapes/aachen/aachen_000000_000019_gtFine_polygons.json', 'objects']] as const) {
      const before = JSON.parse(readFileSync(path.join(input, file), 'utf8')) as Record<string, { label: string }[]>;
      const text = readFileSync(path.join(out, file), 'utf8');
      const after = JSON.parse(text) as Record<string, { label: string }[]>;
      const expected = before[key]!.map((s) => ({ ...s, label: outputName(bundle, s.label === 'cargroup' ? 'car' : s.label) ?? '__ignore__' }));
      expect(after[key]).toEqual(expected);
      expect(after).toEqual({ ...before, [key]: expected });
      expect(/\n( +)"/.exec(text)![1]).toBe(key === 'shapes' ? '  ' : '    ');
    }
    const cs = JSON.parse(readFileSync(path.join(out, 'cityscapes/aachen/aachen_000000_000019_gtFine_polygons.json'), 'utf8')) as { objects: { label: string }[] };
    expect(cs.objects.map((o) => o.label)).toEqual(['road|lane_marking|crosswalk|bike_lane', 'sky', 'car', '__ignore__']);
    expect(r.manifest.native.find((n) => n.name === 'car')!.instances).toBe(2);
  });

  it('a label the sheet lacks fails with its line', async () => {
    const dir = tempDir();
    mkdirSync(dir, { recursive: true });
    writeFileSync(path.join(dir, 'x.json'), '{\n  "shapes": [\n    {"label": "car", "points": []},\n    {"label": "dragon", "points": []}\n  ]\n}\n');
    const r = await applyMasks({ input: dir, inputShown: 'in', out: tempDir(), bundle, dataset: 'cityscapes', jobs: 1 });
    expect(r.manifest.failed).toMatchObject([{ file: 'x.json', code: 'apply-class-unknown', args: { name: 'dragon', line: 4 } }]);
  });
});
