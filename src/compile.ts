// From a sheets folder to a compiled label set (the bundle): load the set, run the whole-set
// rules, merge. The one path that `labelmap merge`, `labelmap export --vertical` and the library's
// `openSheets` share.
import { existsSync, readdirSync, statSync, unlinkSync } from 'node:fs';
import path from 'node:path';
import { inputError, type Finding } from './findings.js';
import { writeFileAtomic } from './sheets/io.js';
import { loadSheetSet } from './sheets/set.js';
import { mergeSheetSet } from './taxonomy/merge.js';
import { bundleFiles } from './taxonomy/outputs.js';
import type { Bundle, CoarseMode } from './taxonomy/types.js';

export interface CompileOptions {
  /** A vertical reference (`self-driving`, `self-driving@1.0.0`); null or absent: the unified taxonomy. */
  vertical?: string | null;
  /** Dataset references, or every dataset that has a mapping. */
  datasets?: 'all' | string[];
  /** A taxonomy reference; default: the only taxonomy, latest version. */
  taxonomy?: string;
  /** Source classes coarser than the vertical: label sets (default) or ignore (bundle v1 LUTs). */
  coarse?: CoarseMode;
}

/** Every finding of loading, the rules and the merge; `bundle` is null when there is an error. */
export function compileSheets(dir: string, options: CompileOptions = {}): { bundle: Bundle | null; findings: Finding[] } {
  const loaded = loadSheetSet(dir, {
    taxonomy: options.taxonomy,
    verticals: options.vertical ? [options.vertical] : [],
    datasets: options.datasets ?? 'all',
  });
  const verticalName = loaded.set?.verticals[0]?.name ?? null;
  return mergeSheetSet(loaded.set, verticalName, loaded.findings, { coarse: options.coarse });
}

/** The folder merge writes by default: build/<vertical>/ or build/unified/. */
export function defaultOutputFolder(bundle: Bundle): string {
  return path.join('build', bundle.vertical ?? 'unified');
}

/**
 * Writes every output file of `bundle` into the folder `out` atomically, labelmap.json last (it
 * marks a complete set). A lut/<dataset>.csv left by an earlier merge into the same folder (a
 * labelmap.json is there) for a dataset no longer in the bundle is removed, so the folder never
 * shows a table the bundle does not list. Errors are input errors (exit 2) that name the folder.
 */
export function writeBundleFolder(out: string, bundle: Bundle): void {
  if (existsSync(out) && !statSync(out).isDirectory()) {
    throw inputError({ file: out }, 'the output path is not a folder', { expected: 'a folder (or a path that does not exist yet)', found: 'a file', fix: 'pass another --out' });
  }
  const files = bundleFiles(bundle);
  const ours = existsSync(path.join(out, 'labelmap.json'));
  try {
    for (const f of files) writeFileAtomic(path.join(out, f.path), f.text, { overwrite: true, durable: false });
    if (ours) {
      const keep = new Set(files.map((f) => f.path));
      const lutDir = path.join(out, 'lut');
      for (const base of existsSync(lutDir) ? readdirSync(lutDir) : []) {
        if (base.endsWith('.csv') && !keep.has(`lut/${base}`)) unlinkSync(path.join(lutDir, base));
      }
    }
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (!code) throw error;
    throw inputError({ file: out }, 'cannot write the output folder', { found: code, fix: 'pass a writable folder with --out' });
  }
}
