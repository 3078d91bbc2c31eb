// Label sets, background and full-length lookup tables on small inline sheets, through buildBundle
// and the Label API.
import { describe, expect, it } from 'vitest';
import { LabelSpace } from '../../src/api/label-api.js';
import { validateBundle } from '../../src/api/bundle.js';
import { checkSheetSet } from '../../src/rules/index.js';
import { buildBundle } from '../../src/taxonomy/merge.js';
import { dataset, mapping, taxonomy, vertical } from './sheets.js';

const TAXONOMY = taxonomy(`
  1 road
  2 road_surface road
  3 lane_marking road
  4 person
  5 pedestrian person
  6 rider person
  7 car
  8 sky
`);
const VERTICAL = vertical('road road_surface\nlane_marking lane_marking\npedestrian pedestrian\nrider rider\ncar car\nsky sky');

function build(mappingLines: string, coarse: 'set' | 'ignore' = 'set') {
  const pairs = mappingLines.trim().split('\n').map((l) => l.trim().split(/\s+/) as [string, string]);
  const ds = dataset(pairs.map(([source], i) => `${i} ${source}`).join('\n'));
  const { bundle, findings } = buildBundle({ taxonomy: TAXONOMY, vertical: VERTICAL, datasets: [{ dataset: ds, mapping: mapping(mappingLines) }], coarse });
  return { bundle: validateBundle(JSON.parse(JSON.stringify(bundle))), findings };
}

describe('label sets and background', () => {
  it('a coarse class becomes a set, a background class the set of labels the dataset never annotates', () => {
    const { bundle, findings } = build('void ignore\nbg background\nstreet road\nhuman person\nauto car');
    expect(findings).toEqual([]);
    // labels 0..5: road lane_marking pedestrian rider car sky; sets from 6.
    expect(bundle.label_sets).toEqual([
      { id: 6, name: 'road|lane_marking', members: ['road', 'lane_marking'], member_ids: [0, 1], kind: 'coarse' },
      { id: 7, name: 'pedestrian|rider', members: ['pedestrian', 'rider'], member_ids: [2, 3], kind: 'coarse' },
      { id: 8, name: 'sky', members: ['sky'], member_ids: [5], kind: 'background' },
    ]);
    expect(bundle.datasets[0]!.lut.map((e) => [e.name, e.kind, e.train_id, e.reason])).toEqual([
      ['void', 'ignore', 255, 'ignored by mapping'],
      ['bg', 'set', 8, 'background'],
      ['street', 'set', 6, 'coarser than vertical'],
      ['human', 'set', 7, 'coarser than vertical'],
      ['auto', 'label', 4, 'mapped'],
    ]);
    expect(bundle.datasets[0]!.coverage.map((c) => `${c.label}:${c.status}:${(c.because ?? []).join(' ')}`)).toEqual([
      'road:partial:street',
      'lane_marking:partial:street',
      'pedestrian:partial:human',
      'rider:partial:human',
      'car:full:',
      'sky:none:',
    ]);
  });

  it('equal sets share one id; --coarse ignore sends coarse classes to 255 with a warning each', () => {
    const shared = build('a road\nb road\nc person');
    expect(shared.bundle.label_sets.map((s) => s.id)).toEqual([6, 7]);
    expect(shared.bundle.datasets[0]!.lut.map((e) => e.train_id)).toEqual([6, 6, 7]);
    const ignored = build('a road\nb road\nc person', 'ignore');
    expect(ignored.bundle.label_sets).toEqual([]);
    expect(ignored.bundle.datasets[0]!.lut.map((e) => [e.kind, e.train_id])).toEqual([
      ['ignore', 255],
      ['ignore', 255],
      ['ignore', 255],
    ]);
    expect(ignored.findings.map((f) => f.code)).toEqual(['merge-coarser-than-vertical', 'merge-coarser-than-vertical', 'merge-coarser-than-vertical']);
  });

  it('background in a dataset that annotates every label is ignore (reason background)', () => {
    const { bundle } = build('bg background\nr road_surface\nl lane_marking\np pedestrian\nq rider\nc car\ns sky');
    expect(bundle.label_sets).toEqual([]);
    expect(bundle.datasets[0]!.lut[0]).toMatchObject({ name: 'bg', target: 'background', kind: 'ignore', train_id: 255, reason: 'background' });
  });

  it('too many sets for the ids below 255: merge-too-many-label-sets, no bundle', () => {
    // Parents p0..p2 with two children each (6 labels) and 247 fillers: 253 labels (0..252) leave
    // ids 253 and 254 for sets; three coarse classes need three.
    const fillers = Array.from({ length: 247 }, (_, i) => `f${i}`);
    const tax = taxonomy([
      ...[0, 1, 2].flatMap((p) => [`${p * 3} p${p}`, `${p * 3 + 1} p${p}_a p${p}`, `${p * 3 + 2} p${p}_b p${p}`]),
      ...fillers.map((f, i) => `${100 + i} ${f}`),
    ].join('\n'));
    const lines = [...[0, 1, 2].flatMap((p) => [`p${p}_a p${p}_a`, `p${p}_b p${p}_b`]), ...fillers.map((f) => `${f} ${f}`)];
    const ds = (n: number) => dataset(Array.from({ length: n }, (_, i) => `${i} c${i}`).join('\n'));
    const map = (n: number) => mapping(Array.from({ length: n }, (_, i) => `c${i} p${i}`).join('\n'));
    const two = buildBundle({ taxonomy: tax, vertical: vertical(lines.join('\n')), datasets: [{ dataset: ds(2), mapping: map(2) }] });
    expect(two.bundle!.label_sets.map((s) => s.id)).toEqual([253, 254]);
    const three = buildBundle({ taxonomy: tax, vertical: vertical(lines.join('\n')), datasets: [{ dataset: ds(3), mapping: map(3) }] });
    expect(three.bundle).toBeNull();
    expect(three.findings.map((f) => [f.code, f.severity, f.args.sets, f.args.room])).toEqual([['merge-too-many-label-sets', 'error', 3, 2]]);
    const ignoring = buildBundle({ taxonomy: tax, vertical: vertical(lines.join('\n')), datasets: [{ dataset: ds(3), mapping: map(3) }], coarse: 'ignore' });
    expect(ignoring.bundle!.label_sets).toEqual([]);
  });

  it('the sheets rules accept background as a mapping target and reserve it as a taxonomy name', () => {
    const ds = dataset('0 bg');
    const findings = checkSheetSet({ taxonomy: taxonomy('1 background\n2 car'), taxonomyHistory: [], verticals: [], datasets: [{ dataset: ds, mapping: mapping('bg background') }] });
    expect(findings.filter((f) => f.severity === 'error').map((f) => f.code)).toEqual(['taxonomy-reserved-name']);
  });
});

describe('the Label API knows sets; lookup tables are full length', () => {
  const { bundle } = build('void ignore\nstreet road\nhuman person\nauto car');
  const space = new LabelSpace(bundle);

  it('lookup gives the set and its members; predictionFilter lists set classes apart', () => {
    expect(space.lookup('ds', 'street')).toMatchObject({ kind: 'set', train_id: 6, set: 'road|lane_marking', members: ['road', 'lane_marking'], ignored: false });
    expect(space.lookup('ds', 'void')).toMatchObject({ kind: 'ignore', ignored: true, members: null });
    const filter = space.predictionFilter('ds');
    expect(filter.keep.map((k) => k.name)).toEqual(['auto']);
    expect(filter.sets.map((s) => [s.name, s.train_id, s.members])).toEqual([
      ['street', 6, ['road', 'lane_marking']],
      ['human', 7, ['pedestrian', 'rider']],
    ]);
    expect(filter.off.map((o) => o.name)).toEqual(['void']);
    expect(space.labelSet(7).name).toBe('pedestrian|rider');
  });

  it('lut has 256 entries: every uint8 mask value indexes it, 255 -> ignore', () => {
    const lut = space.lut('ds');
    expect(lut).toBeInstanceOf(Uint8Array);
    expect(lut.length).toBe(256);
    expect([...lut.slice(0, 4)]).toEqual([255, 6, 7, 4]);
    expect(lut[255]).toBe(255);
    expect([...lut.slice(4)].every((v) => v === 255)).toBe(true);
  });
});
