// Rules over the versions of a sheets folder: a locked (released) file never changes, and every
// new version's bump is at least what its diff to the previous version demands.
import semver from 'semver';
import { finding, type Finding } from '../findings.js';
import type { RowOf, SheetKind } from '../sheets/schema.js';
import { actualBump, isBumpEnough, nextVersion, requiredBump } from '../versioning/bump.js';
import { describeChange, diffSheets, sheetLabel } from '../versioning/diff.js';
import { compareRel, LOCK_FILE, type Lock } from '../versioning/lock.js';
import type { Rule } from './types.js';

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
      out.push(finding('lock-sheet-missing', 'error', { file: entry.file }, { file: entry.file, ref: refOf(entry.file), lock: lockFile, sheets: sheetsDir }));
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
export function checkBumps(sheets: readonly VersionedSheet[], options: { lock?: Lock | null; /** The sheets folder as the fix's `mv` names it. */ sheetsDir?: string } = {}): Finding[] {
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
          file: cur.rel,
          renamed: `${cur.rel.slice(0, cur.rel.lastIndexOf('/') + 1)}${cur.name}@${nextVersion(prev.version, required)}.csv`,
          sheets: options.sheetsDir ?? '.',
        }),
      );
    }
  }
  return out;
}


export const VERSION_RULES: readonly Rule[] = [
  {
    codes: ['lock-sheet-changed', 'lock-sheet-missing'],
    stage: 'versions',
    check: ({ versions, sheets }) => (versions?.lock ? checkLock(versions.lock, sheets, versions.lockFile, versions.sheetsDir) : []),
  },
  {
    codes: ['bump-too-small', 'bump-no-change'],
    stage: 'versions',
    check: ({ versions }) => (versions ? checkBumps(versions.sheets, { lock: versions.lock, sheetsDir: versions.sheetsDir }) : []),
  },
];
