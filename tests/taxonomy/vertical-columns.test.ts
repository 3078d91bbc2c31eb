// The vertical's optional columns is_thing, other and absorbs (docs/merge.md), through buildBundle
// and the vertical rules, on small inline sheets.
import { describe, expect, it } from 'vitest';
import { validateBundle } from '../../src/api/bundle.js';
import { checkVertical } from '../../src/rules/verticals.js';
import { buildBundle } from '../../src/taxonomy/merge.js';
import { dataset, mapping, sheet } from './sheets.js';

// id,name,parent,display_name,color,is_thing,description
const TAXONOMY = sheet(
  'taxonomy',
  'core@1.0.0',
  `id,name,parent,display_name,color,is_thing,description
1,road,,,,false,
2,road_surface,road,,,false,
3,lane_marking,road,,,false,
4,manhole,road,,,true,
5,vehicle,,,,true,
6,car,vehicle,,,true,
7,boat,vehicle,,,true,
8,sky,,,,false,
9,tree,,,,false,
`,
);

function vert(body: string, header = 'class,include,train_id,color,is_thing,other,absorbs') {
  return sheet('vertical', 'v@1.0.0', `${header}\n${body.trim()}\n`);
}

function build(v: ReturnType<typeof vert>, mappingLines: string) {
  const pairs = mappingLines.trim().split('\n').map((l) => l.trim().split(/\s+/) as [string, string]);
  const ds = dataset(pairs.map(([source], i) => `${i} ${source}`).join('\n'));
  const { bundle, findings } = buildBundle({ taxonomy: TAXONOMY, vertical: v, datasets: [{ dataset: ds, mapping: mapping(mappingLines) }] });
  return { bundle: validateBundle(JSON.parse(JSON.stringify(bundle))), findings };
}

const row = (e: { name: string; kind: string; train_id: number; reason: string }) => [e.name, e.kind, e.train_id, e.reason];

describe('other: the catch-all class', () => {
  const OTHER = vert(`
road,road_surface,,,,,
lane_marking,lane_marking,,,,,
car,car,,,,,
sky,sky,,,,,
other,tree,,,,true,
`);

  it('takes every annotated class the vertical leaves out; void and background stay; coarse sets may hold it', () => {
    const { bundle, findings } = build(OTHER, 'void ignore\nbg background\nstreet road\nhole manhole\nauto car\nvehicles vehicle\nbranches tree\nheaven sky');
    expect(findings).toEqual([]);
    expect(bundle.other).toBe('other');
    // labels: road 0, lane_marking 1, car 2, sky 3, other 4.
    expect(bundle.labels.find((l) => l.name === 'other')!.covers).toEqual(['road', 'manhole', 'vehicle', 'boat', 'tree']);
    expect(bundle.datasets[0]!.lut.map(row)).toEqual([
      ['void', 'ignore', 255, 'ignored by mapping'],
      ['bg', 'ignore', 255, 'background'], // the dataset annotates every label: no background set
      ['street', 'set', 5, 'coarser than vertical'], // road itself and manhole fall into other
      ['hole', 'label', 4, 'other'],
      ['auto', 'label', 2, 'mapped'],
      ['vehicles', 'set', 6, 'coarser than vertical'], // car, or a boat (other)
      ['branches', 'label', 4, 'mapped'], // other includes tree itself
      ['heaven', 'label', 3, 'mapped'],
    ]);
    expect(bundle.label_sets.map((s) => s.name)).toEqual(['road|lane_marking|other', 'car|other']);
  });

  it('without other the same classes stay not in vertical (255)', () => {
    const { bundle } = build(vert('road,road_surface,,,,,\ncar,car,,,,,'), 'hole manhole\nleaves tree');
    expect(bundle.other).toBeNull();
    expect(bundle.datasets[0]!.lut.map(row)).toEqual([
      ['hole', 'ignore', 255, 'not in vertical'],
      ['leaves', 'ignore', 255, 'not in vertical'],
    ]);
  });

  it('two other classes: vertical-other-multiple (error)', () => {
    const two = vert('sky,sky,,,,true,\nother,tree,,,,true,');
    const codes = checkVertical(two, TAXONOMY).map((f) => [f.code, f.severity, f.line]);
    expect(codes).toContainEqual(['vertical-other-multiple', 'error', 3]);
  });
});

describe('absorbs: MSeg merge-up', () => {
  const ABSORB = vert(`
road,road,,,,,true
lane_marking,lane_marking,,,,,
car,car,,,,,
`);

  it('a coarse source whose target the absorbing class owns maps to it; the finer labels get none from it', () => {
    const coarse = build(ABSORB, 'street road\nauto car');
    expect(coarse.bundle.datasets[0]!.lut.map(row)).toEqual([
      ['street', 'label', 0, 'absorbed'],
      ['auto', 'label', 2, 'mapped'],
    ]);
    expect(coarse.bundle.label_sets).toEqual([]);
    expect(coarse.bundle.datasets[0]!.coverage.map((c) => `${c.label}:${c.status}`)).toEqual(['road:full', 'lane_marking:none', 'car:full']);
    // The same vertical without absorbs: a label set, both partial.
    const set = build(vert('road,road,,,,,\nlane_marking,lane_marking,,,,,\ncar,car,,,,,'), 'street road\nauto car');
    expect(set.bundle.datasets[0]!.lut[0]).toMatchObject({ kind: 'set', reason: 'coarser than vertical' });
    expect(set.bundle.datasets[0]!.coverage.map((c) => c.status)).toEqual(['partial', 'partial', 'full']);
  });

  it('a finer dataset still trains lane_marking; only a target the class owns is absorbed', () => {
    const fine = build(ABSORB, 'surface road_surface\nmarks lane_marking');
    expect(fine.bundle.datasets[0]!.lut.map(row)).toEqual([
      ['surface', 'label', 0, 'mapped'],
      ['marks', 'label', 1, 'mapped'],
    ]);
    // vehicle is owned by no label (car is included below it): not absorbed by anything.
    const car = build(vert('car,car,,,,,true\nsky,sky,,,,,'), 'vehicles vehicle');
    expect(car.bundle.datasets[0]!.lut[0]).toMatchObject({ kind: 'ignore', reason: 'coarser than vertical' });
  });
});

describe('is_thing: explicit in the vertical, or the rule with a warning when covered classes disagree', () => {
  it('an explicit cell wins; a mixed class without one is warned about', () => {
    const mixed = vert('road,road,,,,,\nvehicle,vehicle,,,,,');
    expect(checkVertical(mixed, TAXONOMY).map((f) => [f.code, f.line, f.args.things, f.args.stuff, f.args.decided])).toEqual([
      ['vertical-is-thing-mixed', 2, 'manhole', 'road, road_surface, lane_marking', false],
    ]);
    const decided = vert('road,road,,,true,,\nvehicle,vehicle,,,,,');
    expect(checkVertical(decided, TAXONOMY)).toEqual([]);
    const { bundle } = build(decided, 'a car');
    expect(bundle.labels.map((l) => [l.name, l.is_thing])).toEqual([
      ['road', true],
      ['vehicle', true],
    ]);
  });

  it('the columns are optional: a four-column vertical reads as before', () => {
    const plain = vert('road,road,,\ncar,car,,', 'class,include,train_id,color');
    expect(plain.rows[0]).toEqual({ class: 'road', include: 'road', train_id: null, color: '' });
    expect(build(plain, 'a road_surface').bundle.labels.map((l) => l.is_thing)).toEqual([false, true]);
  });
});
