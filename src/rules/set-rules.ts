// The rules of the set stages (SET_STAGES): what every reader that compiles a set runs. Apart from
// the registry in index.ts so that such a reader (`labelmap find`) does not load the versions
// stage's modules (the lock with zod, semver, the sheet diff: about 150 ms of CPU at start-up, see
// BENCHMARKS.md). index.ts builds the one registry, RULES, from SET_RULES and the version rules.
import { sortFindings, type Finding } from '../findings.js';
import { ATTRIBUTE_RULES } from './attributes.js';
import { CELL_RULES } from './cells.js';
import { FILE_RULES } from './files.js';
import { MAPPING_RULES } from './mappings.js';
import { TAXONOMY_RULES } from './taxonomy.js';
import { SET_STAGES, STAGES, type Rule, type RuleInput, type Stage } from './types.js';
import { VERTICAL_RULES } from './verticals.js';
import { pushAll } from '../arrays.js';

/** Every rule but the versions stage's, in registry order. */
export const SET_RULES: readonly Rule[] = [...FILE_RULES, ...CELL_RULES, ...TAXONOMY_RULES, ...MAPPING_RULES, ...VERTICAL_RULES, ...ATTRIBUTE_RULES];

/** The rules of `rules` in the given stages, in stage order and then in the order of `rules`. */
export function runRulesOf(rules: readonly Rule[], input: RuleInput, stages: readonly Stage[]): Finding[] {
  const out: Finding[] = [];
  for (const stage of STAGES) {
    if (!stages.includes(stage)) continue;
    for (const rule of rules) if (rule.stage === stage) pushAll(out, sortFindings(rule.check(input)));
  }
  return out;
}

/** `runRules(input, SET_STAGES)`, without loading the version rules. */
export function runSetRules(input: RuleInput): Finding[] {
  return runRulesOf(SET_RULES, input, SET_STAGES);
}
