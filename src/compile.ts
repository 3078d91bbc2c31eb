// From a sheets folder to a compiled label set (the bundle): load the set, run the rules of the
// set stages (src/rules/), merge. The one path that `labelmap merge`, `labelmap export --vertical`
// and the library's `openSheets` share; and the writing of merge's output folder.
import { lstatSync, readdirSync } from 'node:fs';
import path from 'node:path';
import { LabelmapError, type Finding } from './findings.js';
import { existsAsNonFolder, openOutputFolder, readHead, refuseInsideSheets, removeEarlierOutputs, withOutputLock, writeFileAtomic, writeMarker } from './io/index.js';
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

/** Where a merge output folder is, and how messages show it and the sheets folder. */
export interface BundleFolderTarget {
  /** The sheets folder: no output lands inside it. */
  sheetsDir: string;
  sheetsShown: string;
  /** The output folder as messages show it (as the user typed --out). */
  shown: string;
  /** Called once when another merge is writing the same folder and this one waits for it. */
  onWait?: (holder: { pid: number; host: string }) => void;
}

/** The names merge writes: what it may ever remove from its folder. */
function isBundleFileName(rel: string): boolean {
  return BUNDLE_TOP_FILES.has(rel) || /^lut\/[a-z0-9](?:[a-z0-9._-]*[a-z0-9])?\.csv$/.test(rel);
}
const BUNDLE_TOP_FILES = new Set(['labels.csv', 'label_sets.csv', 'coverage.csv', 'labelmap.json']);

/**
 * A folder that a labelmap from before the output marker wrote: labelmap.json and nothing but the
 * names merge writes (lut/ a real folder of CSV files). It is taken over; nothing in it is removed.
 */
function isEarlierBundleFolder(dir: string, names: string[]): boolean {
  if (!names.includes('labelmap.json')) return false;
  try {
    if (!/^\{\s*"format":\s*"labelmap-bundle"/.test(readHead(path.join(dir, 'labelmap.json'), 'bundle', 256).toString('utf8'))) return false;
  } catch {
    return false;
  }
  return names.every((name) => {
    if (BUNDLE_TOP_FILES.has(name) || /^\..+\.tmp-\d+-[0-9a-f]{8}$/.test(name)) return true;
    if (name !== 'lut') return false;
    try {
      const lut = path.join(dir, 'lut');
      return lstatSync(lut).isDirectory() && readdirSync(lut).every((f) => f.endsWith('.csv') || f.startsWith('.'));
    } catch {
      return false;
    }
  });
}

/**
 * Writes every output file of `bundle` into the folder `out`, through the write guard
 * (src/io/guard.ts): `out` is created, or one labelmap made (its marker), never in the sheets
 * folder, no link inside it followed. Each file is written atomically, labelmap.json last (it marks
 * a complete set); the files of an earlier merge that this bundle no longer has (a dataset left
 * out) are removed: only those the marker lists. Two merges into one folder take turns (a lock),
 * so lut/ and labelmap.json always come from one run. Errors are input errors (exit 2) that name the folder.
 */
export function writeBundleFolder(out: string, bundle: Bundle, target: BundleFolderTarget): void {
  const files = bundleFiles(bundle);
  const written = files.map((f) => f.path);
  const guard = { sheetsDir: target.sheetsDir, sheetsShown: target.sheetsShown, shown: target.shown, writtenBy: 'merge', recognise: isEarlierBundleFolder, writing: written };
  // Refused before waiting for a lock: a wrong folder is said at once.
  refuseInsideSheets(out, target.sheetsDir, target.shown, target.sheetsShown);
  if (existsAsNonFolder(out)) throw new LabelmapError('output-not-folder', { file: target.shown });
  try {
    withOutputLock(
      out,
      () => {
        const folder = openOutputFolder(out, guard);
        for (const f of files) writeFileAtomic(path.join(out, ...f.path.split('/')), f.text, { overwrite: true, durable: false });
        removeEarlierOutputs(out, folder.previous, written, isBundleFileName);
        writeMarker(out, 'merge', written);
      },
      target.onWait,
    );
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (error instanceof LabelmapError || !code) throw error;
    throw new LabelmapError('output-unwritable', { file: target.shown }, { found: code });
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
