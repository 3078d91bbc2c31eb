// `labelmap extract coco --jobs 1|2` through the built binary: the second part's worker starts from
// dist/formats/coco-worker.js there (the in-process tests run its scan in the test's thread), and
// one thread or two print the same sheet, the same notes and the same first error.
import { writeFileSync } from 'node:fs';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { describe, expect, it } from 'vitest';
import { ROOT, runCli, tempDir } from '../helpers/cli.js';
import { generateCoco } from '../helpers/coco-gen.js';

/** About 6 MB: more than four 1 MiB chunks (roomForSeam), so that a seam is looked for and found. */
function cocoFile(options: Parameters<typeof generateCoco>[2] = {}): string {
  const file = path.join(tempDir(), 'instances_big.json');
  writeFileSync(file, generateCoco(11, 20_000, options).text);
  return file;
}

describe('extract coco --jobs', () => {
  it('prints the same sheet and notes on one thread and on two', () => {
    const file = cocoFile();
    const one = runCli(['extract', 'coco', file, '--stats', '--stdout', '--jobs', '1']);
    expect(one.code).toBe(0);
    expect(one.stderr).toContain('20,000 annotations over 45 images (40 listed)');
    expect(runCli(['extract', 'coco', file, '--stats', '--stdout', '--jobs', '2'])).toEqual(one);
  });

  it('reports the same first error when it lies in the worker\'s part', () => {
    const file = cocoFile({ errorAt: 18_000, error: '1.e' });
    const one = runCli(['extract', 'coco', file, '--stats', '--stdout', '--jobs', '1']);
    expect(one.code).toBe(2);
    expect(one.stderr).toMatch(/malformed JSON at byte \d+/);
    expect(runCli(['extract', 'coco', file, '--stats', '--stdout', '--jobs', '2'])).toEqual(one);
  });
});

describe('the built COCO worker (dist/formats/coco-worker.js)', () => {
  it('scans the second half of annotations, joined at the seam it found', async () => {
    const built = (await import(pathToFileURL(path.join(ROOT, 'dist', 'formats', 'coco.js')).href)) as typeof import('../../src/formats/coco.js');
    const file = cocoFile();
    const two = await built.readCoco(file, { stats: true, jobs: 2 });
    expect(two.split).toBe('joined');
    expect({ ...two, split: undefined }).toEqual({ ...(await built.readCoco(file, { stats: true, jobs: 1 })), split: undefined });
  });
});
