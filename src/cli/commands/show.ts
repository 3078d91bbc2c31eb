import { readSheet } from '../../sheets/io.js';
import { resolveRef, scanSheetsDir } from '../../sheets/discover.js';
import { rowRecords } from '../../sheets/csv.js';
import type { Context } from '../context.js';
import { formatColumns } from '../table.js';

export async function run(args: (string | string[] | undefined)[], opts: { wide?: boolean }, ctx: Context): Promise<number> {
  const { dir } = ctx.sheetsForRead();
  const file = resolveRef(scanSheetsDir(dir).files, String(args[0]));
  const sheet = readSheet(file);
  const records = rowRecords(sheet.kind, sheet.rows);
  if (ctx.json) {
    ctx.print(JSON.stringify({ kind: sheet.kind, name: sheet.name, version: sheet.version, file: sheet.rel, sha256: sheet.sha256, rows: records }, null, 2));
    return 0;
  }
  ctx.info(ctx.style.dim(`${sheet.rel} (${sheet.kind}, ${records.length} rows)`));
  const columns = sheet.columns;
  // On a terminal the table fits its width (long cells end in …); --wide or a pipe prints them whole.
  ctx.print(formatColumns(columns, records.map((r) => columns.map((c) => r[c] ?? '')), ctx.style, { maxWidth: opts.wide ? null : ctx.stdoutColumns }));
  return 0;
}
