import { spawnSync } from 'node:child_process';
// `labelmap release` as a user runs it: the lock file, and the checks before it is written.
// runCli runs the built binary (the end-to-end tests of this command); runInProcess runs the
// same program in-process (tests/helpers/cli.ts): same stdout, stderr and exit code.
import { cpSync, existsSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { sha256 } from '../../src/sheets/io.js';
import { runCli, tempDir, runInProcess } from '../helpers/cli.js';
import { applyV2, V1 } from '../versioning/repo.js';

/** A folder whose sheets were released once, by the binary (`spawned`) or in-process. */
async function released(how: 'spawned' | 'in-process' = 'in-process'): Promise<{ dir: string; sheets: string; lock: string }> {
  const dir = tempDir();
  const sheets = path.join(dir, 'sheets');
  cpSync(V1, sheets, { recursive: true });
  const r = how === 'spawned' ? runCli(['release'], { cwd: dir }) : await runInProcess(['release'], { cwd: dir });
  expect(r.code).toBe(0);
  return { dir, sheets, lock: path.join(sheets, 'labelmap.lock.json') };
}

describe('labelmap release', () => {
  it('records every sheet file with its sha256, sorted, in sheets/labelmap.lock.json', async () => {
    const { sheets, lock } = await released('spawned');
    const text = readFileSync(lock, 'utf8');
    const data = JSON.parse(text);
    expect(data.format).toBe('labelmap-lock');
    expect(data.format_version).toBe(1);
    expect(data.sheets.map((e: { file: string }) => e.file)).toEqual([
      'datasets/cityscapes-mini@1.0.0.csv',
      'taxonomy/unified@1.0.0.csv',
      'mappings/cityscapes-mini@1.0.0.csv',
      'verticals/indoor@1.0.0.csv',
      'verticals/self-driving@1.0.0.csv',
    ]);
    for (const e of data.sheets) expect(e.sha256).toBe(sha256(readFileSync(path.join(sheets, e.file))));
    expect(text.endsWith('\n')).toBe(true);
  });

  it('is idempotent: a second release writes the same bytes and says nothing is new', async () => {
    const { dir, lock } = await released();
    const first = readFileSync(lock, 'utf8');
    const r = await runInProcess(['release'], { cwd: dir });
    expect(r).toMatchObject({ code: 0, stderr: '' });
    expect(r.stdout).toBe('locked 5 sheet files in sheets/labelmap.lock.json (nothing new)\n');
    expect(readFileSync(lock, 'utf8')).toBe(first);
  });

  it('refuses a new version whose bump is too small, and leaves the lock as it was (exit 1)', async () => {
    const { dir, sheets, lock } = await released('spawned');
    const git = (...args: string[]) => spawnSync('git', ['-c', 'user.name=t', '-c', 'user.email=t@example.com', '-c', 'commit.gpgsign=false', ...args], { cwd: dir, encoding: 'utf8' });
    git('init', '-q');
    git('add', '-A');
    git('commit', '-qm', 'released');
    const before = readFileSync(lock, 'utf8');
    applyV2(sheets);
    const r = runCli(['release'], { cwd: dir });
    expect(r.code).toBe(1);
    expect(r.stdout).toBe('');
    expect(r.stderr).toContain(
      'mappings/cityscapes-mini@1.0.1.csv: error bump-too-small: mappings/cityscapes-mini 1.0.0 -> 1.0.1 is a patch step, but its 3 change(s) demand major (e.g. retargeted "rider": rider -> bicyclist)',
    );
    expect(r.stderr).toContain(
      'fix: `labelmap diff mappings/cityscapes-mini@1.0.0 mappings/cityscapes-mini@1.0.1` shows every change; give it the version 2.0.0 by renaming the file to cityscapes-mini@2.0.0.csv: `mv sheets/mappings/cityscapes-mini@1.0.1.csv sheets/mappings/cityscapes-mini@2.0.0.csv`',
    );
    expect(r.stderr).toContain('labelmap: not released: 2 errors; sheets/labelmap.lock.json unchanged');
    expect(readFileSync(lock, 'utf8')).toBe(before);

    // Renamed to the version it needs, the release goes through and drops the removed vertical.
    renameSync(path.join(sheets, 'mappings', 'cityscapes-mini@1.0.1.csv'), path.join(sheets, 'mappings', 'cityscapes-mini@2.0.0.csv'));
    // The removed released vertical is an error (a model trained with it names it), with a fix that runs as written.
    const gone = runCli(['release'], { cwd: dir });
    expect(gone.code).toBe(1);
    expect(gone.stderr).toContain('error lock-sheet-missing: the released sheet verticals/indoor@1.0.0.csv is locked');
    const fix = /restore it with `([^`]+)`/.exec(gone.stderr)![1]!;
    expect(fix).toBe('git -C sheets checkout -- verticals/indoor@1.0.0.csv');
    expect(spawnSync('sh', ['-c', fix], { cwd: dir }).status).toBe(0);
    const ok = runCli(['release'], { cwd: dir });
    expect(ok.code).toBe(0);
    expect(ok.stdout).toBe(
      'locked 10 sheet files in sheets/labelmap.lock.json (5 new: datasets/cityscapes-mini@1.1.0.csv, taxonomy/unified@1.1.0.csv, mappings/cityscapes-mini@2.0.0.csv, verticals/self-driving@2.0.0.csv, verticals/smart-city@1.0.0.csv)\n',
    );
  });

  it('refuses when a released file was edited, suggesting labelmap bump (exit 1)', async () => {
    const { dir, sheets, lock } = await released();
    const file = path.join(sheets, 'taxonomy', 'unified@1.0.0.csv');
    writeFileSync(file, readFileSync(file, 'utf8').replace('drivable surface', 'where cars drive'));
    const r = await runInProcess(['release', '--json'], { cwd: dir });
    expect(r.code).toBe(1);
    const out = JSON.parse(r.stdout);
    expect(out).toMatchObject({ written: false, dry_run: false });
    expect(out.findings).toEqual([
      expect.objectContaining({
        code: 'lock-sheet-changed',
        severity: 'error',
        file: 'taxonomy/unified@1.0.0.csv',
        fix: expect.stringContaining('`labelmap bump taxonomy/unified <major|minor|patch>`'),
      }),
    ]);
    expect(JSON.parse(readFileSync(lock, 'utf8')).sheets[1].sha256).not.toBe(sha256(readFileSync(file)));
  });

  it('--dry-run checks and reports without writing', async () => {
    const dir = tempDir();
    cpSync(V1, path.join(dir, 'sheets'), { recursive: true });
    const r = await runInProcess(['release', '--dry-run'], { cwd: dir });
    expect(r.code).toBe(0);
    expect(r.stdout).toContain('would lock 5 sheet files in sheets/labelmap.lock.json (5 new:');
    expect(existsSync(path.join(dir, 'sheets', 'labelmap.lock.json'))).toBe(false);
  });

  it('a broken lock file is an input error with its JSON path (exit 2)', async () => {
    const { dir, lock } = await released();
    writeFileSync(lock, JSON.stringify({ format: 'labelmap-lock', format_version: 2, sheets: [] }));
    const r = await runInProcess(['release'], { cwd: dir });
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('sheets/labelmap.lock.json $.format_version: error lock-invalid: the lock file is not valid');
  });
});
