// From a sheets folder to a compiled label set (the bundle): load the set, run the whole-set
// rules, merge. The one path that `labelmap merge`, `labelmap export --vertical` and the library's
// `openSheets` share.
import type { Finding } from './findings.js';
import { loadSheetSet } from './sheets/set.js';
import { mergeSheetSet } from './taxonomy/merge.js';
import type { Bundle } from './taxonomy/types.js';

export interface CompileOptions {
  /** A vertical reference (`self-driving`, `self-driving@1.0.0`); null or absent: the unified taxonomy. */
  vertical?: string | null;
  /** Dataset references, or every dataset that has a mapping. */
  datasets?: 'all' | string[];
  /** A taxonomy reference; default: the only taxonomy, latest version. */
  taxonomy?: string;
}

/** Every finding of loading, the rules and the merge; `bundle` is null when there is an error. */
export function compileSheets(dir: string, options: CompileOptions = {}): { bundle: Bundle | null; findings: Finding[] } {
  const loaded = loadSheetSet(dir, {
    taxonomy: options.taxonomy,
    verticals: options.vertical ? [options.vertical] : [],
    datasets: options.datasets ?? 'all',
  });
  const verticalName = loaded.set?.verticals[0]?.name ?? null;
  return mergeSheetSet(loaded.set, verticalName, loaded.findings);
}
