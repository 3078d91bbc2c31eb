// Where a sheet really is: inside the repository of its sheets folder, or behind a link that
// leaves it. Its own module (node:fs and node:path only): `labelmap list` checks every sheet it
// counts, and the write guard (guard.ts, which re-exports these) loads crypto and os for its locks.
import { existsSync, realpathSync } from 'node:fs';
import path from 'node:path';
import { LabelmapError } from '../findings.js';

/** Whether `target` is `dir` or inside it (both absolute, compared as written). */
export function isWithin(target: string, dir: string): boolean {
  const rel = path.relative(dir, target);
  return rel === '' || (!rel.startsWith('..') && !path.isAbsolute(rel));
}

/** The real path of `p`, or `p` resolved when it has none (it does not exist). */
export function realOrSelf(p: string): string {
  try {
    return realpathSync.native(p);
  } catch {
    return path.resolve(p);
  }
}

/** Repository root by sheets folder: by its real path, and as callers gave it. */
const repositoryOf = new Map<string, string>();

/**
 * The repository a sheets folder belongs to, by real path: the enclosing git work tree (the folder
 * that holds `.git`), else the sheets folder itself.
 */
export function repositoryRoot(sheetsDir: string): string {
  // Asked once per sheet read (205 sheets: 205 real paths of one folder, each an lstat per path
  // component): the folder as given (made absolute) is looked up first.
  const key = path.resolve(sheetsDir);
  const given = repositoryOf.get(key);
  if (given !== undefined) return given;
  const real = realOrSelf(sheetsDir);
  const cached = repositoryOf.get(real);
  if (cached !== undefined) {
    repositoryOf.set(key, cached);
    return cached;
  }
  let root = real;
  for (let at = real; ; ) {
    if (existsSync(path.join(at, '.git'))) {
      root = at;
      break;
    }
    const parent = path.dirname(at);
    if (parent === at) break;
    at = parent;
  }
  repositoryOf.set(real, root);
  repositoryOf.set(key, root);
  return root;
}

/**
 * Refuses to read a sheet (`file`, `rel` inside the sheets folder) that is, or lies behind, a
 * symbolic link to a place outside the repository. The finding names the sheet, never the target.
 * A link that resolves to nothing is left to the reader (it says ENOENT or ELOOP).
 */
export function refuseSheetOutsideRepository(file: string, rel: string): void {
  const sheetsDir = sheetsDirOf(file, rel);
  let real: string;
  try {
    // The C library's realpath: one call, not an lstat per path component in JavaScript (every
    // sheet read asks; same answer on Linux and macOS).
    real = realpathSync.native(file);
  } catch {
    return;
  }
  if (!isWithin(real, repositoryRoot(sheetsDir))) throw new LabelmapError('sheet-outside-repository', { file: rel }, {});
}

/** The sheets folder of a listed sheet: `file` without its `rel` (`/r/sheets/datasets/a@1.0.0.csv` - `datasets/a@1.0.0.csv`). */
function sheetsDirOf(file: string, rel: string): string {
  let dir = file;
  for (let i = 0; i < rel.split('/').length; i++) dir = path.dirname(dir);
  return dir;
}
