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
