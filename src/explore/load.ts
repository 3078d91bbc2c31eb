// The edge of exploring: a sheets folder -> the label index (every vertical compiled once).
import type { Finding } from '../findings.js';
import { throwFirstError } from '../sheets/io.js';
import { runSetRules } from '../rules/set-rules.js';
import { loadSheetSet } from '../sheets/set.js';
import { buildHierarchy } from '../taxonomy/hierarchy.js';
import { buildBundle, compileLuts, type CompiledLuts } from '../taxonomy/merge.js';
import type { Bundle, SheetSet } from '../taxonomy/types.js';
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
  const { set, findings } = loadCheckedSet(dir, options.verticals);
  const bundles: Bundle[] = [];
  for (const vertical of verticalsByName(set)) {
    const built = buildBundle({ taxonomy: set.taxonomy, vertical, datasets: set.datasets });
    throwFirstError(built.findings);
    pushAll(findings, built.findings);
    bundles.push(built.bundle!);
  }
  return { index: buildLabelIndex(set, bundles), bundles, findings };
}

/**
 * The same index as loadLabelIndex's, compiling of each vertical only its labels and LUTs
 * (compileLuts: merge's resolution, without coverage and encodings) over one taxonomy hierarchy:
 * what `labelmap find` needs, in a fraction of the time (BENCHMARKS.md, find).
 */
export function loadLookupIndex(dir: string): { index: LabelIndex; findings: Finding[] } {
  const { set, findings } = loadCheckedSet(dir, undefined);
  const hierarchy = buildHierarchy(set.taxonomy.rows);
  const compiled: CompiledLuts[] = [];
  for (const vertical of verticalsByName(set)) {
    const built = compileLuts({ taxonomy: set.taxonomy, vertical, datasets: set.datasets }, hierarchy);
    throwFirstError(built.findings);
    pushAll(findings, built.findings);
    compiled.push(built.luts!);
  }
  return { index: buildLabelIndex(set, compiled), findings };
}

/** The latest sheets of `dir`, through the set stages' rules (merge's); the first error throws. */
function loadCheckedSet(dir: string, verticals: readonly string[] | undefined): { set: SheetSet; findings: Finding[] } {
  const loaded = loadSheetSet(dir, { verticals: verticals ?? 'all', datasets: 'all' });
  throwFirstError(loaded.findings);
  const set = loaded.set!;
  const findings: Finding[] = [...loaded.findings];
  // The rules (src/rules/) cover every vertical at once: run them once, then compile each vertical.
  const rules = runSetRules({ files: [], sheets: loaded.sheets, set, pairing: loaded.pairing });
  throwFirstError(rules);
  pushAll(findings, rules);
  return { set, findings };
}

function verticalsByName(set: SheetSet): SheetSet['verticals'] {
  return [...set.verticals].sort((a, b) => (a.name < b.name ? -1 : 1));
}
