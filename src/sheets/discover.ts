// Sheet files are `<sheets>/<kind dir>/<name>@<semver>.csv`. This module knows that layout:
// file names <-> (kind, name, version), references `[kind/]name[@version|@latest]`, and which file
// a reference means. Pure except for `scanSheetsDir`.
import { readdirSync, statSync, type Dirent } from 'node:fs';
import path from 'node:path';
// Versions through two small functions, not the semver package (its start-up cost is list's).
import { compareSemver, isExactSemver } from '../versioning/semver-lite.js';
import { finding, LabelmapError, type Finding } from '../findings.js';
import { isSafeSheetName, KIND_DIRS, SHEET_KINDS, type SheetKind } from './kinds.js';
import type { UnlistedFile } from './types.js';

import type { SheetFile } from './types.js';
import { pushAll } from '../arrays.js';

export type { SheetFile } from './types.js';

export { isSafeSheetName, SHEET_NAME_RE } from './kinds.js';

export function parseSheetFileName(base: string): { name: string; version: string } | null {
  const m = /^(.+)@([^@/]+)\.csv$/.exec(base);
  if (!m || !isSafeSheetName(m[1]!) || !isExactSemver(m[2]!)) return null;
  return { name: m[1]!, version: m[2]! };
}

export function sheetFileName(name: string, version: string): string {
  return `${name}@${version}.csv`;
}

export function sheetRelPath(kind: SheetKind, name: string, version: string): string {
  return `${KIND_DIRS[kind]}/${sheetFileName(name, version)}`;
}

/**
 * Lists every sheet file under a sheets folder. Files in a kind's folder that do not follow the
 * naming rule are `unlisted` (the rule `sheet-file-name` in rules/files.ts words them: an error in
 * validate, a warning in every command that reads the folder); CSV files outside the kinds'
 * folders are `findings` (`sheet-file-misplaced`).
 */
export function scanSheetsDir(dir: string): { files: SheetFile[]; findings: Finding[]; unlisted: UnlistedFile[] } {
  const files: SheetFile[] = [];
  const findings: Finding[] = [];
  const unlisted: UnlistedFile[] = [];
  for (const kind of SHEET_KINDS) {
    const sub = path.join(dir, KIND_DIRS[kind]);
    let entries: Dirent[];
    try {
      entries = readdirSync(sub, { withFileTypes: true });
    } catch {
      continue;
    }
    for (const entry of entries.sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0))) {
      const base = entry.name;
      if (base.startsWith('.')) continue;
      const file = path.join(sub, base);
      const rel = `${KIND_DIRS[kind]}/${base}`;
      // The folder's entry says a regular file; a link (or a file system that does not say) is followed.
      let isFile = entry.isFile();
      if (!isFile && (entry.isSymbolicLink() || !knownType(entry))) {
        try {
          isFile = statSync(file).isFile();
        } catch {
          isFile = false; // a symbolic link loop or a dangling link
        }
      }
      const parsed = parseSheetFileName(base);
      if (!parsed) {
        if (isFile) unlisted.push({ kind, name: base, file: rel });
        continue;
      }
      // An entry named like a sheet that is no regular file (a link loop, a FIFO, a folder) is listed
      // all the same: reading it then says what it is, where skipping it would hide the sheet.
      files.push({ kind, ...parsed, file, rel });
    }
  }
  pushAll(findings, findMisplacedCsv(dir));
  files.sort(compareSheetFiles);
  return { files, findings, unlisted };
}

/**
 * CSV files that no command would read: in the sheets folder itself, in a folder that is not a
 * kind's folder (a typo such as `dataset/`), or one folder deeper inside a kind's folder. A file
 * named like a sheet (`coco@1.0.0.csv`) is an error, any other CSV a warning.
 */
function findMisplacedCsv(dir: string): Finding[] {
  const out: Finding[] = [];
  const report = (rel: string, base: string, folderWord: string | null) => {
    const kind = folderWord ? kindOfWord(folderWord) : undefined;
    out.push(
      finding('sheet-file-misplaced', parseSheetFileName(base) ? 'error' : 'warning', { file: rel }, {
        expected: kind ? `${KIND_DIRS[kind]}/${base}` : undefined,
      }),
    );
  };
  const kindDirs = new Set<string>(Object.values(KIND_DIRS));
  for (const entry of listDir(dir)) {
    if (entry.name.startsWith('.') || entry.name === 'node_modules') continue;
    if (entry.isFile() && entry.name.toLowerCase().endsWith('.csv')) report(entry.name, entry.name, null);
    if (!entry.isDirectory()) continue;
    const inKindDir = kindDirs.has(entry.name);
    for (const inner of listDir(path.join(dir, entry.name))) {
      if (inner.name.startsWith('.')) continue;
      if (!inKindDir && inner.isFile() && inner.name.toLowerCase().endsWith('.csv')) {
        report(`${entry.name}/${inner.name}`, inner.name, entry.name);
      }
      if (inKindDir && inner.isDirectory()) {
        for (const deep of listDir(path.join(dir, entry.name, inner.name))) {
          if (deep.isFile() && deep.name.toLowerCase().endsWith('.csv')) {
            report(`${entry.name}/${inner.name}/${deep.name}`, deep.name, entry.name);
          }
        }
      }
    }
  }
  return out.sort((a, b) => (a.file! < b.file! ? -1 : a.file! > b.file! ? 1 : 0));
}

/** Whether readdir said what an entry is (some file systems answer DT_UNKNOWN: then stat says). */
function knownType(entry: Dirent): boolean {
  return entry.isFile() || entry.isDirectory() || entry.isSymbolicLink() || entry.isFIFO() || entry.isSocket() || entry.isBlockDevice() || entry.isCharacterDevice();
}

function listDir(dir: string): Dirent[] {
  try {
    return readdirSync(dir, { withFileTypes: true });
  } catch {
    return [];
  }
}

export function compareSheetFiles(a: SheetFile, b: SheetFile): number {
  return (
    SHEET_KINDS.indexOf(a.kind) - SHEET_KINDS.indexOf(b.kind) ||
    (a.name < b.name ? -1 : a.name > b.name ? 1 : 0) ||
    compareSemver(a.version, b.version)
  );
}

export interface SheetRef {
  kind?: SheetKind;
  name: string;
  /** A semver, or undefined for the latest version. */
  version?: string;
}

/** The words that name a kind: `dataset`, its folder `datasets`, and the plural `taxonomies`. */
const KIND_WORDS = new Map<string, SheetKind>([['taxonomies', 'taxonomy']]);
for (const kind of SHEET_KINDS) {
  KIND_WORDS.set(kind, kind);
  KIND_WORDS.set(KIND_DIRS[kind], kind);
}

export function kindOfWord(word: string): SheetKind | undefined {
  return KIND_WORDS.get(word.toLowerCase());
}

/** `coco`, `coco@1.2.0`, `coco@latest`, `datasets/coco`, `mapping/coco@1.0.0`. */
export function parseRef(text: string): SheetRef | null {
  const m = /^(?:([a-z]+)\/)?([^@/]+)(?:@([^@/]+))?$/.exec(text.trim());
  if (!m) return null;
  const [, kindWord, name, version] = m;
  let kind: SheetKind | undefined;
  if (kindWord !== undefined) {
    kind = kindOfWord(kindWord);
    if (!kind) return null;
  }
  if (!isSafeSheetName(name!)) return null;
  if (version !== undefined && version !== 'latest' && !isExactSemver(version)) return null;
  return { kind, name: name!, version: version === 'latest' ? undefined : version };
}

/** The versions of one sheet, oldest first. */
export function versionsOf(files: readonly SheetFile[], kind: SheetKind, name: string): SheetFile[] {
  return files.filter((f) => f.kind === kind && f.name === name).sort((a, b) => compareSemver(a.version, b.version));
}

export function latestOf(files: readonly SheetFile[], kind: SheetKind, name: string): SheetFile | undefined {
  return versionsOf(files, kind, name).at(-1);
}

/** The latest version of every sheet. */
export function latestSheets(files: readonly SheetFile[]): SheetFile[] {
  const latest = new Map<string, SheetFile>();
  for (const f of files) {
    const key = `${f.kind}/${f.name}`;
    const seen = latest.get(key);
    if (!seen || compareSemver(f.version, seen.version) > 0) latest.set(key, f);
  }
  return [...latest.values()].sort(compareSheetFiles);
}

/**
 * The file a reference means; a LabelmapError when none or several do.
 * A bare name that names sheets of several kinds means the dataset sheet when there is one: `coco`
 * is the COCO dataset sheet (its mapping is `mappings/coco`), so `labelmap show coco` and
 * `labelmap diff coco@1.0.0 coco@1.1.0` mean what they say. Other clashes (a taxonomy and a vertical
 * of one name) still need the kind.
 */
export function resolveRef(files: readonly SheetFile[], text: string, kind?: SheetKind): SheetFile {
  const ref = parseRef(text);
  if (!ref) {
    const kindWord = /^([A-Za-z]+)\/[^/]+$/.exec(text.trim())?.[1];
    if (kindWord !== undefined && !kindOfWord(kindWord)) {
      throw new LabelmapError('sheet-ref-kind-unknown', {}, { ref: text, kind: kindWord, kinds: Object.values(KIND_DIRS).join(', ') });
    }
    throw new LabelmapError('sheet-ref-invalid', {}, { ref: text });
  }
  const wantKind = ref.kind ?? kind;
  const named = files.filter((f) => f.name === ref.name && (!wantKind || f.kind === wantKind));
  let kinds = [...new Set(named.map((f) => f.kind))];
  if (kinds.length === 0) {
    const known = [...new Set(files.filter((f) => !wantKind || f.kind === wantKind).map((f) => f.name))].join(', ');
    throw new LabelmapError('sheet-ref-not-found', {}, { ref: text, known: known || '(no sheets)' });
  }
  if (kinds.length > 1 && kinds.includes('dataset')) kinds = ['dataset'];
  if (kinds.length > 1) {
    throw new LabelmapError('sheet-ref-ambiguous', {}, {
      ref: text,
      candidates: kinds.map((k) => `${KIND_DIRS[k]}/${ref.name}`).join(', '),
      example: `${KIND_DIRS[kinds[0]!]}/${text}`,
    });
  }
  const versions = versionsOf(named, kinds[0]!, ref.name);
  const hit = ref.version ? versions.find((f) => f.version === ref.version) : versions.at(-1);
  if (!hit) {
    throw new LabelmapError('sheet-version-not-found', {}, {
      ref: text,
      sheet: `${KIND_DIRS[kinds[0]!]}/${ref.name}`,
      version: ref.version,
      versions: versions.map((f) => f.version).join(', '),
      latest: versions.at(-1)?.version,
    });
  }
  return hit;
}
