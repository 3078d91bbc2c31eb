// The write guard and the read guard (issue 24) as a user meets them: the built binary, one case
// per command family, stdout, stderr and exit status. (tests/robustness/write-guard.test.ts has
// every case in-process; tests/robustness/races.test.ts the concurrent merges and the killed init.)
import { cpSync, mkdirSync, readdirSync, readFileSync, renameSync, symlinkSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { FIXTURES, ROOT, runCli, tempDir } from '../helpers/cli.js';

/** root/repo: a git repository (a .git folder) holding a copy of the shipped sheets. */
function repository(): { root: string; repo: string; sheets: string } {
  const root = tempDir({});
  const repo = path.join(root, 'repo');
  mkdirSync(path.join(repo, '.git'), { recursive: true });
  cpSync(path.join(ROOT, 'sheets'), path.join(repo, 'sheets'), { recursive: true });
  return { root, repo, sheets: path.join(repo, 'sheets') };
}

describe('the write guard through bin/labelmap', () => {
  it('merge: a lut/ linked into sheets/datasets is refused, and no dataset sheet is removed', () => {
    const { repo, sheets } = repository();
    expect(runCli(['merge', '--vertical', 'self-driving', '--quiet'], { cwd: repo }).code).toBe(0);
    const out = path.join(repo, 'build', 'self-driving');
    renameSync(path.join(out, 'lut'), path.join(repo, 'old-lut'));
    symlinkSync('../../sheets/datasets', path.join(out, 'lut'));
    const datasets = readdirSync(path.join(sheets, 'datasets')).sort();
    const r = runCli(['merge', '--vertical', 'self-driving', '--quiet'], { cwd: repo });
    expect(r).toEqual({
      code: 2,
      stdout: '',
      stderr:
        'labelmap: build/self-driving/lut: error output-symlink: this folder inside the output folder is a symbolic link: labelmap writes no output through a link (it could point anywhere, the sheets folder included)\n' +
        '  fix: replace the link with a real folder, or pass a new folder with --out\n',
    });
    expect(readdirSync(path.join(sheets, 'datasets')).sort()).toEqual(datasets);
  });

  it('merge --out a folder of the user\'s files: refused, the files as they were', () => {
    const { repo } = repository();
    mkdirSync(path.join(repo, 'mine', 'lut'), { recursive: true });
    writeFileSync(path.join(repo, 'mine', 'lut', 'mine.csv'), 'my,own\n');
    const r = runCli(['merge', '--vertical', 'self-driving', '--out', 'mine', '--quiet'], { cwd: repo });
    expect(r.code).toBe(2);
    expect(r.stderr).toBe(
      'labelmap: mine: error output-not-ours: refusing to write into the folder "mine": labelmap did not make it (it holds other files and no .labelmap-output marker), and it never replaces or removes files it did not write\n' +
        '  fix: pass a new or empty folder with --out (labelmap writes only into folders it made: they hold .labelmap-output), or remove this one yourself\n',
    );
    expect(readdirSync(path.join(repo, 'mine'))).toEqual(['lut']);
    expect(readFileSync(path.join(repo, 'mine', 'lut', 'mine.csv'), 'utf8')).toBe('my,own\n');
  });

  it('export --out sheets/datasets/coco@1.0.0.csv: refused, the released sheet as it was', () => {
    const { repo, sheets } = repository();
    const sheet = path.join(sheets, 'datasets', 'coco@1.0.0.csv');
    const before = readFileSync(sheet, 'utf8');
    const r = runCli(['export', '--vertical', 'self-driving', '--format', 'json', '--out', 'sheets/datasets/coco@1.0.0.csv'], { cwd: repo });
    expect(r.code).toBe(2);
    expect(r.stdout).toBe('');
    expect(r.stderr).toContain(
      'labelmap: sheets/datasets/coco@1.0.0.csv: error output-in-sheets: the output file is inside the sheets folder sheets: build outputs there would be read as sheets (or mistaken for them in review)\n',
    );
    expect(readFileSync(sheet, 'utf8')).toBe(before);
  });

  it('apply --out a folder with a linked sub-folder: refused before a file is written', () => {
    const { root, repo } = repository();
    cpSync(path.join(FIXTURES, 'apply', 'cityscapes'), path.join(repo, 'masks'), { recursive: true });
    const args = ['apply', 'masks', '--dataset', 'cityscapes', '--vertical', 'self-driving', '--match', '*_labelIds.png', '--out', 'out', '--quiet'];
    expect(runCli(args, { cwd: repo }).code).toBe(0);
    mkdirSync(path.join(root, 'elsewhere'));
    renameSync(path.join(repo, 'out', 'bochum'), path.join(repo, 'old-bochum'));
    symlinkSync('../../elsewhere', path.join(repo, 'out', 'bochum'));
    const r = runCli([...args, '--force'], { cwd: repo });
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('labelmap: out/bochum: error output-symlink: this folder inside the output folder is a symbolic link');
    expect(readdirSync(path.join(root, 'elsewhere'))).toEqual([]);
  });

  it('report --out in the sheets folder: refused', () => {
    const { repo, sheets } = repository();
    const r = runCli(['report', '--out', 'sheets/report.html'], { cwd: repo });
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('labelmap: sheets/report.html: error output-in-sheets: the output file is inside the sheets folder sheets');
    expect(readdirSync(sheets)).not.toContain('report.html');
  });

  it('extract into a datasets/ that links out of the sheets folder: refused, nothing written there', () => {
    const { repo, sheets } = repository();
    renameSync(path.join(sheets, 'datasets'), path.join(repo, 'datasets-elsewhere'));
    symlinkSync('../datasets-elsewhere', path.join(sheets, 'datasets'));
    const before = readdirSync(path.join(repo, 'datasets-elsewhere')).sort();
    const r = runCli(['extract', 'hf', path.join(FIXTURES, 'hf', 'segformer-ade-small.json'), '--name', 'ade-small'], { cwd: repo });
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('labelmap: datasets/ade-small@1.0.0.csv: error sheet-folder-outside: the folder datasets/ leaves the sheets folder (a symbolic link): labelmap writes no sheet through it\n');
    expect(readdirSync(path.join(repo, 'datasets-elsewhere')).sort()).toEqual(before);
  });
});

describe('the read guard through bin/labelmap', () => {
  it('validate --format github: a sheet linked to a file outside the repository is an annotation at the sheet, never its content', () => {
    const { root, repo, sheets } = repository();
    writeFileSync(path.join(root, 'id_rsa.csv'), 'BEGIN_PRIVATE_KEY_d41d8cd9,x\n');
    symlinkSync(path.join(root, 'id_rsa.csv'), path.join(sheets, 'datasets', 'stolen@1.0.0.csv'));
    const r = runCli(['validate', '--format', 'github'], { cwd: repo });
    expect(r.code).toBe(1);
    expect(r.stdout).toContain(
      '::error file=sheets/datasets/stolen@1.0.0.csv,title=labelmap sheet-outside-repository::this sheet is a symbolic link to a file outside the repository',
    );
    expect(r.stdout + r.stderr).not.toMatch(/PRIVATE_KEY|id_rsa/);
    const list = runCli(['list'], { cwd: repo });
    expect(list.code).toBe(2);
    expect(list.stderr).toContain('labelmap: datasets/stolen@1.0.0.csv: error sheet-outside-repository');
    expect(list.stdout + list.stderr).not.toMatch(/PRIVATE_KEY|id_rsa/);
  });
});
