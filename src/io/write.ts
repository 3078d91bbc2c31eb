// Writing files at the edge: atomic writes (a temporary file, then one rename or link) that never
// overwrite a released version and never leave a half-written file under the real name.
import { randomHex } from './crypto.js';
import { closeSync, fsyncSync, linkSync, lstatSync, mkdirSync, openSync, readdirSync, renameSync, unlinkSync, writeSync } from 'node:fs';
import path from 'node:path';
import { LabelmapError } from '../findings.js';
import { describeErrno } from './read.js';

/**
 * Writes a file atomically: the content goes to a temporary file in the same folder, is flushed,
 * and then appears under its name in one step. With `overwrite: false` the step is a hard link,
 * which fails if the name exists, so two concurrent writers can never replace each other's file
 * (the loser gets `sheet-exists`). With `overwrite: true` it is a rename (for build outputs and
 * the lock file). A crash at any point leaves the old state or the new, plus at most a stray
 * `.<name>.tmp-*` file, never a partial file under the real name; the next write into the folder
 * removes such strays (removeStaleTemps).
 */
export function writeFileAtomic(file: string, content: string | Uint8Array, options: { overwrite: boolean; durable?: boolean }): void {
  try {
    // durable (the default): flushed to disk before it appears under its name, so that also a power
    // loss leaves the old or the new file. Build outputs, which a rerun regenerates, pass false: a
    // killed process still leaves old or new (the rename is atomic), at a tenth of the cost.
    writeThroughTemp(file, content, options.overwrite, options.durable ?? true);
  } catch (error) {
    if (error instanceof LabelmapError || typeof (error as NodeJS.ErrnoException).code !== 'string') throw error;
    // Disk full, read-only file system, no permission, a file where a folder is expected: a place
    // and a reason, not an internal error.
    throw new LabelmapError('file-unwritable', { file }, {
      what: path.basename(file),
      reason: describeErrno(error),
      errno: (error as NodeJS.ErrnoException).code,
      fix: 'free space on the disk, or write to a folder you can write to',
    });
  }
}

function writeThroughTemp(file: string, content: string | Uint8Array, overwrite: boolean, durable: boolean): void {
  const dir = path.dirname(file);
  mkdirSync(dir, { recursive: true });
  removeStaleTemps(dir, Date.now(), path.basename(file));
  const tmp = path.join(dir, `.${path.basename(file)}.tmp-${process.pid}-${randomHex(4)}`);
  const fd = openSync(tmp, 'wx', 0o644);
  try {
    // A write that fails (disk full, file size limit) removes its temporary file like any other failure.
    try {
      const data = typeof content === 'string' ? Buffer.from(content, 'utf8') : content;
      let done = 0;
      while (done < data.length) done += writeSync(fd, data, done, data.length - done);
      if (durable) fsyncSync(fd);
    } finally {
      closeSync(fd);
    }
    if (overwrite) {
      renameSync(tmp, file);
    } else {
      try {
        linkSync(tmp, file);
      } catch (error) {
        if ((error as NodeJS.ErrnoException).code === 'EEXIST') throw new LabelmapError('sheet-exists', { file }, { file });
        throw error;
      } finally {
        unlinkSync(tmp);
      }
    }
  } catch (error) {
    try {
      unlinkSync(tmp);
    } catch {
      /* already gone */
    }
    throw error;
  }
  if (durable) fsyncDir(dir);
}

/** `.<name>.tmp-<pid>-<8 hex>`: the temporary files writeFileAtomic makes. */
const TEMP_RE = /^\..+\.tmp-(\d+)-[0-9a-f]{8}$/;
/** A temporary file younger than this may belong to a writer this machine cannot see (another container). */
const STALE_AFTER_MS = 60_000;

/**
 * The names whose temporary files labelmap may remove: sheets, the lock, merge's outputs and
 * marker, apply's manifests. A user's own `.notes.tmp-99999-deadbeef` is none of them.
 */
const GENERATED_NAME_RE = /^(?:[a-z0-9](?:[a-z0-9._-]*[a-z0-9])?@[0-9A-Za-z.+-]+\.csv|labelmap\.lock\.json|labels\.csv|label_sets\.csv|coverage\.csv|labelmap\.json|\.labelmap-output|apply(?:\.shard-\d+-of-\d+)?\.json)$/;

/**
 * Removes the temporary files that writers killed mid-write left in `dir`: those whose process is
 * gone and that are over a minute old, and only of names labelmap writes (`writing`, the file
 * being written now, or GENERATED_NAME_RE). A live writer's file is never touched (and if one on
 * another machine lost its file anyway, its link or rename fails with an error: nothing is corrupted).
 */
export function removeStaleTemps(dir: string, now = Date.now(), writing?: string): string[] {
  let names: string[];
  try {
    names = readdirSync(dir);
  } catch {
    return [];
  }
  const removed: string[] = [];
  for (const name of names) {
    const m = TEMP_RE.exec(name);
    if (!m || isRunning(Number(m[1]))) continue;
    const base = name.slice(1, name.lastIndexOf('.tmp-'));
    if (base !== writing && !GENERATED_NAME_RE.test(base)) continue;
    const file = path.join(dir, name);
    try {
      const stats = lstatSync(file);
      if (!stats.isFile() || now - stats.mtimeMs < STALE_AFTER_MS) continue;
      unlinkSync(file);
      removed.push(name);
    } catch {
      /* gone already, or not ours to remove */
    }
  }
  return removed;
}

/** Whether process `pid` runs on this machine (EPERM: it runs, as another user). */
export function isRunning(pid: number): boolean {
  if (pid === process.pid) return true;
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}

function fsyncDir(dir: string): void {
  try {
    const fd = openSync(dir, 'r');
    try {
      fsyncSync(fd);
    } finally {
      closeSync(fd);
    }
  } catch {
    /* not supported on every platform; the rename itself is still atomic */
  }
}
