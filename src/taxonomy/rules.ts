// The whole-set rules: what must hold between the rows of a taxonomy, a mapping and its dataset
// sheet, and a vertical, beyond what one row's schema can say. Pure: parsed sheets in, findings
// out (codes and wording in src/findings.ts). `labelmap validate` and `labelmap merge` both run
// checkSheetSet; per-sheet rules (CSV, header, cell types, duplicate ids/names) are the readers'
// (src/sheets/csv.ts) and are not repeated here.
import { finding, type Finding, type Severity, type Args } from '../findings.js';
import type { Sheet } from '../sheets/io.js';
import { BACKGROUND_TARGET, IGNORE_TARGET } from '../sheets/schema.js';
import { buildHierarchy, compareText } from './hierarchy.js';
import { IGNORE_16, IGNORE_8, MAX_VERTICAL_CLASSES } from './resolve.js';
import type { SheetSet } from './types.js';

/** The place of one row's cell: `file:line:column`. */
function at(sheet: Sheet, index: number, column: string): { file: string; line?: number; column?: number } {
  const c = sheet.columns.indexOf(column);
  return { file: sheet.rel, line: sheet.lines[index], column: c >= 0 ? c + 1 : undefined };
}

function ref(sheet: Sheet): string {
  return `${sheet.name}@${sheet.version}`;
}

function push(out: Finding[], code: string, severity: Severity, place: ReturnType<typeof at>, args: Args): void {
  out.push(finding(code, severity, place, args));
}

// --- taxonomy ------------------------------------------------------------------------------------

/** Parents exist, no cycles, `ignore` is not a class, ids fit the 16-bit unified label set. */
export function checkTaxonomy(sheet: Sheet<'taxonomy'>): Finding[] {
  const out: Finding[] = [];
  const parentOf = new Map<string, string>();
  const indexOf = new Map<string, number>();
  sheet.rows.forEach((row, i) => {
    if (!indexOf.has(row.name)) {
      indexOf.set(row.name, i);
      parentOf.set(row.name, row.parent);
    }
  });
  const names = [...indexOf.keys()];
  sheet.rows.forEach((row, i) => {
    if (row.name === IGNORE_TARGET || row.name === BACKGROUND_TARGET) push(out, 'taxonomy-reserved-name', 'error', at(sheet, i, 'name'), { name: row.name });
    if (row.id >= IGNORE_16) {
      push(out, 'taxonomy-id-range', 'error', at(sheet, i, 'id'), { name: row.name, id: row.id, max: IGNORE_16 - 1, ignore: IGNORE_16 });
    }
    if (row.parent !== '' && !indexOf.has(row.parent)) {
      push(out, 'taxonomy-parent-unknown', 'error', at(sheet, i, 'parent'), {
        name: row.name,
        parent: row.parent,
        suggestion: closest(row.parent, names),
      });
    }
  });
  // Cycles: walk up from every class; a walk that meets its own path has found a cycle. Each
  // cycle is reported once, on the row of its first member in the file.
  const done = new Set<string>();
  for (const start of names) {
    const path: string[] = [];
    let n: string | undefined = start;
    while (n !== undefined && n !== '' && !done.has(n) && indexOf.has(n)) {
      const k = path.indexOf(n);
      if (k >= 0) {
        const cycle = path.slice(k);
        const first = cycle.reduce((a, b) => (indexOf.get(a)! <= indexOf.get(b)! ? a : b));
        const from = cycle.indexOf(first);
        const ordered = [...cycle.slice(from), ...cycle.slice(0, from), first];
        push(out, 'taxonomy-cycle', 'error', at(sheet, indexOf.get(first)!, 'parent'), { name: first, cycle: ordered.join(' -> ') });
        break;
      }
      path.push(n);
      n = parentOf.get(n);
    }
    for (const p of path) done.add(p);
  }
  return sortFindings(out);
}

/**
 * Ids are stable across versions: a class keeps its id in every later version
 * (`taxonomy-id-changed`), and an id that disappeared is never given out again
 * (`taxonomy-id-reused`). An id that passes straight from one name to another between two
 * consecutive versions reads as a rename, which is allowed (a major change that diff reports).
 */
export function checkTaxonomyHistory(latest: Sheet<'taxonomy'>, earlier: readonly Sheet<'taxonomy'>[]): Finding[] {
  const out: Finding[] = [];
  const chain = [...earlier, latest];
  // The id to suggest for a new class: after the highest ever used, or the first never used.
  const used = new Set(chain.flatMap((s) => s.rows.map((r) => r.id)));
  let next = Math.max(-1, ...used) + 1;
  if (next >= IGNORE_16) for (next = 0; used.has(next); ) next++;
  latest.rows.forEach((row, i) => {
    for (let v = earlier.length - 1; v >= 0; v--) {
      const old = earlier[v]!.rows.find((r) => r.name === row.name);
      if (old && old.id !== row.id) {
        push(out, 'taxonomy-id-changed', 'error', at(latest, i, 'id'), { name: row.name, id: row.id, previous: old.id, version: ref(earlier[v]!) });
        return;
      }
      if (old) break;
    }
    // The last version that had this id, and whether a version after it dropped the id.
    for (let v = chain.length - 2; v >= 0; v--) {
      const holder = chain[v]!.rows.find((r) => r.id === row.id);
      if (!holder) continue;
      const gap = chain.slice(v + 1, -1).some((s) => !s.rows.some((r) => r.id === row.id));
      // Without a gap, a new name under the same id is a rename (a major change, allowed) as long
      // as it is the same concept: same parent and colour. A new parent or colour as well means
      // another class took the id (the same reading as the diff's renamed-vs-replaced rule).
      const replaced = holder.name !== row.name && (holder.parent !== row.parent || holder.color !== row.color);
      if (holder.name !== row.name && (gap || replaced)) {
        push(out, 'taxonomy-id-reused', 'error', at(latest, i, 'id'), {
          name: row.name,
          id: row.id,
          previousName: holder.name,
          version: ref(chain[v]!),
          next,
        });
      }
      break;
    }
  });
  return out;
}

// --- mapping -------------------------------------------------------------------------------------

/**
 * Every class of the dataset sheet appears exactly once in its mapping (duplicates are the
 * reader's `duplicate-name`), every source is a class of the dataset, every target is a taxonomy
 * class or `ignore`. A class with no row is reported at its line in the dataset sheet.
 */
export function checkMapping(mapping: Sheet<'mapping'>, dataset: Sheet<'dataset'>, taxonomy: Sheet<'taxonomy'>): Finding[] {
  const out: Finding[] = [];
  const classNames = dataset.rows.map((r) => r.name);
  const known = new Set(classNames);
  const taxonomyNames = taxonomy.rows.map((r) => r.name);
  const targets = new Set(taxonomyNames);
  const sources = new Set<string>();
  mapping.rows.forEach((row, i) => {
    sources.add(row.source);
    if (!known.has(row.source)) {
      push(out, 'mapping-source-unknown', 'warning', at(mapping, i, 'source'), {
        source: row.source,
        dataset: ref(dataset),
        suggestion: closest(row.source, classNames),
      });
    }
    if (row.target !== IGNORE_TARGET && row.target !== BACKGROUND_TARGET && !targets.has(row.target)) {
      push(out, 'mapping-target-unknown', 'error', at(mapping, i, 'target'), {
        source: row.source,
        target: row.target,
        taxonomy: ref(taxonomy),
        suggestion: closest(row.target, taxonomyNames),
      });
    }
  });
  dataset.rows.forEach((row, i) => {
    if (sources.has(row.name)) return;
    push(out, 'mapping-source-missing', 'error', at(dataset, i, 'name'), {
      source: row.name,
      id: row.id,
      dataset: ref(dataset),
      mapping: mapping.rel,
      example: `${csvCell(row.name)},<target>,`,
    });
  });
  return sortFindings(out);
}

// --- vertical ------------------------------------------------------------------------------------

/**
 * Includes exist and each taxonomy class is included by one output class; train ids are given
 * for every class or for none, one per class, unique, 0..254 (255 is ignore); at most 255 output
 * classes (uint8 masks).
 */
export function checkVertical(vertical: Sheet<'vertical'>, taxonomy: Sheet<'taxonomy'>): Finding[] {
  const out: Finding[] = [];
  if (vertical.rows.length === 0) {
    push(out, 'vertical-empty', 'error', { file: vertical.rel, line: 1 }, { vertical: ref(vertical) });
    return out;
  }
  const hierarchy = buildHierarchy(taxonomy.rows);
  const taxonomyNames = taxonomy.rows.map((r) => r.name);
  const includedBy = new Map<string, { class: string; line: number }>();
  const classes = new Map<string, { firstIndex: number; id: { value: number; line: number } | null }>();
  const idOwner = new Map<number, { class: string; line: number }>();

  vertical.rows.forEach((row, i) => {
    const line = vertical.lines[i]!;
    let cls = classes.get(row.class);
    if (!cls) {
      classes.set(row.class, (cls = { firstIndex: i, id: null }));
      if (row.class === IGNORE_TARGET) push(out, 'vertical-class-reserved', 'error', at(vertical, i, 'class'), { class: row.class });
      if (classes.size === MAX_VERTICAL_CLASSES + 1) {
        push(out, 'vertical-too-many-classes', 'error', at(vertical, i, 'class'), { vertical: ref(vertical), count: countClasses(vertical) });
      }
    }

    if (!hierarchy.has(row.include)) {
      push(out, 'vertical-include-unknown', 'error', at(vertical, i, 'include'), {
        class: row.class,
        include: row.include,
        taxonomy: ref(taxonomy),
        suggestion: closest(row.include, taxonomyNames),
      });
    }
    const first = includedBy.get(row.include);
    if (first) {
      const same = first.class === row.class;
      push(out, same ? 'vertical-include-duplicate' : 'vertical-include-conflict', same ? 'warning' : 'error', at(vertical, i, 'include'), {
        class: row.class,
        include: row.include,
        other: first.class,
        firstLine: first.line,
      });
    } else {
      includedBy.set(row.include, { class: row.class, line });
    }

    if (row.train_id !== null) {
      const id = row.train_id;
      if (id === IGNORE_8) push(out, 'vertical-train-id-reserved', 'error', at(vertical, i, 'train_id'), { class: row.class, train_id: id });
      else if (id > IGNORE_8) push(out, 'vertical-train-id-range', 'error', at(vertical, i, 'train_id'), { class: row.class, train_id: id });
      if (cls.id && cls.id.value !== id) {
        push(out, 'vertical-train-id-conflict', 'error', at(vertical, i, 'train_id'), {
          class: row.class,
          train_id: id,
          previous: cls.id.value,
          firstLine: cls.id.line,
        });
      } else if (!cls.id) {
        cls.id = { value: id, line };
        const owner = idOwner.get(id);
        if (owner && owner.class !== row.class) {
          push(out, 'vertical-train-id-duplicate', 'error', at(vertical, i, 'train_id'), {
            class: row.class,
            train_id: id,
            other: owner.class,
            firstLine: owner.line,
          });
        } else if (!owner) idOwner.set(id, { class: row.class, line });
      }
    }
  });

  // An include below another include of the same class adds nothing.
  vertical.rows.forEach((row, i) => {
    const ancestor = hierarchy.ancestorsOf(row.include).find((a) => includedBy.get(a)?.class === row.class);
    if (ancestor !== undefined && includedBy.get(row.include)?.line === vertical.lines[i]) {
      push(out, 'vertical-include-redundant', 'warning', at(vertical, i, 'include'), {
        class: row.class,
        include: row.include,
        ancestor,
        firstLine: includedBy.get(ancestor)!.line,
      });
    }
  });

  // Train ids: for every class or for none.
  const withId = [...classes].filter(([, c]) => c.id !== null);
  if (withId.length > 0 && withId.length < classes.size) {
    const [exampleName, example] = withId[0]!;
    for (const [name, c] of classes) {
      if (c.id !== null) continue;
      push(out, 'vertical-train-id-partial', 'error', at(vertical, c.firstIndex, 'train_id'), {
        class: name,
        example: exampleName,
        exampleLine: example.id!.line,
      });
    }
  } else if (withId.length === classes.size) {
    const ids = new Set(withId.map(([, c]) => c.id!.value).filter((v) => v < IGNORE_8));
    const missing: number[] = [];
    for (let v = 0; v <= Math.max(...ids); v++) if (!ids.has(v)) missing.push(v);
    if (missing.length) {
      // Point at the class whose train id comes right after the first gap.
      const after = withId.filter(([, c]) => c.id!.value > missing[0]!).sort(([, a], [, b]) => a.id!.value - b.id!.value)[0]!;
      push(out, 'vertical-train-id-gap', 'warning', at(vertical, after[1].firstIndex, 'train_id'), { missing: formatRanges(missing) });
    }
  }
  return sortFindings(out);
}

function countClasses(vertical: Sheet<'vertical'>): number {
  return new Set(vertical.rows.map((r) => r.class)).size;
}

// --- the whole set -------------------------------------------------------------------------------

/** Every whole-set rule over a loaded sheet set: taxonomy, its history, each mapping, each vertical. */
export function checkSheetSet(set: SheetSet): Finding[] {
  return [
    ...checkTaxonomy(set.taxonomy),
    ...checkTaxonomyHistory(set.taxonomy, set.taxonomyHistory),
    ...set.datasets.flatMap((d) => checkMapping(d.mapping, d.dataset, set.taxonomy)),
    ...set.verticals.flatMap((v) => checkVertical(v, set.taxonomy)),
  ];
}

// --- helpers -------------------------------------------------------------------------------------

function sortFindings(findings: Finding[]): Finding[] {
  return findings.sort((a, b) => compareText(a.file ?? '', b.file ?? '') || (a.line ?? 0) - (b.line ?? 0) || (a.column ?? 0) - (b.column ?? 0));
}

/** `3, 5-7` for [3, 5, 6, 7]. */
function formatRanges(values: readonly number[]): string {
  const parts: string[] = [];
  for (let i = 0; i < values.length; ) {
    let j = i;
    while (j + 1 < values.length && values[j + 1] === values[j]! + 1) j++;
    parts.push(i === j ? String(values[i]) : `${values[i]}-${values[j]}`);
    i = j + 1;
  }
  return parts.join(', ');
}

function csvCell(text: string): string {
  return /[",\n\r]/.test(text) ? `"${text.replace(/"/g, '""')}"` : text;
}

/** The candidate closest to `name` by edit distance, when it is close enough to be a typo. */
export function closest(name: string, candidates: readonly string[]): string | undefined {
  const limit = Math.max(1, Math.min(3, Math.floor(name.length / 3)));
  let best: string | undefined;
  let bestDistance = limit + 1;
  for (const c of candidates) {
    if (Math.abs(c.length - name.length) > limit) continue;
    const d = editDistance(name.toLowerCase(), c.toLowerCase());
    if (d < bestDistance) {
      best = c;
      bestDistance = d;
    }
  }
  return best;
}

/** Edit distance where swapping two neighbouring letters counts as one edit (optimal string alignment). */
function editDistance(a: string, b: string): number {
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
