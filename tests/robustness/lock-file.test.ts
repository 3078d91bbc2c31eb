// `labelmap release` and a lock file that is there but cannot be read: that is an error, never
// "no lock yet" (which would lock every sheet afresh and replace the entry).
import { describe, expect, it } from 'vitest';
import { copyFileSync, lstatSync, mkdirSync, readlinkSync, symlinkSync } from 'node:fs';
import path from 'node:path';
import { execFileSync } from 'node:child_process';
import { ROOT, runInProcess, tempDir } from '../helpers/cli.js';
import { runLabelmap } from './helpers.js';

function sheetsWithLock(make: (lock: string) => void): { dir: string; lock: string } {
  const dir = tempDir({});
  mkdirSync(path.join(dir, 'sheets', 'datasets'), { recursive: true });
  copyFileSync(path.join(ROOT, 'sheets', 'datasets', 'voc@1.0.0.csv'), path.join(dir, 'sheets', 'datasets', 'voc@1.0.0.csv'));
  const lock = path.join(dir, 'sheets', 'labelmap.lock.json');
  make(lock);
  return { dir, lock };
}

describe('release with a lock file that cannot be read', () => {
  it('a link loop is an error (exit 2) and stays as it is', async () => {
    const { dir, lock } = sheetsWithLock((lock) => symlinkSync('labelmap.lock.json', lock));
    const r = await runInProcess(['release'], { cwd: dir });
    expect(r).toMatchObject({ code: 2, stdout: '' });
    expect(r.stderr).toMatch(/^labelmap: \S*labelmap\.lock\.json: error file-unreadable: cannot read lock file: ELOOP, a symbolic link loop\n/);
    expect(lstatSync(lock).isSymbolicLink()).toBe(true);
    expect(readlinkSync(lock)).toBe('labelmap.lock.json');
  });

  it('a dangling link is an error too: the lock it pointed to is gone, not absent', async () => {
    const { dir, lock } = sheetsWithLock((lock) => symlinkSync('moved-away.json', lock));
    const r = await runInProcess(['release'], { cwd: dir });
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('labelmap.lock.json: error file-not-found: lock file not found');
    expect(readlinkSync(lock)).toBe('moved-away.json');
  });

  it('without a lock file, release writes one', async () => {
    const { dir, lock } = sheetsWithLock(() => undefined);
    const r = await runInProcess(['release'], { cwd: dir });
    expect(r).toMatchObject({ code: 0, stdout: 'locked 1 sheet files in sheets/labelmap.lock.json (1 new: datasets/voc@1.0.0.csv)\n' });
    expect(lstatSync(lock).isFile()).toBe(true);
  });
});

describe('validate with a lock file that cannot be read', () => {
  it('a link loop or a FIFO is a finding naming the lock (exit 1), not a pass and not a hang', async () => {
    for (const make of [(lock: string) => symlinkSync('labelmap.lock.json', lock), (lock: string) => execFileSync('mkfifo', [lock])]) {
      const { dir } = sheetsWithLock(make);
      const r = await runLabelmap(['validate'], { cwd: dir, hangGuardMs: 30_000 });
      expect(r.hung).toBe(false);
      expect(r.code).toBe(1);
      expect(r.stdout).toMatch(/^sheets\/labelmap\.lock\.json: error file-unreadable: cannot read lock file: (ELOOP|a FIFO)/m); // /m: validate now also reports what merge warns about (mapping-missing) before it
    }
  });
});
