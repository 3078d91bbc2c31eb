import { describe, expect, it } from 'vitest';
import { LabelSpace, MAX_LUT_ID } from '../../src/api/label-api.js';
import { openBundle } from '../../src/api/index.js';
import { LabelmapError } from '../../src/findings.js';
import type { Bundle } from '../../src/taxonomy/types.js';
import { fixtureBundle, fixturePath } from '../export/helpers.js';

const sd = openBundle(fixturePath('self-driving'));
const unified = openBundle(fixturePath('unified-16'));

function codeOf(fn: () => unknown): { code: string; args: Record<string, unknown>; message: string } {
  try {
    fn();
  } catch (error) {
    if (error instanceof LabelmapError) return { code: error.finding.code, args: error.finding.args, message: error.message };
    throw error;
  }
  throw new Error('expected a LabelmapError');
}

describe('LabelSpace: the label set', () => {
  it('lists the output labels in train-id order with the set properties', () => {
    expect(sd.labels().map((l) => [l.train_id, l.name])).toEqual([
      [0, 'road'], [1, 'sidewalk'], [2, 'pedestrian'], [3, 'bicyclist'], [4, 'motorcyclist'],
      [5, 'vehicle'], [6, 'two_wheeler'], [7, 'traffic_light'], [8, 'sky'],
    ]);
    expect([sd.vertical, sd.idBits, sd.ignoreId, sd.numClasses]).toEqual(['self-driving', 8, 255, 9]);
    expect([unified.vertical, unified.idBits, unified.ignoreId, unified.numClasses]).toEqual([null, 16, 65535, 1001]);
    expect(sd.datasets()).toEqual(['cityscapes', 'coco']);
    expect(sd.inputs.map((i) => `${i.kind}/${i.name}@${i.version}`)).toContain('mapping/coco@1.0.1');
  });

  it('finds one label by name or train id', () => {
    expect(sd.label('vehicle').covers).toEqual(['car', 'truck', 'bus']);
    expect(sd.label(7).name).toBe('traffic_light');
    expect(unified.label(1000).name).toBe('sky');
    const e = codeOf(() => sd.label(9));
    expect(e.code).toBe('unknown-output-label');
    expect(e.message).toContain('no output label with train id 9 in vertical "self-driving" (labels: road, sidewalk,');
    expect(codeOf(() => unified.label('vehicle')).message).toContain('in the unified taxonomy');
  });
});

describe('LabelSpace.lookup', () => {
  it.each([
    // dataset, native id or name, train id, label, reason
    ['cityscapes', 7, 0, 'road', 'mapped'],
    ['cityscapes', 'road', 0, 'road', 'mapped'],
    ['cityscapes', -1, 255, null, 'ignored by mapping'],
    ['cityscapes', 'license plate', 255, null, 'ignored by mapping'],
    ['cityscapes', 25, 255, null, 'coarser than vertical'],
    ['cityscapes', 11, 255, null, 'not in vertical'],
    ['cityscapes', 27, 5, 'vehicle', 'mapped'],
    ['coco', 1, 2, 'pedestrian', 'mapped'],
    ['coco', 'traffic light', 7, 'traffic_light', 'mapped'],
    ['coco', 187, 8, 'sky', 'mapped'],
    ['coco', 'dog', 255, null, 'not in vertical'],
    ['coco', 200, 255, null, 'ignored by mapping'],
  ] as const)('%s %j -> %i %s (%s)', (dataset, key, trainId, label, reason) => {
    const r = sd.lookup(dataset, key);
    expect([r.train_id, r.label, r.reason, r.ignored]).toEqual([trainId, label, reason, label === null]);
    expect(r.dataset).toBe(dataset);
    expect(typeof key === 'number' ? r.id : r.name).toBe(key);
  });

  it('in the unified taxonomy a coarse class maps to its own label (16-bit ids)', () => {
    expect(unified.lookup('cityscapes', 'rider')).toMatchObject({ train_id: 11, label: 'rider', reason: 'mapped', target: 'rider' });
    expect(unified.lookup('cityscapes', 19)).toMatchObject({ train_id: 300, label: 'traffic_light' });
    expect(unified.lookup('cityscapes', -1)).toMatchObject({ train_id: 65535, label: null, ignored: true });
  });

  it('an unknown dataset, id or name is a LabelmapError with the known names and a hint', () => {
    const ds = codeOf(() => sd.lookup('mapillary', 1));
    expect(ds.code).toBe('unknown-dataset');
    expect(ds.message).toContain('the bundle has no dataset "mapillary" (datasets: cityscapes, coco)');
    expect(codeOf(() => sd.lookup('coco', 5)).message).toContain('dataset "coco" has no class with id 5');
    const named = codeOf(() => sd.lookup('coco', 'Traffic_Light'));
    expect(named.code).toBe('unknown-class');
    expect(named.message).toContain('has no class "Traffic_Light" (did you mean "traffic light"?)');
    expect(codeOf(() => sd.lookup('coco', 'zebra')).message).not.toContain('did you mean');
  });
});

describe('LabelSpace.reverse', () => {
  it('gives the taxonomy classes, the source classes and the coverage of each dataset', () => {
    expect(sd.reverse('vehicle')).toEqual({
      train_id: 5,
      label: 'vehicle',
      color: '#00008e',
      is_thing: true,
      covers: ['car', 'truck', 'bus'],
      sources: { cityscapes: ['car', 'truck', 'bus'], coco: ['car', 'bus', 'truck'] },
      coverage: { cityscapes: 'full', coco: 'full' },
    });
  });

  it('a label no dataset maps to directly: empty sources, partial/none coverage', () => {
    const r = sd.reverse(3);
    expect(r.label).toBe('bicyclist');
    expect(r.sources).toEqual({ cityscapes: [], coco: [] });
    expect(r.coverage).toEqual({ cityscapes: 'partial', coco: 'none' });
    expect(sd.reverse('sidewalk').coverage).toEqual({ cityscapes: 'full', coco: 'none' });
  });

  it('returns copies: changing a result does not change the bundle', () => {
    sd.reverse('vehicle').covers.push('tram');
    expect(sd.label('vehicle').covers).toEqual(['car', 'truck', 'bus']);
  });
});

describe('LabelSpace.coverage', () => {
  it('one status per output label in train-id order', () => {
    expect(sd.coverage('coco').map((c) => `${c.train_id}:${c.label}:${c.status}`)).toEqual([
      '0:road:full', '1:sidewalk:none', '2:pedestrian:full', '3:bicyclist:none', '4:motorcyclist:none',
      '5:vehicle:full', '6:two_wheeler:full', '7:traffic_light:full', '8:sky:full',
    ]);
    expect(unified.coverage('cityscapes').filter((c) => c.status === 'partial').map((c) => c.label)).toEqual(['bicyclist', 'motorcyclist']);
  });
});

describe('LabelSpace.predictionFilter', () => {
  it('keeps the predictions that become an output label and switches off the rest, with reasons', () => {
    const f = sd.predictionFilter('coco');
    expect(f.keep).toEqual([
      { id: 1, name: 'person', train_id: 2, label: 'pedestrian' },
      { id: 2, name: 'bicycle', train_id: 6, label: 'two_wheeler' },
      { id: 3, name: 'car', train_id: 5, label: 'vehicle' },
      { id: 4, name: 'motorcycle', train_id: 6, label: 'two_wheeler' },
      { id: 6, name: 'bus', train_id: 5, label: 'vehicle' },
      { id: 8, name: 'truck', train_id: 5, label: 'vehicle' },
      { id: 10, name: 'traffic light', train_id: 7, label: 'traffic_light' },
      { id: 149, name: 'road', train_id: 0, label: 'road' },
      { id: 187, name: 'sky-other-merged', train_id: 8, label: 'sky' },
    ]);
    expect(f.off).toEqual([
      { id: 17, name: 'cat', target: 'cat', reason: 'not in vertical' },
      { id: 18, name: 'dog', target: 'dog', reason: 'not in vertical' },
      { id: 200, name: 'rug-merged', target: null, reason: 'ignored by mapping' },
    ]);
    expect(sd.predictionFilter('cityscapes').off.find((o) => o.name === 'rider')).toEqual({ id: 25, name: 'rider', target: 'rider', reason: 'coarser than vertical' });
  });
});

describe('LabelSpace.lut / lutMap', () => {
  it('a Uint8Array indexed by native id, ignore in the gaps, agreeing with lookup', () => {
    const lut = sd.lut('cityscapes');
    expect(lut).toBeInstanceOf(Uint8Array);
    // Full length: every value a uint8 mask can hold (Cityscapes ids end at 33).
    expect(lut.length).toBe(256);
    expect(lut[255]).toBe(255);
    for (let id = 0; id < lut.length; id++) {
      let expected = 255;
      try {
        expected = sd.lookup('cityscapes', id).train_id;
      } catch {
        /* an id Cityscapes does not have */
      }
      expect(lut[id], `id ${id}`).toBe(expected);
    }
    expect(sd.lut('coco').length).toBe(256);
  });

  it('a Uint16Array for 16-bit ids; negative ids only in lutMap', () => {
    const lut = unified.lut('cityscapes');
    expect(lut).toBeInstanceOf(Uint16Array);
    expect([lut[19], lut[23], lut[0], lut[1]]).toEqual([300, 1000, 65535, 65535]);
    const map = unified.lutMap('cityscapes');
    expect(map.get(-1)).toBe(65535);
    expect(map.get(25)).toBe(11);
    expect(map.has(1)).toBe(false);
    expect(map.size).toBe(9);
  });

  it('returns a fresh array each time', () => {
    sd.lut('coco')[1] = 0;
    expect(sd.lut('coco')[1]).toBe(2);
  });

  it('refuses a table indexed by a huge native id, and points to lutMap', () => {
    const b = structuredClone(fixtureBundle('self-driving')) as Bundle;
    b.datasets[1]!.lut[0]!.id = MAX_LUT_ID + 1;
    const space = new LabelSpace(b);
    const e = codeOf(() => space.lut('coco'));
    expect(e.code).toBe('lut-too-large');
    expect(e.message).toContain('LabelSpace.lutMap');
    expect(space.lutMap('coco').get(MAX_LUT_ID + 1)).toBe(2);
  });
});

describe('new LabelSpace(bundle)', () => {
  it('checks a bundle that did not come through readBundle', () => {
    const b = structuredClone(fixtureBundle('self-driving')) as Bundle;
    b.labels[2]!.name = 'road';
    const e = codeOf(() => new LabelSpace(b, 'in-memory'));
    expect(e.code).toBe('bundle-invalid');
    expect(e.message).toBe('in-memory $.labels[2].name: error bundle-invalid: duplicate label name: expected every label name once, found "road"\n  fix: the bundle was edited by hand or damaged: write it again with `labelmap merge` instead of editing it');
  });
});
