// The write guard: where labelmap may write its outputs, and the read guard for sheets. One module
// for every command that writes (merge, export, apply, report, init; extract, bump, suggest
// --write into the sheets folder), so that the rules are the same everywhere:
//
// - An output folder is one labelmap created, or one that holds its marker file
//   (`.labelmap-output`), or an empty one; any other folder is refused (`output-not-ours`).
// - Folders inside an output folder that are symbolic links are never written through
//   (`output-symlink`); files are replaced by a rename, which replaces a link, never its target.
// - Only files the marker lists (and whose names labelmap generates) are ever removed.
// - No output lands in the sheets folder, by its real path (`output-in-sheets`), and no sheet is
//   written through a kind folder that leaves the sheets folder (`sheet-folder-outside`).
// - A sheet that is a symbolic link to a file outside the repository is not read
//   (`sheet-outside-repository`): its content would land in messages and CI logs.
//
// The marker, written before any other output and rewritten when the run ends:
//   {"format": "labelmap-output", "format_version": 1, "written_by": "merge",
//    "files": ["coverage.csv", "label_sets.csv", "labelmap.json", "labels.csv", "lut/coco.csv"]}
import { randomHex } from './crypto.js';
import { closeSync, existsSync, lstatSync, mkdirSync, openSync, readdirSync, readFileSync, realpathSync, statSync, unlinkSync, writeSync, type Stats } from 'node:fs';
import { hostname } from 'node:os';
import path from 'node:path';
import { LabelmapError } from '../findings.js';
import { isRunning, writeFileAtomic } from './write.js';
import { isWithin, realOrSelf } from './repository.js';

export { isWithin, refuseSheetOutsideRepository, repositoryRoot } from './repository.js';

export const OUTPUT_MARKER = '.labelmap-output';
/** writeFileAtomic's temporary files: `.<name>.tmp-<pid>-<8 hex>`. */
const TEMP_NAME_RE = /^\..+\.tmp-\d+-[0-9a-f]{8}$/;
const MARKER_MAX_BYTES = 1024 * 1024;

/**
 * The real path of `p` (links resolved), also when `p` does not exist yet: the real path of its
 * nearest existing ancestor joined with the rest. Where the write will really land.
 */
export function realTarget(p: string): string {
  const abs = path.resolve(p);
  const rest: string[] = [];
  let at = abs;
  for (;;) {
    try {
      return path.join(realpathSync(at), ...rest.reverse());
    } catch {
      const parent = path.dirname(at);
      if (parent === at) return abs;
      rest.push(path.basename(at));
      at = parent;
    }
  }
}

/**
 * Refuses an output at `target` that is in the sheets folder `sheetsDir`, as written or by its
 * real path (a `build` that is a link to `sheets/`, a `lut/` that is a link into `sheets/datasets`).
 */
export function refuseInsideSheets(target: string, sheetsDir: string, shown: string, sheetsShown: string, what: 'folder' | 'file' = 'folder'): void {
  if (isInsideSheets(target, sheetsDir)) throw new LabelmapError('output-in-sheets', { file: shown }, { sheets: sheetsShown, what });
}

/** Whether `target` is in the sheets folder, as written or through symbolic links. */
export function isInsideSheets(target: string, sheetsDir: string): boolean {
  return isWithin(path.resolve(target), path.resolve(sheetsDir)) || isWithin(realTarget(target), realOrSelf(sheetsDir));
}

function lstatOrNull(p: string): Stats | null {
  try {
    return lstatSync(p);
  } catch {
    return null;
  }
}

/**
 * Refuses to write `rel` (a '/'-separated path inside the output folder `root`) when a folder on
 * the way is a symbolic link (or no folder): the write would land wherever the link points.
 * Folders that do not exist yet are fine: labelmap creates them. `checked` caches folders seen.
 */
export function refuseLinkedFolders(root: string, rel: string, shownRoot: string, checked?: Set<string>): void {
  const parts = rel.split('/').slice(0, -1);
  let at = root;
  let shown = shownRoot;
  for (const part of parts) {
    at = path.join(at, part);
    shown = `${shown}/${part}`;
    if (checked?.has(at)) continue;
    const stats = lstatOrNull(at);
    if (stats === null) return;
    if (stats.isSymbolicLink()) throw new LabelmapError('output-symlink', { file: shown }, {});
    if (!stats.isDirectory()) throw new LabelmapError('output-not-folder', { file: shown });
    checked?.add(at);
  }
}

/**
 * The guard before writing one output file (export --out, report --out): not in the sheets folder
 * (by real path), not over a symbolic link (the link is neither followed nor silently replaced).
 */
export function refuseOutputFile(file: string, sheetsDir: string, shown: string, sheetsShown: string): void {
  refuseInsideSheets(file, sheetsDir, shown, sheetsShown, 'file');
  if (lstatOrNull(file)?.isSymbolicLink()) throw new LabelmapError('output-symlink', { file: shown }, { what: 'file' });
}

export interface OutputFolderOptions {
  /** The sheets folder: no output lands inside it (none given: the library, which knows no sheets folder). */
  sheetsDir?: string;
  /** How the sheets folder is shown in messages. */
  sheetsShown?: string;
  /** How the output folder is shown in messages. */
  shown: string;
  /** The command that writes (the marker says so). */
  writtenBy: string;
  /**
   * A folder written by a labelmap from before the marker: true when every entry is one this
   * command writes (it is then taken over, and nothing in it is removed on this run).
   */
  recognise?: (dir: string, names: string[]) => boolean;
  /** The files this run is about to write: the marker lists them (with the earlier ones) before they are written. */
  writing?: readonly string[];
}

export interface OutputFolder {
  dir: string;
  /** The files the marker listed (what an earlier run wrote), '/'-separated. */
  previous: string[];
}

/**
 * Opens an output folder for writing: creates it, or checks that labelmap may write into it (it
 * holds the marker, is empty, or `recognise` takes it), then writes the marker with `previous`
 * (so that a run killed before its end still leaves a folder labelmap knows as its own).
 */
export function openOutputFolder(dir: string, options: OutputFolderOptions): OutputFolder {
  if (options.sheetsDir !== undefined) refuseInsideSheets(dir, options.sheetsDir, options.shown, options.sheetsShown ?? options.sheetsDir);
  let stats: Stats | null = null;
  try {
    stats = statSync(dir);
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (code !== 'ENOENT') throw new LabelmapError('output-unwritable', { file: options.shown }, { found: code ?? String(error) });
  }
  if (stats !== null && !stats.isDirectory()) throw new LabelmapError('output-not-folder', { file: options.shown });
  let previous: string[] = [];
  if (stats === null) {
    try {
      mkdirSync(dir, { recursive: true });
    } catch (error) {
      throw new LabelmapError('output-unwritable', { file: options.shown }, { found: (error as NodeJS.ErrnoException).code ?? String(error) });
    }
  } else {
    const names = readdirSync(dir);
    const marker = path.join(dir, OUTPUT_MARKER);
    if (names.includes(OUTPUT_MARKER)) previous = readMarker(marker, options.shown);
    else if (!holdsNoFiles(dir, names) && !options.recognise?.(dir, names)) {
      throw new LabelmapError('output-not-ours', { file: options.shown }, { file: options.shown, what: 'folder', fix: `pass a new or empty folder with --out (labelmap writes only into folders it made: they hold ${OUTPUT_MARKER}), or remove this one yourself` });
    }
  }
  // A folder on the way that is a link (a lut/ into sheets/datasets) is refused before anything is written.
  const checked = new Set<string>();
  for (const rel of options.writing ?? []) refuseLinkedFolders(dir, rel, options.shown, checked);
  // Before any output: a run killed half-way still leaves a folder labelmap knows, listing every
  // file it may have written.
  writeMarker(dir, options.writtenBy, [...previous, ...(options.writing ?? [])]);
  return { dir, previous };
}

/**
 * Whether a folder holds nothing to lose: no entries, or only real folders that hold none
 * (`mkdir -p out/lut` before a first run) or are labelmap output folders themselves. A link or
 * any other file is something.
 */
function holdsNoFiles(dir: string, names: string[], depth = 0): boolean {
  if (names.length === 0) return true;
  if (depth >= 4 || names.length > 64) return false;
  return names.every((name) => {
    // A temporary file of a writer: another apply shard that made the folder a moment ago and is
    // writing its marker (nothing is removed on the strength of this: only marked files ever are).
    if (TEMP_NAME_RE.test(name)) return true;
    const sub = path.join(dir, name);
    if (!lstatOrNull(sub)?.isDirectory()) return false;
    // Another labelmap output folder (`out/self-driving` of a merge beside the masks of an apply
    // into `out/`): labelmap's own, and no file in it is this run's to replace or remove.
    if (lstatOrNull(path.join(sub, OUTPUT_MARKER))?.isFile()) return true;
    try {
      return holdsNoFiles(sub, readdirSync(sub), depth + 1);
    } catch {
      return false;
    }
  });
}

/** The files a marker lists; a marker that is not a regular file (a link, a folder) is refused. */
function readMarker(file: string, shown: string): string[] {
  const stats = lstatOrNull(file);
  if (!stats?.isFile() || stats.size > MARKER_MAX_BYTES) {
    throw new LabelmapError('output-not-ours', { file: shown }, { file: shown, what: 'folder', fix: `${OUTPUT_MARKER} there is no file labelmap wrote: remove the folder yourself, or pass another --out` });
  }
  try {
    const parsed = JSON.parse(readFileSync(file, 'utf8')) as { format?: unknown; files?: unknown };
    if (parsed.format !== 'labelmap-output' || !Array.isArray(parsed.files)) return [];
    return parsed.files.filter((f): f is string => typeof f === 'string');
  } catch {
    // A damaged marker still marks the folder; it only lists nothing to remove.
    return [];
  }
}

/** Writes the marker of an output folder, listing `files` (sorted: the same run writes the same bytes). */
export function writeMarker(dir: string, writtenBy: string, files: readonly string[]): void {
  const body = {
    format: 'labelmap-output',
    format_version: 1,
    about: `labelmap ${writtenBy} writes into this folder; it replaces and removes only the files listed here`,
    written_by: writtenBy,
    files: [...new Set(files)].sort(),
  };
  writeFileAtomic(path.join(dir, OUTPUT_MARKER), `${JSON.stringify(body, null, 2)}\n`, { overwrite: true, durable: false });
}

/**
 * Removes the files of an earlier run that this run did not write again: only those the marker
 * listed, only under names `generated` accepts, and only regular files or links (a link is removed,
 * never its target). Returns the files removed.
 */
export function removeEarlierOutputs(dir: string, previous: readonly string[], written: readonly string[], generated: (rel: string) => boolean): string[] {
  const keep = new Set(written);
  const removed: string[] = [];
  const checked = new Set<string>();
  for (const rel of previous) {
    if (keep.has(rel) || !generated(rel) || rel.split('/').some((p) => p === '..' || p === '' || p === '.')) continue;
    try {
      refuseLinkedFolders(dir, rel, dir, checked);
    } catch {
      continue; // a folder on the way is a link: nothing behind it is labelmap's
    }
    const file = path.join(dir, ...rel.split('/'));
    const stats = lstatOrNull(file);
    if (!stats || !(stats.isFile() || stats.isSymbolicLink())) continue;
    unlinkSync(file);
    removed.push(rel);
  }
  return removed;
}

// --- a lock per output folder: concurrent writers take turns -------------------------------------

/** A lock held by a process on another machine (a shared file system) counts as stale after this long. */
const FOREIGN_LOCK_STALE_MS = 10 * 60_000;
const POLL_MS = 50;

interface LockHolder {
  pid: number;
  host: string;
  token: string;
}

/** The lock of output folder `dir`: a file beside it (`.<name>.labelmap-lock`), so the folder itself holds only outputs. */
export function lockFileOf(dir: string): string {
  const abs = path.resolve(dir);
  return path.join(path.dirname(abs), `.${path.basename(abs)}.labelmap-lock`);
}

/**
 * Runs `write` while holding the lock of the output folder `dir`: a second writer of the same
 * folder waits until the first is done (calling `onWait` once), so that the folder always ends as
 * one run wrote it, never half of each. A lock left by a killed process (on this machine: its pid
 * is gone) is taken over.
 */
export function withOutputLock<T>(dir: string, write: () => T, onWait?: (holder: { pid: number; host: string }) => void): T {
  const file = lockFileOf(dir);
  const me: LockHolder = { pid: process.pid, host: hostname(), token: randomHex(8) };
  let waited = false;
  mkdirSync(path.dirname(file), { recursive: true });
  for (;;) {
    let fd: number;
    try {
      fd = openSync(file, 'wx', 0o644);
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
      const holder = readHolder(file);
      if (holder === 'gone') continue;
      if (holder === null || isStale(file, holder)) {
        if (!breakStaleLock(file, holder)) sleep(POLL_MS);
        continue;
      }
      if (!waited) {
        waited = true;
        onWait?.(holder);
      }
      sleep(POLL_MS);
      continue;
    }
    try {
      writeSync(fd, JSON.stringify(me));
    } finally {
      closeSync(fd);
    }
    break;
  }
  try {
    return write();
  } finally {
    const holder = readHolder(file);
    if (holder !== 'gone' && holder !== null && holder.token === me.token) unlinkSync(file);
  }
}

/**
 * Removes a stale lock, as one waiter at a time: several waiters may find the same stale lock, and
 * the one that removes it second would otherwise remove the fresh lock the first has taken by then
 * (both would write). The breaker holds `<lock>.break` (created exclusively), reads the lock again
 * and removes it only if it is still the stale one it judged. A break file older than 5 s was left
 * by a breaker killed in those few lines: it is removed. False: another waiter is breaking it.
 */
export function breakStaleLock(file: string, judged: LockHolder | null): boolean {
  const breaker = `${file}.break`;
  let fd: number;
  try {
    fd = openSync(breaker, 'wx', 0o644);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
    const stats = lstatOrNull(breaker);
    if (stats && Date.now() - stats.mtimeMs > 5000) unlinkQuietly(breaker);
    return false;
  }
  closeSync(fd);
  try {
    const now = readHolder(file);
    if (now === null ? judged === null : now !== 'gone' && judged !== null && now.token === judged.token && isStale(file, now)) unlinkQuietly(file);
  } finally {
    unlinkQuietly(breaker);
  }
  return true;
}

function unlinkQuietly(file: string): void {
  try {
    unlinkSync(file);
  } catch {
    /* gone already */
  }
}

function readHolder(file: string): LockHolder | null | 'gone' {
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'ENOENT' ? 'gone' : null;
  }
  try {
    const parsed = JSON.parse(text) as Partial<LockHolder>;
    if (typeof parsed.pid === 'number' && typeof parsed.host === 'string' && typeof parsed.token === 'string') return parsed as LockHolder;
  } catch {
    // written half by a holder killed between open and write, or being written right now
  }
  // Empty or damaged: stale once it is old enough that no live writer can be between open and write.
  const stats = lstatOrNull(file);
  return stats && Date.now() - stats.mtimeMs < 2000 ? { pid: -1, host: '', token: '' } : null;
}

function isStale(file: string, holder: LockHolder): boolean {
  if (holder.pid === -1) return false;
  if (holder.host !== hostname()) {
    const stats = lstatOrNull(file);
    return stats !== null && Date.now() - stats.mtimeMs > FOREIGN_LOCK_STALE_MS;
  }
  return !isRunning(holder.pid);
}

const sleeper = new Int32Array(new SharedArrayBuffer(4));
function sleep(ms: number): void {
  Atomics.wait(sleeper, 0, 0, ms);
}

// --- writes into the sheets folder, reads of sheets ----------------------------------------------

/**
 * Refuses to write the sheet `file` (in the sheets folder `sheetsDir`) when the folder it lands in
 * leaves the sheets folder by a symbolic link (a `datasets/` that links elsewhere).
 */
export function refuseSheetFolderOutside(sheetsDir: string, file: string, rel: string): void {
  const folder = path.dirname(file);
  if (!existsSync(folder)) return;
  if (!isWithin(realTarget(folder), realOrSelf(sheetsDir))) {
    throw new LabelmapError('sheet-folder-outside', { file: rel }, { folder: path.posix.dirname(rel) });
  }
}

