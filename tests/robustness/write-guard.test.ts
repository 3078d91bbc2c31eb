// Issue 24, "Deleting or writing outside the build folder" and "Reading outside the repository":
// the write guard (src/io/guard.ts) in every command that writes, and the read guard for sheets.
// Each case sets up what the probe found, runs the command in-process, and compares every file of
// the temporary root before and after (fingerprint): nothing outside the output folder changes,
// no sheet is removed or replaced, and what the user made survives.
import { describe, expect, it } from 'vitest';
import { cpSync, existsSync, mkdirSync, readdirSync, readFileSync, renameSync, rmSync, symlinkSync, utimesSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { FIXTURES, ROOT, runInProcess, tempDir } from '../helpers/cli.js';
import { fingerprint } from './helpers.js';

const DRIVING = path.join(FIXTURES, 'sets', 'driving');
const MERGE = ['merge', '--vertical', 'self-driving', '--quiet'];

/** A repository: root/repo/sheets (a copy of `sheets`) with a .git folder, in a fresh root. */
function repository(sheets = DRIVING): { root: string; repo: string; sheets: string } {
  const root = tempDir({});
  const repo = path.join(root, 'repo');
  mkdirSync(path.join(repo, '.git'), { recursive: true });
  cpSync(sheets, path.join(repo, 'sheets'), { recursive: true });
  return { root, repo, sheets: path.join(repo, 'sheets') };
}

/** The paths (relative to root) that a run added, changed or removed. */
function changed(before: Record<string, string>, after: Record<string, string>): string[] {
  const keys = new Set([...Object.keys(before), ...Object.keys(after)]);
  return [...keys].filter((k) => before[k] !== after[k]).sort();
}

describe('merge: the output folder', () => {
  it('a lut/ that is a link to sheets/datasets (an earlier labelmap.json there): refused, no sheet removed or written', async () => {
    const { root, repo, sheets } = repository();
    expect((await runInProcess(MERGE, { cwd: repo })).code).toBe(0);
    const out = path.join(repo, 'build', 'self-driving');
    rmSync(path.join(out, 'lut'), { recursive: true });
    symlinkSync('../../sheets/datasets', path.join(out, 'lut'));
    const datasets = readdirSync(path.join(sheets, 'datasets')).sort();
    const before = fingerprint(root);
    const r = await runInProcess(MERGE, { cwd: repo });
    expect(r.code, r.stderr).toBe(2);
    expect(r.stderr).toContain(`labelmap: build/self-driving/lut: error output-symlink: this folder inside the output folder is a symbolic link`);
    expect(changed(before, fingerprint(root))).toEqual([]);
    expect(readdirSync(path.join(sheets, 'datasets')).sort()).toEqual(datasets);
  });

  it('the same without the marker (a folder of an old labelmap.json and a lut/ link): refused as not labelmap\'s', async () => {
    const { root, repo } = repository();
    const out = path.join(repo, 'build', 'self-driving');
    mkdirSync(out, { recursive: true });
    writeFileSync(path.join(out, 'labelmap.json'), '{"format": "labelmap-bundle"}\n');
    symlinkSync('../../sheets/datasets', path.join(out, 'lut'));
    const before = fingerprint(root);
    const r = await runInProcess(MERGE, { cwd: repo });
    expect(r.code, r.stderr).toBe(2);
    expect(r.stderr).toContain('error output-not-ours: refusing to write into the folder "build/self-driving"');
    expect(changed(before, fingerprint(root))).toEqual([]);
  });

  it('--out into a folder of the user\'s own files (no marker): refused, every file as it was', async () => {
    const { root, repo } = repository();
    mkdirSync(path.join(repo, 'mine', 'lut'), { recursive: true });
    writeFileSync(path.join(repo, 'mine', 'lut', 'mine.csv'), 'my,own\n');
    writeFileSync(path.join(repo, 'mine', 'labelmap.json'), '{"mine": true}\n');
    const before = fingerprint(root);
    const r = await runInProcess([...MERGE, '--out', 'mine'], { cwd: repo });
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('labelmap: mine: error output-not-ours');
    expect(changed(before, fingerprint(root))).toEqual([]);
  });

  it('the user\'s own lut/mine.csv and .notes.tmp-99999-deadbeef in a labelmap folder survive; a dataset left out loses its lut', async () => {
    const { repo } = repository();
    expect((await runInProcess([...MERGE, '--out', 'out'], { cwd: repo })).code).toBe(0);
    const out = path.join(repo, 'out');
    expect(readdirSync(path.join(out, 'lut')).sort()).toEqual(['cityscapes-mini.csv', 'coco-mini.csv']);
    writeFileSync(path.join(out, 'lut', 'mine.csv'), 'my,own\n');
    // Old enough and of a process that is gone: what removeStaleTemps looks for, but not a name labelmap writes.
    for (const rel of ['.notes.tmp-99999-deadbeef', 'lut/.notes.tmp-99999-deadbeef']) {
      writeFileSync(path.join(out, rel), 'my notes\n');
      const old = new Date(Date.now() - 3600_000);
      utimesSync(path.join(out, rel), old, old);
    }
    const r = await runInProcess([...MERGE, '--out', 'out', '--datasets', 'coco-mini'], { cwd: repo });
    expect(r.code, r.stderr).toBe(0);
    expect(readdirSync(path.join(out, 'lut')).sort()).toEqual(['.notes.tmp-99999-deadbeef', 'coco-mini.csv', 'mine.csv']);
    expect(readFileSync(path.join(out, 'lut', 'mine.csv'), 'utf8')).toBe('my,own\n');
    expect(readFileSync(path.join(out, '.notes.tmp-99999-deadbeef'), 'utf8')).toBe('my notes\n');
    expect(JSON.parse(readFileSync(path.join(out, '.labelmap-output'), 'utf8')).files).toEqual(['coverage.csv', 'label_sets.csv', 'labelmap.json', 'labels.csv', 'lut/coco-mini.csv']);
  });

  it('a marker that lists files outside the names merge writes removes none of them', async () => {
    const { root, repo, sheets } = repository();
    const out = path.join(repo, 'out');
    mkdirSync(out);
    writeFileSync(path.join(repo, 'precious.txt'), 'keep\n');
    writeFileSync(
      path.join(out, '.labelmap-output'),
      JSON.stringify({ format: 'labelmap-output', format_version: 1, files: ['../precious.txt', '../sheets/datasets/coco-mini@1.0.0.csv', 'lut/../../precious.txt'] }),
    );
    const before = fingerprint(root);
    const r = await runInProcess([...MERGE, '--out', 'out'], { cwd: repo });
    expect(r.code, r.stderr).toBe(0);
    for (const file of changed(before, fingerprint(root))) expect(file).toMatch(/^repo\/out\//);
    expect(existsSync(path.join(repo, 'precious.txt'))).toBe(true);
    expect(existsSync(path.join(sheets, 'datasets', 'coco-mini@1.0.0.csv'))).toBe(true);
  });

  it('--out sheets/datasets, or a link to it, or a build/ that links into the sheets folder: refused, nothing written', async () => {
    const { root, repo } = repository();
    symlinkSync('sheets/datasets', path.join(repo, 'datasets-link'));
    symlinkSync('sheets', path.join(repo, 'build'));
    for (const args of [['--out', 'sheets/datasets'], ['--out', 'datasets-link'], ['--out', 'datasets-link/new'], []]) {
      const before = fingerprint(root);
      const r = await runInProcess([...MERGE, ...args], { cwd: repo });
      expect(r.code, args.join(' ')).toBe(2);
      expect(r.stderr, args.join(' ')).toMatch(/error output-in-sheets: the output folder is inside the sheets folder sheets/);
      expect(changed(before, fingerprint(root)), args.join(' ')).toEqual([]);
    }
  });

  it('an empty folder, or one of empty folders only, is taken; an earlier merge\'s folder without the marker too', async () => {
    const { repo } = repository();
    mkdirSync(path.join(repo, 'empty', 'lut'), { recursive: true });
    expect((await runInProcess([...MERGE, '--out', 'empty'], { cwd: repo })).code).toBe(0);
    // A folder an earlier labelmap wrote (no marker yet): taken over, nothing in it removed.
    const out = path.join(repo, 'empty');
    rmSync(path.join(out, '.labelmap-output'));
    const r = await runInProcess([...MERGE, '--out', 'empty', '--datasets', 'coco-mini'], { cwd: repo });
    expect(r.code, r.stderr).toBe(0);
    expect(readdirSync(path.join(out, 'lut')).sort()).toEqual(['cityscapes-mini.csv', 'coco-mini.csv']);
    expect(existsSync(path.join(out, '.labelmap-output'))).toBe(true);
  });
});

describe('export, report, apply: outputs outside the sheets folder, not through links', () => {
  it('export --out sheets/datasets/coco-mini@1.0.0.csv (a released sheet): refused, the sheet as it was', async () => {
    const { root, repo } = repository();
    symlinkSync('sheets/datasets', path.join(repo, 'link'));
    for (const out of ['sheets/datasets/coco-mini@1.0.0.csv', 'link/coco-mini@1.0.0.csv', 'sheets/new.py']) {
      const before = fingerprint(root);
      const r = await runInProcess(['export', '--vertical', 'self-driving', '--format', 'json', '--out', out], { cwd: repo });
      expect(r.code, out).toBe(2);
      expect(r.stderr, out).toContain(`labelmap: ${out}: error output-in-sheets: the output file is inside the sheets folder sheets`);
      expect(changed(before, fingerprint(root)), out).toEqual([]);
    }
  });

  it('export --out a link: refused, neither the link nor its target changed', async () => {
    const { root, repo } = repository();
    writeFileSync(path.join(root, 'elsewhere.py'), 'mine\n');
    symlinkSync('../elsewhere.py', path.join(repo, 'labels.py'));
    const before = fingerprint(root);
    const r = await runInProcess(['export', '--vertical', 'self-driving', '--format', 'python', '--out', 'labels.py'], { cwd: repo });
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('labelmap: labels.py: error output-symlink: the output file is a symbolic link');
    expect(changed(before, fingerprint(root))).toEqual([]);
  });

  it('report --out inside the sheets folder (also by a link): refused', async () => {
    const { root, repo } = repository();
    symlinkSync('sheets', path.join(repo, 'pages'));
    for (const out of ['sheets/report.html', 'pages/report.html']) {
      const before = fingerprint(root);
      const r = await runInProcess(['report', '--out', out], { cwd: repo });
      expect(r.code, out).toBe(2);
      expect(r.stderr, out).toContain('error output-in-sheets');
      expect(changed(before, fingerprint(root)), out).toEqual([]);
    }
  });

  it('attributes --out inside the sheets folder (also by a link) or over a link: refused, nothing written', async () => {
    const { root, repo } = repository(path.join(ROOT, 'sheets'));
    symlinkSync('sheets/datasets', path.join(repo, 'link'));
    symlinkSync('../nowhere.csv', path.join(repo, 'dangling.csv'));
    const bdd = path.join(FIXTURES, 'attributes', 'bdd100k-labels.json');
    for (const [out, code] of [
      ['sheets/attributes.csv', 'output-in-sheets'],
      ['link/attributes.csv', 'output-in-sheets'],
      ['dangling.csv', 'output-symlink'],
    ] as const) {
      const before = fingerprint(root);
      const r = await runInProcess(['attributes', bdd, '--dataset', 'bdd100k', '--out', out], { cwd: repo });
      expect(r.code, out).toBe(2);
      expect(r.stderr, out).toContain(`labelmap: ${out}: error ${code}`);
      expect(changed(before, fingerprint(root)), out).toEqual([]);
    }
  });

  it('apply: --out in the sheets folder, a folder of the user\'s files, a linked sub-folder: refused, nothing written', async () => {
    const { root, repo } = repository(path.join(ROOT, 'sheets'));
    const input = path.join(repo, 'masks');
    cpSync(path.join(FIXTURES, 'apply', 'cityscapes'), input, { recursive: true });
    mkdirSync(path.join(repo, 'theirs'));
    writeFileSync(path.join(repo, 'theirs', 'notes.txt'), 'mine\n');
    mkdirSync(path.join(root, 'elsewhere'));
    mkdirSync(path.join(repo, 'linked'));
    writeFileSync(path.join(repo, 'linked', '.labelmap-output'), JSON.stringify({ format: 'labelmap-output', format_version: 1, files: [] }));
    symlinkSync('../../elsewhere', path.join(repo, 'linked', 'aachen'));
    const apply = ['apply', 'masks', '--dataset', 'cityscapes', '--vertical', 'self-driving', '--match', '*_labelIds.png', '--jobs', '1', '--out'];
    for (const [out, code] of [
      ['sheets/masks', 'output-in-sheets'],
      ['theirs', 'output-not-ours'],
      ['linked', 'output-symlink'],
    ] as const) {
      const before = fingerprint(root);
      const r = await runInProcess([...apply, out], { cwd: repo });
      expect(r.code, out).toBe(2);
      expect(r.stderr, out).toContain(`error ${code}`);
      expect(changed(before, fingerprint(root)), out).toEqual(out === 'linked' ? ['repo/linked/.labelmap-output'] : []);
    }
    expect(readdirSync(path.join(root, 'elsewhere'))).toEqual([]);
  });
});

describe('a folder that holds only labelmap output folders', () => {
  it('apply --out out/ beside a merge\'s out/self-driving: taken, the merge folder as it was', async () => {
    const { repo } = repository(path.join(ROOT, 'sheets'));
    cpSync(path.join(FIXTURES, 'apply', 'cityscapes'), path.join(repo, 'masks'), { recursive: true });
    expect((await runInProcess(['merge', '--vertical', 'self-driving', '--out', 'out/self-driving', '--quiet'], { cwd: repo })).code).toBe(0);
    const before = fingerprint(path.join(repo, 'out', 'self-driving'));
    const r = await runInProcess(['apply', 'masks', '--dataset', 'cityscapes', '--vertical', 'self-driving', '--match', '*_labelIds.png', '--jobs', '1', '--out', 'out/', '--quiet'], { cwd: repo });
    expect(r.code, r.stderr).toBe(0);
    expect(fingerprint(path.join(repo, 'out', 'self-driving'))).toEqual(before);
    expect(readdirSync(path.join(repo, 'out')).sort()).toEqual(['.labelmap-output', 'aachen', 'apply.json', 'bochum', 'self-driving']);
  });
});

describe('writes into the sheets folder follow no link that leaves it', () => {
  it('extract and bump with a datasets/ that links outside the sheets folder: refused, nothing written there', async () => {
    const { root, repo, sheets } = repository();
    // Inside the repository (so the sheets are read), outside the sheets folder (so none is written there).
    const away = path.join(repo, 'away');
    renameSync(path.join(sheets, 'datasets'), away);
    symlinkSync(away, path.join(sheets, 'datasets'));
    const before = fingerprint(root);
    const extract = await runInProcess(['extract', 'hf', path.join(FIXTURES, 'hf', 'segformer-ade-small.json'), '--name', 'ade-small'], { cwd: repo });
    expect(extract.code, extract.stderr).toBe(2);
    expect(extract.stderr).toContain('labelmap: datasets/ade-small@1.0.0.csv: error sheet-folder-outside: the folder datasets/ leaves the sheets folder');
    const bump = await runInProcess(['bump', 'datasets/coco-mini', 'minor'], { cwd: repo });
    expect(bump.code, bump.stderr).toBe(2);
    expect(bump.stderr).toContain('error sheet-folder-outside');
    expect(changed(before, fingerprint(root))).toEqual([]);
  });

  it('a kind folder that links inside the sheets folder is written as before', async () => {
    const { repo, sheets } = repository();
    mkdirSync(path.join(sheets, 'store'));
    renameSync(path.join(sheets, 'mappings'), path.join(sheets, 'store', 'mappings'));
    symlinkSync('store/mappings', path.join(sheets, 'mappings'));
    const r = await runInProcess(['bump', 'mappings/coco-mini', 'patch'], { cwd: repo });
    expect(r.code, r.stderr).toBe(0);
    expect(existsSync(path.join(sheets, 'store', 'mappings', 'coco-mini@1.0.1.csv'))).toBe(true);
  });
});

describe('reading outside the repository', () => {
  const SECRET = 'TOPSECRET_token_8f3a,hunter2\nAKIA-not-a-sheet,x\n';

  /** A repository whose datasets/coco-mini@1.2.0.csv links to a file outside it. */
  function linkedOut(): { root: string; repo: string } {
    const { root, repo, sheets } = repository();
    writeFileSync(path.join(root, 'secret.csv'), SECRET);
    symlinkSync(path.join(root, 'secret.csv'), path.join(sheets, 'datasets', 'coco-mini@1.2.0.csv'));
    return { root, repo };
  }

  it('list, show, merge and diff stop at the sheet, naming it, never printing the target\'s content', async () => {
    const { repo } = linkedOut();
    for (const args of [['list'], ['show', 'coco-mini'], ['merge', '--vertical', 'self-driving'], ['diff', 'coco-mini@1.0.0', 'coco-mini@1.2.0'], ['diff', 'sheets', 'sheets']]) {
      const r = await runInProcess(args, { cwd: repo });
      expect(r.code, args.join(' ')).toBe(2);
      expect(r.stderr, args.join(' ')).toContain('labelmap: datasets/coco-mini@1.2.0.csv: error sheet-outside-repository: this sheet is a symbolic link to a file outside the repository');
      expect(r.stdout + r.stderr, args.join(' ')).not.toMatch(/TOPSECRET|hunter2|AKIA|secret\.csv/);
    }
  });

  it('validate (text, github, json): an error finding at the sheet, nothing of its content', async () => {
    const { repo } = linkedOut();
    for (const format of ['text', 'github', 'json']) {
      const r = await runInProcess(['validate', '--format', format], { cwd: repo });
      expect(r.code, format).toBe(1);
      expect(r.stdout + r.stderr, format).toContain('sheet-outside-repository');
      expect(r.stdout + r.stderr, format).not.toMatch(/TOPSECRET|hunter2|AKIA|secret\.csv/);
    }
    const github = await runInProcess(['validate', '--format', 'github'], { cwd: repo });
    expect(github.stdout).toContain('::error file=sheets/datasets/coco-mini@1.2.0.csv');
  });

  it('a link to a file elsewhere in the same repository is read as before', async () => {
    const { repo, sheets } = repository();
    mkdirSync(path.join(repo, 'shared'));
    renameSync(path.join(sheets, 'datasets', 'coco-mini@1.1.0.csv'), path.join(repo, 'shared', 'coco-mini.csv'));
    symlinkSync('../../shared/coco-mini.csv', path.join(sheets, 'datasets', 'coco-mini@1.1.0.csv'));
    const r = await runInProcess(['list'], { cwd: repo });
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout).toMatch(/dataset\s+coco-mini\s+1\.1\.0/);
  });
});
