// Two ways to run the CLI with NO_COLOR=1 and no LABELMAP_* from the outside:
// - runCli: the built binary (bin/labelmap -> dist/) in a child process, as a user would. For the
//   end-to-end tests of each command and for what needs a real process (signals, heap limits,
//   FIFOs, EPIPE, concurrency).
// - runInProcess: the program itself (src/cli/program.ts runProgram) in the test's process, with
//   collected stdout/stderr: no Node start-up per run, no build needed. Same result shape.
import { spawn, spawnSync } from 'node:child_process';
import { mkdtempSync, cpSync, mkdirSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

export const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..');
export const BIN = path.join(ROOT, 'bin', 'labelmap');
export const FIXTURES = path.join(ROOT, 'fixtures');
/** The real dataset metadata in ../shared/real (absent outside the team's machines and CI). */
export const REAL = path.resolve(ROOT, '..', 'shared', 'real');

export interface CliResult {
  code: number;
  stdout: string;
  stderr: string;
}

/**
 * The environment a run gets: the test's own, NO_COLOR=1, no LABELMAP_* set from outside, and no
 * NODE_EXTRA_CA_CERTS (no run makes a TLS connection, and loading the bundle costs each Node
 * start-up about 45 ms), then `extra` (undefined removes a variable).
 */
export function cliEnv(extra: Record<string, string | undefined> = {}): NodeJS.ProcessEnv {
  const env: Record<string, string | undefined> = { ...process.env, NO_COLOR: '1', LABELMAP_DEBUG: undefined, LABELMAP_SHEETS: undefined, NODE_EXTRA_CA_CERTS: undefined, ...extra };
  for (const k of Object.keys(env)) if (env[k] === undefined) delete env[k];
  return env as NodeJS.ProcessEnv;
}

export function runCli(args: string[], options: { cwd?: string; env?: Record<string, string | undefined>; input?: string } = {}): CliResult {
  const env = cliEnv(options.env);
  const r = spawnSync(process.execPath, [BIN, ...args], {
    cwd: options.cwd ?? ROOT,
    env,
    input: options.input,
    encoding: 'utf8',
    maxBuffer: 64 * 1024 * 1024,
  });
  return { code: r.status ?? -1, stdout: r.stdout, stderr: r.stderr };
}

/**
 * Runs a program to its end without blocking the test's worker (spawn, not spawnSync): a test that
 * runs the binary many times in a row would block the worker for a minute on a loaded machine,
 * and vitest's RPC times out ("Timeout calling onTaskUpdate").
 */
export function spawnAsync(command: string, args: string[], options: { cwd: string; env: NodeJS.ProcessEnv }): Promise<CliResult> {
  return new Promise((resolve, reject) => {
    const child = spawn(command, args, { cwd: options.cwd, env: options.env, stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.setEncoding('utf8').on('data', (s: string) => (stdout += s));
    child.stderr.setEncoding('utf8').on('data', (s: string) => (stderr += s));
    child.on('error', reject);
    child.on('close', (code) => resolve({ code: code ?? -1, stdout, stderr }));
  });
}

/** runCli through spawnAsync; `bin`: another checkout's bin/labelmap (the walk-through's clone). */
export function runCliAsync(args: string[], options: { cwd?: string; env?: Record<string, string | undefined>; bin?: string } = {}): Promise<CliResult> {
  return spawnAsync(process.execPath, [options.bin ?? BIN, ...args], { cwd: options.cwd ?? ROOT, env: cliEnv(options.env) });
}

/** A fresh temporary folder, optionally filled with files { 'sheets/datasets/a@1.0.0.csv': '...' }. */
export function tempDir(files: Record<string, string> = {}, copy: Record<string, string> = {}): string {
  const dir = mkdtempSync(path.join(tmpdir(), 'labelmap-test-'));
  for (const [rel, content] of Object.entries(files)) {
    mkdirSync(path.dirname(path.join(dir, rel)), { recursive: true });
    writeFileSync(path.join(dir, rel), content);
  }
  for (const [rel, from] of Object.entries(copy)) cpSync(from, path.join(dir, rel), { recursive: true });
  return dir;
}

/** Collects what the program writes; `isTTY` false, as for a pipe. */
class Collector {
  text = '';
  readonly isTTY = false;
  write(chunk: string | Uint8Array): boolean {
    this.text += typeof chunk === 'string' ? chunk : Buffer.from(chunk).toString('utf8');
    return true;
  }
}

let queue: Promise<unknown> = Promise.resolve();

/**
 * Runs `labelmap args` in this process through runProgram, with injected stdout, stderr, env and
 * cwd; returns what runCli returns. The program resolves its own paths against `cwd`, but the
 * format readers open the input paths they are given as given (relative to the process, as the
 * binary does): so runs are queued one at a time and the process's working directory is `cwd`
 * for the length of a run, then restored. (vitest runs each test file in its own process.)
 * `commander: true` reads the command line with commander even where src/cli/argv.ts would.
 */
export function runInProcess(args: string[], options: { cwd?: string; env?: Record<string, string | undefined>; commander?: boolean } = {}): Promise<CliResult> {
  const run = async (): Promise<CliResult> => {
    const cwd = options.cwd ?? ROOT;
    const stdout = new Collector();
    const stderr = new Collector();
    const { runProgram } = await import('../../src/cli/program.js');
    const before = process.cwd();
    process.chdir(cwd);
    try {
      const code = await runProgram([process.execPath, BIN, ...args], { stdout, stderr, env: cliEnv(options.env), cwd }, { commander: options.commander === true });
      return { code, stdout: stdout.text, stderr: stderr.text };
    } finally {
      process.chdir(before);
    }
  };
  const result = queue.then(run, run);
  queue = result.catch(() => undefined);
  return result;
}
