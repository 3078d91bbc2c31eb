// `labelmap validate` as a function: every rule over a whole sheets folder, every finding (not
// just the first). Discover the files (names, places) -> read and type each file (the readers'
// own checks) -> every stage of the rule registry (src/rules/) over the files and the set. Reads
// the disk; the rules are pure.
import { existsSync } from 'node:fs';
import path from 'node:path';
import { LabelmapError, sortFindings, type Finding } from '../findings.js';
import { isDirectory } from '../io/index.js';
import { runRules, STAGES, type Stage } from '../rules/index.js';
import { scanSheetsDir, type SheetFile } from '../sheets/discover.js';
import { loadSheet, type Sheet } from '../sheets/io.js';
import { readLockFile } from '../sheets/lock-file.js';
import { KIND_DIRS, SHEET_KINDS } from '../sheets/schema.js';
import { buildSheetSet } from '../sheets/set.js';
import { LOCK_FILE, type Lock } from '../versioning/lock.js';
import { pushAll } from '../arrays.js';

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
/** `shownDir`: the sheets folder as fix texts name it to the user (relative to where they are). */
export function validateSheets(dir: string, stages: readonly Stage[] = STAGES, shownDir: string = dir): ValidateResult {
  assertSheetsFolder(dir);
  const scan = scanSheetsDir(dir);
  const findings: Finding[] = stages.includes('files') ? [...scan.findings] : [];
  const sheets: Sheet[] = [];
  const byRel = new Map<string, Sheet>();
  /** Sheets that read without an error finding: only their versions are compared (a broken row would read as a removed class). */
  const whole: Sheet[] = [];
  for (const file of scan.files) {
    try {
      const loaded = loadSheet(file);
      pushAll(findings, loaded.findings);
      if (!loaded.sheet) continue;
      sheets.push(loaded.sheet);
      byRel.set(file.rel, loaded.sheet);
      if (!loaded.findings.some((f) => f.severity === 'error')) whole.push(loaded.sheet);
    } catch (error) {
      // Unreadable (permissions, removed while running): a finding about that file, the run goes on.
      if (!(error instanceof LabelmapError)) throw error;
      findings.push({ ...error.finding, file: file.rel });
    }
  }
  // The set as merge composes it (every dataset, the latest of each sheet), from the sheets read
  // above. With no taxonomy or several, the taxonomy-bound rules do not run: merge's
  // taxonomy-missing / taxonomy-ambiguous is about which one to compile, not a defect of a sheet.
  const selection: Finding[] = [];
  const loaded = buildSheetSet(scan.files, (f) => byRel.get(f.rel) ?? null, dir, {}, selection);
  pushAll(findings, selection.filter((f) => f.code !== 'taxonomy-missing' && f.code !== 'taxonomy-ambiguous'));

  let lock: Lock | null = null;
  if (stages.includes('versions')) {
    try {
      lock = readLockFile(path.join(dir, LOCK_FILE), LOCK_FILE);
    } catch (error) {
      if (!(error instanceof LabelmapError)) throw error;
      findings.push(error.finding);
    }
  }
  // A sheet whose latest version does not read cleanly is left out of the bump check: its diff would be noise.
  const broken = new Set(sheets.filter((s) => !whole.includes(s)).map((s) => `${s.kind}/${s.name}`));
  const versions = { sheets: whole.filter((s) => !broken.has(`${s.kind}/${s.name}`)), lock, lockFile: LOCK_FILE, sheetsDir: shownDir };
  pushAll(findings, runRules({ files: scan.files, unlisted: scan.unlisted, sheets, set: loaded.set, pairing: loaded.pairing, versions }, stages));
  return { findings: sortFindings(findings), files: scan.files };
}

function assertSheetsFolder(dir: string): void {
  if (!isDirectory(dir)) {
    throw new LabelmapError('sheets-folder-not-found', { file: dir }, { found: existsSync(dir) ? 'file' : 'nothing', command: 'validate' });
  }
  if (!SHEET_KINDS.some((kind) => existsSync(path.join(dir, KIND_DIRS[kind])))) {
    throw new LabelmapError('sheets-folder-invalid', { file: dir }, { expected: SHEET_KINDS.map((k) => `${KIND_DIRS[k]}/`) });
  }
}
