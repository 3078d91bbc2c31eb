// Issue 24: misnamed sheet files (`coco@1.0.0-rc.1+build.csv`, `COCO@1.0.0.csv`, `coco.csv` in a
// kind's folder) were skipped by list, merge and export without a word. One rule
// (src/rules/files.ts, stage files) names each file and the name it should have: validate's error,
// every other reader's warning.
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { expectedSheetFileName } from '../../src/rules/files.js';
import { FIXTURES, runInProcess, tempDir } from '../helpers/cli.js';
import { readFileSync } from 'node:fs';

const MISNAMED: [string, string][] = [
  ['coco@1.0.0-rc.1+build.csv', 'coco@1.0.0-rc.1.csv'],
  ['COCO@1.0.0.csv', 'coco@1.0.0.csv'],
  ['coco.csv', 'coco@1.0.0.csv'],
];

describe('expectedSheetFileName', () => {
  it.each(MISNAMED)('%s -> %s', (base, expected) => expect(expectedSheetFileName(base)).toBe(expected));
  it('other repairs, and none where no safe name is left', () => {
    expect(expectedSheetFileName('Mapillary Vistas@v2.0.0.csv')).toBe('mapillary-vistas@2.0.0.csv');
    expect(expectedSheetFileName('coco@1.0.csv')).toBe('coco@1.0.0.csv');
    expect(expectedSheetFileName('@1.0.0.csv')).toBeUndefined();
  });
});

describe('every command that reads the folder says which files it skipped', () => {
  const coco = readFileSync(path.join(FIXTURES, 'sets', 'driving', 'datasets', 'coco-mini@1.1.0.csv'), 'utf8');
  const dir = tempDir(Object.fromEntries(MISNAMED.map(([base]) => [`sheets/datasets/${base}`, coco])), { sheets: path.join(FIXTURES, 'sets', 'driving') });
  const expectNamed = (stderr: string, severity: 'warning' | 'error', prefix = '') => {
    for (const [base, expected] of MISNAMED) {
      expect(stderr).toContain(`${prefix}datasets/${base}: ${severity} sheet-file-name: file name ${JSON.stringify(base)} does not follow <name>@<semver>.csv`);
      expect(stderr).toContain(`fix: rename it to ${expected}`);
    }
  };

  it.each([
    ['list', ['list']],
    ['merge', ['merge', '--vertical', 'self-driving', '--out', 'build']],
    ['export', ['export', '--format', 'yolo', '--vertical', 'self-driving', '--out', 'yolo']],
  ])('%s: a warning per file, and the run goes on (exit 0)', async (_name, args) => {
    const r = await runInProcess(args, { cwd: dir });
    expect(r.code).toBe(0);
    expectNamed(r.stderr, 'warning');
    expect(r.stderr).toContain('no command reads it (skipped)');
  });

  it('validate: an error per file (the CI gate)', async () => {
    const r = await runInProcess(['validate'], { cwd: dir });
    expect(r.code).toBe(1);
    expectNamed(r.stdout, 'error', 'sheets/');
  });
});
