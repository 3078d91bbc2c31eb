// Reading the lock file (`<sheets>/labelmap.lock.json`) from disk, for release and validate. Kept
// out of io.ts: the lock's parser (zod, semver) should not load for every command that reads a file.
import { lstatSync } from 'node:fs';
import { LabelmapError } from '../findings.js';
import { decodeText, readBytes } from '../io/index.js';
import { parseLock, type Lock } from '../versioning/lock.js';
import { SHEET_MAX_BYTES } from './io.js';

/**
 * The lock file at `file`: null when there is none. One that is there but cannot be read (a link
 * loop, a dangling link, a FIFO, not UTF-8, not a lock) is an error naming `shown`: a lock that
 * cannot be checked against must never pass for a missing one.
 */
export function readLockFile(file: string, shown: string): Lock | null {
  try {
    lstatSync(file);
  } catch {
    return null;
  }
  let bytes: Buffer;
  try {
    bytes = readBytes(file, 'lock file', SHEET_MAX_BYTES);
  } catch (error) {
    if (!(error instanceof LabelmapError)) throw error;
    throw new LabelmapError(error.finding.code, { file: shown }, error.finding.args);
  }
  return parseLock(decodeText(bytes, shown, 'lock file'), shown);
}

