// Small text helpers that wording and rules share: the one "did you mean" (one edit distance for
// every suggestion), lists that name a few and count the rest, id ranges, plurals. Pure.

/**
 * The candidate a mistyped name most likely meant, or undefined. A candidate that differs only in
 * case, spaces, `-` or `_` wins outright; otherwise the closest by edit distance (optimal string
 * alignment: a swap of two neighbouring letters is one edit, case ignored), within a third of
 * the name's length (at least 1, at most 3), ties to the first candidate; else the one candidate
 * that starts with the name and a separator.
 */
export function didYouMean(name: string, candidates: Iterable<string>): string | undefined {
  const key = (s: string) => s.toLowerCase().replace(/[\s_-]+/g, '');
  const list = [...candidates];
  const k = key(name);
  const loose = list.find((c) => c !== name && key(c) === k);
  if (loose !== undefined) return loose;
  const limit = Math.max(1, Math.min(3, Math.floor(name.length / 3)));
  let best: string | undefined;
  let bestDistance = limit + 1;
  for (const c of list) {
    if (c === name || Math.abs(c.length - name.length) > limit) continue;
    const d = editDistance(name.toLowerCase(), c.toLowerCase());
    if (d < bestDistance) {
      best = c;
      bestDistance = d;
    }
  }
  if (best !== undefined) return best;
  // A longer name of which this is the first part (`mapillary` -> `mapillary-vistas-v2.0`), when only one is.
  const longer = list.filter((c) => c.length > name.length && c.toLowerCase().startsWith(name.toLowerCase()) && /[-_.]/.test(c[name.length]!));
  return longer.length === 1 ? longer[0] : undefined;
}

/** Edit distance where swapping two neighbouring letters counts as one edit (optimal string alignment). */
export function editDistance(a: string, b: string): number {
  const d: number[][] = Array.from({ length: a.length + 1 }, (_, i) => [i, ...Array<number>(b.length).fill(0)]);
  for (let j = 0; j <= b.length; j++) d[0]![j] = j;
  for (let i = 1; i <= a.length; i++) {
    for (let j = 1; j <= b.length; j++) {
      const cost = a[i - 1] === b[j - 1] ? 0 : 1;
      let v = Math.min(d[i - 1]![j]! + 1, d[i]![j - 1]! + 1, d[i - 1]![j - 1]! + cost);
      if (i > 1 && j > 1 && a[i - 1] === b[j - 2] && a[i - 2] === b[j - 1]) v = Math.min(v, d[i - 2]![j - 2]! + 1);
      d[i]![j] = v;
    }
  }
  return d[a.length]![b.length]!;
}

/**
 * `a, b, c and 4 more` (all of them when there are at most `most`). `total` is how many items the
 * list stands for when it was already cut (a resolution lists at most 20 of 65,000 classes).
 */
export function listSome(items: readonly string[], most: number, total = items.length): string {
  const shown = items.slice(0, most);
  return total <= shown.length ? shown.join(', ') : `${shown.join(', ')} and ${total - shown.length} more`;
}

/** `3, 5-7` for [3, 5, 6, 7] (sorted ascending). */
/** Words of a sentence's list: `a`, `a and b`, `a, b and c`. */
export function andList(items: readonly string[]): string {
  return items.length <= 2 ? items.join(' and ') : `${items.slice(0, -1).join(', ')} and ${items.at(-1)}`;
}

export function formatRanges(values: readonly number[]): string {
  const parts: string[] = [];
  for (let i = 0; i < values.length; ) {
    let j = i;
    while (j + 1 < values.length && values[j + 1] === values[j]! + 1) j++;
    parts.push(i === j ? String(values[i]) : `${values[i]}-${values[j]}`);
    i = j + 1;
  }
  return parts.join(', ');
}

/** `1 error`, `2 errors` (`word` is the singular; `many` when the plural is not word + s). */
export function plural(n: number, word: string, many = `${word}s`): string {
  return `${n} ${n === 1 ? word : many}`;
}

/** A word as a POSIX shell reads it back (a path in a fix command): quoted only when it has to be. */
export function shellWord(word: string): string {
  return /^[\w@%+=:,./-]+$/.test(word) ? word : `'${word.replace(/'/g, `'\\''`)}'`;
}

export { cutLong, MESSAGE_TEXT_MOST, printable, printableKeepingNewlines, printableLines, shownText } from './terminal.js';
export { formulaStart, spreadsheetCell } from './spreadsheet.js';
