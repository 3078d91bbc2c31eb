import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { formatFinding, type Finding } from '../../src/findings.js';
import { loadSheetSet } from '../../src/sheets/set.js';
import { runRules, SET_STAGES } from '../../src/rules/index.js';
import { checkMapping } from '../../src/rules/mappings.js';
import { checkTaxonomy, checkTaxonomyHistory } from '../../src/rules/taxonomy.js';
import { checkVertical } from '../../src/rules/verticals.js';
import type { LoadedSheetSet } from '../../src/sheets/set.js';
import { FIXTURES } from '../helpers/cli.js';
import { dataset, mapping, taxonomy, vertical } from './sheets.js';

/** The rules merge runs over a loaded set (src/compile.ts). */
const setRules = (loaded: LoadedSheetSet) => runRules({ files: [], sheets: loaded.sheets, set: loaded.set, pairing: loaded.pairing }, SET_STAGES);
const where = (f: Finding) => [f.code, f.severity, f.file, f.line ?? null, f.column ?? null];

describe('the broken fixture set: every rule fires with its code, file, line and column', () => {
  const loaded = loadSheetSet(path.join(FIXTURES, 'sets', 'broken'));
  const findings = [...loaded.findings, ...setRules(loaded)];

  it.each([
    // mapping-orphan (merge) and mapping-dataset-missing (validate) were one defect: one rule, validate's code, merge's severity.
    ['mapping-dataset-missing', 'warning', 'mappings/radar@1.0.0.csv', null, null],
    ['mapping-missing', 'warning', 'datasets/lidar@1.0.0.csv', null, null],
    ['taxonomy-id-changed', 'error', 'taxonomy/core@1.2.0.csv', 4, 1],
    ['taxonomy-id-reused', 'error', 'taxonomy/core@1.2.0.csv', 5, 1],
    ['taxonomy-parent-unknown', 'error', 'taxonomy/core@1.2.0.csv', 6, 3],
    ['taxonomy-cycle', 'error', 'taxonomy/core@1.2.0.csv', 7, 3],
    ['taxonomy-reserved-name', 'error', 'taxonomy/core@1.2.0.csv', 9, 2],
    ['taxonomy-id-range', 'error', 'taxonomy/core@1.2.0.csv', 10, 1],
    ['taxonomy-parent-unknown', 'error', 'taxonomy/core@1.2.0.csv', 11, 3],
    ['mapping-source-missing', 'error', 'datasets/cam@1.0.0.csv', 5, 2],
    ['mapping-target-unknown', 'error', 'mappings/cam@1.0.0.csv', 4, 2],
    ['mapping-source-unknown', 'warning', 'mappings/cam@1.0.0.csv', 6, 1],
    ['vertical-train-id-conflict', 'error', 'verticals/bad-ids@1.0.0.csv', 4, 3],
    ['vertical-train-id-duplicate', 'error', 'verticals/bad-ids@1.0.0.csv', 5, 3],
    ['vertical-train-id-reserved', 'error', 'verticals/bad-ids@1.0.0.csv', 6, 3],
    ['vertical-train-id-range', 'error', 'verticals/bad-ids@1.0.0.csv', 7, 3],
    ['vertical-train-id-partial', 'error', 'verticals/bad-ids@1.0.0.csv', 8, 3],
    ['vertical-include-redundant', 'warning', 'verticals/bad-includes@1.0.0.csv', 4, 2],
    ['vertical-include-unknown', 'error', 'verticals/bad-includes@1.0.0.csv', 5, 2],
    ['vertical-class-reserved', 'error', 'verticals/bad-includes@1.0.0.csv', 6, 1],
    ['vertical-include-conflict', 'error', 'verticals/bad-includes@1.0.0.csv', 7, 2],
    ['vertical-include-duplicate', 'warning', 'verticals/bad-includes@1.0.0.csv', 8, 2],
    ['vertical-empty', 'error', 'verticals/empty@1.0.0.csv', 1, null],
    ['vertical-train-id-gap', 'warning', 'verticals/gappy@1.0.0.csv', 3, 3],
  ])('%s (%s) at %s:%s:%s', (...expected) => {
    expect(findings.map(where)).toContainEqual(expected);
  });

  it('finds nothing else', () => {
    expect(findings).toHaveLength(24);
  });

  it('says what was expected, what was found and the fix', () => {
    const text = findings.map((f) => formatFinding(f)).join('\n');
    expect(text).toContain('taxonomy/core@1.2.0.csv:7:3: error taxonomy-cycle: the parents form a cycle: loop_a -> loop_b -> loop_a');
    expect(text).toContain('class "bike" has the parent "vehicel", which is not a class of this taxonomy\n  fix: add the class "vehicel", or correct the parent (did you mean "vehicle"?)');
    expect(text).toContain('class "car" has the id 5, but had the id 2 in core@1.1.0');
    expect(text).toContain('the id 3 of class "bus" belonged to "truck" in core@1.0.0');
    expect(text).toContain('give "bus" a new id (the next free one is 4)');
    expect(text).toContain('class "bus" (id 3) of cam@1.0.0 has no row in mappings/cam@1.0.0.csv');
    expect(text).toContain('add the row bus,<target>, to mappings/cam@1.0.0.csv');
    expect(text).toContain('the train ids skip 1-2');
  });
});

describe('checkTaxonomy', () => {
  it('accepts a tree', () => {
    expect(checkTaxonomy(taxonomy('1 person\n2 rider person\n3 bicyclist rider'))).toEqual([]);
  });

  it('reports a class that is its own parent as a cycle of one', () => {
    const f = checkTaxonomy(taxonomy('1 a\n2 b b'));
    expect(f.map((x) => [x.code, x.line, x.args.cycle])).toEqual([['taxonomy-cycle', 3, 'b -> b']]);
  });

  it('reports one cycle once, on its first row, and not the classes hanging below it', () => {
    const f = checkTaxonomy(taxonomy('1 x\n2 c b\n3 a c\n4 b a\n5 below a'));
    expect(f.map((x) => [x.code, x.line, x.args.cycle])).toEqual([['taxonomy-cycle', 3, 'c -> b -> a -> c']]);
  });
});

describe('checkTaxonomyHistory', () => {
  const v1 = taxonomy('1 road\n2 car\n3 truck', 'core@1.0.0');
  it.each([
    ['unchanged ids', '1 road\n2 car\n3 truck', []],
    ['an appended class', '1 road\n2 car\n3 truck\n4 bus', []],
    ['a rename keeps the id (diff reports it as major)', '1 road\n2 car\n3 lorry', []],
    ['a removed class', '1 road\n2 car', []],
    ['a renumbered class', '1 road\n5 car\n3 truck', ['taxonomy-id-changed']],
  ])('%s', (_title, latest, codes) => {
    expect(checkTaxonomyHistory(taxonomy(latest, 'core@1.1.0'), [v1]).map((f) => f.code)).toEqual(codes);
  });

  it('an id that disappeared and comes back under another name is reused', () => {
    const v2 = taxonomy('1 road\n2 car', 'core@1.1.0');
    const f = checkTaxonomyHistory(taxonomy('1 road\n2 car\n3 bus', 'core@1.2.0'), [v1, v2]);
    expect(f.map((x) => [x.code, x.args.previousName, x.args.version, x.args.next])).toEqual([['taxonomy-id-reused', 'truck', 'core@1.0.0', 4]]);
  });

  it('a class that comes back with its own id is fine; with another id it is renumbered', () => {
    const v2 = taxonomy('1 road\n2 car', 'core@1.1.0');
    expect(checkTaxonomyHistory(taxonomy('1 road\n2 car\n3 truck', 'core@1.2.0'), [v1, v2])).toEqual([]);
    expect(checkTaxonomyHistory(taxonomy('1 road\n2 car\n4 truck', 'core@1.2.0'), [v1, v2]).map((f) => f.code)).toEqual(['taxonomy-id-changed']);
  });
});

describe('checkMapping', () => {
  const tax = taxonomy('1 road\n2 car\n3 truck');
  const ds = dataset('0 unlabeled\n1 road\n2 car');

  it('accepts every class once, with a taxonomy target or ignore', () => {
    expect(checkMapping(mapping('unlabeled ignore\nroad road\ncar car'), ds, tax)).toEqual([]);
  });

  it('suggests the closest name for a typo', () => {
    const f = checkMapping(mapping('unlabeled ignore\nroad road\ncar cra'), ds, tax);
    expect(f.map((x) => [x.code, x.line, x.column, x.args.suggestion])).toEqual([['mapping-target-unknown', 4, 2, 'car']]);
  });

  it('a misspelt source is an unknown row plus a missing class', () => {
    const f = checkMapping(mapping('unlabeled ignore\nroad road\nkar car'), ds, tax);
    expect(f.map((x) => [x.code, x.severity, x.file, x.line, x.args.suggestion])).toEqual([
      ['mapping-source-missing', 'error', 'datasets/ds@1.0.0.csv', 4, undefined],
      ['mapping-source-unknown', 'warning', 'mappings/ds@1.0.0.csv', 4, 'car'],
    ]);
  });
});

describe('checkVertical', () => {
  const tax = taxonomy('1 road\n2 vehicle\n3 car vehicle\n4 truck vehicle\n5 tram');

  it('accepts grouping, a more specific include in another class, and ids on one row of a class', () => {
    expect(checkVertical(vertical('vehicle vehicle 1\nroad road 0\ncars car 2\nvehicle tram -'), tax)).toEqual([]);
  });

  it.each([
    [255, []],
    [256, [['vertical-too-many-classes', 257, 256]]],
  ])('%i output classes', (count, expected) => {
    const big = taxonomy(Array.from({ length: count }, (_, i) => `${i} c${i}`).join('\n'));
    const lines = Array.from({ length: count }, (_, i) => `out${i} c${i}`).join('\n');
    const f = checkVertical(vertical(lines), big);
    expect(f.map((x) => [x.code, x.line, x.args.count])).toEqual(expected);
  });

  it('train id 254 is the highest', () => {
    expect(checkVertical(vertical('road road 254\nvehicle vehicle 0'), tax).map((f) => f.code)).toEqual(['vertical-train-id-gap']);
  });
});

describe('checkSheetSet on a clean set', () => {
  it('finds no error in the driving fixture set', () => {
    const loaded = loadSheetSet(path.join(FIXTURES, 'sets', 'driving'));
    const findings = [...loaded.findings, ...setRules(loaded)];
    // The coarse sources are the rules' warnings now (merge used to add them while building), one per
    // vertical, and only where the class cannot become a label set: in self-driving@1.1.0 rider and
    // COCO person are sets (every part of their subtree has a label); fleet keeps only cyclist of
    // them, so a rider pixel may be a motorcyclist, which fleet leaves out: ignore, with a warning.
    expect(findings.map((f) => [f.code, f.file, f.line ?? null, f.args.vertical ?? null])).toEqual([
      ['mapping-missing', 'datasets/kitti-mini@1.0.0.csv', null, null],
      ['merge-coarser-than-vertical', 'mappings/cityscapes-mini@1.0.0.csv', 12, 'fleet@1.0.0'],
      ['merge-coarser-than-vertical', 'mappings/coco-mini@1.0.0.csv', 2, 'fleet@1.0.0'],
    ]);
  });
});
