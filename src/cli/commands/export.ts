// `labelmap export --format <f> --bundle <labelmap.json> [--out <file>]`: a compiled label set in
// the format of a training library or an annotation tool, on stdout or atomically into a file.
import path from 'node:path';
import { readBundle } from '../../api/bundle.js';
import { renderExport } from '../../export/render.js';
import type { Shape } from '../../export/types.js';
import { findingToJson, LabelmapError, type Finding } from '../../findings.js';
import { refuseOutputFile, writeFileAtomic } from '../../io/index.js';
import type { Bundle } from '../../taxonomy/types.js';
import { compileSheets } from '../../compile.js';
import { parseDatasetsOption } from '../datasets-option.js';
import { resolveOutFile } from '../out-file.js';
import { requireBundle } from '../report.js';
import type { Context, GlobalOptions } from '../context.js';

export interface ExportFlags {
  format?: string;
  bundle?: string;
  vertical?: string;
  unified?: boolean;
  datasets?: string;
  out?: string;
  shape?: Shape;
}

/**
 * Where the label set comes from: the one place that turns flags into a Bundle: compiled from the
 * sheets for `--vertical` (or `--unified`), exactly as `labelmap merge` does (also its
 * `--datasets`), or read from a labelmap.json that merge wrote (`--bundle`). With the warnings of
 * the compile (none for a bundle: merge reported them when it wrote it).
 */
export function loadBundle(flags: ExportFlags, ctx: Context): { bundle: Bundle; warnings: Finding[] } {
  const given = [flags.bundle, flags.vertical, flags.unified].filter((v) => v !== undefined && v !== false).length;
  if (given !== 1) {
    throw new LabelmapError('export-source', {}, { given });
  }
  if (flags.bundle) {
    if (flags.datasets !== undefined) throw new LabelmapError('export-datasets-bundle', {});
    return { bundle: readBundle(path.resolve(ctx.cwd, flags.bundle), flags.bundle), warnings: [] };
  }
  const datasets = parseDatasetsOption(flags.datasets);
  const compiled = compileSheets(ctx.sheetsForRead().dir, { vertical: flags.unified ? null : flags.vertical, datasets });
  const bundle = requireBundle(compiled, ctx, 'count');
  return { bundle, warnings: compiled.findings.filter((f) => f.severity === 'warning') };
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
  if (ctx.json && opts.out === undefined) throw new LabelmapError('export-json-needs-out', {});
  // Before the compile: a file that could not be written is refused first.
  const file = opts.out === undefined ? null : resolveOutFile(opts.out, ctx);
  if (file !== null) {
    // The write guard: not in the sheets folder (also by a link), not over a link.
    const sheets = ctx.sheetsLocation().dir;
    refuseOutputFile(file, sheets, opts.out!, path.relative(ctx.cwd, sheets) || '.');
  }
  const { bundle, warnings } = loadBundle(opts, ctx);
  const text = renderExport(bundle, opts.format, { shape: opts.shape });
  if (opts.out === undefined || file === null) {
    ctx.print(text);
    return 0;
  }
  writeOutput(file, opts.out, text);
  if (ctx.json) {
    // Documented in README.md ("JSON output"); format_version changes when a field does.
    ctx.print(
      JSON.stringify(
        {
          format: 'labelmap-export',
          format_version: 1,
          export_format: opts.format,
          file: opts.out,
          path: file,
          bytes: Buffer.byteLength(text, 'utf8'),
          vertical: bundle.vertical,
          from: opts.bundle !== undefined ? { bundle: opts.bundle } : { sheets: path.relative(ctx.cwd, ctx.sheetsLocation().dir) || '.' },
          labels: bundle.labels.length,
          label_sets: bundle.label_sets.length,
          datasets: bundle.datasets.map((d) => ({ name: d.name, version: d.version })),
          warnings: warnings.map(findingToJson),
        },
        null,
        2,
      ),
    );
  }
  ctx.info(ctx.style.dim(`wrote ${opts.out} (${opts.format}, ${bundle.labels.length} labels)`));
  return 0;
}
