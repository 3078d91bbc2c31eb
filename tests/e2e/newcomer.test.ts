// The newcomer's path (issue 22): where the sheets are found, what -q hides, where outputs go.
import { existsSync, readdirSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { runCli, tempDir } from '../helpers/cli.js';

function initRepo(): string {
  const cwd = tempDir();
  expect(runCli(['init', 'myrepo'], { cwd }).code).toBe(0);
  return path.join(cwd, 'myrepo');
}

describe('the sheets folder is found by walking up, as git finds .git', () => {
  it('from myrepo/sheets/mappings: validate checks myrepo/sheets, merge writes myrepo/build', () => {
    const repo = initRepo();
    const sub = path.join(repo, 'sheets', 'mappings');
    const v = runCli(['validate'], { cwd: sub });
    expect(v.code).toBe(0);
    expect(v.stderr).not.toContain('shipped');
    // The shipped sheets carry true warnings until issue 16 lands; what matters is the folder (..).
    expect(v.stderr).toMatch(/^labelmap validate: (no findings|0 errors, \d+ warnings?) in \d+ sheet files \(\.\.\)\n$/);
    const m = runCli(['merge', '--vertical', 'indoor'], { cwd: sub });
    expect(m.code).toBe(0);
    expect(m.stderr).not.toContain('shipped');
    expect(existsSync(path.join(repo, 'build', 'indoor', 'labelmap.json'))).toBe(true);
    expect(readdirSync(sub).every((n) => n.endsWith('.csv'))).toBe(true);
    expect(m.stderr).toContain(`wrote ${path.join(repo, 'build', 'indoor')}${path.sep}: labels.csv`);
    // From a folder next to sheets/ (docs/notes): the sheets/ of the enclosing folder.
    const notes = tempDir();
    const list = runCli(['--json', 'list'], { cwd: path.join(repo, 'sheets', 'taxonomy') });
    expect(JSON.parse(list.stdout)).toMatchObject({ sheets: path.join(repo, 'sheets') });
    expect(runCli(['list'], { cwd: notes }).stderr).toContain('shipped');
  });

  it('merge --out into the sheets folder is refused (exit 2, nothing written)', () => {
    const repo = initRepo();
    const r = runCli(['merge', '--vertical', 'indoor', '--out', 'sheets'], { cwd: repo });
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('labelmap: sheets: error output-in-sheets: the output folder is inside the sheets folder sheets');
    expect(r.stderr).toContain('fix: pass a folder next to the sheets folder, e.g. --out build/my-vertical');
    expect(existsSync(path.join(repo, 'sheets', 'labelmap.json'))).toBe(false);
    expect(runCli(['merge', '--vertical', 'indoor', '--out', 'sheets/verticals/x'], { cwd: repo }).code).toBe(2);
    expect(existsSync(path.join(repo, 'sheets', 'verticals', 'x'))).toBe(false);
  });
});

describe('-q hides warnings and progress, never the notice or errors', () => {
  it('on the shipped sheets: the notice stays, the warnings go', () => {
    const empty = tempDir();
    // The shipped sheets validate without a warning; --coarse ignore warns for every coarse class it sends to 255.
    const loud = runCli(['merge', '--vertical', 'self-driving', '--coarse', 'ignore', '--out', 'out'], { cwd: empty });
    expect(loud.code).toBe(0);
    expect(loud.stderr).toContain('using the sheets shipped with labelmap');
    // merge counts the warnings (the first output a newcomer sees is not a page of them).
    expect(loud.stderr).toMatch(/labelmap: \d+ warnings? in the sheet set/);
    const quiet = runCli(['-q', 'merge', '--vertical', 'self-driving', '--coarse', 'ignore', '--out', 'out'], { cwd: empty });
    expect(quiet.code).toBe(0);
    expect(quiet.stderr).toMatch(/^labelmap: no sheets folder here or above; using the sheets shipped with labelmap \(.*\)\n$/);
    expect(quiet.stdout).toBe(loud.stdout);
  });

  it('errors are printed with -q', () => {
    const repo = initRepo();
    const r = runCli(['-q', 'show', 'nope'], { cwd: repo });
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('error sheet-ref-not-found');
  });
});

describe('versions', () => {
  it('bump twice without an edit is refused: no identical 1.1.0 and 1.2.0', () => {
    const repo = initRepo();
    const first = runCli(['bump', 'mappings/coco', 'minor'], { cwd: repo });
    expect(first.code).toBe(0);
    const again = runCli(['bump', 'mappings/coco', 'minor'], { cwd: repo });
    expect(again.code).toBe(2);
    expect(again.stderr).toContain('error bump-unedited: mappings/coco@1.1.0 is still an unedited copy of 1.0.0');
    expect(readdirSync(path.join(repo, 'sheets', 'mappings')).filter((n) => n.startsWith('coco@'))).toEqual(['coco@1.0.0.csv', 'coco@1.1.0.csv']);
  });
});
