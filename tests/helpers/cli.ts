// Runs the built CLI (bin/labelmap -> dist/) as a user would, with NO_COLOR=1.
import { spawnSync } from 'node:child_process';
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

export function runCli(args: string[], options: { cwd?: string; env?: Record<string, string | undefined>; input?: string } = {}): CliResult {
  const env: Record<string, string | undefined> = { ...process.env, NO_COLOR: '1', LABELMAP_DEBUG: undefined, LABELMAP_SHEETS: undefined, ...options.env };
  for (const k of Object.keys(env)) if (env[k] === undefined) delete env[k];
  const r = spawnSync(process.execPath, [BIN, ...args], {
    cwd: options.cwd ?? ROOT,
    env: env as NodeJS.ProcessEnv,
    input: options.input,
    encoding: 'utf8',
    maxBuffer: 64 * 1024 * 1024,
  });
  return { code: r.status ?? -1, stdout: r.stdout, stderr: r.stderr };
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
