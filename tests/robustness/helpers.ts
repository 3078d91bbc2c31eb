// Shared by the robustness tests: running the built CLI asynchronously (so that cases can run side
// by side and a hang is caught), fingerprints of folders, and big generated inputs.
import { spawn } from 'node:child_process';
import { createHash } from 'node:crypto';
import { closeSync, lstatSync, openSync, readdirSync, readFileSync, writeSync } from 'node:fs';
import path from 'node:path';
import { BIN, ROOT } from '../helpers/cli.js';

export const HOSTILE = path.join(ROOT, 'fixtures', 'hostile');

export interface Run {
  code: number | null;
  signal: NodeJS.Signals | null;
  stdout: string;
  stderr: string;
  /** True when the hang guard killed the process. */
  hung: boolean;
}

export interface RunOptions {
  cwd: string;
  env?: Record<string, string | undefined>;
  /** Arguments for node itself (`--max-old-space-size=256`). */
  nodeArgs?: string[];
  /** A hang guard, not a performance limit: the process is killed after this long. */
  hangGuardMs?: number;
}

/** Runs `node [nodeArgs] bin/labelmap args` with NO_COLOR=1 and no LABELMAP_* from the outside. */
export function runLabelmap(args: string[], options: RunOptions): Promise<Run> {
  const env: Record<string, string | undefined> = { ...process.env, NO_COLOR: '1', LABELMAP_DEBUG: undefined, LABELMAP_SHEETS: undefined, ...options.env };
  for (const k of Object.keys(env)) if (env[k] === undefined) delete env[k];
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [...(options.nodeArgs ?? []), BIN, ...args], {
      cwd: options.cwd,
      env: env as NodeJS.ProcessEnv,
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stdout = '';
    let stderr = '';
    let hung = false;
    child.stdout.setEncoding('utf8').on('data', (d: string) => (stdout += d));
    child.stderr.setEncoding('utf8').on('data', (d: string) => (stderr += d));
    const guard = setTimeout(() => {
      hung = true;
      child.kill('SIGKILL');
    }, options.hangGuardMs ?? 60_000);
    child.on('error', reject);
    child.on('close', (code, signal) => {
      clearTimeout(guard);
      resolve({ code, signal, stdout, stderr, hung });
    });
  });
}

/** Runs async jobs at most `n` at a time (the CI machine has two cores). */
export function pool(n: number): <T>(job: () => Promise<T>) => Promise<T> {
  let active = 0;
  const waiting: (() => void)[] = [];
  return async <T>(job: () => Promise<T>): Promise<T> => {
    if (active >= n) await new Promise<void>((r) => waiting.push(r));
    active++;
    try {
      return await job();
    } finally {
      active--;
      waiting.shift()?.();
    }
  };
}

/**
 * Every entry under `dir` (dot-files included) with what it is: a regular file's sha256, a link's
 * target, or the kind of entry. Two equal fingerprints = nothing was written, removed or replaced.
 */
export function fingerprint(dir: string): Record<string, string> {
  const out: Record<string, string> = {};
  const walk = (rel: string): void => {
    let entries: string[];
    try {
      entries = readdirSync(path.join(dir, rel)).sort();
    } catch {
      return;
    }
    for (const name of entries) {
      const r = rel ? `${rel}/${name}` : name;
      const full = path.join(dir, r);
      const st = lstatSync(full);
      if (st.isDirectory()) {
        out[r] = 'dir';
        walk(r);
      } else if (st.isFile()) out[r] = createHash('sha256').update(readFileSync(full)).digest('hex');
      else if (st.isSymbolicLink()) out[r] = 'link';
      else out[r] = 'special';
    }
  };
  walk('');
  return out;
}

/** Writes `head`, then `fill` repeated up to about `bytes` bytes on the same line, then `tail`: without holding it in memory. */
export function writeLongLine(file: string, head: string, fill: string, bytes: number, tail = ''): void {
  const fd = openSync(file, 'w');
  try {
    writeSync(fd, head);
    const chunk = Buffer.from(fill.repeat(Math.max(1, Math.floor((1 << 20) / fill.length))));
    for (let done = 0; done < bytes; done += chunk.length) writeSync(fd, chunk);
    writeSync(fd, tail);
  } finally {
    closeSync(fd);
  }
}

/** Stack-trace lines (`    at foo (file.js:1:2)`) in a text. */
export const STACK_LINE = /\n\s+at /;
