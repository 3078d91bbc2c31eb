// Control-sheet CSV: RFC 4180, UTF-8, header row. Read: BOM, CRLF and blank lines accepted, every
// row keeps its line number. Write: fixed column order, LF, no BOM. Pure: text in, data out.
import { parse } from 'csv-parse/sync';
import { stringify } from 'csv-stringify/sync';
import { finding, type Finding } from '../findings.js';
import {
  COLUMNS,
  ROW_SCHEMAS,
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
}

/** Decodes bytes as strict UTF-8, naming a Windows-1252 file as such. */
export function decodeUtf8(bytes: Uint8Array, file: string): { text: string; findings: Finding[] } {
  try {
    const text = new TextDecoder('utf-8', { fatal: true }).decode(bytes);
    return { text, findings: [] };
  } catch {
    let offset = 0;
    // Find the first offending byte: decode growing prefixes would be slow; walk UTF-8 by hand.
    for (let i = 0; i < bytes.length; ) {
      const b = bytes[i]!;
      const need = b < 0x80 ? 0 : (b & 0xe0) === 0xc0 ? 1 : (b & 0xf0) === 0xe0 ? 2 : (b & 0xf8) === 0xf0 ? 3 : -1;
      let ok = need >= 0 && i + need < bytes.length;
      for (let k = 1; ok && k <= need; k++) ok = ((bytes[i + k] ?? 0) & 0xc0) === 0x80;
      if (!ok) {
        offset = i;
        break;
      }
      i += need + 1;
    }
    const byte = bytes[offset] ?? 0;
    const line = countLines(bytes, offset);
    return {
      text: '',
      findings: [
        finding('csv-encoding', 'error', { file, line }, {
          byte: byte.toString(16).padStart(2, '0'),
          offset,
          guess: byte >= 0x80 ? 'Windows-1252 (Latin-1), as Excel saves "CSV" on Windows' : undefined,
        }),
      ],
    };
  }
}

function countLines(bytes: Uint8Array, end: number): number {
  let n = 1;
  for (let i = 0; i < end; i++) if (bytes[i] === 0x0a) n++;
  return n;
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
    const e = error as { message?: string; lines?: number; code?: string };
    const reason = (e.message ?? String(error)).replace(/\s+/g, ' ');
    return {
      table: null,
      findings: [
        finding('csv-parse', 'error', { file, line: e.lines }, {
          reason: e.code === 'CSV_QUOTE_NOT_CLOSED' ? 'a quote opened and never closed (unbalanced quotes)' : reason,
        }),
      ],
    };
  }
  const withLines = records.map(({ record, info }) => {
    let inner = 0;
    for (const cell of record) for (const ch of cell) if (ch === '\n') inner++;
    return { line: info.lines - inner, cells: record };
  });
  const head = withLines.shift();
  if (!head) return { table: null, findings: [finding('csv-empty', 'error', { file, line: 1 }, {})] };
  return { table: { header: head.cells.map((c) => c.trim()), rows: withLines }, findings: [] };
}

/** Checks the header of a sheet against its kind. */
export function checkHeader(kind: SheetKind, header: string[], file: string): Finding[] {
  const spec = COLUMNS[kind];
  const out: Finding[] = [];
  const seen = new Set<string>();
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
  return { sheet: { kind, columns: header, rows, lines, raw: raws }, findings };
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
