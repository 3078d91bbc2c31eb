// The CLI runs from its bundle (dist/bin/program.cjs) with V8's code cache (dist/bin/program.<node>-<arch>.cache),
// both made by `npm run build` (scripts/bundle.mjs, src/cli/bundle.ts). Every other e2e test runs
// through the bundle too; these check that it is the bundle that runs, that a cache V8 refuses (or
// none) changes nothing but the speed, and that a plugin's LabelmapError (from the package's
// library, another copy of the class than the bundle's) is still reported as one.
import { cpSync, existsSync, renameSync, rmSync, symlinkSync, utimesSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { describe, expect, it } from 'vitest';
import { BIN, cliEnv, ROOT, spawnAsync, tempDir } from '../helpers/cli.js';

const SHEETS = path.join(ROOT, 'sheets');
const CACHE = `program.${process.version}-${process.arch}.cache`;

/** A copy of the built package (bin, dist, package.json; node_modules linked) to break on purpose. */
function packageCopy(): string {
  const dir = tempDir();
  for (const part of ['bin', 'dist', 'package.json']) cpSync(path.join(ROOT, part), path.join(dir, part), { recursive: true, preserveTimestamps: true });
  symlinkSync(path.join(ROOT, 'node_modules'), path.join(dir, 'node_modules'));
  return dir;
}

describe('the CLI bundle', () => {
  it('is built, and V8 takes its code cache', async () => {
    expect(existsSync(path.join(ROOT, 'dist', 'bin', 'program.cjs'))).toBe(true);
    const r = await spawnAsync(process.execPath, ['--input-type=module', '-e', loadState(ROOT)], { cwd: ROOT, env: cliEnv() });
    expect(r.stderr).toBe('');
    expect(r.stdout.trim()).toBe('accepted');
  });

  it('is what bin/labelmap runs: the program and its commands are not loaded as modules', async () => {
    // NODE_DEBUG=esm names every ES module Node loads.
    const r = await spawnAsync(process.execPath, [BIN, '--sheets', SHEETS, 'find', 'bicycle'], { cwd: ROOT, env: cliEnv({ NODE_DEBUG: 'esm' }) });
    expect(r.code).toBe(0);
    expect(r.stdout).toContain('bicycle (taxonomy id');
    expect(r.stderr).toContain('dist/cli/main.js');
    expect(r.stderr).toContain('dist/cli/bundle.js');
    expect(r.stderr).not.toContain('dist/cli/program.js');
    expect(r.stderr).not.toContain('dist/cli/commands/find.js');
  });

  it('gives the same output with a cache V8 refuses, without a cache, and without the bundle', async () => {
    const expected = await spawnAsync(process.execPath, [BIN, '--sheets', SHEETS, 'find', 'bicycle'], { cwd: ROOT, env: cliEnv() });
    expect(expected.code).toBe(0);
    const cases: [string, (dir: string) => void][] = [
      ['rejected', (dir) => writeFileSync(path.join(dir, 'dist', 'bin', CACHE), 'not a code cache')],
      // What another Node version finds: no cache of its own.
      ['absent', (dir) => renameSync(path.join(dir, 'dist', 'bin', CACHE), path.join(dir, 'dist', 'bin', 'program.v0.0.0-x64.cache'))],
      ['unbundled', (dir) => rmSync(path.join(dir, 'dist', 'bin'), { recursive: true })],
      // tsc ran after the bundle was made (its output is what should run).
      ['stale', (dir) => utimesSync(path.join(dir, 'dist', '.tsbuildinfo'), new Date(), new Date(Date.now() + 60_000))],
    ];
    for (const [state, breakIt] of cases) {
      const dir = packageCopy();
      breakIt(dir);
      const loaded = await spawnAsync(process.execPath, ['--input-type=module', '-e', loadState(dir)], { cwd: dir, env: cliEnv() });
      expect(loaded.stdout.trim(), loaded.stderr).toBe(state);
      const r = await spawnAsync(process.execPath, [path.join(dir, 'bin', 'labelmap'), '--sheets', SHEETS, 'find', 'bicycle'], { cwd: ROOT, env: cliEnv() });
      expect(r, state).toEqual(expected);
    }
  });

  it("reports a plugin's LabelmapError (the library's class, not the bundle's) as it is", async () => {
    const library = pathToFileURL(path.join(ROOT, 'dist', 'index.js')).href;
    const plugin = `import { LabelmapError, datasetClass } from ${JSON.stringify(library)};
export default { formats: [{
  id: 'tags', title: 'Tag files', input: 'a .tags file',
  async detect(input) { return { ok: input.endsWith('.tags'), reason: 'a .tags file' }; },
  async extract(input) {
    throw new LabelmapError('class-list-line', { file: input, line: 2 }, { expected: 'id=name', found: '"boom"' });
  },
}] };
`;
    const dir = tempDir({ 'labelmap.config.mjs': plugin, 'sheets/datasets/.keep': '', 'a.tags': '0=road\nboom\n' });
    const r = await spawnAsync(process.execPath, [BIN, 'extract', 'tags', 'a.tags'], { cwd: dir, env: cliEnv() });
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/a\.tags:2: error class-list-line: /);
    expect(r.stderr).not.toContain('plugin-failed');
    expect(r.stderr).not.toContain('internal error');
  });
});

/** Script text: how dist/cli/bundle.js of the package in `dir` loads the program. */
function loadState(dir: string): string {
  return `const { loadProgram } = await import(${JSON.stringify(pathToFileURL(path.join(dir, 'dist', 'cli', 'bundle.js')).href)}); console.log((await loadProgram()).cache);`;
}
