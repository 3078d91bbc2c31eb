// A merge --out lock left by a killed process, found by several waiters at once: exactly one of
// them may take the folder at a time. Before the break file, two waiters could both remove the
// stale lock, the second removing the fresh lock the first had just taken, and both wrote (the
// process test below caught that in 1 of 3 runs of 3 rounds on the old guard; the unit test holds
// the rule itself: a waiter removes only the lock it judged stale).
import { spawn, spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, utimesSync, writeFileSync } from 'node:fs';
import { hostname, tmpdir } from 'node:os';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { breakStaleLock, lockFileOf } from '../../src/io/guard.js';
import { ROOT } from '../helpers/cli.js';

let root: string;
beforeAll(() => {
  root = mkdtempSync(path.join(tmpdir(), 'labelmap-stale-lock-'));
});
afterAll(() => {
  rmSync(root, { recursive: true, force: true });
});

/** The pid of a process that has exited (its lock is stale). */
function deadPid(): number {
  return spawnSync(process.execPath, ['-e', '0']).pid!;
}

function writeLock(file: string, holder: { pid: number; host: string; token: string }): void {
  writeFileSync(file, JSON.stringify(holder));
}

describe('breakStaleLock', () => {
  it('removes the stale lock it judged, and only that one', () => {
    const dir = path.join(root, 'unit', 'out');
    mkdirSync(path.dirname(dir), { recursive: true });
    const file = lockFileOf(dir);
    const stale = { pid: deadPid(), host: hostname(), token: 'aaaa' };
    writeLock(file, stale);
    expect(breakStaleLock(file, stale)).toBe(true);
    expect(existsSync(file)).toBe(false);
    expect(existsSync(`${file}.break`)).toBe(false);

    // Another waiter took the folder since this one judged the old lock stale: its lock stays.
    const fresh = { pid: process.pid, host: hostname(), token: 'bbbb' };
    writeLock(file, fresh);
    expect(breakStaleLock(file, stale)).toBe(true);
    expect(JSON.parse(readFileSync(file, 'utf8'))).toEqual(fresh);
  });

  it('leaves the lock to a waiter that is breaking it, and clears a break file left by a killed one', () => {
    const dir = path.join(root, 'busy', 'out');
    mkdirSync(path.dirname(dir), { recursive: true });
    const file = lockFileOf(dir);
    const stale = { pid: deadPid(), host: hostname(), token: 'cccc' };
    writeLock(file, stale);
    writeFileSync(`${file}.break`, '');
    expect(breakStaleLock(file, stale)).toBe(false);
    expect(existsSync(file)).toBe(true);
    const old = (Date.now() - 10_000) / 1000;
    utimesSync(`${file}.break`, old, old);
    expect(breakStaleLock(file, stale)).toBe(false);
    expect(existsSync(`${file}.break`)).toBe(false);
    expect(breakStaleLock(file, stale)).toBe(true);
    expect(existsSync(file)).toBe(false);
  });
});

describe('waiters on one stale lock (real processes)', () => {
  const WAITERS = 4;
  const ROUNDS = 5;
  const guard = pathToFileURL(path.join(ROOT, 'dist', 'io', 'index.js')).href;

  /**
   * Starts a process that, once `go` exists (all of them at the same moment, so that they find the
   * stale lock together), holds the folder's lock for a while and logs when it had it.
   */
  const waiter = (dir: string, log: string, ready: string, go: string) =>
    new Promise<number | null>((resolve) => {
      const script = `import { withOutputLock } from ${JSON.stringify(guard)};
import { appendFileSync, existsSync } from 'node:fs';
const wait = (ms) => Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, ms);
appendFileSync(${JSON.stringify(ready)}, 'x');
while (!existsSync(${JSON.stringify(go)})) wait(1);
withOutputLock(${JSON.stringify(dir)}, () => {
  appendFileSync(${JSON.stringify(log)}, 'in ' + process.pid + '\\n');
  wait(120);
  appendFileSync(${JSON.stringify(log)}, 'out ' + process.pid + '\\n');
});`;
      const child = spawn(process.execPath, ['--input-type=module', '-e', script], { stdio: 'inherit' });
      child.on('exit', (code) => resolve(code));
    });

  it(`${WAITERS} waiters, ${ROUNDS} rounds: the folder is held by one at a time, every waiter gets it, no lock is left`, async () => {
    for (let round = 0; round < ROUNDS; round++) {
      const dir = path.join(root, `round-${round}`, 'out');
      mkdirSync(path.dirname(dir), { recursive: true });
      const log = path.join(root, `round-${round}.log`);
      writeFileSync(log, '');
      writeLock(lockFileOf(dir), { pid: deadPid(), host: hostname(), token: `stale${round}` });
      const ready = path.join(root, `round-${round}.ready`);
      const go = path.join(root, `round-${round}.go`);
      writeFileSync(ready, '');
      const running = Array.from({ length: WAITERS }, () => waiter(dir, log, ready, go));
      while (readFileSync(ready, 'utf8').length < WAITERS) await new Promise((r) => setTimeout(r, 5));
      writeFileSync(go, '');
      const codes = await Promise.all(running);
      expect(codes).toEqual(Array(WAITERS).fill(0));
      const lines = readFileSync(log, 'utf8').trim().split('\n');
      // Strictly alternating: in A, out A, in B, out B, ...
      expect(lines).toHaveLength(2 * WAITERS);
      for (let i = 0; i < lines.length; i += 2) {
        const [inWord, pid] = lines[i]!.split(' ');
        expect(inWord).toBe('in');
        expect(lines[i + 1]).toBe(`out ${pid}`);
      }
      expect(new Set(lines.map((l) => l.split(' ')[1])).size).toBe(WAITERS);
      expect(existsSync(lockFileOf(dir))).toBe(false);
      expect(existsSync(`${lockFileOf(dir)}.break`)).toBe(false);
    }
  }, 60_000);
});
