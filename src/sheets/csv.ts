// Control-sheet CSV: RFC 4180, UTF-8, header row. Read: BOM, CRLF and blank lines accepted, every
// row keeps its line number. Write: fixed column order, LF, no BOM. Pure: text in, data out.
import { parse } from 'csv-parse/sync';
import { stringify } from 'csv-stringify/sync';
import { finding, type Finding } from '../findings.js';
import {
  COLUMNS,
  KIND_DIRS,
  ROW_SCHEMAS,
  SHEET_KINDS,
  columnOrder,
  isExtraColumn,
  type DatasetClass,
  type RowOf,
  type SheetKind,
} from './schema.js';

export interface RawRow {
  /** 1-based line on which the row starts. */
  line: number;
  cells: string[];
}

export interface RawTable {
  header: string[];
  rows: RawRow[];
}

export interface ParsedSheet<K extends SheetKind = SheetKind> {
  kind: K;
  columns: string[];
  rows: RowOf[K][];
  /** Line of each row, index-aligned with rows. */
  lines: number[];
  /** The raw cells of each row by column name (for rules that look at text, e.g. formulas). */
  raw: Record<string, string>[];
  /** Every row as read, also those that did not type (for rules over the text of every cell). */
  table: RawTable;
}

/**
 * Decodes bytes as strict UTF-8. A file in another encoding is a `csv-encoding` finding at the
 * first offending byte, naming the likely culprit: Windows-1252 (Excel's "CSV" on Windows) or
 * UTF-16 (Excel's "Unicode Text": it starts with FF FE and has a NUL byte beside every letter).
 */
export function decodeUtf8(bytes: Uint8Array, file: string): { text: string; findings: Finding[] } {
  const utf16 = (offset: number) => ({
    text: '',
    findings: [encodingFinding(bytes, offset, file, { guess: 'UTF-16, as Excel saves "Unicode Text"', from: 'UTF-16' })],
  });
  if ((bytes[0] === 0xff && bytes[1] === 0xfe) || (bytes[0] === 0xfe && bytes[1] === 0xff)) return utf16(0);
  let text: string;
  try {
    text = new TextDecoder('utf-8', { fatal: true }).decode(bytes);
  } catch {
    const offset = firstInvalidUtf8(bytes);
    const byte = bytes[offset] ?? 0;
    const char = byte >= 0x80 ? new TextDecoder('windows-1252').decode(bytes.subarray(offset, offset + 1)) : '';
    const guess = char ? `Windows-1252, where it is ${JSON.stringify(char)}, as Excel saves "CSV" on Windows` : undefined;
    return { text: '', findings: [encodingFinding(bytes, offset, file, { guess, from: 'WINDOWS-1252' })] };
  }
  const nul = text.indexOf('\0');
  if (nul >= 0) return utf16(Buffer.byteLength(text.slice(0, nul)));
  return { text, findings: [] };
}

/** The offset of the first byte that does not start or continue a well-formed UTF-8 sequence. */
function firstInvalidUtf8(bytes: Uint8Array): number {
  for (let i = 0; i < bytes.length; ) {
    const b = bytes[i]!;
    const need = b < 0x80 ? 0 : (b & 0xe0) === 0xc0 ? 1 : (b & 0xf0) === 0xe0 ? 2 : (b & 0xf8) === 0xf0 ? 3 : -1;
    let ok = need >= 0 && i + need < bytes.length;
    for (let k = 1; ok && k <= need; k++) ok = ((bytes[i + k] ?? 0) & 0xc0) === 0x80;
    if (!ok) return i;
    i += need + 1;
  }
  // Well-formed byte patterns that are still not UTF-8 (overlong forms, surrogates): point at the start.
  return 0;
}

function encodingFinding(bytes: Uint8Array, offset: number, file: string, args: { guess?: string; from: string }): Finding {
  let line = 1;
  let lineStart = 0;
  for (let i = 0; i < offset; i++) {
    if (bytes[i] === 0x0a) {
      line++;
      lineStart = i + 1;
    }
  }
  // The CSV column (as a spreadsheet counts): commas outside quotes before the byte, on its line.
  let column = 1;
  let inQuotes = false;
  for (let i = lineStart; i < offset; i++) {
    if (bytes[i] === 0x22) inQuotes = !inQuotes;
    else if (bytes[i] === 0x2c && !inQuotes) column++;
  }
  return finding('csv-encoding', 'error', { file, line, column }, {
    byte: (bytes[offset] ?? 0).toString(16).padStart(2, '0'),
    offset,
    ...args,
  });
}

/** Splits CSV text into a header and rows with their line numbers. Never throws. */
export function parseCsvTable(text: string, file: string): { table: RawTable | null; findings: Finding[] } {
  if (text.charCodeAt(0) === 0xfeff) text = text.slice(1);
  const firstLine = text.slice(0, text.search(/\r?\n|$/));
  if (text.trim() === '') return { table: null, findings: [finding('csv-empty', 'error', { file, line: 1 }, {})] };
  if (!firstLine.includes(',')) {
    for (const sep of [';', '\t', '|']) {
      if (firstLine.includes(sep)) {
        return {
          table: null,
          findings: [finding('csv-delimiter', 'error', { file, line: 1 }, { found: sep === '\t' ? 'tab' : sep })],
        };
      }
    }
  }
  let records: { record: string[]; info: { lines: number } }[];
  try {
    records = parse(text, { info: true, relax_column_count: true, skip_empty_lines: true }) as unknown as typeof records;
  } catch (error) {
    return { table: null, findings: [parseErrorFinding(error, text, file)] };
  }
  // info.lines is the line a record ends on, except that csv-parse counts a CRLF inside a quoted
  // cell as two lines (and keeps that extra count for every later record): undo both.
  let overcount = 0;
  const withLines = records.map(({ record, info }) => {
    let inner = 0;
    for (const cell of record) {
      for (let i = cell.indexOf('\n'); i >= 0; i = cell.indexOf('\n', i + 1)) {
        inner++;
        if (cell[i - 1] === '\r') overcount++;
      }
    }
    return { line: info.lines - overcount - inner, cells: record };
  });
  const head = withLines.shift();
  if (!head) return { table: null, findings: [finding('csv-empty', 'error', { file, line: 1 }, {})] };
  return { table: { header: head.cells.map((c) => c.trim()), rows: withLines }, findings: [] };
}

/** A csv-parse error as a finding that says where and what, in a spreadsheet user's words. */
function parseErrorFinding(error: unknown, text: string, file: string): Finding {
  const e = error as { message?: string; lines?: number; code?: string; column?: number | false; field?: string };
  const column = typeof e.column === 'number' ? e.column + 1 : undefined;
  switch (e.code) {
    case 'CSV_QUOTE_NOT_CLOSED': {
      // csv-parse reports the end of the file; the user needs the line where the quote opened.
      const open = quotedCells(text).find((c) => c.closeLine === null);
      return finding('csv-parse', 'error', { file, line: open?.line ?? e.lines, column: open?.column }, {
        reason: 'a quote opens a cell here and is never closed (unbalanced quotes): the rest of the file reads as one cell',
        fix: 'close the quote at the end of the cell, or double a quote that is part of the text ("")',
      });
    }
    case 'INVALID_OPENING_QUOTE':
      return finding('csv-parse', 'error', { file, line: e.lines, column }, {
        reason: `a quote inside a cell that does not start with a quote (${JSON.stringify(`${e.field ?? ''}"`)}...)`,
        fix: 'quote the whole cell and double the quote inside it, e.g. "12"" pipe" for 12" pipe',
      });
    case 'CSV_INVALID_CLOSING_QUOTE': {
      // When the cell that just closed began lines earlier, its opening quote is the unbalanced
      // one: the quote here was meant to open a cell of its own.
      const cell = quotedCells(text).find((c) => c.closeLine === e.lines);
      if (cell && cell.line < (e.lines ?? 0)) {
        return finding('csv-parse', 'error', { file, line: cell.line, column: cell.column }, {
          reason: `a quote opens a cell here and is not closed on its line, so the cell runs on to the next quote, on line ${e.lines} (unbalanced quotes)`,
          fix: 'close the quote at the end of the cell, or double a quote that is part of the text ("")',
        });
      }
      return finding('csv-parse', 'error', { file, line: e.lines, column }, {
        reason: 'text after the closing quote of a quoted cell',
        fix: 'double a quote that is part of the text (""), or move the text inside the quotes',
      });
    }
    default:
      return finding('csv-parse', 'error', { file, line: e.lines, column }, {
        reason: (e.message ?? String(error)).replace(/\s+/g, ' '),
      });
  }
}

interface QuotedCell {
  line: number;
  column: number;
  /** The line of the closing quote, or null when the quote is never closed. */
  closeLine: number | null;
}

/** Every quoted cell with the lines where it opens and closes (RFC 4180 quoting). */
function quotedCells(text: string): QuotedCell[] {
  const cells: QuotedCell[] = [];
  let line = 1;
  let column = 1;
  let open: QuotedCell | null = null;
  let atCellStart = true;
  for (let i = 0; i < text.length; i++) {
    const ch = text[i];
    if (open) {
      if (ch === '"') {
        if (text[i + 1] === '"') i++;
        else {
          open.closeLine = line;
          open = null;
        }
      }
    } else if (ch === '"' && atCellStart) {
      open = { line, column, closeLine: null };
      cells.push(open);
    } else if (ch === ',') {
      column++;
    } else if (ch === '\n') {
      column = 1;
    }
    if (ch === '\n') line++;
    atCellStart = !open && (ch === ',' || ch === '\n' || ch === '\r');
  }
  return cells;
}

/** Checks the header of a sheet against its kind. */
export function checkHeader(kind: SheetKind, header: string[], file: string): Finding[] {
  const spec = COLUMNS[kind];
  const seen = new Set<string>(header);
  if (spec.required.some((c) => !seen.has(c))) {
    // A sheet of another kind in the wrong folder: one finding instead of a column-by-column list.
    const other = SHEET_KINDS.find((k) => k !== kind && COLUMNS[k].required.every((c) => seen.has(c)));
    if (other) {
      return [finding('header-wrong-kind', 'error', { file, line: 1 }, { kind, found: other, dir: KIND_DIRS[kind], foundDir: KIND_DIRS[other] })];
    }
  }
  seen.clear();
  const out: Finding[] = [];
  header.forEach((column, i) => {
    if (seen.has(column)) out.push(finding('header-duplicate-column', 'error', { file, line: 1, column: i + 1 }, { column }));
    seen.add(column);
    if (!spec.required.includes(column) && !spec.optional.includes(column) && !isExtraColumn(column)) {
      out.push(finding('header-unknown-column', 'error', { file, line: 1, column: i + 1 }, { column, kind }));
    }
  });
  for (const column of spec.required) {
    if (!seen.has(column)) {
      out.push(
        finding('header-missing-column', 'error', { file, line: 1 }, { column, kind, required: spec.required.join(',') }),
      );
    }
  }
  return out;
}

/**
 * Types every row with the kind's zod schema. A row that does not fit is a `cell-invalid` finding
 * at `file:line:column` naming the column; the row is left out of the result.
 */
export function typeRows<K extends SheetKind>(kind: K, table: RawTable, file: string): { sheet: ParsedSheet<K>; findings: Finding[] } {
  const findings: Finding[] = [];
  const schema = ROW_SCHEMAS[kind];
  const rows: RowOf[K][] = [];
  const lines: number[] = [];
  const raws: Record<string, string>[] = [];
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
    const raw: Record<string, string> = {};
    header.forEach((column, i) => {
      raw[column] = cells[i] ?? '';
    });
    const result = schema.safeParse(raw);
    if (!result.success) {
      for (const issue of result.error.issues) {
        const column = String(issue.path[0] ?? '');
        const index = header.indexOf(column);
        findings.push(
          finding('cell-invalid', 'error', { file, line, column: index >= 0 ? index + 1 : undefined }, {
            column,
            expected: issue.message.startsWith('Invalid input') ? 'a value' : issue.message,
            found: raw[column] ?? '',
            fix: cellFix(kind, column, raw[column] ?? ''),
          }),
        );
      }
      continue;
    }
    const value = result.data as Record<string, unknown>;
    if (kind === 'dataset') {
      const extra: Record<string, string> = {};
      for (const column of header) if (isExtraColumn(column)) extra[column] = raw[column] ?? '';
      (value as unknown as DatasetClass).extra = extra;
    }
    rows.push(value as unknown as RowOf[K]);
    lines.push(line);
    raws.push(raw);
  }
  return { sheet: { kind, columns: header, rows, lines, raw: raws, table }, findings };
}

const SLUG_COLUMNS: Partial<Record<SheetKind, readonly string[]>> = {
  taxonomy: ['name', 'parent'],
  mapping: ['target'],
  vertical: ['class', 'include'],
};

/** How to fix a cell that does not fit its column, with the corrected value where one is plain. */
export function cellFix(kind: SheetKind, column: string, found: string): string {
  const v = found.trim();
  if (column === 'color') {
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
  if (column === 'is_thing' || column === 'evaluate') {
    const word = ({ yes: 'true', y: 'true', '1': 'true', no: 'false', n: 'false', '0': 'false' } as Record<string, string>)[v.toLowerCase()];
    return word ? `write ${word}` : 'write true or false, or leave the cell empty';
  }
  if (SLUG_COLUMNS[kind]?.includes(column)) {
    const slug = v.toLowerCase().replace(/[^a-z0-9]+/g, '_').replace(/^_+|_+$/g, '');
    if (v === '') return 'fill in the cell';
    return /^[a-z]/.test(slug) && slug !== v ? `write ${JSON.stringify(slug)}` : 'use lower-case letters, digits and single underscores, starting with a letter';
  }
  if (v === '') return 'fill in the cell';
  if (/^-?\d+[.,]\d+$/.test(v) || /^\d+$/.test(v.replace(/^["']|["']$/g, ''))) return 'write a whole number without quotes or decimals';
  return 'write a whole number (digits only)';
}

/** Unique ids and names per sheet (the rule every reader needs, not only validate). */
export function checkUnique(sheet: ParsedSheet, file: string): Finding[] {
  const keys: Record<SheetKind, { column: string; code: string }[]> = {
    dataset: [
      { column: 'id', code: 'duplicate-id' },
      { column: 'name', code: 'duplicate-name' },
    ],
    taxonomy: [
      { column: 'id', code: 'duplicate-id' },
      { column: 'name', code: 'duplicate-name' },
    ],
    mapping: [{ column: 'source', code: 'duplicate-name' }],
    vertical: [],
  };
  const out: Finding[] = [];
  for (const { column, code } of keys[sheet.kind]) {
    const first = new Map<string, number>();
    sheet.rows.forEach((row, i) => {
      const value = String((row as unknown as Record<string, unknown>)[column]);
      const line = sheet.lines[i]!;
      const seen = first.get(value);
      if (seen !== undefined) {
        out.push(finding(code, 'error', { file, line, column: sheet.columns.indexOf(column) + 1 }, { column, value, firstLine: seen }));
      } else first.set(value, line);
    });
  }
  return out;
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
  return stringify(
    records.map((r) => columns.map((c) => cellText(r[c]))),
    { header: true, columns: [...columns], record_delimiter: '\n', quoted_match: /^[\s]|[\s]$/ },
  );
}
