// Bump levels: which semver bump a change demands, and whether a version step is enough.
// One table (BUMP_RULES) says the level of every kind of change and why; the diff names the rule,
// never a level of its own, so refining the policy is a one-line change here. Pure, no fs.
// One function each: the package entry loads all of semver (~30 ms of start-up).
import semverCompare from 'semver/functions/compare.js';
import semverDiff from 'semver/functions/diff.js';
import semverInc from 'semver/functions/inc.js';

export type Level = 'major' | 'minor' | 'patch';

/** Levels from the smallest to the largest. */
export const LEVELS: readonly Level[] = ['patch', 'minor', 'major'];

/** The step between two versions: a level, `none` (same version) or `lower` (a downgrade). */
export type ActualBump = Level | 'none' | 'lower';

export interface BumpRule {
  level: Level;
  /** Why this level: the sentence the README table shows. */
  why: string;
}

/**
 * Every rule a change can carry. The level answers one question: can something built on the old
 * version (a model trained with its lookup tables, a script that reads it) go on unchanged?
 * major = no; minor = yes, but there is something new it does not know about or a flag that
 * changes how classes are trained or scored; patch = yes, nothing that reaches a lookup table.
 */
export const BUMP_RULES = {
  // --- rows of dataset and taxonomy sheets ---------------------------------------------------
  'class-added': { level: 'minor', why: 'a new class: old lookup tables do not know it, nothing existing moves' },
  'class-removed': { level: 'major', why: 'a class removed: annotations and mappings that use it break' },
  'class-renamed': { level: 'major', why: 'a name changed (same id): mappings and verticals refer to classes by name' },
  'class-renumbered': { level: 'major', why: 'an id changed (same name): annotation files and lookup tables use ids' },
  'train-id-changed': { level: 'major', why: 'a train_id changed: a model trained with the official train ids reads them' },
  'parent-changed': {
    level: 'major',
    why: 'a taxonomy class moved in the tree: verticals include whole subtrees, so it can land in another output class',
  },
  'is-thing-changed': {
    level: 'minor',
    why: 'is_thing decides instance vs. stuff handling in training and panoptic scoring, but no id moves',
  },
  'evaluate-changed': { level: 'minor', why: 'evaluate changes what is scored, not what an id means' },
  'category-changed': {
    level: 'patch',
    why: "category is the dataset's own grouping metadata; no lookup table or mapping reads it",
  },
  'text-changed': { level: 'patch', why: 'display_name, color, description and note are presentation only' },
  'counts-changed': { level: 'patch', why: 'instances and images are statistics of the release, not label definitions' },
  'extra-changed': { level: 'patch', why: 'x_ columns carry format-specific extras that labelmap does not compile' },
  // --- mapping sheets ------------------------------------------------------------------------
  'mapping-added': { level: 'minor', why: 'a row for a new source class: existing classes still land where they did' },
  'mapping-removed': { level: 'major', why: 'a source class lost its mapping: its pixels no longer land anywhere defined' },
  'mapping-contains-changed': {
    level: 'minor',
    why: 'what a source class declares it also contains changed: coverage (and the label-space mask) changes, no id moves',
  },
  'mapping-retarget': {
    level: 'major',
    why: 'a mapping target changed: the dataset class lands on another taxonomy class (also from or to ignore)',
  },
  // --- attribute sheets (docs/attributes.md) --------------------------------------------------
  'attribute-value-added': { level: 'minor', why: 'a new attribute value: tables written before do not hold it, nothing existing changes' },
  'attribute-value-removed': {
    level: 'major',
    why: 'an attribute value removed (or renamed: a rename is a removal and an addition): tables and filters that use it break',
  },
  'attribute-rule-changed': {
    level: 'major',
    why: "a derived attribute's rule changed (when, classes, min, max): the same images get another value",
  },
  // --- vertical sheets (output classes) ------------------------------------------------------
  'output-added': {
    level: 'minor',
    why: 'an output class added: old train ids keep their meaning (if others had to move, that is its own major change)',
  },
  'output-removed': { level: 'major', why: 'an output class removed: a trained model predicts a label that no longer exists' },
  'output-renamed': { level: 'major', why: 'an output class renamed: code that reads the label by name breaks' },
  'output-renumbered': { level: 'major', why: "an output class's train id changed: a trained model's output index means something else" },
  'include-added': {
    level: 'minor',
    why: 'an output class covers a taxonomy class no row named before: existing train ids keep their meaning (overlaps through subtrees show in the compiled diff)',
  },
  'include-removed': {
    level: 'major',
    why: 'an output class covers less: what a trained model predicts as it is now ignored',
  },
  'include-moved': { level: 'major', why: 'a taxonomy class moved to another output class: its pixels change train id' },
  // --- sheet sets ----------------------------------------------------------------------------
  'sheet-added': { level: 'minor', why: 'a new sheet: nothing that existed changes' },
  'sheet-removed': { level: 'major', why: 'a sheet removed: whatever was built from it cannot be built again' },
  // --- compiled lookup tables (the effect of mapping, taxonomy and vertical changes) ---------
  'lut-moved': { level: 'major', why: 'a dataset id lands on a different output train id' },
  'lut-ignored': { level: 'major', why: 'a dataset id that landed on an output label is now ignored' },
  'lut-labelled': { level: 'minor', why: 'a dataset id that was ignored now lands on an output label' },
  'lut-added': { level: 'minor', why: 'a new dataset id in the lookup table' },
  'lut-removed': { level: 'major', why: 'a dataset id left the lookup table' },
} as const satisfies Record<string, BumpRule>;

export type RuleId = keyof typeof BUMP_RULES;

export function levelOf(rule: RuleId): Level {
  return BUMP_RULES[rule].level;
}

/** < 0 when a is smaller than b, 0 when equal, > 0 when larger. */
export function compareLevels(a: Level, b: Level): number {
  return LEVELS.indexOf(a) - LEVELS.indexOf(b);
}

export function isLevel(text: unknown): text is Level {
  return typeof text === 'string' && (LEVELS as readonly string[]).includes(text);
}

/** Whether `level` is `threshold` or higher. */
export function levelAtLeast(level: Level, threshold: Level): boolean {
  return compareLevels(level, threshold) >= 0;
}

export function maxLevel(levels: Iterable<Level | null>): Level | null {
  let best: Level | null = null;
  for (const l of levels) if (l !== null && (best === null || compareLevels(l, best) > 0)) best = l;
  return best;
}

/** The bump a list of changes demands: the highest level among them, or null for no change. */
export function requiredBump(changes: Iterable<{ level: Level }>): Level | null {
  let best: Level | null = null;
  for (const c of changes) if (best === null || compareLevels(c.level, best) > 0) best = c.level;
  return best;
}

/** `1.4.2` + minor -> `1.5.0`. A prerelease `2.0.0-rc.1` + major -> `2.0.0` (semver's rule). */
export function nextVersion(version: string, level: Level): string {
  const next = semverInc(version, level);
  if (next === null) throw new Error(`nextVersion: ${JSON.stringify(version)} is not a semantic version`);
  return next;
}

/**
 * The step from one version to the next. `1.0.0 -> 1.1.0` is minor; a step to a prerelease counts
 * as its base level (`1.0.0 -> 2.0.0-rc.1` is major); the release of a prerelease counts as what
 * the prerelease announced (`1.2.0-rc.1 -> 1.2.0` is minor, semver's `diff`); between two
 * prereleases of one version (`2.0.0-rc.1 -> 2.0.0-rc.2`) it is patch.
 */
export function actualBump(from: string, to: string): ActualBump {
  const order = semverCompare(to, from);
  if (order === 0) return 'none';
  if (order < 0) return 'lower';
  const d = semverDiff(from, to);
  if (d === 'major' || d === 'premajor') return 'major';
  if (d === 'minor' || d === 'preminor') return 'minor';
  return 'patch';
}

/** Whether a version step covers the bump the change demands (no change needs no bump). */
export function isBumpEnough(actual: ActualBump, required: Level | null): boolean {
  if (required === null) return actual !== 'lower';
  if (actual === 'none' || actual === 'lower') return false;
  return levelAtLeast(actual, required);
}
