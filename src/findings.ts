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

  // --- large JSON inputs (formats/json-scan.ts) and COCO (formats/coco.ts) -----------------------
  'json-empty': {
    message: () => 'the file is empty: expected a JSON value',
    fix: () => 'check that the download or export finished',
  },
  'json-malformed': {
    message: (a) => `malformed JSON at byte ${s(a.offset)}: expected ${s(a.expected)}, found ${s(a.found)}`,
    fix: () => 'the file is damaged or was edited by hand: re-export or re-download it, or fix the JSON at that place',
  },
  'json-truncated': {
    message: (a) => `the file ends at byte ${s(a.offset)} inside ${s(a.inside)} (${s(a.open)} bracket${a.open === 1 ? '' : 's'} still open): it is truncated`,
    fix: () => 're-download or re-export the file (an interrupted download or a full disk cuts JSON files short)',
  },
  'json-value-too-long': {
    message: (a) => `the value starting at byte ${s(a.offset)} is longer than ${s(a.limit)}, more than labelmap reads whole`,
    fix: () => 'this value should be small (a key, an id, one category): check that the file is the one you meant',
  },
  'coco-not-json': {
    message: (a) => `not JSON: the file starts with ${s(a.found)}; expected a COCO annotation JSON file`,
    fix: () => 'pass the annotation .json file (e.g. annotations/instances_val2017.json), not an image, archive or HTML page',
  },
  'coco-no-categories': {
    message: (a) => `no categories array found: this looks like ${s(a.looks)}; expected a COCO annotation file with a top-level categories array`,
    fix: () => 'pass a COCO annotation file (instances_*.json, panoptic_*.json, stuff_*.json) or a JSON array of categories',
  },
  'coco-category-field': {
    message: (a) => `category ${s(a.field)}: expected ${s(a.expected)}, found ${s(a.found)}`,
    fix: (a) => s(a.fix) || 'each category is {"id": <integer>, "name": "<text>", "supercategory": "<text>"}',
  },
  'coco-duplicate-category': {
    message: (a) => `duplicate category ${s(a.field)} ${q(a.value)} (first at ${s(a.first)})`,
    fix: () => 'every category needs its own id and name: remove or renumber the duplicate',
  },
  'coco-annotation-field': {
    message: (a) => `annotation ${s(a.field)}: expected ${s(a.expected)}, found ${s(a.found)}`,
    fix: (a) => s(a.fix) || 'every annotation needs an integer category_id (panoptic: segments_info[].category_id) and an image_id',
  },
  'coco-duplicate-key': {
    message: (a) => `the top-level key ${q(a.key)} appears twice (its values start near bytes ${s(a.first)} and ${s(a.second)})`,
    fix: () => 'keep one of the two; JSON readers disagree on which one wins',
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
