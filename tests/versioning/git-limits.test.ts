// Issue 24: a sheet blob in git history is held to the work tree's size limit (16 MB) before a
// byte of it is read. `diff v1 v2` read a 300 MB blob whole (1.7 GB peak), and a 700 MB one
// failed with `spawnSync git ENOBUFS`; now both are `file-too-large` naming `<rev>:<path>`.
import { writeFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { LabelmapError } from '../../src/findings.js';
import { SHEET_MAX_BYTES } from '../../src/io/index.js';
import { findGitRevision, listSheetsAtRevision, readFileAtRevision } from '../../src/sheets/git.js';
import { runInProcess } from '../helpers/cli.js';
import { git, makeRepo } from './repo.js';

/** The v1/v2 repository with a v3 whose cityscapes-mini@2.0.0 sheet is one byte over the limit (git stores it compressed). */
function repoWithBigBlob() {
  const repo = makeRepo();
  const header = 'id,name,display_name,category,train_id,color,is_thing,evaluate\n';
  const row = '0,unlabeled,,void,,,,\n';
  const big = header + row + `1,${'x'.repeat(SHEET_MAX_BYTES + 1 - header.length - row.length - 9)},,,,,,\n`;
  writeFileSync(path.join(repo.sheets, 'datasets', 'cityscapes-mini@2.0.0.csv'), big);
  git(repo.root, 'add', '-A');
  git(repo.root, 'commit', '-qm', 'v3');
  git(repo.root, 'tag', 'v3');
  return { ...repo, bytes: Buffer.byteLength(big) };
}

describe('git blob size limits', () => {
  const repo = repoWithBigBlob();

  it('lists every blob with its size, before reading it', () => {
    const found = findGitRevision(repo.sheets, 'v3');
    if (!('revision' in found)) throw new Error(found.reason);
    const file = listSheetsAtRevision(found.revision).files.find((f) => f.rel === 'datasets/cityscapes-mini@2.0.0.csv')!;
    expect(file.size).toBe(repo.bytes);
    expect(repo.bytes).toBeGreaterThan(SHEET_MAX_BYTES);
    let error: unknown;
    try {
      readFileAtRevision(found.revision, file);
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(LabelmapError);
    expect((error as LabelmapError).finding).toMatchObject({
      code: 'file-too-large',
      file: 'v3:data/sheets/datasets/cityscapes-mini@2.0.0.csv',
      args: { what: 'sheet', size: repo.bytes, max: SHEET_MAX_BYTES },
    });
  });

  it('asks `git cat-file -s` when the listing gave no size, and bounds the read itself', () => {
    const found = findGitRevision(repo.sheets, 'v3');
    if (!('revision' in found)) throw new Error(found.reason);
    const file = listSheetsAtRevision(found.revision).files.find((f) => f.rel === 'datasets/cityscapes-mini@1.0.0.csv')!;
    const whole = readFileAtRevision(found.revision, file);
    expect(readFileAtRevision(found.revision, { ...file, size: Number.NaN }).equals(whole)).toBe(true);
    const refused = (fn: () => unknown) => {
      try {
        fn();
      } catch (e) {
        return (e as LabelmapError).finding;
      }
      return null;
    };
    expect(refused(() => readFileAtRevision(found.revision, { ...file, size: Number.NaN }, whole.length - 1))).toMatchObject({ code: 'file-too-large', args: { size: whole.length } });
    // A listing that understated the size: the read stops at the limit instead of buffering the blob.
    expect(refused(() => readFileAtRevision(found.revision, { ...file, size: 1 }, whole.length - 1))).toMatchObject({ code: 'file-too-large' });
  });

  it('`labelmap diff v2 v3` ends with exit 2 and one located error, not ENOBUFS', async () => {
    const r = await runInProcess(['diff', 'v2', 'v3'], { cwd: repo.sheets });
    expect(r.code).toBe(2);
    expect(r.stdout).toBe('');
    expect(r.stderr).toContain('v3:data/sheets/datasets/cityscapes-mini@2.0.0.csv: error file-too-large: sheet is 16 MB (16777217 bytes): more than the 16 MB (16777216 bytes)');
    expect(r.stderr).not.toMatch(/ENOBUFS|at .*\.js:\d+/);
  });
});
