// Rules over vertical sheets: includes exist and each taxonomy class falls into one output class;
// train ids one per class, unique, 0..254 (255 is ignore), given for all classes or none; colours
// distinct; at most 255 output classes (uint8 masks).
import { finding, sortFindings, type Finding } from '../findings.js';
import { IGNORE_TARGET } from '../sheets/schema.js';
import type { Sheet } from '../sheets/types.js';
import { buildHierarchy, nearestMarked, type Hierarchy } from '../taxonomy/hierarchy.js';
import { IGNORE_8, MAX_VERTICAL_CLASSES, outputClassesOf, verticalLabelSet } from '../taxonomy/resolve.js';
import { didYouMean, formatRanges } from '../text/index.js';
import { at, cellsOf, refOf, type Rule } from './types.js';
import { pushAll, maxOf } from '../arrays.js';

/**
 * Includes exist; a taxonomy class included twice by one output class is a repeated row
 * (`vertical-include-duplicate`, a warning), by two output classes a contradiction
 * (`vertical-include-conflict`, an error); an include already covered by its nearest included
 * ancestor in the same class adds nothing (`vertical-include-redundant`); train ids are given for
 * every class or for none, one per class, unique, 0..254; at most 255 output classes.
 */
export function checkVertical(vertical: Sheet<'vertical'>, taxonomy: Sheet<'taxonomy'>): Finding[] {
  const out: Finding[] = [];
  if (vertical.rows.length === 0) {
    out.push(finding('vertical-empty', 'error', { file: vertical.rel, line: 1 }, { vertical: refOf(vertical) }));
    return out;
  }
  const hierarchy = buildHierarchy(taxonomy.rows);
  const taxonomyNames = taxonomy.rows.map((r) => r.name);
  const present = cellsOf(taxonomy, 'name');
  const includedBy = new Map<string, { class: string; line: number }>();
  const classes = new Map<string, { firstIndex: number; id: { value: number; line: number } | null }>();
  const idOwner = new Map<number, { class: string; line: number }>();

  vertical.rows.forEach((row, i) => {
    const line = vertical.lines[i]!;
    let cls = classes.get(row.class);
    if (!cls) {
      classes.set(row.class, (cls = { firstIndex: i, id: null }));
      if (row.class === IGNORE_TARGET) out.push(finding('vertical-class-reserved', 'error', at(vertical, i, 'class'), { class: row.class }));
      if (classes.size === MAX_VERTICAL_CLASSES + 1) {
        out.push(finding('vertical-too-many-classes', 'error', at(vertical, i, 'class'), { vertical: refOf(vertical), count: new Set(vertical.rows.map((r) => r.class)).size }));
      }
    }

    if (!hierarchy.has(row.include) && !present.has(row.include)) {
      out.push(
        finding('vertical-include-unknown', 'error', at(vertical, i, 'include'), {
          class: row.class,
          include: row.include,
          taxonomy: refOf(taxonomy),
          suggestion: didYouMean(row.include, taxonomyNames),
        }),
      );
    }
    const first = includedBy.get(row.include);
    if (first) {
      const same = first.class === row.class;
      out.push(
        finding(same ? 'vertical-include-duplicate' : 'vertical-include-conflict', same ? 'warning' : 'error', at(vertical, i, 'include'), {
          class: row.class,
          include: row.include,
          other: first.class,
          firstLine: first.line,
        }),
      );
    } else {
      includedBy.set(row.include, { class: row.class, line });
    }

    if (row.train_id !== null) {
      const id = row.train_id;
      if (id === IGNORE_8) out.push(finding('vertical-train-id-reserved', 'error', at(vertical, i, 'train_id'), { class: row.class, train_id: id }));
      else if (id > IGNORE_8) out.push(finding('vertical-train-id-range', 'error', at(vertical, i, 'train_id'), { class: row.class, train_id: id }));
      if (cls.id && cls.id.value !== id) {
        out.push(
          finding('vertical-train-id-conflict', 'error', at(vertical, i, 'train_id'), {
            class: row.class,
            train_id: id,
            previous: cls.id.value,
            firstLine: cls.id.line,
          }),
        );
      } else if (!cls.id) {
        cls.id = { value: id, line };
        const owner = idOwner.get(id);
        if (owner && owner.class !== row.class) {
          out.push(
            finding('vertical-train-id-duplicate', 'error', at(vertical, i, 'train_id'), {
              class: row.class,
              train_id: id,
              other: owner.class,
              firstLine: owner.line,
            }),
          );
        } else if (!owner) idOwner.set(id, { class: row.class, line });
      }
    }
  });

  pushAll(out, checkIncludesRedundant(vertical, hierarchy, includedBy));
  pushAll(out, checkOtherAndThings(vertical, hierarchy));

  // Train ids: for every class or for none.
  const withId = [...classes].filter(([, c]) => c.id !== null);
  if (withId.length > 0 && withId.length < classes.size) {
    const [exampleName, example] = withId[0]!;
    for (const [name, c] of classes) {
      if (c.id !== null) continue;
      out.push(
        finding('vertical-train-id-partial', 'error', at(vertical, c.firstIndex, 'train_id'), {
          class: name,
          example: exampleName,
          exampleLine: example.id!.line,
        }),
      );
    }
  } else if (withId.length === classes.size) {
    const ids = new Set(withId.map(([, c]) => c.id!.value).filter((v) => v < IGNORE_8));
    const missing: number[] = [];
    for (let v = 0; v <= maxOf(ids, -1); v++) if (!ids.has(v)) missing.push(v);
    if (missing.length) {
      // Point at the class whose train id comes right after the first gap.
      const after = withId.filter(([, c]) => c.id!.value > missing[0]!).sort(([, a], [, b]) => a.id!.value - b.id!.value)[0]!;
      out.push(finding('vertical-train-id-gap', 'warning', at(vertical, after[1].firstIndex, 'train_id'), { missing: formatRanges(missing) }));
    }
  }
  return sortFindings(out);
}

/**
 * An include whose nearest included ancestor belongs to the same output class adds nothing (that
 * row already takes the whole subtree). When the nearest included ancestor belongs to another
 * class, this row is the designed override (the more specific include wins for its subtree), and
 * is not reported, whatever further ancestors say.
 */
function checkIncludesRedundant(
  vertical: Sheet<'vertical'>,
  hierarchy: Hierarchy,
  includedBy: ReadonlyMap<string, { class: string; line: number }>,
): Finding[] {
  const out: Finding[] = [];
  // The nearest included ancestor-or-self of every class, in one pass down the tree (not a walk up
  // from every row: a deep chain would make that quadratic).
  const nearest = nearestMarked(hierarchy, (n) => includedBy.has(n));
  vertical.rows.forEach((row, i) => {
    if (includedBy.get(row.include)?.line !== vertical.lines[i]) return; // a repeated row: duplicate or conflict
    const parent = hierarchy.treeParentOf(row.include);
    const ancestor = parent === null ? undefined : nearest.get(parent);
    if (ancestor === undefined) return;
    const by = includedBy.get(ancestor)!;
    if (by.class !== row.class) return;
    out.push(
      finding('vertical-include-redundant', 'warning', at(vertical, i, 'include'), {
        class: row.class,
        include: row.include,
        ancestor,
        ancestorLine: by.line,
      }),
    );
  });
  return out;
}

/**
 * One catch-all class (`other` column) at most; an output class without an `is_thing` cell whose
 * covered taxonomy classes disagree (some things, some stuff) gets the rule's decision and a
 * warning: the exports put it among the things or the stuff, which the vertical should decide.
 */
function checkOtherAndThings(vertical: Sheet<'vertical'>, hierarchy: Hierarchy): Finding[] {
  const out: Finding[] = [];
  const classes = outputClassesOf(vertical.rows);
  const others = classes.filter((c) => c.other);
  const otherRow = (name: string) => vertical.rows.findIndex((r) => r.class === name && r.other === true);
  for (const c of others.slice(1)) {
    out.push(
      finding('vertical-other-multiple', 'error', at(vertical, otherRow(c.name), 'other'), {
        class: c.name,
        first: others[0]!.name,
        firstLine: vertical.lines[otherRow(others[0]!.name)]!,
      }),
    );
  }
  if (classes.some((c) => c.includes.some((i) => !hierarchy.has(i)))) return out; // vertical-include-unknown first
  const labels = new Map(verticalLabelSet(hierarchy, vertical.rows, vertical.name).labels.map((l) => [l.name, l]));
  for (const c of classes) {
    if (c.is_thing !== null) continue;
    const label = labels.get(c.name)!;
    const covered = label.covers.map((n) => hierarchy.get(n)!);
    const things = covered.filter((t) => t.is_thing === true).map((t) => t.name);
    const stuff = covered.filter((t) => t.is_thing === false).map((t) => t.name);
    if (things.length === 0 || stuff.length === 0) continue;
    out.push(
      finding('vertical-is-thing-mixed', 'warning', at(vertical, c.firstRow, 'class'), {
        class: c.name,
        things: abridged(things),
        stuff: abridged(stuff),
        decided: label.is_thing,
      }),
    );
  }
  return out;
}

/** `a, b, c and 4 more`: a class list short enough for one line. */
function abridged(names: readonly string[]): string {
  return names.length <= 3 ? names.join(', ') : `${names.slice(0, 3).join(', ')} and ${names.length - 3} more`;
}

/** Every output class of a vertical has its own colour (empty colours are not compared). */
export function checkVerticalColors(sheet: Sheet<'vertical'>): Finding[] {
  const out: Finding[] = [];
  const first = new Map<string, { name: string; line: number }>();
  const column = sheet.columns.indexOf('color') + 1;
  for (const c of outputClassesOf(sheet.rows)) {
    if (c.color === '') continue;
    const line = sheet.lines[c.colorRow]!;
    const other = first.get(c.color);
    if (other) {
      out.push(
        finding('vertical-color-duplicate', 'error', { file: sheet.rel, line, column }, {
          color: c.color,
          class: c.name,
          otherClass: other.name,
          otherLine: other.line,
        }),
      );
    } else first.set(c.color, { name: c.name, line });
  }
  return out;
}

export const VERTICAL_RULES: readonly Rule[] = [
  {
    codes: [
      'vertical-empty', 'vertical-class-reserved', 'vertical-too-many-classes', 'vertical-include-unknown',
      'vertical-include-duplicate', 'vertical-include-conflict', 'vertical-include-redundant',
      'vertical-train-id-reserved', 'vertical-train-id-range', 'vertical-train-id-conflict',
      'vertical-train-id-duplicate', 'vertical-train-id-partial', 'vertical-train-id-gap',
      'vertical-other-multiple', 'vertical-is-thing-mixed',
    ],
    stage: 'verticals',
    check: ({ set }) => (set ? set.verticals.flatMap((v) => checkVertical(v, set.taxonomy)) : []),
  },
  {
    codes: ['vertical-color-duplicate'],
    stage: 'verticals',
    // Colours need no taxonomy: every vertical read, also without one taxonomy.
    check: ({ sheets, set }) => (set ? set.verticals : latestOfKind(sheets, 'vertical')).flatMap(checkVerticalColors),
  },
];

/** The last-read version of each sheet of a kind (sheets arrive oldest first). */
function latestOfKind<K extends 'vertical'>(sheets: readonly Sheet[], kind: K): Sheet<K>[] {
  const byName = new Map<string, Sheet<K>>();
  for (const s of sheets) if (s.kind === kind) byName.set(s.name, s as Sheet<K>);
  return [...byName.values()];
}
