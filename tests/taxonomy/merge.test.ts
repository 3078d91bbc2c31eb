import fc from 'fast-check';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { sha256 } from '../../src/sheets/io.js';
import { loadSheetSet } from '../../src/sheets/set.js';
import { mergeSheetSet } from '../../src/compile.js';
import { buildBundle } from '../../src/taxonomy/merge.js';
import { bundleFiles, formatLutCsv, summarizeBundle } from '../../src/taxonomy/outputs.js';
import { FIXTURES } from '../helpers/cli.js';
import { dataset, mapping, taxonomy, vertical } from './sheets.js';

const DRIVING = path.join(FIXTURES, 'sets', 'driving');

function mergeDriving(verticalRef: string | null, datasets: string[] | 'all' = 'all') {
  const loaded = loadSheetSet(DRIVING, { verticals: verticalRef ? [verticalRef] : [], datasets });
  return mergeSheetSet(loaded.set, loaded.set!.verticals[0]?.name ?? null, loaded.findings);
}

describe('mergeSheetSet on the driving fixture', () => {
  const { bundle, findings } = mergeDriving('self-driving');

  it('lists every input sheet with its version and checksum, sorted by kind then name', () => {
    expect(bundle!.inputs.map((i) => `${i.kind} ${i.file}`)).toEqual([
      'dataset datasets/cityscapes-mini@1.0.0.csv',
      'dataset datasets/coco-mini@1.1.0.csv',
      'taxonomy taxonomy/core@1.1.0.csv',
      'mapping mappings/cityscapes-mini@1.0.0.csv',
      'mapping mappings/coco-mini@1.0.0.csv',
      'vertical verticals/self-driving@1.1.0.csv',
    ]);
    for (const input of bundle!.inputs) expect(input.sha256).toBe(sha256(readFileSync(path.join(DRIVING, input.file))));
  });

  it('has one LUT entry per native id, in id order', () => {
    for (const d of bundle!.datasets) {
      const sheetIds = readFileSync(path.join(DRIVING, 'datasets', `${d.name}@${d.version}.csv`), 'utf8')
        .trim()
        .split('\n')
        .slice(1)
        .map((l) => Number(l.split(',')[0]))
        .sort((a, b) => a - b);
      expect(d.lut.map((e) => e.id)).toEqual(sheetIds);
    }
  });

  it('compiles Cityscapes rider and COCO person to label sets of the labels they may be (default --coarse set)', () => {
    const rider = bundle!.datasets[0]!.lut.find((e) => e.name === 'rider')!;
    const riderSet = bundle!.label_sets.find((s) => s.name === 'bicyclist|motorcyclist')!;
    expect(rider).toEqual({ id: 25, name: 'rider', target: 'rider', kind: 'set', train_id: riderSet.id, label: null, set: 'bicyclist|motorcyclist', reason: 'coarser than vertical' });
    expect(riderSet.member_ids).toEqual(riderSet.members.map((m) => bundle!.labels.find((l) => l.name === m)!.train_id));
    const person = bundle!.datasets[1]!.lut.find((e) => e.name === 'person')!;
    expect([person.kind, person.set]).toEqual(['set', 'pedestrian|bicyclist|motorcyclist']);
    expect(bundle!.label_sets.map((s) => [s.id, s.kind])).toEqual([
      [13, 'coarse'],
      [14, 'coarse'],
    ]);
    expect(bundle!.coarse).toBe('set');
    // Coverage stays partial: the dataset labels the set, not each member; `because` names the class.
    expect(bundle!.datasets[0]!.coverage.find((c) => c.label === 'bicyclist')).toEqual({ label: 'bicyclist', train_id: riderSet.member_ids[0], status: 'partial', because: ['rider'] });
    expect(findings.filter((f) => f.code === 'merge-coarser-than-vertical')).toEqual([]);
  });

  it('--coarse ignore: Cityscapes rider falls to ignore as coarser than the vertical, with a warning at its mapping row', () => {
    const loaded = loadSheetSet(DRIVING, { verticals: ['self-driving'], datasets: 'all' });
    const { bundle: ignoring, findings: warned } = mergeSheetSet(loaded.set, 'self-driving', loaded.findings, { coarse: 'ignore' });
    const rider = ignoring!.datasets[0]!.lut.find((e) => e.name === 'rider')!;
    expect(rider).toEqual({ id: 25, name: 'rider', target: 'rider', kind: 'ignore', train_id: 255, label: null, set: null, reason: 'coarser than vertical' });
    expect(ignoring!.label_sets).toEqual([]);
    const warnings = warned.filter((f) => f.code === 'merge-coarser-than-vertical');
    expect(warnings.map((f) => [f.file, f.line, f.column, f.args.source, f.args.labels])).toEqual([
      // args hold lists now; the wording joins them (src/findings.ts).
      ['mappings/cityscapes-mini@1.0.0.csv', 12, 2, 'rider', ['bicyclist', 'motorcyclist']],
      ['mappings/coco-mini@1.0.0.csv', 2, 2, 'person', ['pedestrian', 'bicyclist', 'motorcyclist']],
    ]);
  });

  it('summarizes each dataset', () => {
    expect(summarizeBundle(bundle!)[0]).toEqual({
      dataset: 'cityscapes-mini',
      version: '1.0.0',
      classes: 16,
      mapped: 11,
      ignored: 2,
      not_in_vertical: 2,
      coarser: 1,
      sets: 1,
      full: 11,
      partial: 2,
      none: 0,
    });
  });

  it('writes the LUT as CSV with ignore as train id 255 and no label, and a set with its members', () => {
    const lines = formatLutCsv(bundle!.datasets[0]!).split('\n');
    expect(lines[0]).toBe('id,name,target,kind,train_id,label,set,reason');
    expect(lines).toContain('-1,license plate,ignore,ignore,255,,,ignored by mapping');
    expect(lines).toContain('24,person,pedestrian,label,2,pedestrian,,mapped');
    expect(lines).toContain('25,rider,rider,set,14,,bicyclist|motorcyclist,coarser than vertical');
  });

  it('pins versions: an older vertical and dataset', () => {
    const pinned = mergeDriving('self-driving@1.0.0', ['coco-mini@1.0.0']).bundle!;
    expect(pinned.labels.map((l) => l.name)).not.toContain('sky');
    expect(pinned.datasets.map((d) => `${d.name}@${d.version}`)).toEqual(['coco-mini@1.0.0']);
    expect(pinned.datasets[0]!.lut.map((e) => e.name)).not.toContain('stop sign');
  });

  it('gives no bundle when a rule finds an error', () => {
    const loaded = loadSheetSet(path.join(FIXTURES, 'sets', 'broken'), { verticals: [] });
    const r = mergeSheetSet(loaded.set, null, loaded.findings);
    expect(r.bundle).toBeNull();
    expect(r.findings.some((f) => f.severity === 'error')).toBe(true);
  });

  it('gives the same bytes twice', () => {
    const again = mergeDriving('self-driving').bundle!;
    expect(bundleFiles(again)).toEqual(bundleFiles(bundle!));
  });
});

describe('buildBundle over random sheet sets (properties)', () => {
  // A random forest of up to 30 classes; a vertical of random includes; a dataset mapping to
  // random targets or ignore.
  const arbitrarySet = fc
    .array(fc.nat(), { minLength: 1, maxLength: 30 })
    .chain((parents) =>
      fc.record({
        parents: fc.constant(parents.map((p, i) => (i === 0 || p % 3 === 0 ? null : p % i))),
        includes: fc.array(fc.tuple(fc.nat(5), fc.nat(parents.length - 1)), { maxLength: 8 }),
        targets: fc.array(fc.integer({ min: -1, max: parents.length - 1 }), { minLength: 1, maxLength: 20 }),
        ids: fc.uniqueArray(fc.integer({ min: -5, max: 1000 }), { minLength: 20, maxLength: 20 }),
      }),
    );

  it('maps every native id exactly once, to a label or ignore, and marks coverage consistently', () => {
    fc.assert(
      fc.property(arbitrarySet, ({ parents, includes, targets, ids }) => {
        const tax = taxonomy(parents.map((p, i) => `${i} t${i}${p === null ? '' : ` t${p}`}`).join('\n'));
        const seen = new Set<number>();
        const rows = includes.filter(([, inc]) => !seen.has(inc) && seen.add(inc));
        const vert = rows.length ? vertical(rows.map(([cls, inc]) => `out${cls} t${inc}`).join('\n')) : null;
        const ds = dataset(targets.map((_, i) => `${ids[i]} s${i}`).join('\n'));
        const map = mapping(targets.map((t, i) => `s${i} ${t < 0 ? 'ignore' : `t${t}`}`).join('\n'));
        const { bundle } = buildBundle({ taxonomy: tax, vertical: vert, datasets: [{ dataset: ds, mapping: map }] });
        const out = bundle!.datasets[0]!;
        expect(out.lut.map((e) => e.id)).toEqual(ids.slice(0, targets.length).sort((a, b) => a - b));
        const byId = new Map(bundle!.labels.map((l) => [l.train_id, l]));
        const setById = new Map(bundle!.label_sets.map((s) => [s.id, s]));
        for (const e of out.lut) {
          if (e.reason === 'mapped') expect(byId.get(e.train_id)?.name).toBe(e.label);
          else if (e.kind === 'set') {
            // A set has two members or more, all labels, and its id lies above every label id.
            expect(setById.get(e.train_id)?.name).toBe(e.set);
            expect(setById.get(e.train_id)!.member_ids.length).toBeGreaterThanOrEqual(2);
            expect(e.train_id).toBeGreaterThan(bundle!.labels.at(-1)!.train_id);
          } else expect([e.train_id, e.label]).toEqual([bundle!.ignore_id, null]);
          if (e.label) expect(out.coverage.find((c) => c.label === e.label)!.status).not.toBe('none');
        }
        if (out.lut.some((e) => e.reason === 'coarser than vertical')) expect(out.coverage.some((c) => c.status === 'partial')).toBe(true);
      }),
      { numRuns: 200 },
    );
  });
});
