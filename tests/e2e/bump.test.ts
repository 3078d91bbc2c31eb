// `labelmap bump` as a user runs it.
// runCli runs the built binary (the end-to-end tests of this command); runInProcess runs the
// same program in-process (tests/helpers/cli.ts): same stdout, stderr and exit code.
import { cpSync, readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { runCli, tempDir, runInProcess } from '../helpers/cli.js';
import { applyV2, V1 } from '../versioning/repo.js';

function sheetsDir(): string {
  const dir = tempDir();
  cpSync(V1, path.join(dir, 'sheets'), { recursive: true });
  return dir;
}

describe('labelmap bump', () => {
  it('starts the next version as a byte-for-byte copy of the latest and prints its path', () => {
    const dir = sheetsDir();
    const r = runCli(['bump', 'mappings/cityscapes-mini', 'minor'], { cwd: dir });
    expect(r.code).toBe(0);
    expect(r.stdout).toBe('sheets/mappings/cityscapes-mini@1.1.0.csv\n');
    expect(r.stderr).toContain('started mappings/cityscapes-mini 1.1.0 (minor) as a copy of 1.0.0');
    const read = (v: string) => readFileSync(path.join(dir, 'sheets', 'mappings', `cityscapes-mini@${v}.csv`));
    expect(read('1.1.0').equals(read('1.0.0'))).toBe(true);
    // Leaves no temporary file behind.
    expect(readdirSync(path.join(dir, 'sheets', 'mappings'))).toEqual(['cityscapes-mini@1.0.0.csv', 'cityscapes-mini@1.1.0.csv']);
  });

  it('defaults to patch, bumps from the latest, and says so in --json', async () => {
    const dir = sheetsDir();
    applyV2(path.join(dir, 'sheets'));
    const r = await runInProcess(['bump', 'self-driving', '--json'], { cwd: dir });
    expect(r.code).toBe(0);
    expect(JSON.parse(r.stdout)).toEqual({
      format: 'labelmap-bump',
      format_version: 1,
      kind: 'vertical',
      name: 'self-driving',
      from: '2.0.0',
      to: '2.0.1',
      level: 'patch',
      file: 'verticals/self-driving@2.0.1.csv',
      path: 'sheets/verticals/self-driving@2.0.1.csv',
    });
  });

  it('refuses to start from a version that is not the latest (exit 2)', () => {
    const dir = sheetsDir();
    applyV2(path.join(dir, 'sheets'));
    const r = runCli(['bump', 'verticals/self-driving@1.0.0', 'major'], { cwd: dir });
    expect(r.code).toBe(2);
    expect(r.stdout).toBe('');
    expect(r.stderr).toContain('error bump-not-latest: verticals/self-driving@1.0.0 is not the latest version (latest: 2.0.0)');
    expect(r.stderr).toContain('fix: start the next version from the latest: `labelmap bump verticals/self-driving major`');
  });

  it('refuses auto and unknown levels, and unknown sheets (exit 2)', async () => {
    const dir = sheetsDir();
    const auto = await runInProcess(['bump', 'mappings/cityscapes-mini', 'auto'], { cwd: dir });
    expect(auto.code).toBe(2);
    expect(auto.stderr).toContain('the bump level cannot be known before the edit');
    const huge = await runInProcess(['bump', 'mappings/cityscapes-mini', 'huge'], { cwd: dir });
    expect(huge.code).toBe(2);
    expect(huge.stderr).toContain('the bump level is major, minor or patch, not "huge"');
    const none = await runInProcess(['bump', 'mappings/coco', 'minor'], { cwd: dir });
    expect(none.code).toBe(2);
    expect(none.stderr).toContain('no sheet matches "mappings/coco" (known: cityscapes-mini)');
    expect(readdirSync(path.join(dir, 'sheets', 'mappings'))).toEqual(['cityscapes-mini@1.0.0.csv']);
  });

  it('never writes into the sheets shipped with labelmap (exit 2)', async () => {
    const r = await runInProcess(['bump', 'coco', 'minor'], { cwd: tempDir() });
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('error sheet-readonly');
  });
});
