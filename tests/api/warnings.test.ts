// openSheets hands its warnings to the caller: the same findings `labelmap merge --all-warnings`
// prints (the driving fixture: a dataset without a mapping).
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { openBundle, openSheets } from '../../src/api/index.js';
import { compileSheets } from '../../src/compile.js';
import { formatFinding } from '../../src/findings.js';
import { FIXTURES } from '../helpers/cli.js';
import { mkdtempSync, writeFileSync } from 'node:fs';
import os from 'node:os';

const DRIVING = path.join(FIXTURES, 'sets', 'driving');

describe('LabelSpace.warnings', () => {
  it('openSheets carries the warnings of compiling, with codes, places and wording', () => {
    const space = openSheets(DRIVING, { vertical: 'self-driving' });
    const codes = space.warnings.map((f) => [f.code, f.file]);
    expect(codes).toContainEqual(['mapping-missing', 'datasets/kitti-mini@1.0.0.csv']);
    // Exactly what merge's engine reports as warnings for the same sheets.
    expect(space.warnings).toEqual(compileSheets(DRIVING, { vertical: 'self-driving' }).findings.filter((f) => f.severity === 'warning'));
    expect(space.warnings.every((f) => f.severity === 'warning')).toBe(true);
    expect(formatFinding(space.warnings[0]!)).toContain('warning');
  });

  it('a bundle read from a file has none', () => {
    const space = openSheets(DRIVING, { vertical: 'self-driving' });
    const dir = mkdtempSync(path.join(os.tmpdir(), 'labelmap-warnings-'));
    writeFileSync(path.join(dir, 'labelmap.json'), JSON.stringify(space.bundle));
    expect(openBundle(path.join(dir, 'labelmap.json')).warnings).toEqual([]);
  });
});
