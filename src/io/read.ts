// Reading files at the edge: only regular files, at most a bounded size, with every failure a
// LabelmapError that names the file (never a hang on a FIFO, never a read that fills memory).
import {
  close as closeCallback,
  closeSync,
  constants,
  fstat as fstatCallback,
  fstatSync,
  open as openCallback,
  openSync,
  read as readCallback,
  readSync,
  type Stats,
} from 'node:fs';
import { LabelmapError } from '../findings.js';
import { decodeUtf8 } from '../sheets/csv.js';

/** The largest file labelmap reads whole, unless a reader says less (label metadata is kilobytes to megabytes). */
export const MAX_READ_BYTES = 64 * 1024 * 1024;

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
