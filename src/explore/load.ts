// The edge of exploring: a sheets folder -> the label index (every vertical compiled once).
import type { Finding } from '../findings.js';
import { throwFirstError } from '../sheets/io.js';
import { runRules, SET_STAGES } from '../rules/index.js';
import { loadSheetSet } from '../sheets/set.js';
import { buildBundle } from '../taxonomy/merge.js';
import type { Bundle } from '../taxonomy/types.js';
import { buildLabelIndex, type LabelIndex } from './index.js';
import { pushAll } from '../arrays.js';

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
  // The rules (src/rules/) cover every vertical at once: run them once, then compile each vertical.
  const rules = runRules({ files: [], sheets: loaded.sheets, set, pairing: loaded.pairing }, SET_STAGES);
  throwFirstError(rules);
  pushAll(findings, rules);
  const bundles: Bundle[] = [];
  for (const vertical of [...set.verticals].sort((a, b) => (a.name < b.name ? -1 : 1))) {
    const built = buildBundle({ taxonomy: set.taxonomy, vertical, datasets: set.datasets });
    throwFirstError(built.findings);
    pushAll(findings, built.findings);
    bundles.push(built.bundle!);
  }
  return { index: buildLabelIndex(set, bundles), bundles, findings };
}
