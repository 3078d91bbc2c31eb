// The release lock (`sheets/labelmap.lock.json`): every released sheet file with its sha256.
// A released version is immutable; the lock is how a later edit is caught. Also the release rule
// that each new version's bump covers its diff to the previous version. Pure: data in, findings out.
import semver from 'semver';
import { z } from 'zod';
import { finding, LabelmapError, type Finding } from '../findings.js';
import { parseJson } from '../json.js';
import { KIND_DIRS, type RowOf, type SheetKind } from '../sheets/schema.js';
import { actualBump, isBumpEnough, nextVersion, requiredBump } from './bump.js';
import { describeChange, diffSheets, sheetLabel } from './diff.js';

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

function compareRel(a: string, b: string): number {
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

/** The `name@version` reference of a sheet file path (`mappings/coco@1.0.0.csv` -> `mappings/coco`). */
function refOf(rel: string): string {
  const m = /^([^/]+)\/(.+)@[^@/]+\.csv$/.exec(rel);
  return m ? `${m[1]}/${m[2]}` : rel;
}

/**
 * Locked files that changed or went missing. `files` are the sheet files as they are now, with the
 * sha256 of their bytes. Unlocked files are not findings: a new version is work in progress until
 * `labelmap release` locks it.
 */
export function checkLock(lock: Lock, files: readonly { rel: string; sha256: string }[], lockFile = LOCK_FILE, sheetsDir = '.'): Finding[] {
  const now = new Map(files.map((f) => [f.rel, f.sha256]));
  const out: Finding[] = [];
  for (const entry of lock.sheets) {
    const sha = now.get(entry.file);
    if (sha === undefined) {
      // An error: a model trained with that version names it, and release would drop it from the lock.
      out.push(finding('lock-sheet-missing', 'error', { file: entry.file }, { file: entry.file, lock: lockFile, sheets: sheetsDir }));
    } else if (sha !== entry.sha256) {
      out.push(
        finding('lock-sheet-changed', 'error', { file: entry.file }, {
          file: entry.file,
          ref: refOf(entry.file),
          locked: entry.sha256.slice(0, 12),
          found: sha.slice(0, 12),
          lock: lockFile,
          sheets: sheetsDir,
        }),
      );
    }
  }
  return out;
}

/** A version of a sheet with its rows, for `checkBumps`. */
export interface VersionedSheet<K extends SheetKind = SheetKind> {
  kind: K;
  name: string;
  version: string;
  rel: string;
  rows: RowOf[K][];
  /** When given, a version locked with this very sha256 counts as released and is not checked again. */
  sha256?: string;
}

/**
 * Checks that every version's bump covers its diff to the previous version of the same sheet.
 * Versions recorded in `lock` (same file, same sha256 when known) are released history and are
 * skipped: only new versions are judged. A new version without any change is a warning.
 */
export function checkBumps(sheets: readonly VersionedSheet[], options: { lock?: Lock | null } = {}): Finding[] {
  const locked = new Map((options.lock?.sheets ?? []).map((e) => [e.file, e.sha256]));
  const isReleased = (s: VersionedSheet) => locked.has(s.rel) && (s.sha256 === undefined || locked.get(s.rel) === s.sha256);
  const groups = new Map<string, VersionedSheet[]>();
  for (const s of sheets) {
    const key = sheetLabel(s.kind, s.name);
    const list = groups.get(key) ?? [];
    list.push(s);
    groups.set(key, list);
  }
  const out: Finding[] = [];
  for (const [label, list] of [...groups].sort((a, b) => compareRel(`${a[0]}@0.0.0.csv`, `${b[0]}@0.0.0.csv`))) {
    list.sort((a, b) => semver.compare(a.version, b.version));
    for (let i = 1; i < list.length; i++) {
      const prev = list[i - 1]!;
      const cur = list[i]!;
      if (isReleased(cur)) continue;
      const changes = diffSheets(cur.kind, prev.rows, cur.rows, label);
      const required = requiredBump(changes);
      const actual = actualBump(prev.version, cur.version);
      if (required === null) {
        out.push(finding('bump-no-change', 'warning', { file: cur.rel }, { ref: `${label}@${cur.version}`, previous: prev.version }));
        continue;
      }
      if (isBumpEnough(actual, required)) continue;
      const worst = changes.find((c) => c.level === required)!;
      out.push(
        finding('bump-too-small', 'error', { file: cur.rel }, {
          ref: label,
          from: prev.version,
          to: cur.version,
          actual,
          required,
          changes: changes.length,
          example: describeChange(worst),
          suggest: nextVersion(prev.version, required),
          suggestName: `${cur.name}@${nextVersion(prev.version, required)}.csv`,
        }),
      );
    }
  }
  return out;
}

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
  const findings = [...(previous ? checkLock(previous, sheets, lockFile, sheetsDir) : []), ...checkBumps(sheets, { lock: previous })];
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
