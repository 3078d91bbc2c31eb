// `labelmap extract voc --jobs 1|2` through the built binary: the worker thread starts from
// dist/formats/voc-worker.js there (the in-process tests start it under tsx), and one thread or
// two print the same sheet, the same notes and the same first error.
import { copyFileSync, readdirSync } from 'node:fs';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { describe, expect, it } from 'vitest';
import { FIXTURES, ROOT, runCli, tempDir } from '../helpers/cli.js';

const DEVKIT = path.join(FIXTURES, 'voc', 'VOCdevkit', 'VOC2012', 'Annotations');
const BROKEN = path.join(FIXTURES, 'voc', 'broken');

/** 600 files (three chunks of 256: the worker takes some), optionally one broken file at `at`. */
function folder(broken?: { at: number; file: string }): string {
  const sources = readdirSync(DEVKIT).map((f) => path.join(DEVKIT, f));
  const dir = tempDir();
  for (let i = 0; i < 600; i++) {
    const from = broken?.at === i ? path.join(BROKEN, broken.file) : sources[i % sources.length]!;
    copyFileSync(from, path.join(dir, `${String(i).padStart(4, '0')}.xml`));
  }
  return dir;
}

describe('extract voc --jobs', () => {
  it('prints the same sheet and notes on one thread and on two', () => {
    const dir = folder();
    const one = runCli(['extract', 'voc', dir, '--stats', '--stdout', '--jobs', '1']);
    const two = runCli(['extract', 'voc', dir, '--stats', '--stdout', '--jobs', '2']);
    expect(one.code).toBe(0);
    expect(one.stdout.split('\n')[2]).toBe('1,aeroplane,aeroplane,vehicle,,#800000,true,true,600,240,120,240');
    expect(one.stderr).toContain(`read 600 annotation files in ${dir}: 1320 objects of 4 classes`);
    expect(two).toEqual(one);
  });

  it('reports the same first error, and refuses a count it does not take', () => {
    const dir = folder({ at: 400, file: 'object-without-name.xml' });
    const one = runCli(['extract', 'voc', dir, '--stdout', '--jobs', '1']);
    expect(one.code).toBe(2);
    expect(one.stderr).toContain(`${path.join(dir, '0400.xml')}:8:3: error`);
    expect(runCli(['extract', 'voc', dir, '--stdout', '--jobs', '2'])).toEqual(one);
    const three = runCli(['extract', 'voc', dir, '--stdout', '--jobs', '3']);
    expect(three).toMatchObject({ code: 2, stdout: '' });
    expect(three.stderr).toMatch(/--jobs/);
  });
});

describe('the built worker (dist/formats/voc-worker.js)', () => {
  it('reads every chunk when the main thread waits for it, with the main thread\'s result', async () => {
    const built = (await import(pathToFileURL(path.join(ROOT, 'dist', 'formats', 'voc.js')).href)) as typeof import('../../src/formats/voc.js');
    const input = await built.findAnnotationFiles(folder());
    const seen: number[] = [];
    const two = await built.tallyAnnotationFiles(input, { threads: 2, workerFirst: true, onProgress: (done) => void seen.push(done) });
    // The main thread reported no file of its own: the worker read all 600.
    expect(seen).toEqual([0, 600]);
    expect(two).toEqual(await built.tallyAnnotationFiles(input, { threads: 1 }));
  });
});
