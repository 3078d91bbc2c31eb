// From a sheets folder to a compiled label set (the bundle): load the set, run the rules of the
// set stages (src/rules/), merge. The one path that `labelmap merge`, `labelmap export --vertical`
// and the library's `openSheets` share.
import type { Finding } from './findings.js';
import { checkSheetSet, runRules, SET_STAGES } from './rules/index.js';
import { loadSheetSet } from './sheets/set.js';
import { buildBundle } from './taxonomy/merge.js';
import type { Bundle, SheetSet } from './taxonomy/types.js';

export interface CompileOptions {
  /** A vertical reference (`self-driving`, `self-driving@1.0.0`); null or absent: the unified taxonomy. */
  vertical?: string | null;
  /** Dataset references, or every dataset that has a mapping. */
  datasets?: 'all' | string[];
  /** A taxonomy reference; default: the only taxonomy, latest version. */
  taxonomy?: string;
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
  return { bundle: bundleOf(loaded.set, loaded.set.verticals[0]?.name ?? null), findings };
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
): { bundle: Bundle | null; findings: Finding[] } {
  const findings = [...prior, ...(set ? checkSheetSet(set) : [])];
  if (!set || findings.some((f) => f.severity === 'error')) return { bundle: null, findings };
  return { bundle: bundleOf(set, vertical), findings };
}

function bundleOf(set: SheetSet, vertical: string | null): Bundle {
  const sheet = vertical === null ? null : set.verticals.find((v) => v.name === vertical);
  if (sheet === undefined) throw new Error(`mergeSheetSet: vertical ${vertical} is not in the set`);
  return buildBundle({ taxonomy: set.taxonomy, vertical: sheet, datasets: set.datasets }).bundle;
}
