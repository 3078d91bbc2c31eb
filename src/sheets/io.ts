// The edge where sheets touch the disk: reading with checksums, and atomic writes that never
// overwrite a released version and never leave a half-written file behind.
import { createHash, randomBytes } from 'node:crypto';
import {
  close as closeCallback,
  closeSync,
  constants,
  fstat as fstatCallback,
  fstatSync,
  fsyncSync,
  linkSync,
  lstatSync,
  mkdirSync,
  open as openCallback,
  openSync,
  read as readCallback,
  readdirSync,
  readSync,
  renameSync,
  unlinkSync,
  writeSync,
  type Stats,
} from 'node:fs';
import path from 'node:path';
import { LabelmapError, type Finding } from '../findings.js';
import { decodeUtf8, parseSheetText } from './csv.js';
import type { SheetFile } from './discover.js';
import type { SheetKind } from './schema.js';

import type { Sheet } from './types.js';

export type { Sheet } from './types.js';

export function sha256(bytes: Uint8Array | string): string {
  return createHash('sha256').update(bytes).digest('hex');
}

/** The largest file labelmap reads whole, unless a reader says less (label metadata is kilobytes to megabytes). */
export const MAX_READ_BYTES = 64 * 1024 * 1024;
/** The largest sheet or lock file (a dataset sheet of ImageNet-21k's 21,841 classes is about 2 MB). */
export const SHEET_MAX_BYTES = 16 * 1024 * 1024;

/** Why a file cannot be opened or read, in words (`ELOOP, a symbolic link loop`). */
export function describeErrno(error: unknown): string {
  const code = (error as NodeJS.ErrnoException).code;
  switch (code) {
    case 'ELOOP':
      return 'ELOOP, a symbolic link loop';
    case 'EACCES':
    case 'EPERM':
      return `${code}, permission denied`;
    case 'EISDIR':
      return 'EISDIR, a directory, not a file';
    case 'ENOENT':
      return 'ENOENT, a dangling symbolic link or a file removed while reading';
    case 'ENOSPC':
      return 'ENOSPC, no space left on the device';
    case 'EFBIG':
      return 'EFBIG, larger than the file size limit';
    case 'EROFS':
      return 'EROFS, a read-only file system';
    case 'ENOTDIR':
    case 'EEXIST':
      return `${code}, a part of the path is a file, not a folder`;
    default:
      return code ?? String(error);
  }
}

// O_NONBLOCK: opening a FIFO for reading otherwise waits for a writer, forever if none comes.
// (It changes nothing for regular files; Windows has no FIFOs and no such flag.)
export const READ_FLAGS = constants.O_RDONLY | (constants.O_NONBLOCK ?? 0);

function openError(file: string, what: string, error: unknown): LabelmapError {
  if ((error as NodeJS.ErrnoException).code === 'ENOENT') return new LabelmapError('file-not-found', { file }, { what });
  return new LabelmapError('file-unreadable', { file }, { what, reason: describeErrno(error) });
}

/**
 * Only regular files are read: a folder, a FIFO, a socket or a device (`/dev/zero`, `/dev/stdin`)
 * is refused before a byte is read, since reading one can block or never end; so is a file larger
 * than `maxBytes`, before it fills memory. For readers that open files themselves (the streaming
 * JSON scanner): open with READ_FLAGS, then check the fstat of the open file with this.
 */
export function checkReadable(stats: Stats, file: string, what: string, maxBytes = Infinity): LabelmapError | null {
  if (stats.isFile()) {
    return stats.size > maxBytes ? new LabelmapError('file-too-large', { file }, { what, size: stats.size, max: maxBytes }) : null;
  }
  const kind = stats.isDirectory()
    ? 'a directory'
    : stats.isFIFO()
      ? 'a FIFO (named pipe), whose reading could wait forever'
      : stats.isSocket()
        ? 'a socket'
        : stats.isCharacterDevice() || stats.isBlockDevice()
          ? 'a device'
          : 'a special file';
  return new LabelmapError('file-unreadable', { file }, { what, reason: `${kind}, not a regular file` });
}

/**
 * Reads a whole regular file of at most `maxBytes`. Every failure is a LabelmapError naming the
 * file: file-not-found, file-unreadable (link loop, folder, FIFO, device, permission), file-too-large.
 */
export function readBytes(file: string, what = 'file', maxBytes = MAX_READ_BYTES): Buffer {
  return readRegular(file, what, maxBytes, Infinity);
}

/** The first `bytes` bytes of a regular file (format detection), with readBytes' refusals. */
export function readHead(file: string, what = 'file', bytes = 4096): Buffer {
  return readRegular(file, what, Infinity, bytes);
}

function readRegular(file: string, what: string, maxBytes: number, length: number): Buffer {
  let fd: number;
  try {
    fd = openSync(file, READ_FLAGS);
  } catch (error) {
    throw openError(file, what, error);
  }
  try {
    const stats = fstatSync(fd);
    const refused = checkReadable(stats, file, what, maxBytes);
    if (refused) throw refused;
    const size = Math.min(stats.size, length);
    const buffer = Buffer.allocUnsafe(size);
    let done = 0;
    // Up to the size seen: a file that grows while it is read cannot make the read go on.
    while (done < size) {
      const n = readSync(fd, buffer, done, size - done, done);
      if (n === 0) break;
      done += n;
    }
    return buffer.subarray(0, done);
  } catch (error) {
    if (error instanceof LabelmapError) throw error;
    throw new LabelmapError('file-unreadable', { file }, { what, reason: describeErrno(error) });
  } finally {
    closeSync(fd);
  }
}

/** readBytes without blocking the event loop (for readers that keep several reads in flight). */
export function readBytesAsync(file: string, what = 'file', maxBytes = MAX_READ_BYTES): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    openCallback(file, READ_FLAGS, (openFailed, fd) => {
      if (openFailed) {
        reject(openError(file, what, openFailed));
        return;
      }
      const finish = (error: unknown, bytes?: Buffer): void => {
        closeCallback(fd, () => {
          if (bytes) resolve(bytes);
          else reject(error instanceof LabelmapError ? error : new LabelmapError('file-unreadable', { file }, { what, reason: describeErrno(error) }));
        });
      };
      fstatCallback(fd, (statFailed, stats) => {
        if (statFailed) return finish(statFailed);
        const refused = checkReadable(stats, file, what, maxBytes);
        if (refused) return finish(refused);
        const buffer = Buffer.allocUnsafe(stats.size);
        const step = (done: number): void => {
          if (done >= buffer.length) return finish(null, buffer);
          readCallback(fd, buffer, done, buffer.length - done, done, (readFailed, n) => {
            if (readFailed) finish(readFailed);
            else if (n === 0) finish(null, buffer.subarray(0, done));
            else step(done + n);
          });
        };
        step(0);
      });
    });
  });
}

/** Bytes as UTF-8 text (a BOM dropped); invalid UTF-8 is a `file-encoding` error naming the first bad byte. */
export function decodeText(bytes: Uint8Array, file: string, what = 'file'): string {
  const { text, findings } = decodeUtf8(bytes, file);
  const bad = findings[0];
  if (bad) throw new LabelmapError('file-encoding', { file, line: bad.line }, { what, byte: bad.args.byte, offset: bad.args.offset });
  return text;
}

/** Reads a sheet file and returns it with every finding; `sheet` is null when it cannot be read. */
export function loadSheet<K extends SheetKind>(ref: SheetFile & { kind: K }): { sheet: Sheet<K> | null; findings: Finding[] } {
  const bytes = readBytes(ref.file, 'sheet', SHEET_MAX_BYTES);
  const decoded = decodeUtf8(bytes, ref.rel);
  if (decoded.findings.length) return { sheet: null, findings: decoded.findings };
  const parsed = parseSheetText(ref.kind, decoded.text, ref.rel);
  if (!parsed.sheet) return { sheet: null, findings: parsed.findings };
  return {
    sheet: { ...parsed.sheet, name: ref.name, version: ref.version, file: ref.file, rel: ref.rel, sha256: sha256(bytes) },
    findings: parsed.findings,
  };
}

/** Reads a sheet for use: the first error finding is thrown (exit 2); warnings are returned. */
export function readSheet<K extends SheetKind>(ref: SheetFile & { kind: K }): Sheet<K> {
  const { sheet, findings } = loadSheet(ref);
  throwFirstError(findings);
  return sheet!;
}

export function throwFirstError(findings: readonly Finding[]): void {
  const first = findings.find((f) => f.severity === 'error');
  if (first) {
    const { code, severity: _s, args, ...place } = first;
    throw new LabelmapError(code, place, args);
  }
}

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
  removeStaleTemps(dir);
  const tmp = path.join(dir, `.${path.basename(file)}.tmp-${process.pid}-${randomBytes(4).toString('hex')}`);
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
 * Removes the temporary files that writers killed mid-write left in `dir`: those whose process is
 * gone and that are over a minute old. A live writer's file is never touched (and if one on another
 * machine lost its file anyway, its link or rename fails with an error: nothing is corrupted).
 */
export function removeStaleTemps(dir: string, now = Date.now()): string[] {
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

function isRunning(pid: number): boolean {
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
