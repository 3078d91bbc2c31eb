// From a sheets folder to a compiled label set (the bundle): load the set, run the rules of the
// set stages (src/rules/), merge. The one path that `labelmap merge`, `labelmap export --vertical`
// and the library's `openSheets` share; and the writing of merge's output folder.
import { existsSync, readdirSync, unlinkSync } from 'node:fs';
import path from 'node:path';
import { LabelmapError, type Finding } from './findings.js';
import { existsAsNonFolder, writeFileAtomic } from './io/index.js';
import { checkSheetSet, runRules, SET_STAGES } from './rules/index.js';
import { loadSheetSet } from './sheets/set.js';
import { buildBundle } from './taxonomy/merge.js';
import { bundleFiles } from './taxonomy/outputs.js';
import type { Bundle, CoarseMode, SheetSet } from './taxonomy/types.js';
import type { SheetKind } from './sheets/schema.js';
import type { Sheet } from './sheets/types.js';
import { compiledFromBundle } from './versioning/compiled.js';
import type { CompileSet, SheetData } from './versioning/diff.js';

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

/** Every finding of loading and of the set stages' rules; `bundle` is null when there is an error. */
export function compileSheets(dir: string, options: CompileOptions = {}): { bundle: Bundle | null; findings: Finding[] } {
  const loaded = loadSheetSet(dir, {
    taxonomy: options.taxonomy,
    verticals: options.vertical ? [options.vertical] : [],
    datasets: options.datasets ?? 'all',
  });
  const findings = [...loaded.findings, ...runRules({ files: [], sheets: loaded.sheets, set: loaded.set, pairing: loaded.pairing }, SET_STAGES)];
  if (!loaded.set || findings.some((f) => f.severity === 'error')) return { bundle: null, findings };
  return bundleOf(loaded.set, loaded.set.verticals[0]?.name ?? null, findings, options.coarse);
}

/**
 * The whole-set rules over an already loaded set, then (when they found no error) the bundle of
 * `vertical` (a name in set.verticals, or null for the unified set). `prior`: findings of loading
 * the set, so that one list holds everything.
 */
export function mergeSheetSet(
  set: SheetSet | null,
  vertical: string | null,
  prior: readonly Finding[] = [],
  options: { coarse?: CoarseMode } = {},
): { bundle: Bundle | null; findings: Finding[] } {
  const findings = [...prior, ...(set ? checkSheetSet(set) : [])];
  if (!set || findings.some((f) => f.severity === 'error')) return { bundle: null, findings };
  return bundleOf(set, vertical, findings, options.coarse);
}

function bundleOf(set: SheetSet, vertical: string | null, findings: Finding[], coarse: CoarseMode | undefined): { bundle: Bundle | null; findings: Finding[] } {
  const sheet = vertical === null ? null : set.verticals.find((v) => v.name === vertical);
  if (sheet === undefined) throw new Error(`mergeSheetSet: vertical ${vertical} is not in the set`);
  const built = buildBundle({ taxonomy: set.taxonomy, vertical: sheet, datasets: set.datasets, coarse, attributes: set.attributes });
  return { bundle: built.bundle, findings: [...findings, ...built.findings] };
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
  if (existsAsNonFolder(out)) throw new LabelmapError('output-not-folder', { file: out });
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
    throw new LabelmapError('output-unwritable', { file: out }, { found: code });
  }
}

/**
 * The compiled effect of a set: the set is merged for every vertical (and the unified taxonomy)
 * with the same engine as `labelmap merge`, and each lookup table becomes plain rows to compare.
 * null when the set cannot be compiled (no single taxonomy, or rule errors): then only the sheets
 * are compared, and the output says so.
 */
export const compileSet: CompileSet = (sheets) => {
  const of = <K extends SheetKind>(kind: K) => sheets.filter((s): s is SheetData<K> => s.kind === kind).map((s) => asSheet(s));
  const taxonomies = of('taxonomy');
  if (taxonomies.length !== 1) return null;
  const datasets = new Map(of('dataset').map((d) => [d.name, d]));
  const set: SheetSet = {
    taxonomy: taxonomies[0]!,
    taxonomyHistory: [],
    verticals: of('vertical'),
    datasets: of('mapping')
      .filter((m) => datasets.has(m.name))
      .map((mapping) => ({ dataset: datasets.get(mapping.name)!, mapping }))
      .sort((a, b) => (a.dataset.name < b.dataset.name ? -1 : 1)),
  };
  const luts = [];
  for (const vertical of [null, ...set.verticals.map((v) => v.name)]) {
    const { bundle } = mergeSheetSet(set, vertical);
    if (!bundle) return null;
    luts.push(compiledFromBundle(bundle));
  }
  return luts;
};

/** Rows read by the diff sources, in the shape the merge engine takes (no file behind them). */
function asSheet<K extends SheetKind>(s: SheetData<K>): Sheet<K> {
  return {
    kind: s.kind,
    name: s.name,
    version: s.version ?? '0.0.0',
    file: s.rel,
    rel: s.rel,
    sha256: '',
    columns: [],
    rows: s.rows,
    lines: s.rows.map((_, i) => i + 2),
    table: { header: [], rows: [] },
  };
}
