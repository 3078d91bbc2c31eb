// What every command gets: where the sheets are, how to print, and the global flags.
import { existsSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { formatFinding, LabelmapError, type Finding } from '../findings.js';
import { printableLines } from '../text/index.js';
// io/folders.js, not io/index.js: every command starts here, and the write guard loads crypto and os.
import { isDirectory } from '../io/folders.js';

export interface GlobalOptions {
  sheets?: string;
  json?: boolean;
  quiet?: boolean;
  color?: boolean;
}

export interface SheetsLocation {
  dir: string;
  /**
   * Where the folder came from: `--sheets`, LABELMAP_SHEETS, found from the working folder
   * (`./sheets`, an enclosing sheets folder, or a `sheets/` next to an enclosing folder), or the
   * package's own.
   */
  source: 'flag' | 'env' | 'cwd' | 'embedded';
}

export interface Styles {
  bold(s: string): string;
  dim(s: string): string;
  red(s: string): string;
  yellow(s: string): string;
  green(s: string): string;
  cyan(s: string): string;
}

const plain: Styles = { bold: String, dim: String, red: String, yellow: String, green: String, cyan: String };

/** A stream the program writes to: process.stdout/stderr for the binary, a collector in tests. */
export interface OutputStream {
  write(text: string): unknown;
  isTTY?: boolean;
  columns?: number;
  hasColors?: () => boolean;
}

export interface Context {
  json: boolean;
  quiet: boolean;
  style: Styles;
  cwd: string;
  env: NodeJS.ProcessEnv;
  /** Results: stdout. */
  print(text: string): void;
  /** Diagnostics and progress: stderr, hidden by --quiet. */
  info(text: string): void;
  /** Warnings: stderr, hidden by --quiet. */
  warn(text: string): void;
  /** Errors, and the line that says why the exit status is not 0: stderr, always. */
  error(text: string): void;
  /** What the user must know to read the result (which sheets were used): stderr, always, also with --quiet. */
  notice(text: string): void;
  /** Prints a finding in its one text form (to stderr): an error always, a warning unless --quiet. */
  report(f: Finding): void;
  /** The sheets folder for reading (may be the embedded one, announced once on stderr). */
  sheetsForRead(): SheetsLocation;
  /** The sheets folder for writing; refuses the embedded one. */
  sheetsForWrite(): SheetsLocation;
  /** Where the sheets folder is, without announcing the embedded one (for the format plugins beside it). */
  sheetsLocation(): SheetsLocation;
  /** Whether stderr is a terminal (progress bars). */
  stderrIsTTY: boolean;
  /** Where progress bars are drawn (the program's stderr). */
  stderr: OutputStream;
  /** The terminal's width when stdout is a terminal (tables fit it), else null (whole cells). */
  stdoutColumns: number | null;
}

/** The sheets shipped inside the package (`<package>/sheets`). */
export function embeddedSheetsDir(): string {
  // dist/cli/context.js -> <package>/sheets (and src/cli/context.ts when run with tsx).
  return path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..', 'sheets');
}

/** The four kind folders of a sheets folder. */
const KIND_FOLDERS = ['datasets', 'taxonomy', 'mappings', 'verticals'];

/**
 * Whether a folder is itself a sheets folder: it holds the lock file, or at least two of the four
 * kind folders (one `datasets/` alone is common in any ML repository and says nothing).
 */
export function isSheetsFolder(dir: string): boolean {
  try {
    if (existsSync(path.join(dir, 'labelmap.lock.json'))) return true;
  } catch {
    // no lock file: look at the kind folders
  }
  return KIND_FOLDERS.filter((k) => isDirectory(path.join(dir, k))).length >= 2;
}

/**
 * The sheets folder for a working folder, found as git finds `.git`: from the working folder up to
 * the file-system root, the first folder that is a sheets folder or holds a `sheets/` folder. So
 * `labelmap validate` in `myrepo/sheets/mappings` checks `myrepo/sheets`, never the shipped sheets.
 */
export function findSheetsUpwards(cwd: string): string | null {
  let dir = path.resolve(cwd);
  for (;;) {
    const child = path.join(dir, 'sheets');
    if (isDirectory(child)) return child;
    if (isSheetsFolder(dir)) return dir;
    const parent = path.dirname(dir);
    if (parent === dir) return null;
    dir = parent;
  }
}

export function locateSheets(opts: GlobalOptions, cwd: string, env: NodeJS.ProcessEnv): SheetsLocation {
  if (opts.sheets) return { dir: path.resolve(cwd, opts.sheets), source: 'flag' };
  if (env.LABELMAP_SHEETS) return { dir: path.resolve(cwd, env.LABELMAP_SHEETS), source: 'env' };
  const found = findSheetsUpwards(cwd);
  if (found) return { dir: found, source: 'cwd' };
  return { dir: embeddedSheetsDir(), source: 'embedded' };
}

/**
 * Where outputs (build/) go by default: the working folder, or, when that is the sheets folder or
 * inside it (`myrepo/sheets/mappings`), next to the sheets folder: never into it.
 */
export function outputBase(location: SheetsLocation, cwd: string): string {
  return location.source !== 'embedded' && isInside(cwd, location.dir) ? path.dirname(location.dir) : cwd;
}

/** Whether `target` is the sheets folder or inside it. */
export function isInside(target: string, dir: string): boolean {
  const rel = path.relative(dir, target);
  return rel === '' || (!rel.startsWith('..') && !path.isAbsolute(rel));
}

export function createContext(
  opts: GlobalOptions,
  io: { stdout: OutputStream; stderr: OutputStream },
  style: Styles | null,
  cwd = process.cwd(),
  env = process.env,
): Context {
  const quiet = Boolean(opts.quiet);
  const location = locateSheets(opts, cwd, env);
  let announced = false;
  const s = style ?? plain;
  const ctx: Context = {
    json: Boolean(opts.json),
    quiet,
    style: s,
    cwd,
    env,
    stderrIsTTY: Boolean(io.stderr.isTTY),
    stderr: io.stderr,
    stdoutColumns: io.stdout.isTTY && io.stdout.columns ? io.stdout.columns : null,
    print: (text) => io.stdout.write(text.endsWith('\n') || text === '' ? text : `${text}\n`),
    // Human lines on stderr: whatever data they hold, no control character reaches the terminal.
    info: (text) => {
      if (!quiet) io.stderr.write(`${printableLines(text)}\n`);
    },
    warn: (text) => {
      if (!quiet) io.stderr.write(`${printableLines(text)}\n`);
    },
    error: (text) => io.stderr.write(`${printableLines(text)}\n`),
    notice: (text) => io.stderr.write(`${printableLines(text)}\n`),
    report: (f) => {
      if (f.severity === 'error' || !quiet) io.stderr.write(`${formatFinding(f, s)}\n`);
    },
    sheetsForRead: () => {
      if (location.source !== 'embedded') {
        if (!isDirectory(location.dir)) {
          throw new LabelmapError('sheets-folder-not-found', { file: location.dir }, { found: existsSync(location.dir) ? 'file' : 'nothing' });
        }
      } else if (!announced) {
        announced = true;
        // Never hidden by --quiet: a result computed from other sheets than the user thinks is worse than noise.
        ctx.notice(s.dim(`labelmap: no sheets folder here or above; using the sheets shipped with labelmap (${location.dir})`));
      }
      return location;
    },
    sheetsLocation: () => location,
    sheetsForWrite: () => {
      if (location.source === 'embedded') throw new LabelmapError('sheet-readonly', {}, {});
      return location;
    },
  };
  return ctx;
}
