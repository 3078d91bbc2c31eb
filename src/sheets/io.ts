// Sheets on disk: reading a sheet file with its checksum (through the bounded reads of src/io/).
import { LabelmapError, type Finding } from '../findings.js';
// io/read.js and io/repository.js, not io/index.js: readers (find, list) do not load the write guard.
import { readBytes, SHEET_MAX_BYTES } from '../io/read.js';
import { refuseSheetOutsideRepository } from '../io/repository.js';
import { sha256Hex as sha256 } from '../io/crypto.js';
import { decodeUtf8, parseSheetText } from './csv.js';
import type { SheetFile } from './discover.js';
import type { SheetKind } from './schema.js';

import type { Sheet } from './types.js';

export type { Sheet } from './types.js';

export { sha256 };

export { SHEET_MAX_BYTES } from '../io/read.js';

/**
 * The bytes of a listed sheet file: bounded, and never through a symbolic link that leaves the
 * repository (`sheet-outside-repository`, naming the sheet and nothing of the target).
 */
export function readSheetBytes(ref: Pick<SheetFile, 'file' | 'rel'>): Buffer {
  refuseSheetOutsideRepository(ref.file, ref.rel);
  return readBytes(ref.file, 'sheet', SHEET_MAX_BYTES);
}

/** Reads a sheet file and returns it with every finding; `sheet` is null when it cannot be read. */
export function loadSheet<K extends SheetKind>(ref: SheetFile & { kind: K }): { sheet: Sheet<K> | null; findings: Finding[] } {
  const bytes = readSheetBytes(ref);
  const decoded = decodeUtf8(bytes, ref.rel);
  if (decoded.findings.length) return { sheet: null, findings: decoded.findings };
  const parsed = parseSheetText(ref.kind, decoded.text, ref.rel);
  if (!parsed.sheet) return { sheet: null, findings: parsed.findings };
  const sheet = { ...parsed.sheet, name: ref.name, version: ref.version, file: ref.file, rel: ref.rel } as Sheet<K>;
  // The checksum of the bytes read, computed when first asked (bundle inputs, the lock).
  let digest: string | undefined;
  Object.defineProperty(sheet, 'sha256', {
    enumerable: true,
    configurable: true,
    get: () => (digest ??= sha256(bytes)),
    set: (value: string) => {
      digest = value;
    },
  });
  return { sheet, findings: parsed.findings };
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
