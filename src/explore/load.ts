// The edge of exploring: a sheets folder -> the label index (every vertical compiled once).
import type { Finding } from '../findings.js';
import { throwFirstError } from '../sheets/io.js';
import { loadSheetSet } from '../sheets/set.js';
import { mergeSheetSet } from '../taxonomy/merge.js';
import type { Bundle } from '../taxonomy/types.js';
import { buildLabelIndex, type LabelIndex } from './index.js';

export interface LoadedIndex {
  index: LabelIndex;
  /** The bundle of each vertical, in vertical-name order. */
  bundles: Bundle[];
  /** Warnings of loading and compiling (errors throw). */
  findings: Finding[];
}

/**
 * Loads every latest sheet of `dir`, compiles every vertical (or only `verticals`), and indexes
 * them. Throws the first error finding (exit 2): a set that does not compile has nothing to show.
 */
export function loadLabelIndex(dir: string, options: { verticals?: readonly string[] } = {}): LoadedIndex {
  const loaded = loadSheetSet(dir, { verticals: options.verticals ?? 'all', datasets: 'all' });
  throwFirstError(loaded.findings);
  const set = loaded.set!;
  const findings: Finding[] = [...loaded.findings];
  const bundles: Bundle[] = [];
  const names = set.verticals.map((v) => v.name).sort();
  for (const [i, name] of names.entries()) {
    // The whole-set rules are the same for every vertical: report them once.
    const merged = mergeSheetSet(set, name);
    throwFirstError(merged.findings);
    if (i === 0) findings.push(...merged.findings);
    bundles.push(merged.bundle!);
  }
  return { index: buildLabelIndex(set, bundles), bundles, findings };
}
