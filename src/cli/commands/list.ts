// io/read.js, not io/index.js: list loads no more than it reads (start-up time).
import { checkSheetFileNames } from '../../rules/files.js';
import { readBytes, SHEET_MAX_BYTES } from '../../io/read.js';
import { refuseSheetOutsideRepository } from '../../io/repository.js';
import { countRecords } from '../../sheets/count.js';
import { scanSheetsDir, versionsOf, latestSheets } from '../../sheets/discover.js';
import { KIND_DIRS } from '../../sheets/kinds.js';
import type { Context } from '../context.js';
import { formatColumns } from '../table.js';

export async function run(_args: unknown[], _opts: unknown, ctx: Context): Promise<number> {
  const { dir } = ctx.sheetsForRead();
  const { files, findings, unlisted } = scanSheetsDir(dir);
  for (const f of [...findings, ...checkSheetFileNames(unlisted, true)]) ctx.report(f);
  const entries = latestSheets(files).map((latest) => {
    const versions = versionsOf(files, latest.kind, latest.name).map((f) => f.version);
    // A count of records, not a parse: list shows what is there, validate checks it.
    const rows = Math.max(0, countRecords(readListedSheet(latest.file, latest.rel)) - 1);
    return { kind: latest.kind, name: latest.name, versions, latest: latest.version, rows, file: latest.rel };
  });
  if (ctx.json) {
    ctx.print(JSON.stringify({ format: 'labelmap-list', format_version: 1, sheets: dir, entries }, null, 2));
    return 0;
  }
  if (entries.length === 0) {
    ctx.info(`no sheets in ${dir} (expected ${Object.values(KIND_DIRS).join('/, ')}/ folders of <name>@<version>.csv files)`);
    return 0;
  }
  ctx.print(
    formatColumns(
      ['kind', 'name', 'latest', 'versions', 'rows'],
      entries.map((e) => [e.kind, e.name, e.latest, e.versions.join(' '), String(e.rows)]),
      ctx.style,
    ),
  );
  return 0;
}

/** A listed sheet's bytes, never through a link that leaves the repository (as sheets/io.ts readSheetBytes). */
function readListedSheet(file: string, rel: string): Buffer {
  refuseSheetOutsideRepository(file, rel);
  return readBytes(file, 'sheet', SHEET_MAX_BYTES);
}
