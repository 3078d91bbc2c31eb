// `labelmap validate` as a function: every rule over a whole sheets folder, every finding (not
// just the first). Stages: discover the files (names, places) -> read and type each file (the
// readers' own checks) -> rules over each file and over the set. Reads the disk; the rules are pure.
import { existsSync, statSync } from 'node:fs';
import path from 'node:path';
import { LabelmapError, type Finding } from '../findings.js';
import { scanSheetsDir, type SheetFile } from '../sheets/discover.js';
import { loadSheet, type Sheet } from '../sheets/io.js';
import { readLockFile } from '../sheets/lock-file.js';
import { KIND_DIRS, SHEET_KINDS, type SheetKind } from '../sheets/schema.js';
import { checkSheetSet } from '../taxonomy/rules.js';
import type { SheetSet as MergeSheetSet } from '../taxonomy/types.js';
import { checkBumps, checkLock, LOCK_FILE, type Lock } from '../versioning/lock.js';
import {
  checkFormulaCells,
  checkUnreviewedRows,
  checkMappingsHaveDatasets,
  checkVerticalColors,
  checkVerticalIncludesNested,
  checkVerticalIncludesTwice,
} from './rules.js';

/** What the rules over the whole set get: every file found, and every file that could be read. */
export interface SheetSet {
  /** The sheets folder (absolute). */
  dir: string;
  /** Every sheet file found, read or not, sorted by kind, name, version (oldest first). */
  files: SheetFile[];
  /** Every file that could be read and typed, all versions, in the order of `files`. */
  sheets: Sheet[];
  /** The sheets among `sheets` that read without an error finding: the rules across sheets look only at these, so that one broken row is not reported again as a missing class everywhere. */
  whole: Sheet[];
}

/** One stage of rules over the whole set. */
export type SetStage = (set: SheetSet) => Finding[];

/** The loaded versions of each sheet of a kind, oldest first, keyed by name. */
export function versionsByName<K extends SheetKind>(set: SheetSet, kind: K): Map<string, Sheet<K>[]> {
  const out = new Map<string, Sheet<K>[]>();
  for (const sheet of set.sheets) {
    if (sheet.kind !== kind) continue;
    const list = out.get(sheet.name) ?? [];
    list.push(sheet as Sheet<K>);
    out.set(sheet.name, list);
  }
  return out;
}

/**
 * The latest version of each sheet of a kind, when that latest file could be read (a sheet whose
 * latest file is broken is left out: its own findings say why, and rules across sheets would only
 * repeat them against an older version).
 */
export function latestLoaded<K extends SheetKind>(set: SheetSet, kind: K): Sheet<K>[] {
  const latestVersion = new Map<string, string>();
  for (const f of set.files) if (f.kind === kind) latestVersion.set(f.name, f.version);
  return [...versionsByName(set, kind).values()]
    .map((versions) => versions.at(-1)!)
    .filter((sheet) => latestVersion.get(sheet.name) === sheet.version);
}

const ofKind = <K extends SheetKind>(set: SheetSet, kind: K) => set.sheets.filter((s): s is Sheet<K> => s.kind === kind);

/** The rules validate itself owns (src/validate/rules.ts). */
export const OWN_STAGES: readonly SetStage[] = [
  (set) => set.sheets.flatMap(checkFormulaCells),
  (set) => latestLoaded(set, 'mapping').flatMap(checkUnreviewedRows),
  (set) => ofKind(set, 'vertical').flatMap((sheet) => [...checkVerticalColors(sheet), ...checkVerticalIncludesTwice(sheet)]),
  (set) => {
    // Nesting needs the taxonomy tree; with several taxonomy sheets it is not clear which one a
    // vertical means, so the rule runs only when there is exactly one.
    const taxonomies = latestLoaded(set, 'taxonomy');
    if (taxonomies.length !== 1) return [];
    const parentOf = new Map(taxonomies[0]!.rows.map((row) => [row.name, row.parent]));
    return latestLoaded(set, 'vertical').flatMap((sheet) => checkVerticalIncludesNested(sheet, parentOf));
  },
  (set) => checkMappingsHaveDatasets(set.files),
];

// ================================================================================================
// INTEGRATION POINT (for the lead): stages written in other branches, run after OWN_STAGES.
//   - checkSheetSet  (src/taxonomy/rules.ts, merge): taxonomy tree (parent exists, no cycle),
//     mapping sources / coverage / targets, vertical includes exist, unique train ids, 255
//     reserved, at most 255 classes
//   - checkLock      (src/versioning, versioning): a file in labelmap.lock.json whose content changed
//   - checkBumps     (src/versioning, versioning): a version whose bump is smaller than its change
// Each is a SetStage: (set: SheetSet) => Finding[]; adapt its arguments here if they differ.
// ================================================================================================
export const INTEGRATED_STAGES: readonly SetStage[] = [
  // The whole-set rules that merge runs (taxonomy tree and id history, mapping coverage and
  // targets, vertical includes and train ids), over the latest version of each sheet.
  (set) => {
    const merged = mergeSetOf({ ...set, sheets: set.whole });
    return merged ? checkSheetSet(merged) : [];
  },
  // Releases: a locked file whose content changed, and bumps smaller than their change demands.
  (set) => {
    const lockPath = path.join(set.dir, LOCK_FILE);
    let lock: Lock | null = null;
    try {
      lock = readLockFile(lockPath, LOCK_FILE);
    } catch (error) {
      if (error instanceof LabelmapError) return [error.finding];
      throw error;
    }
    const locked = lock ? checkLock(lock, set.sheets.map((s) => ({ rel: s.rel, sha256: s.sha256 })), LOCK_FILE, set.dir) : [];
    // A sheet whose latest version does not read cleanly is left out: its diff would be noise.
    const broken = new Set(set.sheets.filter((s) => !set.whole.includes(s)).map((s) => `${s.kind}/${s.name}`));
    return [...locked, ...checkBumps(set.whole.filter((s) => !broken.has(`${s.kind}/${s.name}`)), { lock })];
  },
];

/** The set as merge sees it: one taxonomy (with its earlier versions), the latest verticals, datasets with mappings. */
function mergeSetOf(set: SheetSet): MergeSheetSet | null {
  const taxonomies = latestLoaded(set, 'taxonomy');
  if (taxonomies.length !== 1) return null;
  const taxonomy = taxonomies[0]!;
  const datasets = new Map(latestLoaded(set, 'dataset').map((d) => [d.name, d]));
  return {
    taxonomy,
    taxonomyHistory: versionsByName(set, 'taxonomy').get(taxonomy.name)!.slice(0, -1),
    verticals: latestLoaded(set, 'vertical'),
    datasets: latestLoaded(set, 'mapping')
      .filter((mapping) => datasets.has(mapping.name))
      .map((mapping) => ({ dataset: datasets.get(mapping.name)!, mapping })),
  };
}

export interface ValidateResult {
  /** Every finding, sorted by file, line, column, code; `file` is relative to the sheets folder. */
  findings: Finding[];
  /** Every sheet file found. */
  files: SheetFile[];
}

/**
 * Validates a sheets folder. Throws (exit 2) only when it cannot run: the folder does not exist
 * or has none of the four sheet folders. Everything wrong inside is a finding.
 */
export function validateSheets(dir: string, stages: readonly SetStage[] = [...OWN_STAGES, ...INTEGRATED_STAGES]): ValidateResult {
  assertSheetsFolder(dir);
  const scan = scanSheetsDir(dir);
  const findings: Finding[] = [...scan.findings];
  const sheets: Sheet[] = [];
  const whole: Sheet[] = [];
  for (const file of scan.files) {
    try {
      const loaded = loadSheet(file);
      findings.push(...loaded.findings);
      if (loaded.sheet) sheets.push(loaded.sheet);
      if (loaded.sheet && !loaded.findings.some((f) => f.severity === 'error')) whole.push(loaded.sheet);
    } catch (error) {
      // Unreadable (permissions, removed while running): a finding about that file, the run goes on.
      if (!(error instanceof LabelmapError)) throw error;
      findings.push({ ...error.finding, file: file.rel });
    }
  }
  const set: SheetSet = { dir: path.resolve(dir), files: scan.files, sheets, whole };
  for (const stage of stages) findings.push(...stage(set));
  return { findings: sortFindings(findings), files: scan.files };
}

function assertSheetsFolder(dir: string): void {
  let isDir = false;
  try {
    isDir = statSync(dir).isDirectory();
  } catch {
    isDir = false;
  }
  if (!isDir) {
    throw new LabelmapError('file-not-found', { file: dir }, {
      what: 'sheets folder',
      fix: 'pass the folder that holds datasets/, taxonomy/, mappings/ and verticals/ (or start one with `labelmap init`)',
    });
  }
  if (!SHEET_KINDS.some((kind) => existsSync(path.join(dir, KIND_DIRS[kind])))) {
    throw new LabelmapError('invalid-input', { file: dir }, {
      message: 'this is not a sheets folder',
      expected: `at least one of ${SHEET_KINDS.map((k) => `${KIND_DIRS[k]}/`).join(', ')}`,
      found: 'none of them',
      fix: 'pass the sheets folder itself (e.g. `labelmap validate sheets`), or start one with `labelmap init`',
    });
  }
}

/** Stable order: by file (findings without a file first), line, column, code. */
export function sortFindings(findings: Finding[]): Finding[] {
  const key = (n: number | undefined) => n ?? 0;
  const text = (x: string, y: string) => (x < y ? -1 : x > y ? 1 : 0);
  return findings.sort(
    (a, b) =>
      text(a.file ?? '', b.file ?? '') ||
      key(a.line) - key(b.line) ||
      key(a.column) - key(b.column) ||
      text(a.code, b.code),
  );
}
