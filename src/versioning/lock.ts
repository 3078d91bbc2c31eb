// The release lock (`sheets/labelmap.lock.json`): every released sheet file with its sha256.
// A released version is immutable; the lock is how a later edit is caught. Also the release rule
// that each new version's bump covers its diff to the previous version. Pure: data in, findings out.
import semver from 'semver';
import { z } from 'zod';
import { LabelmapError, type Finding } from '../findings.js';
import { checkBumps, checkLock, type VersionedSheet } from '../rules/versions.js';
import { parseJson } from '../json.js';
import { KIND_DIRS, type SheetKind } from '../sheets/schema.js';

export const LOCK_FILE = 'labelmap.lock.json';

/*
 * {
 *   "format": "labelmap-lock",
 *   "format_version": 1,
 *   "sheets": [
 *     { "file": "datasets/coco@1.0.0.csv", "sha256": "9f86d08..." },
 *     ...
 *   ]
 * }
 * `sheets` is sorted by kind (datasets, taxonomy, mappings, verticals), name, then version
 * (semver order), so the file is byte-identical for the same sheets and diffs well in git.
 */
export interface LockEntry {
  /** Path inside the sheets folder, with `/`. */
  file: string;
  sha256: string;
}

export interface Lock {
  format: 'labelmap-lock';
  format_version: 1;
  sheets: LockEntry[];
}

/** A sheet file as the lock sees it. */
export interface LockableFile {
  kind: SheetKind;
  name: string;
  version: string;
  rel: string;
  sha256: string;
}

const KIND_ORDER = Object.values(KIND_DIRS);

/** Sort key parts of `datasets/coco@1.0.0.csv`: (kind index, name, version). */
function splitRel(rel: string): { kind: number; name: string; version: string | null } {
  const m = /^([^/]+)\/(.+)@([^@/]+)\.csv$/.exec(rel);
  if (!m) return { kind: KIND_ORDER.length, name: rel, version: null };
  const kind = KIND_ORDER.indexOf(m[1]!);
  return { kind: kind < 0 ? KIND_ORDER.length : kind, name: m[2]!, version: semver.valid(m[3]!) ? m[3]! : null };
}

/** Lock order of two sheet paths: kind, name, then semver. */
export function compareRel(a: string, b: string): number {
  const x = splitRel(a);
  const y = splitRel(b);
  if (x.kind !== y.kind) return x.kind - y.kind;
  if (x.name !== y.name) return x.name < y.name ? -1 : 1;
  if (x.version && y.version) return semver.compare(x.version, y.version);
  return a < b ? -1 : a > b ? 1 : 0;
}

/** The lock of a set of sheet files: sorted, one entry per file. */
export function buildLock(files: readonly { rel: string; sha256: string }[]): Lock {
  const sheets = files.map((f) => ({ file: f.rel, sha256: f.sha256 })).sort((a, b) => compareRel(a.file, b.file));
  return { format: 'labelmap-lock', format_version: 1, sheets };
}

/** The lock file's text: 2-space JSON, LF, a final newline. Deterministic. */
export function formatLock(lock: Lock): string {
  return `${JSON.stringify({ format: lock.format, format_version: lock.format_version, sheets: lock.sheets.map((e) => ({ file: e.file, sha256: e.sha256 })) }, null, 2)}\n`;
}

const LockSchema = z.object({
  format: z.literal('labelmap-lock'),
  format_version: z.literal(1),
  sheets: z.array(
    z.object({
      file: z.string().min(1),
      sha256: z.string().regex(/^[0-9a-f]{64}$/, { message: 'a sha256 of 64 lower-case hex digits' }),
    }),
  ),
});

/** Reads a lock file's text; a LabelmapError (`lock-invalid`) naming the JSON path when it does not fit. */
export function parseLock(text: string, file: string): Lock {
  let data: unknown;
  try {
    data = parseJson(text, file, 'lock-invalid');
  } catch (error) {
    if (!(error instanceof LabelmapError)) throw error;
    const { code, severity: _s, args, ...place } = error.finding;
    throw new LabelmapError(code, place, { reason: `not JSON (${String(args.reason)})` });
  }
  const result = LockSchema.safeParse(data);
  if (!result.success) {
    const issue = result.error.issues[0]!;
    const at = issue.path.reduce<string>((p, k) => (typeof k === 'number' ? `${p}[${k}]` : `${p}.${String(k)}`), '$');
    throw new LabelmapError('lock-invalid', { file, path: at }, { reason: issue.message });
  }
  return result.data as Lock;
}

export { checkBumps, checkLock, type VersionedSheet } from '../rules/versions.js';

export interface ReleasePlan {
  /** The lock to write (every current sheet file). */
  lock: Lock;
  /** Files locked now that were not locked before (new versions), in lock order. */
  added: string[];
  /** Files in the old lock that are gone (dropped from the new lock). */
  dropped: string[];
  /** Lock and bump findings; any error means: do not write the lock. */
  findings: Finding[];
}

/**
 * What `labelmap release` does, as data: check that no locked file changed and that every new
 * version's bump covers its diff, and build the lock of every current sheet file.
 */
export function planRelease(sheets: readonly (VersionedSheet & { sha256: string })[], previous: Lock | null, lockFile = LOCK_FILE, sheetsDir = '.'): ReleasePlan {
  const findings = [...(previous ? checkLock(previous, sheets, lockFile, sheetsDir) : []), ...checkBumps(sheets, { lock: previous, sheetsDir })];
  const lock = buildLock(sheets);
  const before = new Set((previous?.sheets ?? []).map((e) => e.file));
  const now = new Set(lock.sheets.map((e) => e.file));
  return {
    lock,
    added: lock.sheets.map((e) => e.file).filter((f) => !before.has(f)),
    dropped: [...before].filter((f) => !now.has(f)),
    findings,
  };
}
