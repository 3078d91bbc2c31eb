// `labelmap export --vertical` and the library's openSheets compile from the sheets with the same
// engine as `labelmap merge`: the three must agree.
// runCli runs the built binary (the end-to-end tests of this command); runInProcess runs the
// same program in-process (tests/helpers/cli.ts): same stdout, stderr and exit code.
import { describe, expect, it } from 'vitest';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { openSheets } from '../../src/api/index.js';
import { FIXTURES, runCli, tempDir, runInProcess } from '../helpers/cli.js';

const SET = path.join(FIXTURES, 'sets', 'driving');

describe('labelmap export --vertical / --unified', () => {
  it('compiles the vertical from the sheets: the json export is the bundle merge writes', () => {
    const out = tempDir();
    const merged = runCli(['--sheets', SET, 'merge', '--vertical', 'self-driving', '--out', out]);
    expect(merged.code).toBe(0);
    const exported = runCli(['--sheets', SET, 'export', '--vertical', 'self-driving', '--format', 'json']);
    expect(exported.code).toBe(0);
    expect(exported.stdout).toBe(readFileSync(path.join(out, 'labelmap.json'), 'utf8'));
  });

  it('--unified exports every taxonomy class; one label set must be named', async () => {
    const unified = await runInProcess(['--sheets', SET, 'export', '--unified', '--format', 'labelimg']);
    expect(unified.code).toBe(0);
    const taxonomy = readFileSync(path.join(SET, 'taxonomy', 'core@1.1.0.csv'), 'utf8').trim().split('\n').length - 1;
    expect(unified.stdout.trim().split('\n').filter((l) => !l.startsWith('__unused_')).length).toBe(taxonomy);
    const none = await runInProcess(['--sheets', SET, 'export', '--format', 'json']);
    expect(none.code).toBe(2);
    expect(none.stderr).toContain('no label set given');
    const both = await runInProcess(['--sheets', SET, 'export', '--unified', '--vertical', 'self-driving', '--format', 'json']);
    expect(both.code).toBe(2);
    expect(both.stderr).toContain('give one label set');
  });

  it('a broken sheet set stops the export with the first error (exit 2), nothing on stdout', async () => {
    const r = await runInProcess(['--sheets', path.join(FIXTURES, 'sets', 'broken'), 'export', '--vertical', 'bad-ids', '--format', 'json']);
    expect(r.code).toBe(2);
    expect(r.stdout).toBe('');
    expect(r.stderr).toMatch(/labelmap: \S+@\S+\.csv:\d+/);
  });
});

describe('openSheets (library)', () => {
  it('gives the same answers as the bundle of labelmap merge', async () => {
    const out = tempDir();
    expect((await runInProcess(['--sheets', SET, 'merge', '--vertical', 'self-driving', '--out', out])).code).toBe(0);
    const bundle = JSON.parse(readFileSync(path.join(out, 'labelmap.json'), 'utf8')) as { labels: { name: string }[]; datasets: { name: string; lut: { id: number; train_id: number }[] }[] };
    const space = openSheets(SET, { vertical: 'self-driving' });
    expect(space.labels().map((l) => l.name)).toEqual(bundle.labels.map((l) => l.name));
    for (const d of bundle.datasets) for (const e of d.lut) expect(space.lookup(d.name, e.id).train_id).toBe(e.train_id);
  });
});
