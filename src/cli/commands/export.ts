// `labelmap export --format <f> --bundle <labelmap.json> [--out <file>]`: a compiled label set in
// the format of a training library or an annotation tool, on stdout or atomically into a file.
import path from 'node:path';
import { readBundle } from '../../api/bundle.js';
import { renderExport } from '../../export/render.js';
import type { Shape } from '../../export/types.js';
import { LabelmapError, usageError } from '../../findings.js';
import { writeFileAtomic } from '../../sheets/io.js';
import type { Bundle } from '../../taxonomy/types.js';
import type { Context, GlobalOptions } from '../context.js';

export interface ExportFlags {
  format?: string;
  bundle?: string;
  out?: string;
  shape?: Shape;
}

/**
 * Where the label set comes from: the one place that turns flags into a Bundle. Today a compiled
 * labelmap.json (`--bundle`); compiling a vertical from the sheets (`--vertical`) plugs in here.
 */
export function loadBundle(flags: ExportFlags, ctx: Context): Bundle {
  if (!flags.bundle) throw usageError('no label set given', 'pass --bundle <labelmap.json> (written by `labelmap merge`)');
  return readBundle(path.resolve(ctx.cwd, flags.bundle), flags.bundle);
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
    const code = (error as NodeJS.ErrnoException).code;
    if (typeof code !== 'string' || !/^E[A-Z]+$/.test(code)) throw error;
    throw new LabelmapError('file-unwritable', { file: shownAs }, { what: 'the export', reason: WRITE_ERRORS[code] ?? code });
  }
}

export async function run(_args: unknown[], flags: GlobalOptions & Record<string, unknown>, ctx: Context): Promise<number> {
  const opts = flags as ExportFlags;
  if (!opts.format) throw usageError('missing --format', 'pass --format <format>; `labelmap export --help` lists them');
  const bundle = loadBundle(opts, ctx);
  const text = renderExport(bundle, opts.format, { shape: opts.shape });
  if (opts.out) {
    writeOutput(path.resolve(ctx.cwd, opts.out), opts.out, text);
    ctx.info(ctx.style.dim(`wrote ${opts.out} (${opts.format}, ${bundle.labels.length} labels)`));
  } else {
    ctx.print(text);
  }
  return 0;
}
