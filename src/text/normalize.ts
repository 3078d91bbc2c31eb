// The one normaliser of class names and search text, shared by `labelmap find`, the HTML report's
// search box (which runs this very function in the browser: see `normalizerSource`) and
// `labelmap suggest`. General English only: no table for any particular dataset.
//
//   "Traffic-Lights"            -> ["traffic", "light"]
//   "construction--flat--bike-lane" -> ["construction", "flat", "bike", "lane"]
//   "pottedplant" stays one token; "trafficLight" -> ["traffic", "light"]

/**
 * The words of a name or a query, lower-case and singular, in order. Self-contained (no imports,
 * no outer constants) so that its source text can be embedded in a page and run there unchanged.
 */
export function nameTokens(text: string): string[] {
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
    if (w in irregular) return irregular[w]!;
    if (w.length <= 3 || keep.has(w) || /(ss|us|is|ous)$/.test(w)) return w;
    if (/ies$/.test(w) && w.length > 4) return `${w.slice(0, -3)}y`;
    if (/(xes|ches|shes|sses|zes)$/.test(w)) return w.slice(0, -2);
    if (/s$/.test(w)) return w.slice(0, -1);
    return w;
  };
  const spaced = text
    .normalize('NFKC')
    // camelCase and digits next to letters split: trafficLight -> traffic Light, 0x21 stays.
    .replace(/([a-z])([A-Z])/g, '$1 $2')
    .toLowerCase()
    .replace(/[^\p{L}\p{N}]+/gu, ' ')
    .trim();
  if (spaced === '') return [];
  return spaced.split(' ').map(singular);
}

/** The compact key of a name: its tokens joined with `_` (`Traffic Lights` -> `traffic_light`). */
export function nameKey(text: string): string {
  return nameTokens(text).join('_');
}

/** How well `query` matches `candidate`: 3 exact, 2 every word, 1 a part of a word, 0 none. */
export function matchLevel(queryTokens: readonly string[], candidate: string): 0 | 1 | 2 | 3 {
  if (queryTokens.length === 0) return 0;
  const tokens = nameTokens(candidate);
  if (tokens.length === 0) return 0;
  if (tokens.join(' ') === queryTokens.join(' ')) return 3;
  if (queryTokens.every((q) => tokens.includes(q))) return 2;
  const compact = tokens.join('');
  const q = queryTokens.join('');
  if (q.length >= 3 && compact.includes(q)) return 1;
  return 0;
}

/**
 * The source text of the normaliser's functions, for a page that must match exactly as the CLI
 * does (the HTML report's search box): one implementation, not a copy in JavaScript.
 */
export function normalizerSource(): string {
  return [nameTokens, matchLevel].map((f) => f.toString()).join('\n');
}
