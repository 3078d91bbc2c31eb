// `labelmap release [--dry-run]`: checks that no released sheet changed and that every new
// version's bump covers its diff, then records every sheet file with its sha256 in
// `<sheets>/labelmap.lock.json` (written atomically).
import { checkSheetFileNames } from '../../rules/files.js';
import path from 'node:path';
import { findingToJson } from '../../findings.js';
import { writeFileAtomic } from '../../io/index.js';
import { scanSheetsDir } from '../../sheets/discover.js';
import { readSheet } from '../../sheets/io.js';
import { readLockFile } from '../../sheets/lock-file.js';
import { formatLock, LOCK_FILE, planRelease } from '../../versioning/lock.js';
import type { Context } from '../context.js';

export async function run(_args: unknown[], opts: Record<string, unknown>, ctx: Context): Promise<number> {
  const { dir } = ctx.sheetsForWrite();
  const lockPath = path.join(dir, LOCK_FILE);
  const shownLock = path.relative(ctx.cwd, lockPath) || lockPath;
  const scan = scanSheetsDir(dir);
  const sheets = scan.files.map((f) => {
    const s = readSheet(f);
    return { kind: s.kind, name: s.name, version: s.version, rel: s.rel, rows: s.rows, sha256: s.sha256 };
  });
  const previous = readLockFile(lockPath, shownLock);
  const plan = planRelease(sheets, previous, LOCK_FILE, path.relative(ctx.cwd, dir) || '.');
  const findings = [...scan.findings, ...checkSheetFileNames(scan.unlisted, false), ...plan.findings];
  const errors = findings.filter((f) => f.severity === 'error').length;
  const dryRun = Boolean(opts.dryRun);
  const written = errors === 0 && !dryRun;
  if (written) writeFileAtomic(lockPath, formatLock(plan.lock), { overwrite: true });

  if (ctx.json) {
    ctx.print(
      JSON.stringify(
        { format: 'labelmap-release', format_version: 1, lock: shownLock, written, dry_run: dryRun, sheets: plan.lock.sheets.length, added: plan.added, dropped: plan.dropped, findings: findings.map(findingToJson) },
        null,
        2,
      ),
    );
  } else {
    for (const f of findings) ctx.report(f);
    const what = plan.added.length ? `${plan.added.length} new: ${plan.added.join(', ')}` : 'nothing new';
    const dropped = plan.dropped.length ? `; dropped (files gone): ${plan.dropped.join(', ')}` : '';
    if (errors > 0) ctx.error(`labelmap: not released: ${errors} error${errors === 1 ? '' : 's'}; ${shownLock} unchanged`);
    else if (dryRun) ctx.print(`would lock ${plan.lock.sheets.length} sheet files in ${shownLock} (${what}${dropped})`);
    else ctx.print(`locked ${plan.lock.sheets.length} sheet files in ${shownLock} (${what}${dropped})`);
  }
  return errors > 0 ? 1 : 0;
}
