// What every command gets: where the sheets are, how to print, and the global flags.
import { statSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { formatFinding, LabelmapError, type Finding } from '../findings.js';

export interface GlobalOptions {
  sheets?: string;
  json?: boolean;
  quiet?: boolean;
  color?: boolean;
}

export interface SheetsLocation {
  dir: string;
  /** Where the folder came from: `--sheets`, LABELMAP_SHEETS, ./sheets, or the package's own. */
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

export interface Context {
  json: boolean;
  quiet: boolean;
  style: Styles;
  cwd: string;
  env: NodeJS.ProcessEnv;
  /** Results: stdout. */
  print(text: string): void;
  /** Diagnostics: stderr, suppressed by --quiet. */
  info(text: string): void;
  /** Warnings and findings: stderr, always. */
  warn(text: string): void;
  /** Prints a finding in its one text form (to stderr). */
  report(f: Finding): void;
  /** The sheets folder for reading (may be the embedded one, announced once on stderr). */
  sheetsForRead(): SheetsLocation;
  /** The sheets folder for writing; refuses the embedded one. */
  sheetsForWrite(): SheetsLocation;
  /** Whether stderr is a terminal (progress bars). */
  stderrIsTTY: boolean;
  /** The terminal's width when stdout is a terminal (tables fit it), else null (whole cells). */
  stdoutColumns: number | null;
}

/** The sheets shipped inside the package (`<package>/sheets`). */
export function embeddedSheetsDir(): string {
  // dist/cli/context.js -> <package>/sheets (and src/cli/context.ts when run with tsx).
  return path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..', 'sheets');
}

function isDir(p: string): boolean {
  try {
    return statSync(p).isDirectory();
  } catch {
    return false;
  }
}

/** A finding's text with its `severity code:` in red (error) or yellow (warning). */
export function colourFinding(style: Styles, f: Finding, text: string): string {
  const colour = f.severity === 'error' ? style.red : style.yellow;
  return text.replace(/ (error|warning) ([a-z0-9-]+):/, (m) => colour(m));
}

export function locateSheets(opts: GlobalOptions, cwd: string, env: NodeJS.ProcessEnv): SheetsLocation {
  if (opts.sheets) return { dir: path.resolve(cwd, opts.sheets), source: 'flag' };
  if (env.LABELMAP_SHEETS) return { dir: path.resolve(cwd, env.LABELMAP_SHEETS), source: 'env' };
  const local = path.resolve(cwd, 'sheets');
  if (isDir(local)) return { dir: local, source: 'cwd' };
  return { dir: embeddedSheetsDir(), source: 'embedded' };
}

export function createContext(
  opts: GlobalOptions,
  io: { stdout: NodeJS.WritableStream & { isTTY?: boolean; columns?: number }; stderr: NodeJS.WritableStream & { isTTY?: boolean } },
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
    stdoutColumns: io.stdout.isTTY && io.stdout.columns ? io.stdout.columns : null,
    print: (text) => io.stdout.write(text.endsWith('\n') || text === '' ? text : `${text}\n`),
    info: (text) => {
      if (!quiet) io.stderr.write(`${text}\n`);
    },
    warn: (text) => io.stderr.write(`${text}\n`),
    report: (f) => io.stderr.write(`${colourFinding(s, f, formatFinding(f))}\n`),
    sheetsForRead: () => {
      if (location.source !== 'embedded') {
        if (!isDir(location.dir)) {
          throw new LabelmapError('file-not-found', { file: location.dir }, {
            what: 'sheets folder',
            fix: 'pass an existing folder with --sheets, or start one with `labelmap init`',
          });
        }
      } else if (!announced) {
        announced = true;
        ctx.info(s.dim(`labelmap: no ./sheets folder here; using the sheets shipped with labelmap (${location.dir})`));
      }
      return location;
    },
    sheetsForWrite: () => {
      if (location.source === 'embedded') throw new LabelmapError('sheet-readonly', {}, {});
      return location;
    },
  };
  return ctx;
}
