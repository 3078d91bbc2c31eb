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
    fix: (a) => `save it as UTF-8 ("CSV UTF-8" in a spreadsheet, or \`iconv -f ${s(a.from) || 'WINDOWS-1252'} -t UTF-8\`)`,
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
    fix: (a) => s(a.fix) || 'remove the leading character or reword the cell; labelmap never needs formulas',
  },
  'duplicate-id': {
    message: (a) => `duplicate ${s(a.column) || 'id'} ${q(a.value)} (first on line ${s(a.firstLine)})`,
    fix: () => 'every id must be unique within a sheet',
  },
  'duplicate-name': {
    message: (a) => `duplicate ${s(a.column) || 'name'} ${q(a.value)} (first on line ${s(a.firstLine)})`,
    fix: () => 'every name must be unique within a sheet',
  },

  // --- validate (issue 9): file layout, cross-version and cross-sheet rules, init --------------
  'header-wrong-kind': {
    message: (a) => `the header is that of a ${s(a.found)} sheet, but the file is in ${s(a.dir)}/, the folder of ${s(a.kind)} sheets`,
    fix: (a) => `move the file to ${s(a.foundDir)}/, or give it the header of a ${s(a.kind)} sheet`,
  },
  'sheet-file-misplaced': {
    message: () => 'this CSV file is outside the sheet folders, so no command reads it (expected sheets/<kind>/<name>@<semver>.csv)',
    fix: (a) =>
      a.expected
        ? `move it to ${s(a.expected)}`
        : 'move it into datasets/, taxonomy/, mappings/ or verticals/ (by its kind), or out of the sheets folder',
  },
  'taxonomy-id-reused': {
    message: (a) =>
      `taxonomy id ${s(a.id)} names ${q(a.name)} here, but ${q(a.otherName)} in ${s(a.otherFile)} (line ${s(a.otherLine)}): an id is never reused for another class`,
    fix: (a) =>
      `give ${q(a.name)} a new id (${s(a.nextId)} is free in every version) and leave ${s(a.id)} retired`,
  },
  'mapping-dataset-missing': {
    message: (a) => `a mapping for the dataset ${q(a.name)}, but there is no dataset sheet ${s(a.expected)}`,
    fix: (a) =>
      a.suggestion
        ? `rename the mapping to match the dataset sheet ${q(a.suggestion)}, or add the dataset sheet with \`labelmap extract\``
        : 'add the dataset sheet with `labelmap extract`, or remove the mapping',
  },
  'vertical-train-id-gap': {
    message: (a) =>
      `train ids are not contiguous from 0: ${s(a.missing)} ${String(a.missing).includes('..') || String(a.missing).includes(',') ? 'are' : 'is'} unused (found ${s(a.found)})`,
    fix: () => 'number the output classes 0, 1, 2, ... without gaps (a gap is a model output that is never trained), or leave train_id empty to number them in order',
  },
  'vertical-color-duplicate': {
    message: (a) => `the colour ${s(a.color)} of class ${q(a.class)} is also the colour of class ${q(a.otherClass)} (line ${s(a.otherLine)})`,
    fix: () => 'give every output class its own colour: colour-coded label images and viewers cannot tell them apart',
  },
  'vertical-include-twice': {
    message: (a) => `the taxonomy class ${q(a.include)} is included twice (first on line ${s(a.firstLine)}${a.firstClass !== a.class ? ` for class ${q(a.firstClass)}` : ''})`,
    fix: (a) =>
      a.firstClass !== a.class
        ? `a taxonomy class belongs to one output class: keep the row for ${q(a.firstClass)} or for ${q(a.class)}`
        : 'remove the repeated row',
  },
  'vertical-include-nested': {
    message: (a) =>
      `the taxonomy class ${q(a.include)} is included here and also through its ancestor ${q(a.ancestor)} (line ${s(a.ancestorLine)}), whose row includes its whole subtree`,
    fix: (a) =>
      a.class === a.ancestorClass
        ? 'remove this row: the ancestor row already includes the class'
        : `a taxonomy class should reach one output class: remove one of the two rows, or include the other children of ${q(a.ancestor)} one by one instead of ${q(a.ancestor)}`,
  },
  'init-exists': {
    message: () => 'a sheets folder exists here already: init never overwrites one',
    fix: () => 'run `labelmap init` in an empty folder, or pass another folder: `labelmap init my-labels`',
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
