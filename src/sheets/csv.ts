// Control-sheet CSV: RFC 4180, UTF-8, header row. Read: BOM, CRLF (or CR alone) and blank lines accepted, every
// row keeps its line number. Write: fixed column order, LF, no BOM. Pure: text in, data out.
import type { z } from 'zod';
import { finding, type Finding } from '../findings.js';
import { SHEET_COLUMNS } from './columns.js';
import { checkHeader, checkUnique } from '../rules/cells.js';
import {
  COLUMNS,
  KIND_DIRS,
  IGNORE_TARGET,
  rowSchemaOf,
  SHEET_KINDS,
  SNAKE_CASE_RE,
  COLOR_RE,
  ATTRIBUTE_RULE_WHENS,
  DECIMAL_RE,
  columnOrder,
  isExtraColumn,
  type DatasetClass,
  type RowOf,
  type SheetKind,
} from './schema.js';

import type { ParsedSheet, RawRow, RawTable } from './types.js';

export type { ParsedSheet, RawRow, RawTable } from './types.js';

export { decodeUtf8 } from './utf8.js';

/** Splits CSV text into a header and rows with their line numbers. Never throws. */
export function parseCsvTable(text: string, file: string): { table: RawTable | null; findings: Finding[] } {
  if (text.charCodeAt(0) === 0xfeff) text = text.slice(1);
  if (text.trim() === '') return { table: null, findings: [finding('csv-empty', 'error', { file, line: 1 }, {})] };
  const { rows, error, mayStartFormula } = readRecords(text, file);
  // A header of one cell with another separator in it is a file saved with that separator
  // (also when its quoting then failed to read as CSV: the separator is what to fix first).
  const header = rows[0]?.cells ?? [text.slice(0, text.search(/\r?\n|$/))];
  if (header.length === 1 && !header[0]!.includes(',')) {
    const sep = [';', '\t', '|'].find((c) => header[0]!.includes(c));
    if (sep) return { table: null, findings: [finding('csv-delimiter', 'error', { file, line: 1 }, { found: sep === '\t' ? 'tab' : sep })] };
  }
  if (error) return { table: null, findings: [error] };
  const head = rows.shift();
  if (!head) return { table: null, findings: [finding('csv-empty', 'error', { file, line: 1 }, {})] };
  const table: RawTable = { header: head.cells.map((c) => c.trim()), rows };
  if (!mayStartFormula) table.formulaFree = true;
  return { table, findings: [] };
}

const QUOTE = 0x22;
const COMMA = 0x2c;
const LF = 0x0a;
const CR = 0x0d;

/** Line ends in text[from, to): LF (a CRLF counts once), or CR in a file with no LF at all. */
function lineEndsIn(text: string, from: number, to: number, crOnly: boolean): number {
  const end = crOnly ? '\r' : '\n';
  let n = 0;
  for (let i = text.indexOf(end, from); i !== -1 && i < to; i = text.indexOf(end, i + 1)) n++;
  return n;
}

const UNBALANCED_FIX = 'close the quote at the end of the cell, or double a quote that is part of the text ("")';

/**
 * RFC 4180 records, each with the line it starts on; blank lines skipped, rows of any length.
 * Written by hand because line numbers are the point: csv-parse gives them only with its `info`
 * option, which made reading ten times slower, and it counts a CRLF inside a quoted cell twice.
 * A malformed file is one finding at the place to fix (where an unbalanced quote opens, not
 * where the file ends).
 */
export function readRecords(text: string, file: string, wholeLines = true): { rows: RawRow[]; error?: Finding; mayStartFormula?: boolean } {
  const rows: RawRow[] = [];
  // Whether some cell starts with = + - @ tab or CR (FORMULA_FIRST): only then does cell-formula look.
  let mayStartFormula = false;
  const n = text.length;
  // Lines end in LF or CRLF; a file without any LF ends them in CR (old Mac "CSV"). Elsewhere a
  // lone CR is text.
  const crOnly = !text.includes('\n');
  const isLineEnd = (c: number, at: number) => c === LF || (c === CR && (crOnly || text.charCodeAt(at + 1) === LF));
  let i = 0;
  let line = 1;
  const fail = (place: { line: number; column: number }, reason: string, fix: string) => ({
    rows,
    error: finding('csv-parse', 'error', { file, ...place }, { reason, fix }),
  });
  // The next quote, LF and comma at or after i (-1: none left), each searched again only once i
  // has passed it: a line that ends before the next quote has no quoted cell; the comma and LF
  // also end the unquoted cells of a line with a quote.
  let nextQuote = wholeLines ? text.indexOf('"') : 0;
  let nextLf = wholeLines ? text.indexOf('\n') : 0;
  let nextComma = wholeLines ? text.indexOf(',') : 0;
  while (i < n) {
    const start = line;
    if (wholeLines && !crOnly) {
      // Most lines have no quote: their cells are the line split at commas (native code even in a
      // cold process; the loop below runs in V8's interpreter at start-up), the CR of a CRLF cut.
      if (nextQuote !== -1 && nextQuote < i) nextQuote = text.indexOf('"', i);
      if (nextLf !== -1 && nextLf < i) nextLf = text.indexOf('\n', i);
      const e = nextLf === -1 ? n : nextLf;
      if (nextQuote === -1 || nextQuote > e) {
        const end = e < n && e > i && text.charCodeAt(e - 1) === CR ? e - 1 : e;
        const cells = text.slice(i, end).split(',');
        i = e + 1;
        line++;
        if (cells.length === 1 && cells[0] === '') continue; // a blank line
        if (!mayStartFormula) for (const cell of cells) if (cell !== '' && FORMULA_FIRST[cell.charCodeAt(0)] === 1) mayStartFormula = true;
        rows.push({ line: start, cells });
        continue;
      }
    }
    const cells: string[] = [];
    let quoted = false;
    for (;;) {
      const column = cells.length + 1;
      let cell: string;
      if (text.charCodeAt(i) === QUOTE) {
        quoted = true;
        cell = '';
        let j = i + 1;
        for (;;) {
          const k = text.indexOf('"', j);
          if (k < 0) {
            return fail({ line, column }, 'a quote opens a cell here and is never closed (unbalanced quotes): the rest of the file reads as one cell', UNBALANCED_FIX);
          }
          cell += text.slice(j, k);
          if (text.charCodeAt(k + 1) !== QUOTE) {
            j = k + 1;
            break;
          }
          cell += '"';
          j = k + 2;
        }
        const openLine = line;
        line += lineEndsIn(text, i, j, crOnly);
        i = j;
        if (i < n && text.charCodeAt(i) !== COMMA && !isLineEnd(text.charCodeAt(i), i)) {
          // A cell that ran over lines before its "closing" quote most likely lost its own
          // closing quote: that quote here was meant to open a cell of its own.
          if (openLine < line) {
            return fail(
              { line: openLine, column },
              `a quote opens a cell here and is not closed on its line, so the cell runs on to the next quote, on line ${line} (unbalanced quotes)`,
              UNBALANCED_FIX,
            );
          }
          return fail({ line, column }, 'text after the closing quote of a quoted cell', 'double a quote that is part of the text (""), or move the text inside the quotes');
        }
      } else {
        let k = i;
        let quote = -1;
        if (wholeLines && !crOnly) {
          // The cell ends at the next comma or line end (the CR of a CRLF), found by indexOf.
          if (nextQuote !== -1 && nextQuote < i) nextQuote = text.indexOf('"', i);
          if (nextComma !== -1 && nextComma < i) nextComma = text.indexOf(',', i);
          if (nextLf !== -1 && nextLf < i) nextLf = text.indexOf('\n', i);
          const lf = nextLf === -1 ? n : nextLf > i && text.charCodeAt(nextLf - 1) === CR ? nextLf - 1 : nextLf;
          k = Math.min(nextComma === -1 ? n : nextComma, lf);
          if (nextQuote !== -1 && nextQuote < k) quote = nextQuote;
        } else {
          for (; k < n; k++) {
            const c = text.charCodeAt(k);
            if (c === COMMA || isLineEnd(c, k)) break;
            if (c === QUOTE) {
              quote = k;
              break;
            }
          }
        }
        if (quote >= 0) {
          return fail(
            { line, column },
            `a quote inside a cell that does not start with a quote (${JSON.stringify(text.slice(i, quote + 1))}...)`,
            'quote the whole cell and double the quote inside it, e.g. "12"" pipe" for 12" pipe',
          );
        }
        cell = text.slice(i, k);
        i = k;
      }
      if (!mayStartFormula && cell !== '' && FORMULA_FIRST[cell.charCodeAt(0)] === 1) mayStartFormula = true;
      cells.push(cell);
      if (i >= n) break;
      const c = text.charCodeAt(i);
      i++;
      if (c === COMMA) continue;
      if (c === CR && text.charCodeAt(i) === LF) i++;
      line++;
      break;
    }
    if (cells.length === 1 && cells[0] === '' && !quoted) continue; // a blank line
    rows.push({ line: start, cells });
  }
  return { rows, mayStartFormula };
}

/** First characters that formulaStart (src/text/spreadsheet.ts) looks further at: = + - @ tab CR. */
const FORMULA_FIRST = new Uint8Array(128);
for (const c of '=+-@\t\r') FORMULA_FIRST[c.charCodeAt(0)] = 1;

/**
 * Types every row with the kind's zod schema. A row that does not fit is a `cell-invalid` finding
 * at `file:line:column` naming the column; the row is left out of the result.
 */
export function typeRows<K extends SheetKind>(kind: K, table: RawTable, file: string): { sheet: ParsedSheet<K>; findings: Finding[] } {
  const findings: Finding[] = [];
  const readRow = rowReader(kind, table.header);
  // Dataset sheets keep their x_ columns as `extra` (a repeated column: its last cell, as a record would).
  const extraColumns = kind === 'dataset' ? [...new Set(table.header.filter(isExtraColumn))].map((c) => [c, table.header.lastIndexOf(c)] as const) : null;
  const rows: RowOf[K][] = [];
  const lines: number[] = [];
  const { header } = table;
  for (const { line, cells } of table.rows) {
    if (cells.length > header.length && cells.slice(header.length).some((c) => c.trim() !== '')) {
      findings.push(
        finding('cell-invalid', 'error', { file, line, column: header.length + 1 }, {
          column: '(beyond the header)',
          expected: `${header.length} cells as in the header`,
          found: cells.slice(header.length).join(','),
          fix: 'remove the extra cells or quote the cell that contains a comma',
        }),
      );
      continue;
    }
    const { value, issues } = readRow(cells);
    if (issues) {
      for (const { column, message } of issues) {
        const index = header.lastIndexOf(column);
        const found = index >= 0 ? (cells[index] ?? '') : '';
        findings.push(
          finding('cell-invalid', 'error', { file, line, column: index >= 0 ? header.indexOf(column) + 1 : undefined }, {
            column,
            expected: message.startsWith('Invalid input') ? 'a value' : message,
            found,
            fix: cellFix(kind, column, found),
          }),
        );
      }
      continue;
    }
    if (extraColumns) {
      const extra: Record<string, string> = {};
      for (const [column, index] of extraColumns) extra[column] = cells[index] ?? '';
      (value as unknown as DatasetClass).extra = extra;
    }
    rows.push(value as unknown as RowOf[K]);
    lines.push(line);
  }
  return { sheet: { kind, columns: header, rows, lines, table }, findings };
}

// What each column holds (its cell type) lives in the column table of columns.ts; it drives the fast
// reading of plain cells, the fix of a bad cell, and the JSON Schema patterns (src/validate/json-schema.ts).
import { CELL_TYPES, type CellType } from './columns.js';
export { CELL_TYPES, type CellType };

/** How to fix a cell that does not fit its column, with the corrected value where one is plain. */
export function cellFix(kind: SheetKind, column: string, found: string): string {
  const v = found.trim();
  const type = CELL_TYPES[kind][column];
  if (v === '' && type !== 'color' && type !== 'boolean') return 'fill in the cell';
  switch (type) {
    case 'color': {
      const short = /^#?([0-9a-f])([0-9a-f])([0-9a-f])$/i.exec(v);
      if (short) return `write the colour with six hex digits: ${`#${short[1]}${short[1]}${short[2]}${short[2]}${short[3]}${short[3]}`.toLowerCase()}`;
      const hex = /^(?:0x|#)?([0-9a-f]{6})$/i.exec(v);
      if (hex) return `write it as #${hex[1]!.toLowerCase()}`;
      const rgb = /^\(?\s*(\d{1,3})\s*[,; ]\s*(\d{1,3})\s*[,; ]\s*(\d{1,3})\s*\)?$/.exec(v.replace(/^rgb/i, ''));
      if (rgb && rgb.slice(1).every((c) => Number(c) <= 255)) {
        return `write the colour as hex: #${rgb.slice(1).map((c) => Number(c).toString(16).padStart(2, '0')).join('')}`;
      }
      return 'write # and six hex digits (e.g. #ff8800), or leave the cell empty';
    }
    case 'boolean': {
      const word = ({ yes: 'true', y: 'true', '1': 'true', no: 'false', n: 'false', '0': 'false' } as Record<string, string>)[v.toLowerCase()];
      return word ? `write ${word}` : 'write true or false, or leave the cell empty';
    }
    case 'slug':
    case 'optional-slug':
    case 'target': {
      const slug = v.toLowerCase().replace(/[^a-z0-9]+/g, '_').replace(/^_+|_+$/g, '');
      return /^[a-z]/.test(slug) && slug !== v ? `write ${JSON.stringify(slug)}` : 'use lower-case letters, digits and single underscores, starting with a letter';
    }
    case 'when':
      return `write one of ${ATTRIBUTE_RULE_WHENS.join(', ')}`;
    case 'decimal':
      return /^\d+,\d+$/.test(v) ? `write ${v.replace(',', '.')} (a point, not a comma)` : 'write a number of 0 or more (e.g. 0.25), or leave the cell empty';
    case 'text':
    case 'required-text':
    case undefined:
      return '';
    default:
      if (/^-?\d+[.,]\d+$/.test(v) || /^\d+$/.test(v.replace(/^["']|["']$/g, ''))) return 'write a whole number without quotes or decimals';
      return 'write a whole number (digits only)';
  }
}

/** A fast reading of the plain, common form of a cell, or SLOW to ask the zod cell schema. */
const SLOW = Symbol('slow');
type FastCell = (text: string | undefined) => unknown;

const INT_RE = /^-?\d{1,15}$/;
const NAT_RE = /^\d{1,15}$/;
const asInteger: FastCell = (v) => (v !== undefined && INT_RE.test(v) ? Number(v) : SLOW);
const asNatural: FastCell = (v) => (v !== undefined && NAT_RE.test(v) ? Number(v) : SLOW);
const asSlug: FastCell = (v) => (v !== undefined && SNAKE_CASE_RE.test(v) ? v : SLOW);

/**
 * The common, already-clean form of each cell type (`12`, `true`, `#ff8800`, `traffic_light`)
 * read without zod; anything else (spaces to trim, upper case, errors) goes to the zod cell
 * schema. zod took most of the time of reading a sheet (about 5 µs a row).
 * tests/validate/file-rules.test.ts holds rowParser against `rowSchemaOf(kind).safeParse`.
 */
const FAST_BOOLEAN: FastCell = (v) => (v === 'true' || v === 'TRUE' ? true : v === 'false' || v === 'FALSE' ? false : v === '' ? null : SLOW);
const FAST_CELLS: Record<CellType, FastCell> = {
  integer: asInteger,
  'optional-integer': (v) => (v === '' ? null : asInteger(v)),
  id: asNatural,
  count: (v) => (v === '' ? null : asNatural(v)),
  'train-id': (v) => (v === '' ? null : v !== undefined && /^\d{1,4}$/.test(v) ? Number(v) : SLOW),
  text: (v) => (v === undefined ? SLOW : v),
  'required-text': (v) => (v !== undefined && v !== '' && v.trim() === v ? v : SLOW),
  color: (v) => (v === '' || (v !== undefined && COLOR_RE.test(v)) ? v : SLOW),
  // Excel writes booleans as TRUE and FALSE.
  boolean: FAST_BOOLEAN,
  slug: asSlug,
  'optional-slug': (v) => (v === '' ? '' : asSlug(v)),
  target: (v) => (v === IGNORE_TARGET ? v : asSlug(v)),
  when: (v) => (v !== undefined && (ATTRIBUTE_RULE_WHENS as readonly string[]).includes(v) ? v : SLOW),
  decimal: (v) => (v === '' ? null : v !== undefined && DECIMAL_RE.test(v) ? Number(v) : SLOW),
};

/**
 * `rowSchemaOf(kind).safeParse(raw)`, cell by cell: the plain form of a cell is read directly
 * (FAST_CELLS), any other text is parsed by its zod cell schema. The same as parsing the row
 * because the row schemas are plain objects of cell schemas, with no rule across cells.
 */
export function rowParser<K extends SheetKind>(kind: K): (raw: Record<string, string>) => { value: Record<string, unknown>; issues: { column: string; message: string }[] } {
  return (raw) => {
    const { value, issues } = rowReader(kind, Object.keys(raw))(Object.values(raw));
    return { value, issues: issues ?? [] };
  };
}

/**
 * rowParser over the cells of a row as they come (the header's order), without a record per row:
 * a schema column reads the cell of its last place in the header ('' past the row's end), a
 * column the header lacks is undefined. `issues` is null when the row is valid.
 */
function rowReader(kind: SheetKind, header: readonly string[]): (cells: readonly string[]) => { value: Record<string, unknown>; issues: { column: string; message: string }[] | null } {
  // The row schema's columns, in its order; the schema itself only for a cell the fast path cannot read.
  const columns = (SHEET_COLUMNS[kind] as readonly { name: string }[]).map((c) => c.name);
  let shape: Record<string, z.ZodType> | undefined;
  const fast = columns.map((column) => {
    const type = CELL_TYPES[kind][column];
    return type ? FAST_CELLS[type] : undefined;
  });
  const place = columns.map((column) => header.lastIndexOf(column));
  const optional = columns.map((column) => (COLUMNS[kind].optional as readonly string[]).includes(column));
  return (cells) => {
    const value: Record<string, unknown> = {};
    let issues: { column: string; message: string }[] | null = null;
    for (let i = 0; i < columns.length; i++) {
      const at = place[i]!;
      const text = at < 0 ? undefined : (cells[at] ?? '');
      // An optional column absent from the header is absent from the row.
      if (text === undefined && optional[i]) continue;
      const read = fast[i];
      const quick = read ? read(text) : SLOW;
      if (quick !== SLOW) {
        if (quick !== undefined) value[columns[i]!] = quick;
        continue;
      }
      shape ??= rowSchemaOf(kind).shape as unknown as Record<string, z.ZodType>;
      const result = shape[columns[i]!]!.safeParse(text);
      if (!result.success) for (const issue of result.error.issues) (issues ??= []).push({ column: columns[i]!, message: issue.message });
      else if (result.data !== undefined) value[columns[i]!] = result.data;
    }
    return { value, issues };
  };
}

/** Parses and types a whole sheet. Returns findings instead of throwing. */
export function parseSheetText<K extends SheetKind>(
  kind: K,
  text: string,
  file: string,
): { sheet: ParsedSheet<K> | null; findings: Finding[] } {
  const { table, findings } = parseCsvTable(text, file);
  if (!table) return { sheet: null, findings };
  const headerFindings = checkHeader(kind, table.header, file);
  if (headerFindings.some((f) => f.code !== 'header-unknown-column')) return { sheet: null, findings: headerFindings };
  const typed = typeRows(kind, table, file);
  return { sheet: typed.sheet, findings: [...headerFindings, ...typed.findings, ...checkUnique(typed.sheet, file)] };
}

// --- writing -------------------------------------------------------------------------------------

function cellText(value: unknown): string {
  if (value === null || value === undefined) return '';
  if (typeof value === 'boolean') return value ? 'true' : 'false';
  return String(value);
}

/** Rows of a kind as plain column -> text records (dataset `extra` flattened into x_ columns). */
export function rowRecords<K extends SheetKind>(kind: K, rows: readonly RowOf[K][]): Record<string, string>[] {
  return rows.map((row) => {
    const out: Record<string, string> = {};
    for (const [k, v] of Object.entries(row as unknown as Record<string, unknown>)) {
      if (k === 'extra' && kind === 'dataset') Object.assign(out, v as Record<string, string>);
      else if (v !== undefined) out[k] = cellText(v);
    }
    return out;
  });
}

/** Formats a sheet as CSV in the kind's fixed column order, LF line ends. Deterministic. */
export function formatSheet<K extends SheetKind>(kind: K, rows: readonly RowOf[K][], extraColumns: string[] = []): string {
  const records = rowRecords(kind, rows);
  const present = new Set<string>(extraColumns);
  for (const r of records) for (const k of Object.keys(r)) present.add(k);
  const columns = columnOrder(kind, present);
  return formatTable(columns, records);
}

/** Any table as CSV with a header, LF line ends. */
export function formatTable(columns: readonly string[], records: readonly Record<string, string | number | boolean | null | undefined>[]): string {
  return formatCsvRows(
    columns,
    records.map((r) => columns.map((c) => r[c])),
  );
}

/** Rows of cells (in the columns' order) as CSV with a header, LF line ends; each cell through cellText. */
export function formatCsvRows(columns: readonly string[], rows: readonly (readonly (string | number | boolean | null | undefined)[])[]): string {
  const lines: string[] = [columns.map(quoteCsvCell).join(',')];
  for (const row of rows) {
    let line = '';
    for (let i = 0; i < columns.length; i++) line += (i === 0 ? '' : ',') + quoteCsvCell(cellText(row[i]));
    lines.push(line);
  }
  return `${lines.join('\n')}\n`;
}

// What csv-stringify 6 writes with { record_delimiter: '\n', quoted_match: [/^[\s]|[\s]$/, /\r/] }
// (tests/sheets/csv-format.test.ts holds the two equal): a cell with a quote, a comma, a LF or a CR,
// or with white space at either end, is quoted, its quotes doubled; an empty cell is not quoted.
// labelmap wrote a CR inside a cell unquoted before (csv-stringify's default): its own reader took it
// as text, but RFC 4180, Python's csv module and spreadsheets read a bare CR as a line break.
// Written by hand: csv-stringify's per-cell option handling was ~12% of a 100-dataset merge, and it
// no longer loads at all.
const NEEDS_QUOTES = /[",\n\r]|^\s|\s$/;

/** One CSV cell as labelmap writes it (see NEEDS_QUOTES). */
export function quoteCsvCell(text: string): string {
  return NEEDS_QUOTES.test(text) ? `"${text.replaceAll('"', '""')}"` : text;
}
