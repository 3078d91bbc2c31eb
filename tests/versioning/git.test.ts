// The git edge and argument resolution, against a real temporary repository.
import { mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { LabelmapError } from '../../src/findings.js';
import { findGitRevision, listSheetsAtRevision } from '../../src/sheets/git.js';
import { resolveDiffSides, resolveDiffSource, type SourceEnv } from '../../src/sheets/source.js';
import { tempDir } from '../helpers/cli.js';
import { git, makeRepo, V1 } from './repo.js';

const envOf = (cwd: string, dir: string, gitOk = true): SourceEnv => ({ cwd, sheets: () => ({ dir, git: gitOk }) });

describe('git revisions of the sheets folder', () => {
  const repo = makeRepo();

  it('finds the commit and the sheets folder inside the repository', () => {
    const found = findGitRevision(repo.sheets, 'v1');
    expect('revision' in found).toBe(true);
    if (!('revision' in found)) return;
    expect(found.revision.prefix).toBe('data/sheets');
    expect(found.revision.commit).toBe(git(repo.root, 'rev-parse', 'v1^{commit}').trim());
    const { files } = listSheetsAtRevision(found.revision);
    expect(files.map((f) => f.rel)).toEqual([
      'datasets/cityscapes-mini@1.0.0.csv',
      'mappings/cityscapes-mini@1.0.0.csv',
      'taxonomy/unified@1.0.0.csv',
      'verticals/indoor@1.0.0.csv',
      'verticals/self-driving@1.0.0.csv',
    ]);
    expect(files[0]!.file).toBe('v1:data/sheets/datasets/cityscapes-mini@1.0.0.csv');
  });

  it('says why an argument is not a revision', () => {
    expect(findGitRevision(repo.sheets, 'v9')).toEqual({ reason: expect.stringContaining('no commit "v9"') });
    expect(findGitRevision(repo.sheets, '--all')).toEqual({ reason: expect.stringContaining('not a revision name') });
    const plain = tempDir({ 'sheets/datasets/.keep': '' });
    expect(findGitRevision(path.join(plain, 'sheets'), 'HEAD')).toEqual({ reason: expect.stringContaining('not inside a git repository') });
  });

  it('reads the latest version of every sheet at a revision without touching the work tree', () => {
    writeFileSync(path.join(repo.sheets, 'mappings', 'cityscapes-mini@1.0.1.csv'), 'source,target,note\nroad,road,uncommitted edit\n');
    const side = resolveDiffSource('v2', envOf(repo.root, repo.sheets));
    expect(side.shape).toBe('set');
    if (side.shape !== 'set') return;
    expect(side.sheets.map((s) => `${s.kind}/${s.name}@${s.version}`)).toEqual([
      'dataset/cityscapes-mini@1.1.0',
      'taxonomy/unified@1.1.0',
      'mapping/cityscapes-mini@1.0.1',
      'vertical/self-driving@2.0.0',
      'vertical/smart-city@1.0.0',
    ]);
    const mapping = side.sheets.find((s) => s.kind === 'mapping')!;
    expect(mapping.rows).toHaveLength(8); // the committed file, not the edit in the work tree
    expect(git(repo.root, 'status', '--porcelain')).toBe(' M data/sheets/mappings/cityscapes-mini@1.0.1.csv\n');
    git(repo.root, 'checkout', '-q', '--', '.');
  });
});

describe('resolving diff arguments', () => {
  const repo = makeRepo();
  const env = envOf(repo.root, repo.sheets);

  it('tries a file, then a folder, then a reference, then a revision', () => {
    expect(resolveDiffSource('data/sheets/mappings/cityscapes-mini@1.0.0.csv', env)).toMatchObject({ type: 'file', shape: 'sheet' });
    expect(resolveDiffSource('data/sheets', env)).toMatchObject({ type: 'folder', shape: 'set' });
    expect(resolveDiffSource('mappings/cityscapes-mini@1.0.0', env)).toMatchObject({ type: 'ref', shape: 'sheet', label: 'mappings/cityscapes-mini@1.0.0' });
    expect(resolveDiffSource('HEAD~1', env)).toMatchObject({ type: 'git', shape: 'set' });
    // A folder named like a tag wins over the tag.
    mkdirSync(path.join(repo.root, 'v1'));
    expect(resolveDiffSource('v1', env)).toMatchObject({ type: 'folder' });
    rmSync(path.join(repo.root, 'v1'), { recursive: true });
    expect(resolveDiffSource('v1', env)).toMatchObject({ type: 'git' });
  });

  it('takes the kind of a loose file from its header', () => {
    const dir = tempDir({ 'a.csv': readFileSync(path.join(V1, 'verticals', 'indoor@1.0.0.csv'), 'utf8') });
    expect(resolveDiffSource(path.join(dir, 'a.csv'), env)).toMatchObject({ shape: 'sheet', sheet: { kind: 'vertical', name: 'a', version: null } });
    const bad = tempDir({ 'b.csv': 'x,y\n1,2\n' });
    expect(() => resolveDiffSource(path.join(bad, 'b.csv'), env)).toThrow(/cannot tell which kind of sheet/);
  });

  it('names what an unknown argument is not, and keeps a reference error for name@version', () => {
    const err = (arg: string) => {
      try {
        resolveDiffSource(arg, env);
      } catch (error) {
        return (error as LabelmapError).finding;
      }
      return null;
    };
    expect(err('nope')).toMatchObject({ code: 'diff-source-unknown', args: { arg: 'nope' } });
    expect(err('mappings/cityscapes-mini@9.0.0')).toMatchObject({ code: 'sheet-version-not-found' });
    expect(() => resolveDiffSource('v1', envOf(repo.root, repo.sheets, false))).toThrow(/shipped inside labelmap/);
  });

  it('with one argument: a revision against the work tree; the latest sheet against its previous version', () => {
    const sides = resolveDiffSides('v1', undefined, env);
    expect([sides.before.type, sides.after.type]).toEqual(['git', 'worktree']);
    const one = resolveDiffSides('mappings/cityscapes-mini', undefined, env);
    expect([one.before.label, one.after.label]).toEqual(['mappings/cityscapes-mini@1.0.0', 'mappings/cityscapes-mini@1.0.1']);
    const old = resolveDiffSides('mappings/cityscapes-mini@1.0.0', undefined, env);
    expect([old.before.label, old.after.label]).toEqual(['mappings/cityscapes-mini@1.0.0', 'mappings/cityscapes-mini@1.0.1']);
    expect(() => resolveDiffSides('verticals/smart-city', undefined, env)).toThrow(/only version/);
  });
});
