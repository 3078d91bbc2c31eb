// Label sets on the shipped sheets (issue 15, "Done when"), and `--coarse ignore` against the
// lookup tables main wrote before label sets existed (fixtures/sets/v1-luts/, bundle format 1).
import { cpSync, mkdtempSync, readdirSync, readFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { parseCsvTable } from '../../src/sheets/csv.js';
import { loadSheetSet } from '../../src/sheets/set.js';
import { mergeSheetSet } from '../../src/compile.js';
import { formatCoverageCsv } from '../../src/taxonomy/outputs.js';
import type { Bundle, CoarseMode } from '../../src/taxonomy/types.js';
import { FIXTURES, ROOT } from '../helpers/cli.js';

const SHEETS = path.join(ROOT, 'sheets');
const V1 = path.join(FIXTURES, 'sets', 'v1-luts');

// The v1 tables were written from the 1.0.0 sheets; later versions (issue 16) change what lands
// where on purpose, so format 1 is checked against the sheets it was made from: a copy of every
// 1.0.0 sheet (released versions never change, so this copy is what main compiled then).
function releasedOnly(version: string): string {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'labelmap-v1-sheets-'));
  // The ADE20K mapping came later (issue 16) at 1.0.0 too: the v1 tables have no ADE20K.
  const later = path.join(SHEETS, 'mappings', 'ade20k@1.0.0.csv');
  cpSync(SHEETS, dir, { recursive: true, filter: (src) => (!src.endsWith('.csv') && !src.endsWith('.json') ? true : src.endsWith(`@${version}.csv`) && src !== later) });
  return dir;
}
const SHEETS_1_0_0 = releasedOnly('1.0.0');

function compile(vertical: string | null, coarse: CoarseMode, sheets = SHEETS): Bundle {
  const loaded = loadSheetSet(sheets, { verticals: vertical === null ? [] : [vertical], datasets: 'all' });
  const { bundle, findings } = mergeSheetSet(loaded.set, vertical, loaded.findings, { coarse });
  expect(findings.filter((f) => f.severity === 'error')).toEqual([]);
  return bundle!;
}

function csvRows(file: string): Record<string, string>[] {
  const { table } = parseCsvTable(readFileSync(file, 'utf8'), file);
  return table!.rows.map((r) => Object.fromEntries(table!.header.map((h, i) => [h, r.cells[i] ?? ''])));
}

describe('--coarse ignore reproduces the v1 lookup tables', () => {
  it.each(['self-driving', 'smart-city', 'indoor', 'maps', 'unified'])('%s: every row of every dataset, field by field', (folder) => {
    const bundle = compile(folder === 'unified' ? null : folder, 'ignore', SHEETS_1_0_0);
    expect(bundle.label_sets).toEqual([]);
    const files = readdirSync(path.join(V1, folder)).filter((f) => f !== 'coverage.csv');
    expect(bundle.datasets.map((d) => `${d.name}.csv`).sort()).toEqual(files.sort());
    for (const d of bundle.datasets) {
      const old = csvRows(path.join(V1, folder, `${d.name}.csv`));
      expect(d.lut.map((e) => ({ id: String(e.id), name: e.name, target: e.target ?? 'ignore', train_id: String(e.train_id), label: e.label ?? '', reason: e.reason }))).toEqual(old);
      for (const e of d.lut) expect(e.kind).toBe(e.label === null ? 'ignore' : 'label');
    }
    // Coverage statuses do not depend on --coarse, and are what v1 wrote.
    const coverage = (text: string) => text.trim().split('\n').slice(1).map((l) => l.split(',').slice(0, 4).join(','));
    expect(coverage(formatCoverageCsv(bundle))).toEqual(coverage(readFileSync(path.join(V1, folder, 'coverage.csv'), 'utf8')));
  });
});

describe('label sets on the shipped sheets (--coarse set, the default)', () => {
  const sd = compile('self-driving', 'set');
  const entry = (dataset: string, name: string) => sd.datasets.find((d) => d.name === dataset)!.lut.find((e) => e.name === name)!;

  it('Cityscapes road is the set {road, lane_marking, crosswalk, bike_lane}; COCO person the set {pedestrian, rider}', () => {
    const road = entry('cityscapes', 'road');
    expect([road.kind, road.set, road.reason]).toEqual(['set', 'road|lane_marking|crosswalk|bike_lane', 'coarser than vertical']);
    const set = sd.label_sets.find((s) => s.id === road.train_id)!;
    expect(set.members).toEqual(['road', 'lane_marking', 'crosswalk', 'bike_lane']);
    expect(set.member_ids).toEqual([0, 1, 2, 3]);
    for (const dataset of ['coco', 'voc', 'coco-panoptic']) {
      const person = entry(dataset, 'person');
      expect([person.kind, person.set]).toEqual(['set', 'pedestrian|rider']);
    }
  });

  it('set ids follow the label ids, stay below ignore, and equal sets share one id', () => {
    const highest = sd.labels.at(-1)!.train_id;
    expect(sd.label_sets.map((s) => s.id)).toEqual(sd.label_sets.map((_, i) => highest + 1 + i));
    expect(sd.label_sets.at(-1)!.id).toBeLessThan(sd.ignore_id);
    // Cityscapes, ApolloScape, COCO-Panoptic and COCO-Stuff road all use the one road set.
    const roadSets = new Set(['cityscapes', 'apolloscape', 'coco-panoptic', 'coco-stuff'].map((d) => sd.datasets.find((x) => x.name === d)!.lut.find((e) => e.target === 'road')!.train_id));
    expect(roadSets).toEqual(new Set([sd.label_sets.find((s) => s.name.startsWith('road|'))!.id]));
  });

  it('every coarse class of every vertical becomes a set unless its target reaches classes outside the vertical', () => {
    for (const vertical of ['self-driving', 'smart-city', 'indoor', 'maps']) {
      const withSets = compile(vertical, 'set');
      const without = compile(vertical, 'ignore');
      withSets.datasets.forEach((d, i) => {
        d.lut.forEach((e, j) => {
          const old = without.datasets[i]!.lut[j]!;
          // A background set's id comes after the coarse sets, so it moves when they go: same set, other id.
          if (old.reason === 'background') {
            expect({ ...e, train_id: 0 }).toEqual({ ...old, train_id: 0 });
            expect(withSets.label_sets.find((s) => s.id === e.train_id)!.name).toBe(e.set);
          } else if (old.reason !== 'coarser than vertical') expect(e).toEqual(old);
          else if (e.kind === 'ignore') expect(e).toEqual(old);
          else expect(withSets.label_sets.find((s) => s.id === e.train_id)!.name).toBe(e.set);
        });
      });
    }
    // No coarse class stays at 255 in the shipped verticals: Mapillary's vehicle group (target `vehicle`)
    // was the last one until self-driving 2.0.0 put boat and airplane in other_vehicle; now it is the
    // set of every vehicle label.
    for (const vertical of ['self-driving', 'smart-city', 'indoor', 'maps']) {
      const bundle = compile(vertical, 'set');
      const stays = bundle.datasets.flatMap((d) => d.lut.filter((e) => e.reason === 'coarser than vertical' && e.kind === 'ignore').map((e) => `${d.name}:${e.name}`));
      expect(stays, vertical).toEqual([]);
    }
    const group = sd.datasets.find((d) => d.name === 'mapillary-vistas-v2.0')!.lut.find((e) => e.name === 'object--vehicle--vehicle-group')!;
    expect(group.kind).toBe('set');
    expect(group.set!.split('|').sort()).toEqual(['bicycle', 'bus', 'car', 'motorcycle', 'other_vehicle', 'train', 'truck', 'wheelchair_or_pram']);
  });
});
