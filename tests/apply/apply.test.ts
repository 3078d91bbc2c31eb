// apply on label masks, in-process: pixel-exact against the bundle's LUT applied here, palettes,
// byte-identical reruns, --jobs and --shard equal to one run, resume, hostile files.
import { spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync, readdirSync, readFileSync, rmSync, statSync, unlinkSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { applyMasks, type ApplyOptions } from '../../src/apply/run.js';
import { decodePng } from '../../src/apply/png.js';
import type { NativeColours } from '../../src/apply/mask.js';
import { readSheet } from '../../src/sheets/io.js';
import { compileSheets } from '../../src/compile.js';
import type { Bundle } from '../../src/taxonomy/types.js';
import { FIXTURES, ROOT, tempDir } from '../helpers/cli.js';

const SHEETS = path.join(ROOT, 'sheets');
const MASKS = path.join(FIXTURES, 'apply');

function compile(vertical: string | null, dataset: string, coarse: 'set' | 'ignore' = 'set'): Bundle {
  const { bundle, findings } = compileSheets(SHEETS, { vertical, datasets: [dataset], coarse });
  if (!bundle) throw new Error(JSON.stringify(findings.filter((f) => f.severity === 'error')));
  return bundle;
}

/** The expected output, computed here from the bundle's LUT entries (not from src/apply's tables). */
function expectedTrainIds(bundle: Bundle, dataset: string, values: Uint8Array): number[] {
  const byId = new Map(bundle.datasets.find((d) => d.name === dataset)!.lut.map((e) => [e.id, e.train_id]));
  return [...values].map((v) => byId.get(v) ?? bundle.ignore_id);
}

function valuesOf(png: string): Uint8Array {
  return new Uint8Array(readFileSync(png.replace(/\.png$/, '.values')));
}

/** Every file under dir (relative path -> bytes), apply manifests left out. */
function tree(dir: string): Map<string, Buffer> {
  const out = new Map<string, Buffer>();
  const walk = (d: string, rel: string): void => {
    for (const name of readdirSync(d).sort()) {
      const abs = path.join(d, name);
      const r = rel ? `${rel}/${name}` : name;
      if (statSync(abs).isDirectory()) walk(abs, r);
      else if (!name.startsWith('apply')) out.set(r, readFileSync(abs));
    }
  };
  walk(dir, '');
  return out;
}

/** The dataset sheet's colours, as the CLI passes them for colour-coded masks. */
function coloursOf(dataset: string): NativeColours {
  const file = path.join(SHEETS, 'datasets', `${dataset}@1.0.0.csv`);
  return readSheet({ kind: 'dataset', name: dataset, version: '1.0.0', file, rel: `datasets/${dataset}@1.0.0.csv` }).rows.map((r) => ({ id: r.id, color: r.color }));
}

const SD = compile('self-driving', 'cityscapes');
const CS_COLOURS = coloursOf('cityscapes');
const run = (overrides: Partial<ApplyOptions> & { out: string | null }) =>
  applyMasks({ input: path.join(MASKS, 'cityscapes'), inputShown: 'cityscapes', bundle: SD, dataset: 'cityscapes', nativeColours: CS_COLOURS, jobs: 1, match: '*_labelIds.png', ...overrides });

describe('apply: label masks -> train-id PNGs', () => {
  const cases = [
    { name: 'Cityscapes labelIds (8-bit grayscale)', vertical: 'self-driving', dataset: 'cityscapes', file: 'cityscapes/aachen/aachen_000000_000019_gtFine_labelIds.png' },
    { name: 'VOC SegmentationClass (palette, 255 void)', vertical: 'indoor', dataset: 'voc', file: 'voc/SegmentationClass/2007_000032.png' },
    { name: 'Mapillary v1.2 label PNG (palette)', vertical: 'maps', dataset: 'mapillary-vistas-v1.2', file: 'mapillary/labels/mapillary_0001.png' },
  ];
  it.each(cases)('$name: every pixel is the LUT of its native id; the palette is the vertical\'s colours', async ({ vertical, dataset, file }) => {
    const bundle = compile(vertical, dataset);
    const out = tempDir();
    const input = path.join(MASKS, file);
    const result = await applyMasks({ input, inputShown: file, out, bundle, dataset, jobs: 1 });
    expect(result.findings).toEqual([]);
    const png = decodePng(readFileSync(path.join(out, path.basename(file))));
    expect(png.colorType).toBe('palette');
    expect(png.bitDepth).toBe(8);
    expect([...png.data]).toEqual(expectedTrainIds(bundle, dataset, valuesOf(input)));
    for (const label of bundle.labels) {
      const rgb = [...png.palette!.subarray(3 * label.train_id, 3 * label.train_id + 3)];
      expect('#' + rgb.map((c) => c.toString(16).padStart(2, '0')).join('')).toBe(label.color.toLowerCase());
    }
    // The manifest's pixel counts add up to the image, per output label as the LUT sends them.
    const m = result.manifest;
    expect(m.labels.reduce((n, l) => n + l.pixels, 0) + m.label_sets.reduce((n, l) => n + l.pixels, 0) + m.ignore.pixels).toBe(png.width * png.height);
    const trainIds = expectedTrainIds(bundle, dataset, valuesOf(input));
    for (const l of m.labels) expect(l.pixels).toBe(trainIds.filter((t) => t === l.train_id).length);
  });

  it('colour-coded masks: a Cityscapes *_color.png gives the same train ids as the labelIds PNG of its scene', async () => {
    const out = tempDir();
    const dir = path.join(MASKS, 'cityscapes', 'aachen');
    for (const name of ['aachen_000000_000019_gtFine_color.png', 'aachen_000000_000019_gtFine_labelIds.png']) {
      const r = await applyMasks({ input: path.join(dir, name), inputShown: name, out, bundle: SD, dataset: 'cityscapes', nativeColours: CS_COLOURS, jobs: 1 });
      expect(r.findings).toEqual([]);
    }
    const fromColour = decodePng(readFileSync(path.join(out, 'aachen_000000_000019_gtFine_color.png')));
    const fromIds = decodePng(readFileSync(path.join(out, 'aachen_000000_000019_gtFine_labelIds.png')));
    expect([...fromColour.data]).toEqual([...fromIds.data]);
    expect(fromColour.data.some((v) => v !== SD.ignore_id)).toBe(true);
  });

  it('--encoding train_id: a Cityscapes *_labelTrainIds.png gives the labelIds output, with its void train ids (255) as ignore', async () => {
    const out = tempDir();
    const out2 = tempDir();
    const ids = path.join(MASKS, 'cityscapes', 'aachen', 'aachen_000000_000019_gtFine_labelIds.png');
    const trainIds = path.join(MASKS, 'cityscapes-trainids', 'aachen', 'aachen_000000_000019_gtFine_labelTrainIds.png');
    const a = await applyMasks({ input: ids, inputShown: 'ids', out, bundle: SD, dataset: 'cityscapes', jobs: 1 });
    const b = await applyMasks({ input: trainIds, inputShown: 'trainIds', out: out2, bundle: SD, dataset: 'cityscapes', jobs: 1, encoding: 'train_id' });
    expect([...a.findings, ...b.findings]).toEqual([]);
    const fromIds = decodePng(readFileSync(path.join(out, path.basename(ids)))).data;
    const fromTrainIds = decodePng(readFileSync(path.join(out2, path.basename(trainIds)))).data;
    const encoded = decodePng(readFileSync(trainIds)).data;
    // Expected, pixel by pixel: where the trainIds file holds a class (0..18) the same label as from
    // the labelIds file; where it holds 255 (a class without a Cityscapes train id), ignore.
    const expected = [...fromIds].map((v, i) => (encoded[i] === 255 ? SD.ignore_id : v));
    expect([...fromTrainIds]).toEqual(expected);
    expect(expected.filter((v) => v === SD.ignore_id).length).toBeLessThan(expected.length);
    expect(b.manifest.encoding).toBe('train_id');
    // Counted per native class: trainId 13 is Cityscapes car (26).
    expect(b.manifest.native.find((n) => n.id === 13)?.name).toBe('car');
  });

  it('--encoding: an encoding the dataset has not is a located error naming those it has; a resumed run in another encoding is refused', async () => {
    const trainIds = path.join(MASKS, 'cityscapes-trainids', 'aachen', 'aachen_000000_000019_gtFine_labelTrainIds.png');
    await expect(applyMasks({ input: trainIds, inputShown: 'x', out: tempDir(), bundle: SD, dataset: 'cityscapes', jobs: 1, encoding: 'mask_value' })).rejects.toThrow(/has no mask encoding "mask_value" \(encodings: train_id\)/);
    const out = tempDir();
    await applyMasks({ input: trainIds, inputShown: 'x', out, bundle: SD, dataset: 'cityscapes', jobs: 1, encoding: 'train_id' });
    await expect(applyMasks({ input: trainIds, inputShown: 'x', out, bundle: SD, dataset: 'cityscapes', jobs: 1 })).rejects.toThrow(/holds outputs of masks read as train_id; this run reads them as native ids/);
  });

  it('colour-coded masks: an ApolloScape RGBA colour label, pixel-exact through the sheet\'s colours', async () => {
    const bundle = compile('self-driving', 'apolloscape');
    const out = tempDir();
    const file = path.join(MASKS, 'apolloscape/ColorImage/170908_061502408_Camera_5_bin.png');
    const r = await applyMasks({ input: file, inputShown: 'x', out, bundle, dataset: 'apolloscape', nativeColours: coloursOf('apolloscape'), jobs: 1 });
    expect(r.findings).toEqual([]);
    const png = decodePng(readFileSync(path.join(out, path.basename(file))));
    expect([...png.data]).toEqual(expectedTrainIds(bundle, 'apolloscape', valuesOf(file)));
    // counted per native id: ApolloScape's car (33) and car_groups (161) share a colour and a train id; the lower id is named
    expect(r.manifest.native.map((n) => n.id)).not.toContain(161);
  });

  it('colour-coded masks without the sheet\'s colours fail, saying so', async () => {
    const file = path.join(MASKS, 'cityscapes/aachen/aachen_000000_000019_gtFine_color.png');
    const r = await applyMasks({ input: file, inputShown: 'x', out: tempDir(), bundle: SD, dataset: 'cityscapes', jobs: 1 });
    expect(r.manifest.failed.map((f) => f.code)).toEqual(['apply-colour-no-sheet']);
  });

  it('a bundle v2 label set: its pixels carry the set id, drawn in its first member\'s colour, counted per set', async () => {
    // Cityscapes road holds lane markings the vertical splits out: with --coarse set it compiles to a
    // set. Here a set of two is made by hand in a bundle compiled without sets.
    const bundle = compile('self-driving', 'cityscapes', 'ignore');
    const setId = Math.max(...bundle.labels.map((l) => l.train_id)) + 1;
    const members = bundle.labels.filter((l) => ['road', 'lane_marking'].includes(l.name));
    bundle.label_sets.push({ id: setId, name: members.map((m) => m.name).join('|'), members: members.map((m) => m.name), member_ids: members.map((m) => m.train_id), kind: 'coarse' });
    const road = bundle.datasets[0]!.lut.find((e) => e.name === 'road')!;
    Object.assign(road, { kind: 'set', train_id: setId, label: null, set: bundle.label_sets[0]!.name, reason: 'coarser than vertical' });
    const out = tempDir();
    const file = path.join(MASKS, 'cityscapes/aachen/aachen_000000_000019_gtFine_labelIds.png');
    const r = await applyMasks({ input: file, inputShown: 'x', out, bundle, dataset: 'cityscapes', jobs: 1 });
    const png = decodePng(readFileSync(path.join(out, path.basename(file))));
    const roadPixels = [...valuesOf(file)].filter((v) => v === road.id).length;
    expect(roadPixels).toBeGreaterThan(0);
    expect([...png.data].filter((t) => t === setId).length).toBe(roadPixels);
    expect([...png.palette!.subarray(3 * setId, 3 * setId + 3)]).toEqual([...png.palette!.subarray(3 * members[0]!.train_id, 3 * members[0]!.train_id + 3)]);
    expect(r.manifest.label_sets).toEqual([{ id: setId, name: 'road|lane_marking', kind: 'coarse', pixels: roadPixels, instances: 0 }]);
    expect(r.manifest.native.find((n) => n.id === road.id)).toMatchObject({ kind: 'set', set: 'road|lane_marking', reason: 'coarser than vertical', pixels: roadPixels });
  });

  it('the unified taxonomy (more than 255 labels) writes 16-bit grayscale train ids', async () => {
    const bundle = compile(null, 'cityscapes');
    expect(bundle.id_bits).toBe(16);
    const out = tempDir();
    const file = path.join(MASKS, cases[0]!.file);
    await applyMasks({ input: file, inputShown: 'x', out, bundle, dataset: 'cityscapes', jobs: 1 });
    const png = decodePng(readFileSync(path.join(out, path.basename(file))));
    expect([png.colorType, png.bitDepth]).toEqual(['gray', 16]);
    expect([...png.data]).toEqual(expectedTrainIds(bundle, 'cityscapes', valuesOf(file)));
    expect(png.data.includes(65535)).toBe(true);
  });

  const python = existsSync('/usr/bin/python3') && spawnSync('/usr/bin/python3', ['-c', 'import PIL, numpy']).status === 0;
  it.skipIf(!python)('PIL reads the output as the same train ids and palette (the consumer\'s view)', async () => {
    const out = tempDir();
    await run({ out });
    const script = [
      'import sys, json, numpy as np', 'from PIL import Image',
      'im = Image.open(sys.argv[1]); print(json.dumps({"mode": im.mode, "px": np.array(im).ravel().tolist(), "pal": im.getpalette()[:6]}))',
    ].join('\n');
    const rel = 'aachen/aachen_000001_000019_gtFine_labelIds.png';
    const r = spawnSync('/usr/bin/python3', ['-c', script, path.join(out, rel)], { encoding: 'utf8' });
    const seen = JSON.parse(r.stdout) as { mode: string; px: number[]; pal: number[] };
    expect(seen.mode).toBe('P');
    expect(seen.px).toEqual(expectedTrainIds(SD, 'cityscapes', valuesOf(path.join(MASKS, 'cityscapes', rel))));
    const road = SD.labels[0]!.color;
    expect(seen.pal.slice(0, 3)).toEqual([1, 3, 5].map((i) => parseInt(road.slice(i, i + 2), 16)));
  });
});

describe('apply: folders, --jobs, --shard, resume', () => {
  let single: Map<string, Buffer>;
  let singleManifest: Awaited<ReturnType<typeof run>>['manifest'];
  beforeAll(async () => {
    const out = tempDir();
    singleManifest = (await run({ out })).manifest;
    single = tree(out);
  });

  it('walks the folder in a stable order and mirrors it; a rerun writes the same bytes', async () => {
    expect([...single.keys()]).toEqual([
      '.labelmap-output',
      'aachen/aachen_000000_000019_gtFine_labelIds.png',
      'aachen/aachen_000001_000019_gtFine_labelIds.png',
      'bochum/bochum_000000_000019_gtFine_labelIds.png',
      'bochum/bochum_000001_000019_gtFine_labelIds.png',
    ]);
    const out = tempDir();
    await run({ out });
    expect(tree(out)).toEqual(single);
    expect(JSON.parse(readFileSync(path.join(out, 'apply.json'), 'utf8'))).toEqual(singleManifest);
  });

  it('--jobs 2 (worker threads) writes what one thread writes', async () => {
    const out = tempDir();
    const r = await run({ out, jobs: 2 });
    expect(tree(out)).toEqual(single);
    expect(r.manifest).toEqual(singleManifest);
  });

  it('--jobs 2: annotation files (VOC XML) run on the worker threads too, and write what one thread writes', async () => {
    const voc = compile('indoor', 'voc');
    const dir = path.join(FIXTURES, 'voc', 'VOCdevkit', 'VOC2012', 'Annotations');
    const one = tempDir();
    const two = tempDir();
    const a = await applyMasks({ input: dir, inputShown: 'Annotations', out: one, bundle: voc, dataset: 'voc', jobs: 1 });
    const b = await applyMasks({ input: dir, inputShown: 'Annotations', out: two, bundle: voc, dataset: 'voc', jobs: 2 });
    expect([...a.findings, ...b.findings]).toEqual([]);
    expect(a.manifest.files.written).toBeGreaterThan(1);
    expect(tree(two)).toEqual(tree(one));
    expect({ ...b.manifest, input: '' }).toEqual({ ...a.manifest, input: '' });
  });

  it('--shard 0/3, 1/3, 2/3 together write exactly one run\'s files, and their counts add up', async () => {
    const out = tempDir();
    const parts = [];
    for (let k = 0; k < 3; k++) parts.push((await run({ out, shard: { index: k, count: 3 } })).manifest);
    expect(tree(out)).toEqual(single);
    expect(parts.map((p) => p.outputs.length)).toEqual([2, 1, 1]);
    expect(parts.flatMap((p) => p.outputs).sort((a, b) => (a.file < b.file ? -1 : 1))).toEqual(singleManifest.outputs);
    for (let i = 0; i < singleManifest.labels.length; i++) {
      expect(parts.reduce((n, p) => n + p.labels[i]!.pixels, 0)).toBe(singleManifest.labels[i]!.pixels);
    }
    expect(readdirSync(out).filter((n) => n.startsWith('apply')).sort()).toEqual(['apply.json', 'apply.shard-0-of-3.json', 'apply.shard-1-of-3.json', 'apply.shard-2-of-3.json']);
  });

  it('the last shard to finish combines the shard manifests into apply.json: byte for byte the manifest of one run', async () => {
    const out = tempDir();
    const first = await run({ out, shard: { index: 2, count: 3 } });
    expect(first.combinedFile).toBeNull();
    expect((await run({ out, shard: { index: 0, count: 3 } })).combinedFile).toBeNull();
    expect(existsSync(path.join(out, 'apply.json'))).toBe(false);
    const last = await run({ out, shard: { index: 1, count: 3 } });
    expect(last.combinedFile).toBe(path.join(out, 'apply.json'));
    const one = tempDir();
    await run({ out: one });
    expect(readFileSync(path.join(out, 'apply.json'), 'utf8')).toBe(readFileSync(path.join(one, 'apply.json'), 'utf8'));
  });

  it('a rerun skips complete outputs, redoes missing ones, counts both; --force rewrites all', async () => {
    const out = tempDir();
    await run({ out });
    unlinkSync(path.join(out, 'bochum/bochum_000000_000019_gtFine_labelIds.png'));
    const again = await run({ out });
    expect(again.manifest.files).toMatchObject({ total: 4, written: 1, skipped: 3, failed: 0 });
    expect(tree(out)).toEqual(single);
    expect(again.manifest.labels).toEqual(singleManifest.labels);
    const forced = await run({ out, force: true });
    expect(forced.manifest.files).toMatchObject({ written: 4, skipped: 0 });
  });

  it('a run killed before its manifest was written redoes everything; outputs of another bundle are not mixed in', async () => {
    const out = tempDir();
    await run({ out });
    rmSync(path.join(out, 'apply.json'));
    expect((await run({ out })).manifest.files).toMatchObject({ written: 4, skipped: 0 });
    const other = compile('smart-city', 'cityscapes');
    await expect(run({ out, bundle: other })).rejects.toMatchObject({ finding: { code: 'apply-other-bundle' } });
    expect((await run({ out, bundle: other, force: true })).manifest.files.written).toBe(4);
  });

  it('a run started before the bundle layout changed (its manifest names the indented bundle\'s sha256) resumes; the next manifest names the current one', async () => {
    const out = tempDir();
    await run({ out });
    const manifestFile = path.join(out, 'apply.json');
    const manifest = JSON.parse(readFileSync(manifestFile, 'utf8')) as { bundle: { sha256: string } };
    const current = manifest.bundle.sha256;
    const indented = createHash('sha256').update(`${JSON.stringify(SD, null, 2)}\n`).digest('hex');
    expect(indented).not.toBe(current);
    manifest.bundle.sha256 = indented;
    writeFileSync(manifestFile, JSON.stringify(manifest, null, 2));
    unlinkSync(path.join(out, 'bochum/bochum_000000_000019_gtFine_labelIds.png'));
    const again = await run({ out });
    expect(again.manifest.files).toMatchObject({ written: 1, skipped: 3 });
    expect((JSON.parse(readFileSync(manifestFile, 'utf8')) as { bundle: { sha256: string } }).bundle.sha256).toBe(current);
    // Any other checksum is another label set, as before.
    manifest.bundle.sha256 = indented.replace(/^./, (c) => (c === '0' ? '1' : '0'));
    writeFileSync(manifestFile, JSON.stringify(manifest, null, 2));
    await expect(run({ out })).rejects.toMatchObject({ finding: { code: 'apply-other-bundle' } });
  });

  it('--stats counts and writes nothing', async () => {
    const out = tempDir();
    const r = await run({ out, stats: true });
    expect(readdirSync(out)).toEqual([]);
    expect(r.manifest.files).toMatchObject({ counted: 4, written: 0 });
    expect(r.manifest.labels).toEqual(singleManifest.labels);
    expect(r.manifestFile).toBeNull();
  });

  it('without --match a gtFine folder\'s colour PNG is remapped through the colours, its 16-bit instance PNG fails, other files are skipped with one warning', async () => {
    const out = tempDir();
    const r = await run({ out, match: undefined });
    expect(r.manifest.files).toMatchObject({ total: 10, written: 5, failed: 1, not_recognised: 4 });
    expect(r.manifest.outputs.find((o) => o.file.endsWith('_color.png'))).toMatchObject({ kind: 'colour-png' });
    expect(r.manifest.not_recognised.map((n) => n.file)).toContain('aachen/aachen_000000_000019_gtFine_labelIds.values');
    expect(r.findings.map((f) => [f.code, f.severity, path.basename(f.file!)])).toEqual([
      ['apply-mask-bit-depth', 'error', 'aachen_000000_000019_gtFine_instanceIds.png'],
      ['apply-files-skipped', 'warning', 'cityscapes'],
    ]);
    expect(r.findings[1]!.args).toMatchObject({ count: 4 });
  });
});

describe('apply: hostile files', () => {
  it('each bad file is a located failure, the good one is written, nothing else is', async () => {
    const out = tempDir();
    const r = await applyMasks({ input: path.join(MASKS, 'hostile'), inputShown: 'hostile', out, bundle: SD, dataset: 'cityscapes', nativeColours: CS_COLOURS, jobs: 1 });
    const byFile = Object.fromEntries(r.manifest.failed.map((f) => [f.file, f]));
    expect(Object.keys(byFile).sort()).toEqual(['bad_crc.png', 'colour_unknown.png', 'empty.png', 'not_a_png.png', 'sixteen_bit.png', 'truncated.png', 'unknown_value.png']);
    expect(byFile['colour_unknown.png']).toMatchObject({ code: 'apply-colour-unknown', args: { colour: '#010203', pixels: 1, x: 9, y: 7 } });
    expect(byFile['truncated.png']).toMatchObject({ code: 'apply-png-invalid' });
    expect(byFile['truncated.png']!.message).toMatch(/truncated|ends/);
    expect(byFile['bad_crc.png']).toMatchObject({ code: 'apply-png-invalid', offset: 33 });
    expect(byFile['bad_crc.png']!.message).toContain('CRC');
    expect(byFile['empty.png']).toMatchObject({ code: 'apply-png-invalid' });
    expect(byFile['not_a_png.png']).toMatchObject({ code: 'apply-png-invalid', args: { reason: 'not a PNG file (no PNG signature)' } });
    expect(byFile['sixteen_bit.png']).toMatchObject({ code: 'apply-mask-bit-depth' });
    expect(byFile['unknown_value.png']).toMatchObject({ code: 'apply-mask-value-unknown', args: { value: 200, pixels: 2, x: 5, y: 3 } });
    expect(r.manifest.not_recognised).toEqual([]);
    expect([...tree(out).keys()]).toEqual(['.labelmap-output', 'a_good.png']);
    expect(r.findings.filter((f) => f.severity === 'error').map((f) => f.file)).toContain(path.join('hostile', 'truncated.png'));
  });

  it('--fail-fast stops at the first failure', async () => {
    const out = tempDir();
    const r = await applyMasks({ input: path.join(MASKS, 'hostile'), inputShown: 'hostile', out, bundle: SD, dataset: 'cityscapes', jobs: 1, failFast: true });
    expect(r.stopped).toBe(true);
    expect(r.manifest.failed.map((f) => f.file)).toEqual(['bad_crc.png']);
  });

  it('an unknown --dataset names the ones the bundle has', async () => {
    await expect(run({ out: tempDir(), dataset: 'coco' })).rejects.toMatchObject({ finding: { code: 'apply-dataset-unknown', args: { known: 'cityscapes' } } });
  });
});
