// `labelmap export --format <f> --bundle <labelmap.json> [--out <file>]`: a compiled label set in
// the format of a training library or an annotation tool, on stdout or atomically into a file.
import path from 'node:path';
import { readBundle } from '../../api/bundle.js';
import { renderExport } from '../../export/render.js';
import type { Shape } from '../../export/types.js';
import { LabelmapError } from '../../findings.js';
import { refuseOutputFile, writeFileAtomic } from '../../io/index.js';
import type { Bundle } from '../../taxonomy/types.js';
import { compileSheets } from '../../compile.js';
import { requireBundle } from '../report.js';
import type { Context, GlobalOptions } from '../context.js';

export interface ExportFlags {
  format?: string;
  bundle?: string;
  vertical?: string;
  unified?: boolean;
  out?: string;
  shape?: Shape;
}

/**
 * Where the label set comes from: the one place that turns flags into a Bundle: compiled from the
 * sheets for `--vertical` (or `--unified`), exactly as `labelmap merge` does, or read from a
 * labelmap.json that merge wrote (`--bundle`).
 */
export function loadBundle(flags: ExportFlags, ctx: Context): Bundle {
  const given = [flags.bundle, flags.vertical, flags.unified].filter((v) => v !== undefined && v !== false).length;
  if (given !== 1) {
    throw new LabelmapError('export-source', {}, { given });
  }
  if (flags.bundle) return readBundle(path.resolve(ctx.cwd, flags.bundle), flags.bundle);
  return requireBundle(compileSheets(ctx.sheetsForRead().dir, { vertical: flags.unified ? null : flags.vertical }), ctx, 'count');
}

const WRITE_ERRORS: Record<string, string> = {
  EEXIST: 'a part of the path is a file, not a folder (EEXIST)',
  ENOTDIR: 'a part of the path is a file, not a folder (ENOTDIR)',
  EISDIR: 'the path is a folder (EISDIR)',
  EACCES: 'permission denied (EACCES)',
  EPERM: 'permission denied (EPERM)',
  EROFS: 'the file system is read-only (EROFS)',
  ENOSPC: 'no space left on the device (ENOSPC)',
};

function writeOutput(file: string, shownAs: string, text: string): void {
  try {
    writeFileAtomic(file, text, { overwrite: true });
  } catch (error) {
    const code = error instanceof LabelmapError ? error.finding.args.errno : (error as NodeJS.ErrnoException).code;
    if (typeof code !== 'string' || !/^E[A-Z]+$/.test(code)) throw error;
    throw new LabelmapError('file-unwritable', { file: shownAs }, { what: 'the export', reason: WRITE_ERRORS[code] ?? code });
  }
}

export async function run(_args: unknown[], flags: GlobalOptions & Record<string, unknown>, ctx: Context): Promise<number> {
  const opts = flags as ExportFlags;
  if (!opts.format) throw new LabelmapError('export-format-missing', {});
  const bundle = loadBundle(opts, ctx);
  const text = renderExport(bundle, opts.format, { shape: opts.shape });
  if (opts.out) {
    const file = path.resolve(ctx.cwd, opts.out);
    const sheets = ctx.sheetsLocation().dir;
    refuseOutputFile(file, sheets, opts.out, path.relative(ctx.cwd, sheets) || '.');
    writeOutput(file, opts.out, text);
    ctx.info(ctx.style.dim(`wrote ${opts.out} (${opts.format}, ${bundle.labels.length} labels)`));
  } else {
    ctx.print(text);
  }
  return 0;
}
