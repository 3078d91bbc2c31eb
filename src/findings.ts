// Findings are data: a code, a severity, a place and the arguments of the message.
// All wording lives in MESSAGES below; everything else passes findings around.

export type Severity = 'error' | 'warning';

export interface Place {
  file?: string;
  line?: number;
  column?: number;
  /** Byte offset in the file, for large inputs where a line number is not cheap. */
  offset?: number;
  /** JSON path or CSV column name, when that says more than a column number. */
  path?: string;
}

export type Args = Record<string, string | number | boolean | undefined>;

export interface Finding extends Place {
  code: string;
  severity: Severity;
  args: Args;
}

interface Wording {
  /** What is wrong, with what was expected and what was found. */
  message: (a: Args) => string;
  /** How to fix it. */
  fix?: (a: Args) => string;
}

const s = (v: unknown): string => (v === undefined ? '' : String(v));
const q = (v: unknown): string => JSON.stringify(s(v));

/**
 * One table of every finding code and its wording. Codes are stable: tests, `--format json` and
 * CI scripts rely on them. Add a code here, never a string message at the call site.
 */
export const MESSAGES: Record<string, Wording> = {
  // --- generic input and usage errors -------------------------------------------------------
  'file-not-found': {
    message: (a) => `${s(a.what) || 'file'} not found`,
    fix: (a) => s(a.fix) || 'check the path',
  },
  'file-unreadable': {
    message: (a) => `cannot read ${s(a.what) || 'file'}: ${s(a.reason)}`,
  },
  usage: {
    message: (a) => s(a.message),
    fix: (a) => s(a.fix),
  },
  'invalid-input': {
    message: (a) => `${s(a.message)}${a.expected !== undefined ? `: expected ${s(a.expected)}` : ''}${a.found !== undefined ? `, found ${s(a.found)}` : ''}`,
    fix: (a) => s(a.fix),
  },

  // --- sheet files -------------------------------------------------------------------------
  'sheet-file-name': {
    message: (a) => `file name ${q(a.name)} does not follow <name>@<semver>.csv`,
    fix: () => 'rename the file, e.g. coco@1.0.0.csv (lower-case name, semantic version)',
  },
  'sheet-ref-not-found': {
    message: (a) => `no sheet matches ${q(a.ref)}${a.known ? ` (known: ${s(a.known)})` : ''}`,
    fix: () => 'run `labelmap list` to see the sheets and their versions',
  },
  'sheet-ref-ambiguous': {
    message: (a) => `${q(a.ref)} names sheets of several kinds: ${s(a.candidates)}`,
    fix: (a) => `write the kind in front, e.g. ${s(a.example)}`,
  },
  'sheet-exists': {
    message: (a) => `refusing to overwrite the released sheet ${s(a.file)}`,
    fix: () => 'a released version is immutable: write a new version instead (`labelmap bump`)',
  },
  'sheet-readonly': {
    message: () => 'no sheets folder: refusing to write into the sheets shipped inside the labelmap package',
    fix: () => 'start a sheets folder of your own with `labelmap init`, or pass --sheets <dir> (or set LABELMAP_SHEETS)',
  },
  'csv-parse': {
    message: (a) => `malformed CSV: ${s(a.reason)}`,
    fix: (a) => s(a.fix) || 'fix the quoting on that line (a field with a comma, quote or newline must be quoted, quotes doubled)',
  },
  'csv-delimiter': {
    message: (a) => `the file is separated by ${q(a.found)}, not by commas (a spreadsheet saved in a locale that uses ${q(a.found)})`,
    fix: () => 'save it as "CSV UTF-8 (comma delimited)", or replace the separators with commas',
  },
  'csv-encoding': {
    message: (a) => `the file is not valid UTF-8 (byte 0x${s(a.byte)} at offset ${s(a.offset)}${a.guess ? `; it looks like ${s(a.guess)}` : ''})`,
    fix: () => 'save it as UTF-8 ("CSV UTF-8" in a spreadsheet, or `iconv -f WINDOWS-1252 -t UTF-8`)',
  },
  'csv-empty': {
    message: () => 'the file is empty: expected a header row',
    fix: (a) => `start the file with the header ${s(a.header)}`,
  },
  'header-missing-column': {
    message: (a) => `the header has no column ${q(a.column)} (a ${s(a.kind)} sheet needs ${s(a.required)})`,
    fix: (a) => `add the column ${q(a.column)} to the header`,
  },
  'header-unknown-column': {
    message: (a) => `unknown column ${q(a.column)} in a ${s(a.kind)} sheet`,
    fix: (a) => `remove it, or rename it to ${q(`x_${s(a.column)}`)} to keep extra data`,
  },
  'header-duplicate-column': {
    message: (a) => `the column ${q(a.column)} appears twice in the header`,
    fix: () => 'remove one of the two columns',
  },
  'cell-invalid': {
    message: (a) => `column ${q(a.column)}: expected ${s(a.expected)}, found ${q(a.found)}`,
    fix: (a) => s(a.fix),
  },
  'cell-formula': {
    message: (a) => `column ${q(a.column)}: the cell ${q(a.found)} starts with ${q(a.start)}, which a spreadsheet runs as a formula`,
    fix: () => 'remove the leading character, or prefix the cell with a space-free letter; labelmap never needs formulas',
  },
  'duplicate-id': {
    message: (a) => `duplicate ${s(a.column) || 'id'} ${q(a.value)} (first on line ${s(a.firstLine)})`,
    fix: () => 'every id must be unique within a sheet',
  },
  'duplicate-name': {
    message: (a) => `duplicate ${s(a.column) || 'name'} ${q(a.value)} (first on line ${s(a.firstLine)})`,
    fix: () => 'every name must be unique within a sheet',
  },

  // --- versioning: diff, bump, release, the lock (src/versioning, src/cli/commands/{diff,bump,release}) ---
  'lock-sheet-changed': {
    message: (a) =>
      `the released sheet ${s(a.file)} changed after it was locked (${s(a.lock)} records sha256 ${s(a.locked)}..., the file now has ${s(a.found)}...)`,
    fix: (a) =>
      `a released version is immutable: restore it (\`git checkout -- ${s(a.file)}\`), start a new version with \`labelmap bump ${s(a.ref)} <major|minor|patch>\` and make the change there`,
  },
  'lock-sheet-missing': {
    message: (a) => `the released sheet ${s(a.file)} is locked in ${s(a.lock)} but the file is gone`,
    fix: () => 'restore it from git (models trained with it name this version); if the removal is intended, `labelmap release` drops it from the lock',
  },
  'lock-invalid': {
    message: (a) => `the lock file is not valid: ${s(a.reason)}`,
    fix: () => 'restore it from git, or delete it and run `labelmap release` to write it again',
  },
  'bump-too-small': {
    message: (a) =>
      `${s(a.ref)} ${s(a.from)} -> ${s(a.to)} is a ${s(a.actual) === 'none' ? 'no-version-change' : s(a.actual)} step, but its ${s(a.changes)} change(s) demand ${s(a.required)} (e.g. ${s(a.example)})`,
    fix: (a) =>
      `give it the version ${s(a.suggest)}: rename the file to ${s(a.suggestName)} (with \`git mv\`); \`labelmap diff ${s(a.ref)}@${s(a.from)} ${s(a.ref)}@${s(a.to)}\` shows every change`,
  },
  'bump-no-change': {
    message: (a) => `${s(a.ref)} has no change from ${s(a.previous)}`,
    fix: () => 'make the change it was started for, or delete the file if the bump was a mistake',
  },
  'bump-not-latest': {
    message: (a) => `${s(a.ref)} is not the latest version (latest: ${s(a.latest)})`,
    fix: (a) => `start the next version from the latest: \`labelmap bump ${s(a.name)} ${s(a.level)}\``,
  },
  'diff-source-unknown': {
    message: (a) =>
      `${q(a.arg)} is not a sheet file, a sheets folder, a sheet in ${s(a.sheets)}, or a git revision${a.git ? ` (${s(a.git)})` : ''}`,
    fix: () => 'pass a file (sheets/datasets/coco@1.0.0.csv), a folder, a reference (coco@1.0.0, mappings/coco) or a revision (v1, main, HEAD~1)',
  },
  'diff-kind-mismatch': {
    message: (a) => `cannot compare ${s(a.before)} with ${s(a.after)}: ${s(a.reason)}`,
    fix: () => 'compare two sheets of one kind, or two sheet sets (folders or git revisions)',
  },
  'diff-sheet-kind': {
    message: (a) => `cannot tell which kind of sheet ${s(a.file)} is: its header ${q(a.header)} fits none of dataset, taxonomy, mapping, vertical`,
    fix: () => 'put it in a datasets/, taxonomy/, mappings/ or verticals/ folder, or fix its header',
  },
  'git-failed': {
    message: (a) => `git ${s(a.command)} failed: ${s(a.reason)}`,
    fix: (a) => s(a.fix) || 'check that git is installed and that the sheets folder is inside a git repository',
  },
};

export function finding(code: string, severity: Severity, place: Place, args: Args = {}): Finding {
  return { code, severity, ...stripUndefined(place), args };
}

function stripUndefined(place: Place): Place {
  const out: Place = {};
  for (const [k, v] of Object.entries(place)) if (v !== undefined) (out as Record<string, unknown>)[k] = v;
  return out;
}

export function messageOf(f: Finding): string {
  const w = MESSAGES[f.code];
  return w ? w.message(f.args) : `${f.code} ${JSON.stringify(f.args)}`;
}

export function fixOf(f: Finding): string {
  const w = MESSAGES[f.code];
  return (w?.fix?.(f.args) ?? '').trim();
}

/** `file:line:column` (or `file@offset N`, or just `file`). */
export function placeOf(f: Place): string {
  if (!f.file) return '';
  let p = f.file;
  if (f.line !== undefined) {
    p += `:${f.line}`;
    if (f.column !== undefined) p += `:${f.column}`;
  } else if (f.offset !== undefined) {
    p += ` (byte ${f.offset})`;
  }
  if (f.path) p += ` ${f.path}`;
  return p;
}

/** The one text form of a finding: `place: severity code: message` and an indented fix. */
export function formatFinding(f: Finding): string {
  const place = placeOf(f);
  const head = `${place ? `${place}: ` : ''}${f.severity} ${f.code}: ${messageOf(f)}`;
  const fix = fixOf(f);
  return fix ? `${head}\n  fix: ${fix}` : head;
}

/** The stable JSON form of a finding (documented in the README). */
export function findingToJson(f: Finding): Record<string, unknown> {
  return {
    code: f.code,
    severity: f.severity,
    file: f.file ?? null,
    line: f.line ?? null,
    column: f.column ?? null,
    message: messageOf(f),
    fix: fixOf(f) || null,
    args: f.args,
  };
}

/**
 * An error the run cannot go on after: it carries one finding and maps to exit code 2.
 * Thrown by readers and commands; caught in one place (cli/main.ts).
 */
export class LabelmapError extends Error {
  readonly finding: Finding;
  constructor(code: string, place: Place, args: Args = {}) {
    const f = finding(code, 'error', place, args);
    super(formatFinding(f));
    this.name = 'LabelmapError';
    this.finding = f;
  }
}

/** Shorthand for the common case: a message with what was expected and found, and a fix. */
export function inputError(
  place: Place,
  message: string,
  detail: { expected?: string; found?: string; fix?: string } = {},
): LabelmapError {
  return new LabelmapError('invalid-input', place, { message, ...detail });
}

export function usageError(message: string, fix?: string): LabelmapError {
  return new LabelmapError('usage', {}, { message, fix });
}

export const EXIT = { ok: 0, findings: 1, error: 2 } as const;
