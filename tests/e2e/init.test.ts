// runCli runs the built binary (the end-to-end tests of this command); runInProcess runs the
// same program in-process (tests/helpers/cli.ts): same stdout, stderr and exit code.
import { spawnSync } from 'node:child_process';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { ROOT, runCli, tempDir, runInProcess } from '../helpers/cli.js';

const KIND_DIRS = ['datasets', 'taxonomy', 'mappings', 'verticals'];
const shipped = (kind: string) => {
  const dir = path.join(ROOT, 'sheets', kind);
  return existsSync(dir) ? readdirSync(dir).filter((n) => !n.startsWith('.')).sort() : [];
};

describe('labelmap init', () => {
  it('starts a sheets repository: the shipped sheets of all four kinds, a lock file, CI and pre-commit', () => {
    const cwd = tempDir();
    const r = runCli(['init', 'team'], { cwd });
    expect(r.code).toBe(0);
    const team = path.join(cwd, 'team');
    for (const kind of KIND_DIRS) {
      const files = shipped(kind);
      expect(readdirSync(path.join(team, 'sheets', kind)).sort()).toEqual(files.length ? files : ['.gitkeep']);
      for (const f of files) expect(readFileSync(path.join(team, 'sheets', kind, f))).toEqual(readFileSync(path.join(ROOT, 'sheets', kind, f)));
    }
    const shippedLock = path.join(ROOT, 'sheets', 'labelmap.lock.json');
    expect(JSON.parse(readFileSync(path.join(team, 'sheets', 'labelmap.lock.json'), 'utf8'))).toEqual(
      existsSync(shippedLock) ? JSON.parse(readFileSync(shippedLock, 'utf8')) : { format: 'labelmap-lock', format_version: 1, sheets: [] },
    );
    const workflow = readFileSync(path.join(team, '.github', 'workflows', 'labelmap.yml'), 'utf8');
    expect(workflow).toContain('npx --no-install labelmap validate sheets --format github');
    expect(workflow).not.toMatch(/--yes|labelmap@/);
    expect(readFileSync(path.join(team, '.pre-commit-config.yaml'), 'utf8')).toContain('entry: npx --no-install labelmap validate sheets');
    // This checkout is not in a node_modules folder: the pin is its path, and init says it is local.
    expect(JSON.parse(readFileSync(path.join(team, 'package.json'), 'utf8'))).toMatchObject({ devDependencies: { labelmap: `file:${path.relative(team, ROOT)}` } });
    expect(r.stderr).toContain('that works on this machine only');
    expect(readFileSync(path.join(team, '.gitattributes'), 'utf8')).toContain('sheets/** text eol=lf');
    expect(r.stdout).toContain(
      'created sheets/labelmap.lock.json\ncreated .github/workflows/labelmap.yml\ncreated .pre-commit-config.yaml\ncreated .gitattributes\ncreated .gitignore\ncreated package.json\n',
    );
    expect(r.stderr).toContain('next: cd team, run `npm install` (it writes package-lock.json: commit it with package.json), edit the sheets');
    // What init writes passes validate.
    expect(runCli(['validate', 'sheets'], { cwd: team }).code).toBe(0);
  });

  it('--empty: the four folders with nothing in them but a .gitkeep', async () => {
    const cwd = tempDir();
    const r = await runInProcess(['init', '--empty'], { cwd });
    expect(r.code).toBe(0);
    for (const kind of KIND_DIRS) expect(readdirSync(path.join(cwd, 'sheets', kind))).toEqual(['.gitkeep']);
    expect(r.stderr).not.toContain('ships no sheets');
    expect(await runInProcess(['validate'], { cwd })).toMatchObject({ code: 0, stdout: '' });
  });

  it('refuses an existing sheets folder (exit 2) and changes nothing', () => {
    const cwd = tempDir({ 'sheets/datasets/mine@1.0.0.csv': 'id,name\n' });
    const r = runCli(['init'], { cwd });
    expect(r.code).toBe(2);
    expect(r.stdout).toBe('');
    expect(r.stderr).toBe(
      `labelmap: ${path.join(cwd, 'sheets')}: error init-exists: a sheets folder exists here already: init never overwrites one\n` +
        '  fix: run `labelmap init` in an empty folder, or pass another folder: `labelmap init my-labels`\n',
    );
    expect(readdirSync(cwd)).toEqual(['sheets']);
  });

  it('refuses a path that is a file (exit 2)', async () => {
    const cwd = tempDir({ notes: 'x' });
    const r = await runInProcess(['init', 'notes'], { cwd });
    expect(r.code).toBe(2);
    expect(r.stderr).toContain(`${path.join(cwd, 'notes')}: error init-not-folder: cannot start a sheets repository here: expected a folder (or a path to create one at), found a file`);
  });

  it('keeps an existing pre-commit config and says so', async () => {
    const cwd = tempDir({ '.pre-commit-config.yaml': 'repos: []\n' });
    const r = await runInProcess(['init'], { cwd });
    expect(r.code).toBe(0);
    expect(readFileSync(path.join(cwd, '.pre-commit-config.yaml'), 'utf8')).toBe('repos: []\n');
    expect(r.stderr).toContain('kept .pre-commit-config.yaml: it exists already');
    expect(r.stdout).not.toContain('created .pre-commit-config.yaml');
  });

  it('the generated workflow and hook run here: labelmap installed from this checkout as the pinned dependency', () => {
    const cwd = tempDir();
    expect(runCli(['init', 'team', '--labelmap', `file:${ROOT}`], { cwd }).code).toBe(0);
    const team = path.join(cwd, 'team');
    expect(JSON.parse(readFileSync(path.join(team, 'package.json'), 'utf8')).devDependencies).toEqual({ labelmap: `file:${ROOT}` });
    // The team installs once and commits the lock file.
    // --ignore-scripts: the pinned dependency is this very checkout; its `prepare` would rebuild dist/
    // while other test files run the binary from it (already built by pretest).
    const install = spawnSync('npm', ['install', '--no-audit', '--no-fund', '--offline', '--ignore-scripts'], { cwd: team, encoding: 'utf8' });
    expect(install.status, install.stderr).toBe(0);
    expect(existsSync(path.join(team, 'package-lock.json'))).toBe(true);
    // Every `run:` step of the workflow, parsed from the file, in order; then the hook's entry.
    const workflow = readFileSync(path.join(team, '.github', 'workflows', 'labelmap.yml'), 'utf8');
    const steps = [...workflow.matchAll(/^\s*- run: (.+)$/gm)].map((m) => m[1]!);
    expect(steps).toEqual(['npm ci --no-audit --no-fund', 'npx --no-install labelmap validate sheets --format github']);
    const hook = /^\s*entry: (.+)$/m.exec(readFileSync(path.join(team, '.pre-commit-config.yaml'), 'utf8'))![1]!;
    for (const command of [...steps, hook]) {
      const r = spawnSync('sh', ['-c', command], { cwd: team, encoding: 'utf8', env: { ...process.env, NO_COLOR: '1', npm_config_offline: 'true', npm_config_ignore_scripts: 'true' } });
      expect(r.status, `${command}\n${r.stderr}`).toBe(0);
    }
    // .gitignore keeps merge outputs out of git.
    expect(readFileSync(path.join(team, '.gitignore'), 'utf8').split('\n')).toContain('build/');
    // npm builds the tree of the linked checkout (its node_modules) twice: minutes on a loaded machine.
  }, 600_000);
});
