// runCli runs the built binary (the end-to-end tests of this command); runInProcess runs the
// same program in-process (tests/helpers/cli.ts): same stdout, stderr and exit code.
import { describe, expect, it } from 'vitest';
import { existsSync, readFileSync, readdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { FIXTURES, runCli, tempDir, runInProcess } from '../helpers/cli.js';

const VOC = path.join(FIXTURES, 'voc', 'VOCdevkit', 'VOC2012');
const CITYSCAPES = path.join(FIXTURES, 'cityscapes', 'labels.py');

function datasets(dir: string): string[] {
  const d = path.join(dir, 'sheets', 'datasets');
  return existsSync(d) ? readdirSync(d).sort() : [];
}

describe('labelmap extract', () => {
  it('--stdout prints the sheet as CSV and writes nothing', () => {
    const dir = tempDir({ 'sheets/.keep': '' });
    const r = runCli(['extract', 'cityscapes', CITYSCAPES, '--stdout'], { cwd: dir });
    expect(r.code).toBe(0);
    const lines = r.stdout.trimEnd().split('\n');
    expect(lines[0]).toBe('id,name,display_name,category,train_id,color,is_thing,evaluate,x_category_id');
    expect(lines).toHaveLength(36);
    expect(lines).toContain('26,car,,vehicle,13,#00008e,true,true,7');
    expect(lines).toContain('-1,license plate,,vehicle,-1,#00008e,false,false,7');
    expect(r.stderr).toContain('read 35 labels from labels.py');
    expect(datasets(dir)).toEqual([]);
  });

  it('writes 1.0.0, says "unchanged" on the same content, and a new version with its bump and changes', async () => {
    const dir = tempDir({ 'sheets/.keep': '' });
    const first = await runInProcess(['extract', 'voc', VOC], { cwd: dir });
    expect(first.code).toBe(0);
    expect(first.stdout).toBe('wrote datasets/voc@1.0.0.csv: 22 classes\n');
    const again = await runInProcess(['extract', 'voc', VOC], { cwd: dir });
    expect(again).toMatchObject({ code: 0, stdout: 'unchanged: datasets/voc@1.0.0.csv already holds these 22 classes; nothing written\n' });
    const stats = await runInProcess(['extract', 'voc', VOC, '--stats'], { cwd: dir });
    expect(stats.code).toBe(0);
    expect(stats.stdout.split('\n')[0]).toMatch(/^wrote datasets\/voc@1\.0\.1\.csv: 22 classes \(patch bump from 1\.0\.0: \d+ changes\)$/);
    expect(datasets(dir)).toEqual(['voc@1.0.0.csv', 'voc@1.0.1.csv']);
    expect(readFileSync(path.join(dir, 'sheets/datasets/voc@1.0.0.csv'), 'utf8')).toBe(first.stdout && readFileSync(path.join(dir, 'sheets/datasets/voc@1.0.0.csv'), 'utf8'));
  });

  it('a removed class demands a major bump, an added class a minor one', async () => {
    const dir = tempDir({ 'sheets/.keep': '' });
    const labels = readFileSync(CITYSCAPES, 'utf8');
    const py = path.join(dir, 'labels.py');
    writeFileSync(py, labels);
    expect((await runInProcess(['extract', 'cityscapes', py], { cwd: dir })).code).toBe(0);
    // Comment out one label row: a class removed.
    writeFileSync(py, labels.replace(/^(\s*Label\(\s*'caravan')/m, '#$1'));
    const removed = await runInProcess(['extract', 'cityscapes', py], { cwd: dir });
    expect(removed.code).toBe(0);
    expect(removed.stdout).toContain('wrote datasets/cityscapes@2.0.0.csv: 34 classes (major bump from 1.0.0: 1 change)');
    expect(removed.stdout).toMatch(/major.*caravan/);
    writeFileSync(py, labels);
    const added = await runInProcess(['extract', 'cityscapes', py, '--json'], { cwd: dir });
    const out = JSON.parse(added.stdout) as { version: string; level: string; changes: { kind: string; level: string }[] };
    expect(out).toMatchObject({ version: '2.1.0', level: 'minor' });
    expect(out.changes.map((c) => [c.kind, c.level])).toEqual([['added', 'minor']]);
  });

  it('auto picks the one format that recognises the input', async () => {
    const r = await runInProcess(['extract', 'auto', CITYSCAPES, '--stdout']);
    expect(r.code).toBe(0);
    expect(r.stderr).toMatch(/^labelmap: cityscapes: /);
    expect(r.stdout.split('\n')).toHaveLength(37);
  });

  it('auto lists every format\'s reason when none recognises the input (exit 2)', async () => {
    const dir = tempDir({ 'notes.txt': 'hello\n' });
    const r = await runInProcess(['extract', 'auto', path.join(dir, 'notes.txt'), '--stdout']);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('no format recognises this input');
    for (const id of ['voc', 'cityscapes', 'mapillary', 'apolloscape', 'hf']) expect(r.stderr).toMatch(new RegExp(`\\n    ${id}: no, `));
    expect(r.stdout).toBe('');
  });

  it('rejects an unsafe --name, an unknown format, a missing input, and writing into the shipped sheets', async () => {
    const dir = tempDir({ 'sheets/.keep': '' });
    for (const name of ['../x', 'a/b', 'has space', 'UPPER']) {
      const r = await runInProcess(['extract', 'voc', VOC, '--name', name], { cwd: dir });
      expect(r.code, name).toBe(2);
      expect(r.stderr, name).toContain('is not a safe file name');
    }
    const unknown = await runInProcess(['extract', 'kitti', VOC], { cwd: dir });
    expect(unknown.code).toBe(2);
    expect(unknown.stderr).toContain('unknown format "kitti"');
    const missing = await runInProcess(['extract', 'voc', path.join(dir, 'nope')], { cwd: dir });
    expect(missing.code).toBe(2);
    expect(missing.stderr).toContain('nope');
    expect(missing.stderr).not.toMatch(/\n\s+at /);
    const empty = tempDir();
    const embedded = await runInProcess(['extract', 'voc', VOC], { cwd: empty });
    expect(embedded.code).toBe(2);
    expect(embedded.stderr).toContain('refusing to write into the sheets shipped inside the labelmap package');
    expect(embedded.stderr).toContain('labelmap init');
    expect(datasets(dir)).toEqual([]);
  });

  it('malformed input: exit 2 with file and place, nothing written', () => {
    const dir = tempDir({ 'sheets/.keep': '' });
    const bad = path.join(FIXTURES, 'voc', 'broken', 'malformed.xml');
    const r = runCli(['extract', 'voc', bad], { cwd: dir });
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/malformed\.xml:\d+:\d+: error /);
    expect(datasets(dir)).toEqual([]);
    const dup = runCli(['extract', 'cityscapes', path.join(FIXTURES, 'cityscapes', 'broken', readdirSync(path.join(FIXTURES, 'cityscapes', 'broken')).find((f) => f.includes('dup'))!)], { cwd: dir });
    expect(dup.code).toBe(2);
    expect(dup.stderr).toMatch(/duplicate/);
    expect(datasets(dir)).toEqual([]);
  });
});

describe('labelmap extract never silently supersedes another dataset (issue 22)', () => {
  const ROOT_SHEETS = path.join(FIXTURES, '..', 'sheets');
  /** A warehouse COCO file: 8 classes of its own. */
  const warehouse = JSON.stringify({
    images: [{ id: 1 }],
    annotations: [{ id: 1, image_id: 1, category_id: 1, bbox: [0, 0, 1, 1] }],
    categories: ['pallet', 'forklift', 'box', 'shelf', 'person', 'cart', 'door', 'ladder'].map((name, i) => ({ id: i + 1, name, supercategory: 'warehouse' })),
  });

  it('refuses a new coco version that drops most COCO classes (exit 2, nothing written); the fix lines work', () => {
    const dir = tempDir({ 'my-warehouse/instances.json': warehouse }, { 'sheets/datasets/coco@1.0.0.csv': path.join(ROOT_SHEETS, 'datasets', 'coco@1.0.0.csv') });
    const r = runCli(['extract', 'coco', 'my-warehouse/instances.json', '--stats'], { cwd: dir });
    expect(r.code).toBe(2);
    expect(r.stdout).toBe('');
    expect(r.stderr).toContain(
      'labelmap: datasets/coco@1.0.0.csv: error extract-supersedes: refusing to write coco@2.0.0 over coco@1.0.0: 79 of its 80 classes are gone or renamed (e.g. "bicycle", "car", "motorcycle"), and the input has 8 classes: this looks like another dataset, not a new version of coco\n' +
        '  fix: name the new sheet: `--name coco-2` (any safe name); if it really is a new release of coco that drops these classes, pass `--same-dataset`\n',
    );
    expect(datasets(dir)).toEqual(['coco@1.0.0.csv']);
    // The two ways out the fix names, run as written.
    const named = runCli(['extract', 'coco', 'my-warehouse/instances.json', '--stats', '--name', 'coco-2'], { cwd: dir });
    expect(named).toMatchObject({ code: 0, stdout: 'wrote datasets/coco-2@1.0.0.csv: 8 classes\n' });
    const same = runCli(['extract', 'coco', 'my-warehouse/instances.json', '--stats', '--same-dataset'], { cwd: dir });
    expect(same.code).toBe(0);
    expect(same.stdout).toMatch(/^wrote datasets\/coco@2\.0\.0\.csv: 8 classes \(major bump from 1\.0\.0: \d+ changes\)/);
    expect(datasets(dir)).toEqual(['coco-2@1.0.0.csv', 'coco@1.0.0.csv', 'coco@2.0.0.csv']);
  });

  it('a gtFine folder that holds a few classes keeps every class of labels.py (a patch with counts, not a 15-class major)', () => {
    const dir = tempDir({ 'sheets/.keep': '' });
    expect(runCli(['extract', 'cityscapes', CITYSCAPES], { cwd: dir }).code).toBe(0);
    const r = runCli(['extract', 'cityscapes', path.join(FIXTURES, 'cityscapes', 'gtFine'), '--stats', '--labels', CITYSCAPES], { cwd: dir });
    expect(r.code).toBe(0);
    expect(r.stdout.split('\n')[0]).toMatch(/^wrote datasets\/cityscapes@1\.0\.1\.csv: 35 classes \(patch bump from 1\.0\.0: \d+ changes\)$/);
    const sheet = readFileSync(path.join(dir, 'sheets/datasets/cityscapes@1.0.1.csv'), 'utf8');
    expect(sheet.split('\n')[0]).toContain(',instances,images');
    expect(sheet).toMatch(/^28,bus,.*,0,0,7$/m);
    expect(r.stderr).toContain('of the 35 labels of');
  });

  it('re-running without --stats keeps the counts of the previous version; --drop-stats drops them', () => {
    const dir = tempDir({ 'sheets/.keep': '' });
    expect(runCli(['extract', 'voc', VOC, '--stats'], { cwd: dir }).stdout).toBe('wrote datasets/voc@1.0.0.csv: 22 classes\n');
    expect(runCli(['extract', 'voc', VOC], { cwd: dir })).toMatchObject({ code: 0, stdout: 'unchanged: datasets/voc@1.0.0.csv already holds these 22 classes; nothing written\n' });
    const dropped = runCli(['extract', 'voc', VOC, '--drop-stats'], { cwd: dir });
    expect(dropped.code).toBe(0);
    expect(dropped.stdout.split('\n')[0]).toMatch(/^wrote datasets\/voc@1\.0\.1\.csv: 22 classes \(patch bump/);
    expect(readFileSync(path.join(dir, 'sheets/datasets/voc@1.0.1.csv'), 'utf8').split('\n')[0]).not.toContain('instances');
  });

  it('Hugging Face: two fine-tunes of one base checkpoint get the names of their folders', () => {
    const config = (labels: string[]) => JSON.stringify({ _name_or_path: 'facebook/detr-resnet-50', model_type: 'detr', id2label: Object.fromEntries(labels.map((l, i) => [String(i), l])) });
    const dir = tempDir({ 'sheets/.keep': '', 'models/warehouse-detr/config.json': config(['pallet', 'box']), 'models/retail-detr/config.json': config(['shelf', 'price tag', 'person']) });
    expect(runCli(['extract', 'hf', 'models/warehouse-detr/config.json'], { cwd: dir }).stdout).toBe('wrote datasets/warehouse-detr@1.0.0.csv: 2 classes\n');
    expect(runCli(['extract', 'hf', 'models/retail-detr/config.json'], { cwd: dir }).stdout).toBe('wrote datasets/retail-detr@1.0.0.csv: 3 classes\n');
  });
});
