// What a `labelmap diff` argument means: a sheet file, a sheets folder, a sheet reference in the
// sheets folder, or a git revision of the repository that holds the sheets folder (tried in that
// order). Loads the sheet or the sheet set (latest version of every sheet) it names.
import { statSync } from 'node:fs';
import path from 'node:path';
import { LabelmapError } from '../findings.js';
import { readBytes } from '../io/index.js';
import type { SheetData } from '../versioning/diff.js';
import { decodeUtf8, parseCsvTable, parseSheetText } from './csv.js';
import { latestSheets, parseRef, parseSheetFileName, resolveRef, scanSheetsDir, versionsOf, type SheetFile } from './discover.js';
import { findGitRevision, listSheetsAtRevision, readFileAtRevision, type GitRevision } from './git.js';
import { readSheetBytes, sha256, SHEET_MAX_BYTES, throwFirstError } from './io.js';
import { COLUMNS, KIND_DIRS, SHEET_KINDS, type SheetKind } from './schema.js';

export interface LoadedSheet extends SheetData {
  sha256: string;
}

export type SourceType = 'file' | 'folder' | 'ref' | 'git' | 'worktree';

interface SideBase {
  /** The argument as given (for the work tree: the sheets folder). */
  arg: string;
  type: SourceType;
  /** For people: `v1 (3f2a1c9)`, `sheets/`, `datasets/coco@1.0.0.csv`. */
  label: string;
}

export type DiffSide =
  | (SideBase & { shape: 'sheet'; sheet: LoadedSheet })
  | (SideBase & { shape: 'set'; sheets: LoadedSheet[]; revision?: GitRevision });

export interface SourceEnv {
  cwd: string;
  /**
   * The sheets folder that references, revisions and one-argument diffs resolve in, asked for only
   * when an argument needs it; `git`: whether revisions may be tried (not for the shipped sheets).
   */
  sheets(): { dir: string; git: boolean };
}

function statOf(p: string): 'file' | 'dir' | null {
  try {
    const st = statSync(p);
    return st.isFile() ? 'file' : st.isDirectory() ? 'dir' : null;
  } catch {
    return null;
  }
}

const KIND_BY_DIR = new Map<string, SheetKind>(SHEET_KINDS.map((k) => [KIND_DIRS[k], k]));

/** A sheet's kind from its folder name, else from its header (the kind whose required columns it has). */
function kindOf(file: string, text: string): SheetKind {
  const byDir = KIND_BY_DIR.get(path.basename(path.dirname(file)));
  if (byDir) return byDir;
  const header = parseCsvTable(text, file).table?.header ?? [];
  const fits = SHEET_KINDS.filter((k) => COLUMNS[k].required.every((c) => header.includes(c)));
  if (fits.length === 0) throw new LabelmapError('diff-sheet-kind', { file, line: 1 }, { file, header: header.join(',') });
  // A header with every column of two kinds: the kind with more required columns is the better fit.
  return fits.sort((a, b) => COLUMNS[b].required.length - COLUMNS[a].required.length)[0]!;
}

/** Parses sheet bytes; the first error is thrown (exit 2) naming `label` and the line. */
function parseSheetBytes(kind: SheetKind, name: string, version: string | null, bytes: Buffer, label: string): LoadedSheet {
  const decoded = decodeUtf8(bytes, label);
  throwFirstError(decoded.findings);
  const parsed = parseSheetText(kind, decoded.text, label);
  throwFirstError(parsed.findings);
  return { kind, name, version, rel: label, rows: parsed.sheet!.rows, sha256: sha256(bytes) };
}

function displayPath(cwd: string, file: string): string {
  const rel = path.relative(cwd, file);
  return rel && !rel.startsWith('..') && !path.isAbsolute(rel) ? rel.split(path.sep).join('/') : file;
}

/** Any sheet file, also outside a sheets folder; name and version come from its file name when it has them. */
export function loadSheetFile(file: string, cwd: string): LoadedSheet {
  const shown = displayPath(cwd, file);
  const bytes = readBytes(file, 'sheet', SHEET_MAX_BYTES);
  const decoded = decodeUtf8(bytes, shown);
  throwFirstError(decoded.findings);
  const kind = kindOf(shown, decoded.text);
  const parsed = parseSheetFileName(path.basename(file));
  const name = parsed?.name ?? path.basename(file).replace(/\.csv$/i, '');
  return parseSheetBytes(kind, name, parsed?.version ?? null, bytes, shown);
}

function loadListed(file: SheetFile, cwd: string): LoadedSheet {
  const shown = displayPath(cwd, file.file);
  return parseSheetBytes(file.kind, file.name, file.version, readSheetBytes(file), shown);
}

/** The latest version of every sheet in a sheets folder. */
export function loadSheetFolder(dir: string, cwd: string): LoadedSheet[] {
  return latestSheets(scanSheetsDir(dir).files).map((f) => loadListed(f, cwd));
}

/** The latest version of every sheet in the sheets folder as it was at a git revision. */
export function loadSheetsAtRevision(r: GitRevision): LoadedSheet[] {
  const { files } = listSheetsAtRevision(r);
  return latestSheets(files).map((f) => {
    const listed = files.find((x) => x.rel === f.rel)!;
    return parseSheetBytes(f.kind, f.name, f.version, readFileAtRevision(r, listed), listed.file);
  });
}

/**
 * Resolves one argument: existing file -> existing folder -> sheet reference that resolves in the
 * sheets folder -> git revision of the sheets folder's repository.
 */
export function resolveDiffSource(arg: string, env: SourceEnv): DiffSide {
  const full = path.resolve(env.cwd, arg);
  const kind = statOf(full);
  if (kind === 'file') {
    const sheet = loadSheetFile(full, env.cwd);
    return { arg, type: 'file', label: sheet.rel, shape: 'sheet', sheet };
  }
  if (kind === 'dir') {
    return { arg, type: 'folder', label: `${displayPath(env.cwd, full)}/`, shape: 'set', sheets: loadSheetFolder(full, env.cwd) };
  }
  const sheets = env.sheets();
  let refError: LabelmapError | null = null;
  const ref = parseRef(arg);
  if (ref && statOf(sheets.dir) === 'dir') {
    try {
      const file = resolveRef(scanSheetsDir(sheets.dir).files, arg);
      const sheet = loadListed(file, env.cwd);
      return { arg, type: 'ref', label: `${KIND_DIRS[file.kind]}/${file.name}@${file.version}`, shape: 'sheet', sheet };
    } catch (error) {
      if (!(error instanceof LabelmapError) || error.finding.code !== 'sheet-ref-not-found') throw error;
      refError = error;
    }
  }
  let why = 'git revisions are not read for the sheets shipped inside labelmap';
  if (sheets.git) {
    const found = findGitRevision(sheets.dir, arg);
    if ('revision' in found) {
      const r = found.revision;
      return { arg, type: 'git', label: `${arg} (${r.commit.slice(0, 7)})`, shape: 'set', sheets: loadSheetsAtRevision(r), revision: r };
    }
    why = found.reason;
  }
  // `coco@1.9.0` was meant as a reference: say which versions there are.
  if (refError && (ref?.version !== undefined || ref?.kind !== undefined)) throw refError;
  throw new LabelmapError('diff-source-unknown', {}, { arg, sheets: displayPath(env.cwd, sheets.dir), git: why });
}

export interface DiffSides {
  before: DiffSide;
  after: DiffSide;
}

function worktree(env: SourceEnv): DiffSide {
  const { dir } = env.sheets();
  return {
    arg: dir,
    type: 'worktree',
    label: `${displayPath(env.cwd, dir)}/ (work tree)`,
    shape: 'set',
    sheets: statOf(dir) === 'dir' ? loadSheetFolder(dir, env.cwd) : [],
  };
}

/**
 * The two sides of a diff. With one argument: a set (folder, revision) is compared with the sheets
 * folder in the work tree; a sheet with the latest version of the same sheet in the sheets folder,
 * or, when it is that latest version, with the version before it (`labelmap diff coco` shows what
 * the latest version changed).
 */
export function resolveDiffSides(a: string, b: string | undefined, env: SourceEnv): DiffSides {
  const before = resolveDiffSource(a, env);
  if (b !== undefined) return { before, after: resolveDiffSource(b, env) };
  if (before.shape === 'set') return { before, after: worktree(env) };
  const { dir } = env.sheets();
  const files = statOf(dir) === 'dir' ? scanSheetsDir(dir).files : [];
  const versions = versionsOf(files, before.sheet.kind, before.sheet.name);
  const latest = versions.at(-1);
  const label = (f: SheetFile) => `${KIND_DIRS[f.kind]}/${f.name}@${f.version}`;
  if (!latest) {
    throw new LabelmapError('diff-nothing-to-compare', {}, {
      sheet: `${KIND_DIRS[before.sheet.kind]}/${before.sheet.name}`,
      dir: displayPath(env.cwd, dir),
      label: before.label,
    });
  }
  const latestSheet = loadListed(latest, env.cwd);
  if (latestSheet.sha256 !== before.sheet.sha256 || before.sheet.version !== latest.version) {
    return { before, after: { arg: latest.file, type: 'ref', label: label(latest), shape: 'sheet', sheet: latestSheet } };
  }
  const previous = versions.at(-2);
  if (!previous) {
    throw new LabelmapError('diff-nothing-to-compare', {}, { latest: label(latest) });
  }
  return {
    before: { arg: previous.file, type: 'ref', label: label(previous), shape: 'sheet', sheet: loadListed(previous, env.cwd) },
    after: { ...before, label: label(latest) },
  };
}
