// `labelmap suggest`: a draft mapping for a new dataset, from general evidence only. Pure: the
// dataset's classes, the taxonomy and the mappings that exist in, ranked candidates out.
//
// Evidence per candidate target (each a weight in 0..1, combined as a noisy-or: 1 - prod(1 - w)):
//   exact            the class's name (or display name, or an x_synonyms entry) is a taxonomy
//                    class's name or display name, after the one normaliser (case, separators,
//                    plurals)                                                            0.90
//   alias:<dataset>  another dataset's mapping sends a source of that name to the target  0.80
//                    (+0.05 for every further dataset that agrees, at most 0.95)
//   path             a Mapillary-style path `a--b--c`: its last two segments joined (either
//                    order) name the class 0.92; its last segment alone 0.85 (0.60 when the
//                    last two named another)
//   parent:<class>   the dataset's `category` or a path segment names a taxonomy class and
//                    the candidate lies in its subtree                                  +0.15
//   other            `X--other` / `other X`: `other_X` where it exists, else X            0.80
//   group            `X group(s)`: a crowd of X, labelled X                              0.80
//   description      every word of the name appears in the class's description: in its
//                    first eight words 0.55, further in 0.35
//   fuzzy            a near spelling (siderwalk/sidewalk, vegatation/vegetation): edit
//                    distance within the constrained subtree when there is one; one edit
//                    from 8 letters, two from 16, none below                         0.5..0.7
//   void             the name is a void word (unlabeled, void, dontcare, ...)            0.85
// A name that existing mappings send to different targets (Cityscapes `person` -> pedestrian,
// COCO `person` -> person) is a trap: every candidate is lowered by 0.25, the row says so, and it
// is never accepted without review.
// When the runner-up is close (within 0.1) and is not an ancestor or descendant of the best,
// the best is lowered by a third: the choice is the reviewer's.
import { editDistance } from '../text/index.js';
import { nameTokens } from '../text/normalize.js';

export interface SuggestClass {
  id: number;
  name: string;
  display_name: string;
  category: string;
  synonyms: readonly string[];
}

export interface SuggestTaxonomyClass {
  name: string;
  parent: string;
  display_name: string;
  description: string;
}

export interface KnownMapping {
  dataset: string;
  rows: readonly { source: string; target: string }[];
}

export interface Evidence {
  /** `exact`, `alias:cityscapes`, `path`, `parent:vehicle`, `other`, `description`, `fuzzy`, `void`, `trap`. */
  signal: string;
  weight: number;
}

export interface Candidate {
  target: string;
  confidence: number;
  evidence: Evidence[];
}

export interface Suggestion {
  source: SuggestClass;
  /** The best candidate, or null when nothing at all speaks for any target. */
  best: Candidate | null;
  /** The next candidates, best first (at most 3). */
  alternatives: Candidate[];
  /** best.confidence >= threshold. */
  accepted: boolean;
  /** Targets that existing mappings give this very name, when they disagree (a trap). */
  trap: string[];
}

export interface SuggestOptions {
  /** Rows at or above it are suggested, the rest left for review. Default 0.7. */
  threshold?: number;
  /** Reserved mapping targets besides taxonomy classes (`ignore`, and `background` where supported). */
  reserved?: readonly string[];
}

export const DEFAULT_THRESHOLD = 0.7;

/** Words that name no class: void, unlabelled, don't care. General annotation vocabulary. */
const VOID_WORDS = new Set(['unlabeled', 'unlabelled', 'void', 'dontcare', 'ignore', 'ignored', 'unknown', 'none', 'undefined', 'nan', 'null']);

interface TaxonomyIndex {
  classes: Map<string, SuggestTaxonomyClass>;
  /** Normalised key (`traffic light`) -> class names. */
  byKey: Map<string, string[]>;
  descriptionWords: Map<string, Set<string>>;
  /** The first eight words of each description. */
  descriptionStart: Map<string, Set<string>>;
  /** Compact key (`trafficlight`) per class, for fuzzy matching. */
  compact: Map<string, string[]>;
  parentOf: Map<string, string>;
  /** Normalised source name -> target -> datasets that map it there. */
  aliases: Map<string, Map<string, string[]>>;
}

const key = (text: string) => nameTokens(text).join(' ');

function indexTaxonomy(taxonomy: readonly SuggestTaxonomyClass[], known: readonly KnownMapping[]): TaxonomyIndex {
  const classes = new Map(taxonomy.map((c) => [c.name, c]));
  const byKey = new Map<string, string[]>();
  const add = (k: string, name: string) => {
    if (k === '') return;
    const list = byKey.get(k) ?? [];
    if (!list.includes(name)) list.push(name);
    byKey.set(k, list);
  };
  const compact = new Map<string, string[]>();
  const descriptionWords = new Map<string, Set<string>>();
  const descriptionStart = new Map<string, Set<string>>();
  for (const c of taxonomy) {
    add(key(c.name), c.name);
    add(key(c.display_name), c.name);
    compact.set(c.name, [...new Set([nameTokens(c.name).join(''), nameTokens(c.display_name).join('')])].filter((s) => s !== ''));
    const words = nameTokens(c.description);
    descriptionWords.set(c.name, new Set(words));
    descriptionStart.set(c.name, new Set(words.slice(0, 8)));
  }
  const aliases = new Map<string, Map<string, string[]>>();
  for (const m of known) {
    for (const row of m.rows) {
      const k = key(row.source);
      if (k === '') continue;
      const targets = aliases.get(k) ?? new Map<string, string[]>();
      const list = targets.get(row.target) ?? [];
      if (!list.includes(m.dataset)) list.push(m.dataset);
      targets.set(row.target, list);
      aliases.set(k, targets);
    }
  }
  return { classes, byKey, descriptionWords, descriptionStart, compact, parentOf: new Map(taxonomy.map((c) => [c.name, c.parent])), aliases };
}

function isWithin(index: TaxonomyIndex, name: string, root: string): boolean {
  const seen = new Set<string>();
  for (let n: string | undefined = name; n && !seen.has(n); n = index.parentOf.get(n)) {
    if (n === root) return true;
    seen.add(n);
  }
  return false;
}

function related(index: TaxonomyIndex, a: string, b: string): boolean {
  return isWithin(index, a, b) || isWithin(index, b, a);
}

/** Ranked suggestions for every class of a dataset. */
export function suggestMapping(
  classes: readonly SuggestClass[],
  taxonomy: readonly SuggestTaxonomyClass[],
  known: readonly KnownMapping[],
  options: SuggestOptions = {},
): Suggestion[] {
  const index = indexTaxonomy(taxonomy, known);
  const threshold = options.threshold ?? DEFAULT_THRESHOLD;
  const reserved = new Set(options.reserved ?? ['ignore']);
  return classes.map((c) => suggestOne(c, index, threshold, reserved));
}

function suggestOne(c: SuggestClass, index: TaxonomyIndex, threshold: number, reserved: ReadonlySet<string>): Suggestion {
  const evidence = new Map<string, Evidence[]>();
  const give = (target: string, signal: string, weight: number) => {
    if (!index.classes.has(target) && !reserved.has(target)) return;
    const list = evidence.get(target) ?? [];
    const same = list.find((e) => e.signal === signal);
    if (same) same.weight = Math.max(same.weight, weight);
    else list.push({ signal, weight });
    evidence.set(target, list);
  };

  // The names this class goes by, and for a path name its segments.
  const segments = c.name.includes('--') ? c.name.split('--').filter((s) => s !== '') : [];
  const leaf = segments.at(-1) ?? c.name;
  const names = [...new Set([c.name, c.display_name, ...c.synonyms].filter((n) => n.trim() !== ''))];

  // Constraints: the dataset's category and the path's parent segments, where they name a class.
  const constraints: string[] = [];
  const categoryParts = c.category.includes('--') ? c.category.split('--') : [c.category];
  for (const part of [...categoryParts, ...segments.slice(0, -1)]) {
    for (const t of index.byKey.get(key(part)) ?? []) if (!constraints.includes(t)) constraints.push(t);
  }

  // void
  const tokens = nameTokens(c.name);
  if (tokens.length > 0 && tokens.every((t) => VOID_WORDS.has(t))) give('ignore', 'void', 0.85);

  // exact
  for (const n of names) for (const t of index.byKey.get(key(n)) ?? []) give(t, 'exact', 0.9);

  // path: the last two segments joined (either order: `symbol--bicycle` is a bicycle symbol) name
  // the class more exactly than the last segment alone, whose evidence then counts less.
  let pairNamed = false;
  if (segments.length > 1) {
    const prev = segments.at(-2)!;
    for (const n of [`${prev} ${leaf}`, `${leaf} ${prev}`]) {
      for (const t of index.byKey.get(key(n)) ?? []) {
        give(t, 'path', 0.92);
        pairNamed = true;
      }
    }
    for (const t of index.byKey.get(key(leaf)) ?? []) give(t, 'path', pairNamed ? 0.6 : 0.85);
  }

  // other: `X--other`, `other-X`, `X other`
  const leafTokens = nameTokens(leaf);
  if (leafTokens.includes('other')) {
    const rest = leafTokens.filter((t) => t !== 'other');
    const base = rest.length ? rest.join(' ') : segments.length > 1 ? key(segments.at(-2)!) : '';
    if (base !== '') {
      const others = index.byKey.get(`other ${base}`) ?? [];
      const plain = index.byKey.get(base) ?? [];
      for (const t of others.length ? others : plain) give(t, 'other', 0.8);
    }
  }

  // alias: what other datasets call a class of this name
  const aliasTargets = new Map<string, string[]>();
  for (const n of names) {
    for (const [target, datasets] of index.aliases.get(key(n)) ?? []) {
      const list = aliasTargets.get(target) ?? [];
      for (const d of datasets) if (!list.includes(d)) list.push(d);
      aliasTargets.set(target, list);
    }
  }
  // The last segment alone as an alias: not for `other` (what "other" means depends on its parent)
  // and weaker when the last two segments already named a class.
  const leafAliases = segments.length > 1 && !nameTokens(leaf).includes('other') && !pairNamed;
  if (leafAliases) {
    for (const [target, datasets] of index.aliases.get(key(leaf)) ?? []) {
      const list = aliasTargets.get(target) ?? [];
      for (const d of datasets) if (!list.includes(d)) list.push(d);
      aliasTargets.set(target, list);
    }
  }
  for (const [target, datasets] of aliasTargets) {
    for (const d of datasets) give(target, `alias:${d}`, Math.min(0.95, 0.8 + 0.05 * (datasets.length - 1)));
  }
  const trap = aliasTargets.size > 1 ? [...aliasTargets.keys()].sort() : [];

  // group: `X group` / `X groups` is a crowd of X, labelled X (a common annotation convention)
  if (tokens.length > 1 && tokens.at(-1) === 'group') {
    for (const t of index.byKey.get(tokens.slice(0, -1).join(' ')) ?? []) give(t, 'group', 0.8);
  }

  // description: every word of the name in the description (names of 3+ letters); near its start
  // (the first eight words, where a description names its class) 0.55, further in 0.35
  const descTokens = tokens.filter((t) => t.length >= 3 && t !== 'group');
  if (descTokens.length > 0) {
    for (const [t, words] of index.descriptionWords) {
      if (!descTokens.every((w) => words.has(w))) continue;
      const early = index.descriptionStart.get(t)!;
      give(t, 'description', descTokens.every((w) => early.has(w)) ? 0.55 : 0.35);
    }
  }

  // fuzzy: near spellings, inside the constraints when there are any, stricter for short names
  if (evidence.size === 0 || ![...evidence.values()].some((list) => list.some((e) => e.signal === 'exact' || e.signal === 'path'))) {
    const wanted = nameTokens(leaf).join('');
    // One edit from 8 letters on, two from 16: short words are too close to each other (rover/river,
    // store/stone) for a spelling slip to be told from another word.
    if (wanted.length >= 8) {
      const allowed = 1 + Math.floor((wanted.length - 8) / 8);
      for (const [t, forms] of index.compact) {
        if (constraints.length && !constraints.some((root) => isWithin(index, t, root))) continue;
        for (const form of forms) {
          if (Math.abs(form.length - wanted.length) > allowed) continue;
          const d = editDistance(wanted, form);
          if (d > 0 && d <= allowed) give(t, 'fuzzy', 0.7 - 0.1 * (d - 1));
        }
      }
    }
  }

  // parent: candidates inside a constraint gain, and name it
  for (const [t, list] of evidence) {
    const root = constraints.find((r) => isWithin(index, t, r));
    if (root !== undefined) list.push({ signal: `parent:${root}`, weight: 0.15 });
  }

  const candidates: Candidate[] = [...evidence].map(([target, list]) => {
    let confidence = 1 - list.reduce((p, e) => p * (1 - e.weight), 1);
    if (trap.length) {
      confidence = Math.max(0, confidence - 0.25);
      list.push({ signal: 'trap', weight: -0.25 });
    }
    return { target, confidence, evidence: list };
  });
  candidates.sort((a, b) => b.confidence - a.confidence || (a.target < b.target ? -1 : 1));
  const best = candidates[0] ?? null;
  const runnerUp = candidates[1];
  if (best && runnerUp && best.confidence - runnerUp.confidence < 0.1 && !related(index, best.target, runnerUp.target)) {
    best.confidence *= 2 / 3;
    best.evidence.push({ signal: 'close:' + runnerUp.target, weight: 0 });
  }
  for (const cand of candidates) cand.confidence = Math.round(cand.confidence * 100) / 100;
  return {
    source: c,
    best,
    alternatives: candidates.slice(1, 4),
    // A trap is surfaced, never accepted: the reviewer reads the descriptions and decides.
    accepted: best !== null && best.confidence >= threshold && trap.length === 0,
    trap,
  };
}
