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

  // --- Cityscapes, Mapillary Vistas, ApolloScape extractors (formats/python-labels, cityscapes,
  // mapillary, apolloscape, polygon-folders) ----------------------------------------------------
  'python-labels-encoding': {
    message: (a) => `the label file is not valid UTF-8 (byte 0x${s(a.byte)} at offset ${s(a.offset)})`,
    fix: () => 'save the file as UTF-8 (e.g. `iconv -f GBK -t UTF-8 labels.py > labels-utf8.py`)',
  },
  'python-labels-syntax': {
    message: (a) => `a label row does not parse: expected ${s(a.expected)}, found ${s(a.found)}`,
    fix: () =>
      'write every row as Label(value, value, ...) with literal values only: quoted strings, numbers, True/False/None and (r, g, b) tuples (labelmap reads the file as text and never runs it)',
  },
  'python-labels-none': {
    message: (a) => `no ${s(a.tuple)}(...) rows in the file (found ${s(a.found)})`,
    fix: () => "pass the label definition itself, the file with `labels = [ Label( 'unlabeled', 0, ... ), ... ]`",
  },
  'python-labels-layout': {
    message: (a) => `the file has no namedtuple field list, and its rows have ${s(a.found)} values, which is no layout labelmap knows (${s(a.known)})`,
    fix: (a) => `add the field list above the rows, e.g. ${s(a.tuple) || 'Label'} = namedtuple( 'Label' , [ 'name', 'id', 'trainId', ... ] )`,
  },
  'python-labels-arity': {
    message: (a) => `the row has ${s(a.found)} values where ${s(a.source)} has ${s(a.expected)} (${s(a.fields)})`,
    fix: () => 'give the row one value per field, in the order of the field list',
  },
  'python-labels-value': {
    message: (a) => `field ${q(a.field)}: expected ${s(a.expected)}, found ${s(a.found)}`,
    fix: () => 'correct the value in that row',
  },
  'python-labels-field-missing': {
    message: (a) => `the field list has no ${q(a.field)} field (fields: ${s(a.fields)})`,
    fix: () => "a label table needs at least the fields 'name' and 'id'",
  },
  'labels-duplicate': {
    message: (a) => `duplicate ${s(a.key)} ${q(a.value)}: ${q(a.name)} repeats the ${s(a.key)} of ${q(a.other)} (${s(a.firstPlace)})`,
    fix: (a) => (a.key === 'id' ? 'give every label its own id, or remove the repeated row' : 'every label name must be unique: rename or remove one of the two'),
  },
  'label-json-invalid': {
    message: (a) => `not valid JSON: ${s(a.reason)}`,
    fix: () => 'the file is damaged or cut short: download or extract it again',
  },
  'label-json-shape': {
    message: (a) => `expected ${s(a.expected)}, found ${s(a.found)}`,
    fix: (a) => s(a.fix) || 'is this the right file?',
  },
  'unknown-label': {
    message: (a) =>
      `unknown label ${q(a.label)}: it is not in ${s(a.source)}${a.more ? ` (also unknown: ${s(a.more)})` : ''}`,
    fix: (a) => `pass the label table the annotations were made with (${s(a.flag) || '--labels <file or sheet>'}), or correct the label in the file`,
  },
  'polygons-none': {
    message: (a) => `no ${s(a.pattern)} files under the folder`,
    fix: (a) => s(a.fix),
  },
  'label-file-kind': {
    message: (a) => `this is ${s(a.found)}, not ${s(a.expected)}`,
    fix: (a) => `run \`labelmap extract ${s(a.format)} <file>\` instead`,
  },
  'labels-source-missing': {
    message: (a) => `ids come from a label table, and none was given (${s(a.what)})`,
    fix: (a) => `pass --labels ${s(a.example)}`,
  },
  'mapillary-no-labels': {
    message: (a) => `the config has no "labels" array (found ${s(a.found)})`,
    fix: () => 'pass the Vistas config.json (config_v1.2.json, config_v2.0.json) whose "labels" lists every class',
  },
  'mapillary-label-no-name': {
    message: (a) => `label ${s(a.index)} has no "name" (found ${s(a.found)})`,
    fix: () => 'every label needs a "name" such as "construction--flat--road"',
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
