// `labelmap validate` as a user runs it: stdout, stderr and exit code.
// runCli runs the built binary (the end-to-end tests of this command); runInProcess runs the
// same program in-process (tests/helpers/cli.ts): same stdout, stderr and exit code.
import { cpSync, existsSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { ROOT, runCli, tempDir, runInProcess } from '../helpers/cli.js';
import { BROKEN, CLEAN } from '../validate/fixtures.js';

/** A repository folder with ./sheets = clean/ (+ broken/<name>/ over it). */
function repo(broken?: string): string {
  const dir = tempDir({}, { sheets: CLEAN });
  if (broken) cpSync(path.join(BROKEN, broken), path.join(dir, 'sheets'), { recursive: true });
  return dir;
}

describe('labelmap validate', () => {
  it('exits 0 on a clean set, prints nothing on stdout and a summary on stderr', () => {
    const r = runCli(['validate'], { cwd: repo() });
    expect(r).toEqual({ code: 0, stdout: '', stderr: 'labelmap validate: no findings in 5 sheet files (sheets)\n' });
  });

  it('exits 1 on errors and prints every finding with its place and fix (text)', () => {
    const dir = repo('cell-invalid');
    cpSync(path.join(BROKEN, 'csv-delimiter'), path.join(dir, 'sheets'), { recursive: true });
    const r = runCli(['validate', 'sheets'], { cwd: dir });
    expect(r.code).toBe(1);
    const heads = r.stdout.split('\n').filter((l) => !l.startsWith('  fix: ') && l !== '');
    expect(heads).toEqual([
      'sheets/datasets/toy@1.0.0.csv:1: error csv-delimiter: the file is separated by ";", not by commas (a spreadsheet saved in a locale that uses ";")',
      'sheets/taxonomy/core@1.1.0.csv:3:1: error cell-invalid: column "id": expected an integer, found "1.0"',
      'sheets/taxonomy/core@1.1.0.csv:5:2: error cell-invalid: column "name": expected a snake_case name (a-z, 0-9 and single underscores), found ""',
      'sheets/taxonomy/core@1.1.0.csv:6:5: error cell-invalid: column "color": expected a colour #rrggbb (or an empty cell), found "#848"',
      'sheets/taxonomy/core@1.1.0.csv:7:2: error cell-invalid: column "name": expected a snake_case name (a-z, 0-9 and single underscores), found "Sky"',
      'sheets/taxonomy/core@1.1.0.csv:8:6: error cell-invalid: column "is_thing": expected true, false or an empty cell, found "yes"',
    ]);
    expect(r.stdout).toContain('  fix: write the colour with six hex digits: #884488\n');
    expect(r.stderr).toBe('labelmap validate: 6 errors, 0 warnings in 5 sheet files (sheets)\n');
  });

  it('--format json: one documented object on stdout, nothing on stderr', async () => {
    const r = await runInProcess(['validate', 'sheets', '--format', 'json'], { cwd: repo('taxonomy-id-reused') });
    expect(r.code).toBe(1);
    expect(r.stderr).toBe('');
    const doc = JSON.parse(r.stdout);
    expect(doc).toMatchObject({ format: 'labelmap-validate', format_version: 1, sheets: 'sheets', files: 7, errors: 1, warnings: 0 });
    expect(doc.findings).toEqual([
      {
        code: 'taxonomy-id-reused',
        severity: 'error',
        file: 'sheets/taxonomy/core@2.0.0.csv',
        line: 7,
        column: 1,
        offset: null,
        path: null,
        message: 'the id 5 of class "bus" belonged to "sky" in core@1.1.0: an id is never reused, not even after its class was removed',
        fix: 'give "bus" a new id (the next free one is 7)',
        args: { name: 'bus', id: 5, previousName: 'sky', version: 'core@1.1.0', next: 7 },
      },
    ]);
    expect((await runInProcess(['--json', 'validate', 'sheets'], { cwd: repo() })).stdout).toContain('"format": "labelmap-validate"');
  });

  it('--format github: one annotation per finding, escaped, file paths from the repository root', async () => {
    const r = await runInProcess(['validate', '--format', 'github'], { cwd: repo('cell-formula') });
    expect(r.code).toBe(1);
    const lines = r.stdout.trimEnd().split('\n');
    expect(lines).toHaveLength(5);
    expect(lines[0]).toBe(
      '::error file=sheets/datasets/toy@1.0.0.csv,line=4,col=3,title=labelmap cell-formula::column "display_name": the cell "@sky" starts with "@", which a spreadsheet runs as a formula%0Afix: remove the leading character or reword the cell; labelmap never needs formulas',
    );
    expect(lines[1]).toMatch(/^::warning file=sheets\/datasets\/toy@1\.0\.0\.csv,line=6,col=2,title=labelmap cell-formula::/);
    expect(r.stderr).toBe('labelmap validate: 3 errors, 2 warnings in 5 sheet files (sheets)\n');
  });

  it('exits 0 on warnings, 1 with --strict', async () => {
    const dir = repo('vertical-include-redundant');
    const loose = await runInProcess(['validate'], { cwd: dir });
    expect(loose.code).toBe(0);
    expect(loose.stdout).toMatch(/^sheets\/verticals\/street@1\.0\.0\.csv:5:2: warning vertical-include-redundant: /);
    const strict = await runInProcess(['validate', '--strict'], { cwd: dir });
    expect(strict.code).toBe(1);
    expect(strict.stdout).toBe(loose.stdout);
  });

  it('exits 2 when it cannot run: a missing folder, a folder without sheet folders, a bad format', async () => {
    const dir = repo();
    const missing = await runInProcess(['validate', 'nope'], { cwd: dir });
    expect(missing.code).toBe(2);
    expect(missing.stdout).toBe('');
    expect(missing.stderr).toContain(`${path.join(dir, 'nope')}: error sheets-folder-not-found: sheets folder not found`);
    const notSheets = await runInProcess(['validate', '.'], { cwd: dir });
    expect(notSheets.code).toBe(2);
    expect(notSheets.stderr).toContain('this is not a sheets folder: expected at least one of datasets/, taxonomy/, mappings/, verticals/');
    const format = await runInProcess(['validate', '--format', 'xml'], { cwd: dir });
    expect(format.code).toBe(2);
    expect(format.stderr).toContain("argument 'xml' is invalid");
  });

  it('takes the folder from --sheets and LABELMAP_SHEETS too', async () => {
    const dir = repo('vertical-color-duplicate');
    expect((await runInProcess(['--sheets', path.join(dir, 'sheets'), 'validate'], { cwd: ROOT })).code).toBe(1);
    expect((await runInProcess(['validate'], { cwd: tempDir(), env: { LABELMAP_SHEETS: path.join(dir, 'sheets') } })).code).toBe(1);
  });

  describe.skipIf(!existsSync(path.join(ROOT, 'sheets')))('the sheets shipped with labelmap', () => {
    // Issue 16's data: every coarse source of the shipped mappings becomes a label set (or the
    // vertical takes the whole subtree), every mixed output class has an is_thing cell, ADE20K has
    // its mapping. So the shipped sheets pass the strictest check CI runs.
    it('pass validate --strict: no error and no warning', async () => {
      const r = await runInProcess(['validate', path.join(ROOT, 'sheets')]);
      expect(r.code).toBe(0);
      expect(r.stderr).toMatch(/^labelmap validate: no findings in \d+ sheet files/m);
      const strict = runCli(['validate', '--strict', path.join(ROOT, 'sheets')]);
      expect(strict.code).toBe(0);
      expect(strict.stdout + strict.stderr).not.toMatch(/warning|error/);
    });
  });
});
