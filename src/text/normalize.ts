// The one normaliser of class names and search text, shared by `labelmap find`, the HTML report's
// search box (which runs this very code in the browser: see `normalizerSource`) and
// `labelmap suggest`. General English only: no table for any particular dataset.
//
//   "Traffic-Lights"                -> ["traffic", "light"]
//   "construction--flat--bike-lane" -> ["construction", "flat", "bike", "lane"]
//   "trafficLight"                  -> ["traffic", "light"];  "pottedplant" stays one word

export interface Normalizer {
  /** The words of a name or a query, lower-case and singular, in order. */
  nameTokens(text: string): string[];
  /** How well the query's words match `candidate`: 3 exact, 2 every word, 1 a part of a word, 0 none. */
  matchLevel(queryTokens: readonly string[], candidate: string): 0 | 1 | 2 | 3;
}

/**
 * Builds the normaliser. Self-contained (no imports, nothing from outside its body) so that its
 * source text can be embedded in a page and run there unchanged.
 */
export function createNormalizer(): Normalizer {
  const irregular: Record<string, string> = {
    people: 'person', persons: 'person', men: 'man', women: 'woman', children: 'child', mice: 'mouse',
    feet: 'foot', teeth: 'tooth', geese: 'goose', knives: 'knife', leaves: 'leaf', shelves: 'shelf',
    wolves: 'wolf', halves: 'half', loaves: 'loaf', scarves: 'scarf', dice: 'die', oxen: 'ox',
    buses: 'bus', glasses: 'glass', grasses: 'grass', boxes: 'box', benches: 'bench', bushes: 'bush',
  };
  // Words that end in s in the singular: never cut.
  const keep = new Set(['bus', 'gas', 'glass', 'grass', 'moss', 'cross', 'bonus', 'cactus', 'lotus', 'canvas', 'chassis',
    'series', 'species', 'news', 'lens', 'tennis', 'dress', 'mattress', 'compass']);
  const singular = (w: string): string => {
    if (Object.prototype.hasOwnProperty.call(irregular, w)) return irregular[w]!;
    if (w.length <= 3 || keep.has(w) || /(ss|us|is|ous)$/.test(w)) return w;
    if (/ies$/.test(w) && w.length > 4) return `${w.slice(0, -3)}y`;
    if (/(xes|ches|shes|sses|zes)$/.test(w)) return w.slice(0, -2);
    if (/s$/.test(w)) return w.slice(0, -1);
    return w;
  };
  // Names repeat across sheets (and every query re-reads them): tokens are memoised, bounded.
  const memo = new Map<string, string[]>();
  const nameTokens = (text: string): string[] => {
    const hit = memo.get(text);
    if (hit) return hit;
    const spaced = String(text)
      .normalize('NFKC')
      .replace(/([a-z])([A-Z])/g, '$1 $2')
      .toLowerCase()
      .replace(/[^\p{L}\p{N}]+/gu, ' ')
      .trim();
    const tokens = spaced === '' ? [] : spaced.split(' ').map(singular);
    if (memo.size > 100_000) memo.clear();
    memo.set(text, tokens);
    return tokens;
  };
  const matchLevel = (queryTokens: readonly string[], candidate: string): 0 | 1 | 2 | 3 => {
    if (queryTokens.length === 0) return 0;
    const tokens = nameTokens(candidate);
    if (tokens.length === 0) return 0;
    if (tokens.join(' ') === queryTokens.join(' ')) return 3;
    if (queryTokens.every((q) => tokens.includes(q))) return 2;
    const q = queryTokens.join('');
    if (q.length >= 3 && tokens.join('').includes(q)) return 1;
    return 0;
  };
  return { nameTokens, matchLevel };
}

const normalizer = createNormalizer();
export const nameTokens = normalizer.nameTokens;
export const matchLevel = normalizer.matchLevel;

/** The compact key of a name: its tokens joined with `_` (`Traffic Lights` -> `traffic_light`). */
export function nameKey(text: string): string {
  return nameTokens(text).join('_');
}

/**
 * Script text that defines `nameTokens` and `matchLevel` in a page, from this module's own code:
 * the report's search matches exactly as `labelmap find` does, with no copy in JavaScript.
 */
export function normalizerSource(): string {
  return `var labelmapNormalizer = (${createNormalizer.toString()})();\nvar nameTokens = labelmapNormalizer.nameTokens, matchLevel = labelmapNormalizer.matchLevel;`;
}
