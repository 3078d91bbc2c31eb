// The one registry of rules. validate runs every stage over a whole sheets folder; merge, export
// and the library (openSheets) run SET_STAGES over the sheets they compile: the same sheets give
// the same findings whoever asks. Each rule lives once, in the file of its subject:
//   cells.ts      header, unique ids and names (run by every reader), formula cells
//   taxonomy.ts   parents, cycles, reserved name, id range, ids stable across versions
//   mappings.ts   sources and targets, every class mapped, dataset <-> mapping pairs, coarse sources
//   verticals.ts  includes, train ids, colours, class count
//   versions.ts   the release lock, bumps
//   attributes.ts attribute vocabularies, mappings and derived rules (docs/attributes.md)
// File names and places (`sheet-file-name`, `sheet-file-misplaced`) are found while listing the
// folder (sheets/discover.ts), the readers' encoding and CSV findings while reading (sheets/csv.ts).
import { sortFindings, type Finding } from '../findings.js';
import type { SheetSet } from '../taxonomy/types.js';
import { ATTRIBUTE_RULES } from './attributes.js';
import { CELL_RULES } from './cells.js';
import { MAPPING_RULES } from './mappings.js';
import { TAXONOMY_RULES } from './taxonomy.js';
import { SET_STAGES, STAGES, type Rule, type RuleInput, type Stage } from './types.js';
import { VERSION_RULES } from './versions.js';
import { VERTICAL_RULES } from './verticals.js';
import { pushAll } from '../arrays.js';

export { SET_STAGES, STAGES, type Pairing, type Rule, type RuleInput, type Stage } from './types.js';

export const RULES: readonly Rule[] = [...CELL_RULES, ...TAXONOMY_RULES, ...MAPPING_RULES, ...VERTICAL_RULES, ...ATTRIBUTE_RULES, ...VERSION_RULES];

/**
 * Every rule of the given stages over `input`, in stage order and registry order (each rule's own
 * findings sorted by place): the first error is the first thing to fix (a broken taxonomy before
 * the mappings that point into it). validate sorts the whole list by file and line.
 */
export function runRules(input: RuleInput, stages: readonly Stage[] = STAGES): Finding[] {
  const out: Finding[] = [];
  for (const stage of STAGES) {
    if (!stages.includes(stage)) continue;
    for (const rule of RULES) if (rule.stage === stage) pushAll(out, sortFindings(rule.check(input)));
  }
  return out;
}

/** The taxonomy, mapping and vertical rules over a loaded sheet set (no pairing, no cells). */
export function checkSheetSet(set: SheetSet): Finding[] {
  return runRules({ files: [], sheets: [], set }, ['taxonomy', 'mappings', 'verticals']);
}
