import { describe, expect, it } from 'vitest';
import { buildHierarchy } from '../../src/taxonomy/hierarchy.js';
import { buildBundle } from '../../src/taxonomy/merge.js';
import { derivedColor, resolveTarget, unifiedLabelSet, verticalLabelSet } from '../../src/taxonomy/resolve.js';
import { dataset, mapping, taxonomy, vertical } from './sheets.js';

const TAXONOMY = taxonomy(`
  1 road
  10 person
  11 pedestrian person
  12 rider person
  13 bicyclist rider
  14 motorcyclist rider
  20 vehicle
  21 car vehicle
  22 truck vehicle
  23 bus vehicle
  24 two_wheeler vehicle
  25 bicycle two_wheeler
  26 motorcycle two_wheeler
`);
const H = buildHierarchy(TAXONOMY.rows);

function resolveIn(verticalLines: string | null, target: string) {
  const set = verticalLines === null ? unifiedLabelSet(H) : verticalLabelSet(H, vertical(verticalLines).rows, 'v');
  const r = resolveTarget(set, H, target);
  return { reason: r.reason, label: r.label?.name ?? null, partial: r.partial.map((l) => l.name), leftOut: r.leftOut };
}

describe('resolveTarget in a vertical', () => {
  const SPLIT = 'pedestrian pedestrian\nbicyclist bicyclist\nmotorcyclist motorcyclist';
  const GROUP = 'vehicle car\nvehicle truck\nvehicle bus';
  const NESTED = 'vehicle vehicle\ntwo_wheeler two_wheeler';
  it.each([
    // vertical, target, reason, label, partial
    ['split: the leaf itself', SPLIT, 'bicyclist', 'mapped', 'bicyclist', []],
    ['split: the parent the vertical splits', SPLIT, 'rider', 'coarser than vertical', null, ['bicyclist', 'motorcyclist']],
    ['split: a grandparent spanning three labels', SPLIT, 'person', 'coarser than vertical', null, ['pedestrian', 'bicyclist', 'motorcyclist']],
    ['grouping: car -> vehicle', GROUP, 'car', 'mapped', 'vehicle', []],
    ['grouping: bus -> vehicle', GROUP, 'bus', 'mapped', 'vehicle', []],
    ['grouping: a class outside every include', GROUP, 'bicycle', 'not in vertical', null, []],
    ['grouping: the parent of the grouped classes, partly outside', GROUP, 'vehicle', 'coarser than vertical', null, ['vehicle']],
    ['an include covers its whole subtree', 'vehicle vehicle', 'motorcycle', 'mapped', 'vehicle', []],
    ['an include covers the included class itself', 'vehicle vehicle', 'vehicle', 'mapped', 'vehicle', []],
    ['a more specific include wins for its subtree', NESTED, 'bicycle', 'mapped', 'two_wheeler', []],
    ['... and the rest of the subtree stays with the parent include', NESTED, 'truck', 'mapped', 'vehicle', []],
    ['... and the parent spans both', NESTED, 'vehicle', 'coarser than vertical', null, ['vehicle', 'two_wheeler']],
    ['one label plus classes outside the vertical is coarser too', 'cyclist bicyclist', 'rider', 'coarser than vertical', null, ['cyclist']],
    ['... and the excluded sibling is simply not in the vertical', 'cyclist bicyclist', 'motorcyclist', 'not in vertical', null, []],
    ['grouped children without their parent: the parent node is a kind of its own', 'cyclists bicyclist\ncyclists motorcyclist', 'rider', 'coarser than vertical', null, ['cyclists']],
    ['including the parent itself keeps the coarse class', 'cyclists rider', 'rider', 'mapped', 'cyclists', []],
    ['a coarse include maps a fine target', 'person person', 'bicyclist', 'mapped', 'person', []],
    ['ignore in the mapping', SPLIT, 'ignore', 'ignored by mapping', null, []],
    ['a class the vertical does not include', 'road road', 'car', 'not in vertical', null, []],
  ])('%s', (_title, lines, target, reason, label, partial) => {
    const r = resolveIn(lines, target);
    expect({ reason: r.reason, label: r.label, partial: r.partial }).toEqual({ reason, label, partial });
  });

  it('names the classes of the subtree that are outside the vertical', () => {
    expect(resolveIn('cyclist bicyclist', 'rider').leftOut).toEqual(['rider', 'motorcyclist']);
    expect(resolveIn('bicyclist bicyclist\nmotorcyclist motorcyclist', 'rider').leftOut).toEqual(['rider']);
  });

  it('refuses a target that is not a taxonomy class (the rules report it first)', () => {
    expect(() => resolveIn('road road', 'automobile')).toThrow(/checkSheetSet/);
  });
});

describe('resolveTarget in the unified set', () => {
  it.each([
    ['a parent maps to itself; its descendants are only reached coarsely', 'rider', 'mapped', 'rider', ['bicyclist', 'motorcyclist']],
    ['a leaf maps to itself', 'bicyclist', 'mapped', 'bicyclist', []],
    ['ignore', 'ignore', 'ignored by mapping', null, []],
  ])('%s', (_title, target, reason, label, partial) => {
    const r = resolveIn(null, target);
    expect({ reason: r.reason, label: r.label, partial: r.partial }).toEqual({ reason, label, partial });
  });
});

describe('verticalLabelSet', () => {
  const labelsOf = (lines: string) => verticalLabelSet(H, vertical(lines).rows, 'v').labels.map((l) => [l.train_id, l.name]);

  it('numbers classes from 0 in order of first appearance; rows of one class group', () => {
    expect(labelsOf('vehicle car\nperson pedestrian\nvehicle truck\nroad road')).toEqual([
      [0, 'vehicle'],
      [1, 'person'],
      [2, 'road'],
    ]);
  });

  it('uses the train_id column where given (one row of a class is enough) and sorts by it', () => {
    expect(labelsOf('vehicle car 7\nvehicle truck -\nroad road 2')).toEqual([
      [2, 'road'],
      [7, 'vehicle'],
    ]);
  });

  it('covers the whole subtree of each include, minus more specific includes of other classes, in taxonomy id order', () => {
    const set = verticalLabelSet(H, vertical('two_wheeler two_wheeler\nvehicle vehicle\nriders rider').rows, 'v');
    expect(set.labels.map((l) => [l.name, l.covers])).toEqual([
      ['two_wheeler', ['two_wheeler', 'bicycle', 'motorcycle']],
      ['vehicle', ['vehicle', 'car', 'truck', 'bus']],
      ['riders', ['rider', 'bicyclist', 'motorcyclist']],
    ]);
    expect(set.owner.get('pedestrian')).toBeUndefined();
  });

  it('takes the colour from the first non-empty color cell, else the taxonomy colour of an include, else derives one', () => {
    const tax = buildHierarchy(
      taxonomy('1 car\n2 truck\n3 van\n4 tram\n5 cab').rows.map((r) => ({ ...r, color: r.name === 'tram' ? '#000046' : '' })),
    );
    const set = verticalLabelSet(tax, vertical('a car\na truck - #123456\nb van\nb tram\nc cab').rows, 'v');
    expect(set.labels.map((l) => [l.name, l.color])).toEqual([
      ['a', '#123456'],
      ['b', '#000046'],
      ['c', derivedColor('c')],
    ]);
    expect(derivedColor('c')).toMatch(/^#[0-9a-f]{6}$/);
    expect(derivedColor('c')).not.toBe(derivedColor('d'));
  });

  it('is 8-bit with ignore 255', () => {
    const set = verticalLabelSet(H, vertical('road road').rows, 'v');
    expect([set.id_bits, set.ignore_id]).toEqual([8, 255]);
  });
});

describe('unifiedLabelSet', () => {
  it('makes every taxonomy class a label covering itself, with its taxonomy id as train id', () => {
    const set = unifiedLabelSet(H);
    expect(set.labels.map((l) => [l.train_id, l.name, l.covers])).toContainEqual([13, 'bicyclist', ['bicyclist']]);
    expect(set.labels).toHaveLength(13);
    expect([set.id_bits, set.ignore_id]).toEqual([8, 255]);
  });

  it.each([
    ['ids 0..254 fit uint8', 255, 0, 8, 255],
    ['256 classes need 16 bits', 256, 0, 16, 65535],
    ['300 classes need 16 bits', 300, 0, 16, 65535],
    ['a few classes with a sparse id of 255 need 16 bits', 3, 253, 16, 65535],
  ])('%s', (_title, count, first, bits, ignore) => {
    const lines = Array.from({ length: count }, (_, i) => `${first + i} c${first + i}`).join('\n');
    const set = unifiedLabelSet(buildHierarchy(taxonomy(lines).rows));
    expect([set.id_bits, set.ignore_id, set.labels.length]).toEqual([bits, ignore, count]);
  });
});

describe('coverage', () => {
  /** Statuses of every output label for one dataset, as `label:status`. */
  function coverage(verticalLines: string | null, mappingLines: string): string[] {
    const pairs = mappingLines.trim().split('\n').map((l) => l.trim().split(/\s+/) as [string, string]);
    const ds = dataset(pairs.map(([source], i) => `${i} ${source}`).join('\n'));
    const { bundle } = buildBundle({
      taxonomy: TAXONOMY,
      vertical: verticalLines === null ? null : vertical(verticalLines),
      datasets: [{ dataset: ds, mapping: mapping(mappingLines) }],
    });
    return bundle!.datasets[0]!.coverage.filter((c) => verticalLines !== null || c.status !== 'none').map((c) => `${c.label}:${c.status}`);
  }
  const SPLIT = 'pedestrian pedestrian\nbicyclist bicyclist\nmotorcyclist motorcyclist';

  it.each([
    ['Cityscapes-like: rider is coarser than the split', SPLIT, 'person pedestrian\nrider rider', ['pedestrian:full', 'bicyclist:partial', 'motorcyclist:partial']],
    ['a fine class does not make a label full while a coarse class also reaches it', SPLIT, 'cyclist bicyclist\nrider rider', ['pedestrian:none', 'bicyclist:partial', 'motorcyclist:partial']],
    ['fine classes for every split label: full', SPLIT, 'cyclist bicyclist\nbiker motorcyclist', ['pedestrian:none', 'bicyclist:full', 'motorcyclist:full']],
    ['grouping: one fine class of the group is enough for full', 'vehicle car\nvehicle truck\nvehicle bus', 'auto car', ['vehicle:full']],
    ['grouping: the group parent alone is partial (it may be a tram)', 'vehicle car\nvehicle truck\nvehicle bus', 'vehicles vehicle', ['vehicle:partial']],
    ['one source class spread over several labels: partial for each', 'bicycle bicycle\nmotorcycle motorcycle', 'bike two_wheeler', ['bicycle:partial', 'motorcycle:partial']],
    ['ignored and not-in-vertical classes cover nothing', 'road road', 'void ignore\ncar car', ['road:none']],
    ['unified: the parent is full, its children partial', null, 'rider rider', ['rider:full', 'bicyclist:partial', 'motorcyclist:partial']],
    ['unified: children only, the parent label is never used', null, 'a bicyclist\nb motorcyclist', ['bicyclist:full', 'motorcyclist:full']],
  ])('%s', (_title, verticalLines, mappingLines, expected) => {
    expect(coverage(verticalLines, mappingLines)).toEqual(expected);
  });
});

describe('one reading per sheet: hierarchy, label set and resolutions are built once', () => {
  const t = taxonomy('20 vehicle\n1 road\n21 car vehicle\n22 truck vehicle');
  const v = vertical('car car\ntruck truck');

  it('gives the same hierarchy and label set for the same rows, and new ones for new rows', () => {
    const h = buildHierarchy(t.rows);
    expect(buildHierarchy(t.rows)).toBe(h);
    expect(buildHierarchy([...t.rows])).not.toBe(h);
    expect(buildHierarchy([...t.rows]).classes).toEqual(h.classes);
    const set = verticalLabelSet(h, v.rows, 'v');
    expect(verticalLabelSet(h, v.rows, 'v')).toBe(set);
    // Another name, another hierarchy or other rows: another set.
    expect(verticalLabelSet(h, v.rows, 'w').vertical).toBe('w');
    expect(verticalLabelSet(buildHierarchy([...t.rows]), v.rows, 'v')).not.toBe(set);
    expect(verticalLabelSet(h, [...v.rows], 'v')).not.toBe(set);
  });

  it('resolves a target once per label set, with the result of a fresh resolution', () => {
    const h = buildHierarchy(t.rows);
    const set = verticalLabelSet(h, v.rows, 'v');
    const first = resolveTarget(set, h, 'vehicle');
    expect(resolveTarget(set, h, 'vehicle')).toBe(first);
    const fresh = resolveTarget(verticalLabelSet(buildHierarchy([...t.rows]), [...v.rows], 'v'), buildHierarchy([...t.rows]), 'vehicle');
    expect(fresh).not.toBe(first);
    expect(fresh).toEqual(first);
    expect(first.reason).toBe('coarser than vertical');
  });
});
