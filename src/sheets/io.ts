// The edge where sheets touch the disk: reading with checksums, and atomic writes that never
// overwrite a released version and never leave a half-written file behind.
import { createHash, randomBytes } from 'node:crypto';
import { closeSync, fsyncSync, linkSync, mkdirSync, openSync, readFileSync, renameSync, unlinkSync, writeSync } from 'node:fs';
import path from 'node:path';
import { LabelmapError, type Finding } from '../findings.js';
import { decodeUtf8, parseSheetText, type ParsedSheet } from './csv.js';
import type { SheetFile } from './discover.js';
import type { SheetKind } from './schema.js';

export interface Sheet<K extends SheetKind = SheetKind> extends ParsedSheet<K> {
  name: string;
  version: string;
  /** Path as given (absolute for discovered sheets). */
  file: string;
  rel: string;
  sha256: string;
}

export function sha256(bytes: Uint8Array | string): string {
  return createHash('sha256').update(bytes).digest('hex');
}

export function readBytes(file: string, what = 'file'): Buffer {
  try {
    return readFileSync(file);
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (code === 'ENOENT') throw new LabelmapError('file-not-found', { file }, { what });
    throw new LabelmapError('file-unreadable', { file }, { what, reason: code ?? String(error) });
  }
}

/** Reads a sheet file and returns it with every finding; `sheet` is null when it cannot be read. */
export function loadSheet<K extends SheetKind>(ref: SheetFile & { kind: K }): { sheet: Sheet<K> | null; findings: Finding[] } {
  const bytes = readBytes(ref.file, 'sheet');
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
 * `.<name>.tmp-*` file, never a partial file under the real name.
 */
export function writeFileAtomic(file: string, content: string | Uint8Array, options: { overwrite: boolean; durable?: boolean }): void {
  // durable (the default): flushed to disk before it appears under its name, so that also a power
  // loss leaves the old or the new file. Build outputs, which a rerun regenerates, pass false: a
  // killed process still leaves old or new (the rename is atomic), at a tenth of the cost.
  const durable = options.durable ?? true;
  const dir = path.dirname(file);
  mkdirSync(dir, { recursive: true });
  const tmp = path.join(dir, `.${path.basename(file)}.tmp-${process.pid}-${randomBytes(4).toString('hex')}`);
  const fd = openSync(tmp, 'wx', 0o644);
  try {
    const data = typeof content === 'string' ? Buffer.from(content, 'utf8') : content;
    let done = 0;
    while (done < data.length) done += writeSync(fd, data, done, data.length - done);
    if (durable) fsyncSync(fd);
  } finally {
    closeSync(fd);
  }
  try {
    if (options.overwrite) {
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
