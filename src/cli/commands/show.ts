// `labelmap show <ref|file>`: the rows of one sheet as an aligned table, or as JSON.
import { statSync } from 'node:fs';
import path from 'node:path';
import { rowRecords } from '../../sheets/csv.js';
import { resolveRef, scanSheetsDir } from '../../sheets/discover.js';
import { readSheet } from '../../sheets/io.js';
import type { RowOf, SheetKind } from '../../sheets/schema.js';
import { loadSheetFile } from '../../sheets/source.js';
import type { Context } from '../context.js';
import { formatColumns } from '../table.js';

interface Shown {
  kind: SheetKind;
  name: string;
  version: string | null;
  file: string;
  sha256: string;
  rows: RowOf[SheetKind][];
  /** The header's column order (for a file outside the sheets folder: the order of the rows' fields). */
  columns?: string[];
}

function isFile(p: string): boolean {
  try {
    return statSync(p).isFile();
  } catch {
    return false;
  }
}

/** A file path (as `diff` takes one), else a reference in the sheets folder. */
function load(arg: string, ctx: Context): Shown {
  const full = path.resolve(ctx.cwd, arg);
  if (isFile(full)) {
    const s = loadSheetFile(full, ctx.cwd);
    return { kind: s.kind, name: s.name, version: s.version, file: s.rel, sha256: s.sha256, rows: s.rows };
  }
  const sheet = readSheet(resolveRef(scanSheetsDir(ctx.sheetsForRead().dir).files, arg));
  return { kind: sheet.kind, name: sheet.name, version: sheet.version, file: sheet.rel, sha256: sheet.sha256, rows: sheet.rows, columns: sheet.columns };
}

/** A row as JSON: numbers and booleans typed (as the schema reads them), `x_` columns as text. */
function jsonRow(row: RowOf[SheetKind]): Record<string, unknown> {
  const { extra, ...typed } = row as RowOf[SheetKind] & { extra?: Record<string, string> };
  return { ...typed, ...(extra ?? {}) };
}

export async function run(args: (string | string[] | undefined)[], opts: { wide?: boolean }, ctx: Context): Promise<number> {
  const sheet = load(String(args[0]), ctx);
  const records = rowRecords(sheet.kind, sheet.rows);
  if (ctx.json) {
    const { rows, columns: _columns, ...head } = sheet;
    ctx.print(JSON.stringify({ format: 'labelmap-show', format_version: 1, ...head, rows: rows.map(jsonRow) }, null, 2));
    return 0;
  }
  ctx.info(ctx.style.dim(`${sheet.file} (${sheet.kind}, ${records.length} rows)`));
  const columns = sheet.columns ?? [...new Set(records.flatMap((r) => Object.keys(r)))];
  // On a terminal the table fits its width (long cells end in …); --wide or a pipe prints them whole.
  ctx.print(formatColumns(columns, records.map((r) => columns.map((c) => String(r[c] ?? ''))), ctx.style, { maxWidth: opts.wide ? null : ctx.stdoutColumns }));
  return 0;
}
