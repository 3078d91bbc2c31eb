// `labelmap diff` as a user runs it, with NO_COLOR=1.
// runCli runs the built binary (the end-to-end tests of this command); runInProcess runs the
// same program in-process (tests/helpers/cli.ts): same stdout, stderr and exit code.
import { cpSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { runCli, tempDir, runInProcess } from '../helpers/cli.js';
import { applyV2, git, makeRepo, V1, V2 } from '../versioning/repo.js';

/** A sheets folder with both states side by side (every version of v1 and v2). */
function bothStates(): string {
  const dir = tempDir();
  cpSync(V1, path.join(dir, 'sheets'), { recursive: true });
  applyV2(path.join(dir, 'sheets'));
  return dir;
}

describe('labelmap diff: two sheet files', () => {
  it('lists each change with its level and says the patch bump is too small (exit 1)', () => {
    const r = runCli(['diff', path.join(V1, 'mappings', 'cityscapes-mini@1.0.0.csv'), path.join(V2, 'mappings', 'cityscapes-mini@1.0.1.csv')]);
    expect(r.stdout).toContain('mappings/cityscapes-mini  1.0.0 -> 1.0.1: requires major, bumped patch: too small, needs 2.0.0\n');
    expect(r.stdout).toContain('  major  retargeted "rider": rider -> bicyclist\n');
    expect(r.stdout).toContain('  minor  added mapping "bicycle" -> bicycle\n');
    expect(r.stdout).toContain('  patch  "rider": note (empty) -> Cityscapes riders are mostly cyclists\n');
    expect(r.stdout.trimEnd().endsWith('required bump: major')).toBe(true);
    expect(r.stderr).toBe('labelmap: the version bump is too small for mappings/cityscapes-mini\n');
    expect(r.code).toBe(1);
  });

  it('refuses to compare sheets of two kinds (exit 2)', () => {
    const r = runCli(['diff', path.join(V1, 'mappings', 'cityscapes-mini@1.0.0.csv'), path.join(V1, 'verticals', 'indoor@1.0.0.csv')]);
    expect(r.code).toBe(2);
    expect(r.stdout).toBe('');
    expect(r.stderr).toContain('error diff-kind-mismatch: cannot compare');
    expect(r.stderr).toContain('a mapping sheet and a vertical sheet');
  });
});

describe('labelmap diff: references in the sheets folder, --fail-on', () => {
  const dir = bothStates();
  const diff = (...args: string[]) => runInProcess(['diff', 'datasets/cityscapes-mini@1.0.0', 'datasets/cityscapes-mini@1.1.0', ...args], { cwd: dir });

  it('a minor change bumped minor: ok, exit 0', async () => {
    const r = (await diff());
    expect(r.code).toBe(0);
    expect(r.stderr).toBe('');
    expect(r.stdout).toBe(
      [
        'datasets/cityscapes-mini@1.0.0 -> datasets/cityscapes-mini@1.1.0',
        '',
        'datasets/cityscapes-mini  1.0.0 -> 1.1.0: requires minor, bumped minor: ok',
        '  patch  "road": display_name Road -> Road surface',
        '  minor  added class "bicycle" (id 33)',
        '',
        'required bump: minor',
        '',
      ].join('\n'),
    );
  });

  it('--fail-on patch and minor exit 1, --fail-on major exits 0', async () => {
    expect((await diff('--fail-on', 'patch')).code).toBe(1);
    const minor = (await diff('--fail-on', 'minor'));
    expect(minor.code).toBe(1);
    expect(minor.stderr).toBe('labelmap: changes of level minor present, at or above --fail-on minor\n');
    expect((await diff('--fail-on', 'major')).code).toBe(0);
  });

  it('a bad --fail-on level is a usage error (exit 2)', async () => {
    const r = (await diff('--fail-on', 'huge'));
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('huge');
    expect(r.stdout).toBe('');
  });

  it('one reference: the latest version against the one before', async () => {
    const r = await runInProcess(['diff', 'verticals/self-driving'], { cwd: dir });
    expect(r.code).toBe(0);
    expect(r.stdout).toContain('verticals/self-driving  1.0.0 -> 2.0.0: requires major, bumped major: ok');
    expect(r.stdout).toContain('  major  removed output class "rider" (train id 3)');
    expect(r.stdout).toContain('  major  renumbered output class "vehicle": train id 4 -> 3');
    expect(r.stdout).toContain('  major  "rider" moved from output class "rider" to "person"');
  });

  it('an argument that is nothing known is an input error naming the four things tried (exit 2)', async () => {
    const r = await runInProcess(['diff', 'no-such-thing', 'datasets/cityscapes-mini'], { cwd: dir });
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('error diff-source-unknown: "no-such-thing" is not a sheet file, a sheets folder, a sheet in sheets, or a git revision');
    expect(r.stderr).toContain('not inside a git repository');
    expect(r.stderr).toContain('fix: pass a file');
  });

  it('a reference to a version that does not exist names the versions there are (exit 2)', async () => {
    const r = await runInProcess(['diff', 'datasets/cityscapes-mini@3.0.0', 'datasets/cityscapes-mini'], { cwd: dir });
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('error sheet-version-not-found: no such version: datasets/cityscapes-mini has no version 3.0.0 (versions: 1.0.0, 1.1.0)');
  });
});

describe('labelmap diff: git revisions', () => {
  const repo = makeRepo('sheets');

  it('v1 v2: per sheet, sheets added and removed, too-small bump -> exit 1', () => {
    const r = runCli(['diff', 'v1', 'v2'], { cwd: repo.root });
    expect(r.code).toBe(1);
    const v1 = git(repo.root, 'rev-parse', '--short=7', 'v1').trim();
    const v2 = git(repo.root, 'rev-parse', '--short=7', 'v2').trim();
    expect(r.stdout.split('\n')[0]).toBe(`v1 (${v1}) -> v2 (${v2})`);
    expect(r.stdout).toContain('taxonomy/unified  1.0.0 -> 1.1.0: requires minor, bumped minor: ok\n  minor  added class "bicycle" (id 9)\n  minor  added class "bicyclist" (id 10)\n');
    expect(r.stdout).toContain('verticals/indoor  removed 1.0.0\n  major  removed sheet verticals/indoor@1.0.0\n');
    expect(r.stdout).toContain('verticals/smart-city  added 1.0.0\n  minor  added sheet verticals/smart-city@1.0.0\n');
    expect(r.stdout).toContain('mappings/cityscapes-mini  1.0.0 -> 1.0.1: requires major, bumped patch: too small, needs 2.0.0\n');
    expect(r.stderr).toContain('labelmap: the version bump is too small for mappings/cityscapes-mini\n');
    // The compiled effect: merged with the same engine as `labelmap merge`, per vertical.
    expect(r.stdout).toContain('compiled/self-driving  requires major\n  major  cityscapes-mini id 25 "rider" now lands on 2 (was 3)\n');
    expect(r.stdout).toContain('  minor  cityscapes-mini id 33 "bicycle" is new, lands on 3\n');
    expect(r.stderr).not.toContain('compiled output: not compared');
    expect(git(repo.root, 'status', '--porcelain')).toBe('');
  });

  it('--json: the documented structure', async () => {
    const r = await runInProcess(['diff', 'v1', 'v2', '--json', '--fail-on', 'major'], { cwd: repo.root });
    expect(r.code).toBe(1);
    const out = JSON.parse(r.stdout);
    expect(Object.keys(out)).toEqual(['format', 'format_version', 'before', 'after', 'required', 'enough', 'fail_on', 'failed', 'sheets', 'compiled']);
    expect(out).toMatchObject({
      format: 'labelmap-diff',
      format_version: 1,
      before: { arg: 'v1', type: 'git', commit: git(repo.root, 'rev-parse', 'v1').trim() },
      after: { arg: 'v2', type: 'git' },
      required: 'major',
      enough: false,
      fail_on: 'major',
      failed: true,
    });
    expect(out.compiled.map((c: { vertical: string | null; required: string }) => [c.vertical, c.required])).toEqual([
      [null, 'major'],
      ['self-driving', 'major'],
    ]);
    expect(out.sheets.map((s: { sheet: string; required: string; actual: string | null; enough: boolean | null; suggested: string | null }) => [s.sheet, s.required, s.actual, s.enough, s.suggested])).toEqual([
      ['datasets/cityscapes-mini', 'minor', 'minor', true, null],
      ['taxonomy/unified', 'minor', 'minor', true, null],
      ['mappings/cityscapes-mini', 'major', 'patch', false, '2.0.0'],
      ['verticals/indoor', 'major', null, null, null],
      ['verticals/self-driving', 'major', 'major', true, null],
      ['verticals/smart-city', 'minor', null, null, null],
    ]);
    expect(out.sheets[2].before).toEqual({ version: '1.0.0', file: 'v1:sheets/mappings/cityscapes-mini@1.0.0.csv' });
    expect(out.sheets[2].changes[0]).toEqual({
      sheet: 'mappings/cityscapes-mini',
      kind: 'retarget',
      level: 'major',
      rule: 'mapping-retarget',
      key: 'rider',
      field: 'target',
      before: 'rider',
      after: 'bicyclist',
      note: null,
    });
  });

  it('one revision compares with the work tree; an edit under a released version is caught', async () => {
    expect(await runInProcess(['diff', 'v2'], { cwd: repo.root })).toMatchObject({ code: 0, stdout: expect.stringContaining('no changes') });
    expect((await runInProcess(['diff', 'HEAD'], { cwd: repo.root })).code).toBe(0);
    cpSync(path.join(V1, 'verticals', 'indoor@1.0.0.csv'), path.join(repo.sheets, 'verticals', 'smart-city@1.0.0.csv'));
    const edited = await runInProcess(['diff', 'v2', '--json'], { cwd: repo.root });
    expect(edited.code).toBe(1);
    const out = JSON.parse(edited.stdout);
    expect(out.after.type).toBe('worktree');
    const sheet = out.sheets.find((s: { sheet: string }) => s.sheet === 'verticals/smart-city');
    expect(sheet).toMatchObject({ actual: 'none', enough: false, required: 'major', suggested: '2.0.0' });
    git(repo.root, 'checkout', '-q', '--', '.');
  });

  it('two names of one commit: no changes, exit 0', async () => {
    const r = await runInProcess(['diff', 'HEAD', 'v2'], { cwd: repo.root });
    expect(r.code).toBe(0);
    expect(r.stdout.trimEnd().split('\n').slice(-2)).toEqual(['5 sheets unchanged', 'no changes']);
  });
});
