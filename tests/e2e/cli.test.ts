// runCli runs the built binary (the end-to-end tests of this command); runInProcess runs the
// same program in-process (tests/helpers/cli.ts): same stdout, stderr and exit code.
import { describe, expect, it } from 'vitest';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { spawnSync } from 'node:child_process';
import { BIN, cliEnv, ROOT, runCli, tempDir, runInProcess } from '../helpers/cli.js';

const H = 'id,name,display_name,category,train_id,color,is_thing,evaluate\n';
const pkg = JSON.parse(readFileSync(path.join(ROOT, 'package.json'), 'utf8')) as { version: string };

describe('labelmap (program)', () => {
  it('--version prints the package version', () => {
    const r = runCli(['--version']);
    expect(r).toMatchObject({ code: 0, stdout: `${pkg.version}\n`, stderr: '' });
  });

  it('--help lists the commands and the exit codes', async () => {
    const r = await runInProcess(['--help']);
    expect(r.code).toBe(0);
    for (const word of ['list', 'show', '--sheets', '--json', '--quiet', 'Exit codes']) expect(r.stdout).toContain(word);
  });

  it('every command has --help with an example', async () => {
    const commands = [...(await runInProcess(['--help'])).stdout.matchAll(/^ {2}([a-z]+)\b/gm)].map((m) => m[1]!).filter((c) => c !== 'help');
    expect(commands.length).toBeGreaterThanOrEqual(2);
    for (const command of commands) {
      const r = await runInProcess([command, '--help']);
      expect(r.code, command).toBe(0);
      expect(r.stdout, command).toMatch(new RegExp(`Examples:\\n {2}\\$ labelmap .*${command}`));
    }
  });

  it('an unknown option or command is a usage error, exit 2', () => {
    expect(runCli(['--bogus'])).toMatchObject({ code: 2 });
    const r = runCli(['frobnicate']);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain("unknown command 'frobnicate'");
  });
});

describe('labelmap list / show', () => {
  const dir = tempDir({
    'sheets/datasets/demo@1.0.0.csv': `${H}1,person,Person,human,,#dc143c,true,true\n`,
    'sheets/datasets/demo@1.1.0.csv': `${H}1,person,Person,human,,#dc143c,true,true\n2,car,Car,"vehicle, road",0,#00008E,true,\n`,
    'sheets/mappings/demo@1.0.0.csv': 'source,target,note\nperson,person,\ncar,car,\n',
  });

  it('list shows kind, name, latest, versions and rows', () => {
    const r = runCli(['list'], { cwd: dir });
    expect(r.code).toBe(0);
    expect(r.stderr).toBe('');
    expect(r.stdout.split('\n')).toEqual([
      'kind     name  latest  versions     rows',
      'dataset  demo  1.1.0   1.0.0 1.1.0  2',
      'mapping  demo  1.0.0   1.0.0        2',
      '',
    ]);
  });

  it('list --json is machine-readable', async () => {
    const r = await runInProcess(['--json', 'list'], { cwd: dir });
    const data = JSON.parse(r.stdout) as { entries: { kind: string; name: string; latest: string; rows: number }[] };
    expect(data.entries.map((e) => [e.kind, e.name, e.latest, e.rows])).toEqual([
      ['dataset', 'demo', '1.1.0', 2],
      ['mapping', 'demo', '1.0.0', 2],
    ]);
  });

  it('show prints an aligned table; a pinned version; --json rows', async () => {
    const r = await runInProcess(['show', 'datasets/demo'], { cwd: dir });
    expect(r.code).toBe(0);
    expect(r.stdout).toContain('2   car     Car           vehicle, road  0         #00008e  true');
    expect(r.stderr).toContain('datasets/demo@1.1.0.csv (dataset, 2 rows)');
    const old = await runInProcess(['show', 'datasets/demo@1.0.0', '--json'], { cwd: dir });
    // Numbers as numbers, booleans as booleans, an empty cell as null; the common envelope.
    expect(JSON.parse(old.stdout)).toMatchObject({ format: 'labelmap-show', format_version: 1, kind: 'dataset', name: 'demo', version: '1.0.0' });
    expect(JSON.parse(old.stdout).rows).toEqual([
      { id: 1, name: 'person', display_name: 'Person', category: 'human', train_id: null, color: '#dc143c', is_thing: true, evaluate: true },
    ]);
    // A file path works as in diff.
    const byPath = runCli(['show', 'sheets/datasets/demo@1.0.0.csv'], { cwd: dir });
    expect(byPath.code).toBe(0);
    expect(byPath.stdout).toContain('person');
  });

  it('show of an ambiguous or unknown name: exit 2 with the fix, no stack trace', async () => {
    // A bare name means the dataset sheet when there is one (demo is a dataset and a mapping).
    const bare = await runInProcess(['show', 'demo'], { cwd: dir });
    expect(bare.code).toBe(0);
    expect(bare.stderr).toContain('datasets/demo@1.1.0.csv (dataset, 2 rows)');
    const noVersion = await runInProcess(['show', 'demo@2.0.0'], { cwd: dir });
    expect(noVersion).toMatchObject({ code: 2, stdout: '' });
    expect(noVersion.stderr).toContain('error sheet-version-not-found: no such version: datasets/demo has no version 2.0.0 (versions: 1.0.0, 1.1.0)');
    const typo = await runInProcess(['show', 'mapings/demo'], { cwd: dir });
    expect(typo.code).toBe(2);
    expect(typo.stderr).toContain('"mapings" is not a kind of sheet; the kinds are datasets, taxonomy, mappings, verticals');
    const none = await runInProcess(['show', 'datasets/nope'], { cwd: dir });
    expect(none.code).toBe(2);
    expect(none.stderr).toContain('no sheet matches "datasets/nope" (known: demo)');
    expect(none.stderr).not.toMatch(/\n\s+at /);
  });

  it('a malformed sheet is reported as file:line:column', () => {
    const bad = tempDir({ 'sheets/datasets/bad@1.0.0.csv': `${H}1,a,,,,,,\nx,b,,,,,,\n` });
    const r = runCli(['show', 'bad'], { cwd: bad });
    expect(r.code).toBe(2);
    expect(r.stderr).toBe('labelmap: datasets/bad@1.0.0.csv:3:1: error cell-invalid: column "id": expected an integer, found "x"\n  fix: write a whole number (digits only)\n');
  });

  it('--sheets and LABELMAP_SHEETS choose the folder; a missing folder is exit 2', async () => {
    expect((await runInProcess(['--sheets', path.join(dir, 'sheets'), 'list', '--json'])).stdout).toContain('"demo"');
    expect((await runInProcess(['list', '--json'], { env: { LABELMAP_SHEETS: path.join(dir, 'sheets') } })).stdout).toContain('"demo"');
    const r = await runInProcess(['--sheets', path.join(dir, 'nope'), 'list']);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('sheets folder not found');
  });

  it('without a sheets folder, read-only commands use the shipped sheets and say so', async () => {
    const empty = tempDir();
    const r = await runInProcess(['list'], { cwd: empty });
    expect(r.code).toBe(0);
    expect(r.stderr).toContain('using the sheets shipped with labelmap');
    // The notice is never hidden by --quiet: the result comes from other sheets than the user may think.
    expect((await runInProcess(['list', '--quiet'], { cwd: empty })).stderr).toContain('using the sheets shipped with labelmap');
  });
});

describe('pipes', () => {
  it('a reader that closes the pipe early (| head) is not an error', async () => {
    const { spawnSync } = await import('node:child_process');
    const r = spawnSync('bash', ['-c', `set -o pipefail; "${process.execPath}" "${BIN}" --help | head -1`], { encoding: 'utf8' });
    expect(r.stderr).toBe('');
    expect(r.status).toBe(0);
    expect(r.stdout).toBe('Usage: labelmap [options] [command]\n');
  });

  // To a pipe or file the binary writes to the descriptor itself (src/cli/stdio.ts), not through
  // Node's stream: a large output must arrive whole, a reader that leaves must end the run quietly.
  it('a large output to a reader that leaves after 100 bytes ends with exit 0 and nothing on stderr', () => {
    const dir = tempDir({});
    const r = spawnSync('bash', ['-c', `set -o pipefail; "${process.execPath}" "${BIN}" merge --vertical self-driving --out out --json | head -c 100`], { cwd: dir, encoding: 'utf8', env: cliEnv() });
    expect(r.stdout).toHaveLength(100);
    expect(r.stdout.startsWith('{\n  "format": "labelmap-bundle"')).toBe(true);
    expect(r.stderr).not.toMatch(/EPIPE|Error|internal error/);
    expect(r.status).toBe(0);
  });

  it('a non-blocking pipe that is full (EAGAIN) gets the whole output, in order', () => {
    const dir = tempDir({});
    const whole = runCli(['merge', '--vertical', 'self-driving', '--out', 'a', '--json'], { cwd: dir });
    expect(whole.code).toBe(0);
    expect(whole.stdout.length).toBeGreaterThan(100_000);
    // A parent that made the pipe non-blocking and reads only after the child has filled it.
    const script = [
      'import os, subprocess, sys, time',
      'r, w = os.pipe()',
      'os.set_blocking(w, False)',
      'p = subprocess.Popen(sys.argv[1:], stdout=w)',
      'os.close(w)',
      'time.sleep(0.5)',
      'out = bytearray()',
      'while True:',
      '    b = os.read(r, 65536)',
      '    if not b: break',
      '    out += b',
      'sys.stdout.buffer.write(out)',
      'sys.exit(p.wait())',
    ].join('\n');
    const r = spawnSync('python3', ['-c', script, process.execPath, BIN, 'merge', '--vertical', 'self-driving', '--out', 'b', '--json'], { cwd: dir, encoding: 'utf8', env: cliEnv(), maxBuffer: 64 * 1024 * 1024 });
    expect(r.status).toBe(0);
    expect(r.stdout).toBe(whole.stdout);
  });
});
