// The shipped control sheets (sheets/), checked as a user meets them: the dataset sheets are what
// the extractors produce from the published metadata, every vertical and the unified set merge
// with every dataset id landing exactly once, no output class is empty, and every source class a
// vertical splits (coarser than vertical) carries a note that explains it.
import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { compileSheets } from '../../src/compile.js';
import { scanSheetsDir } from '../../src/sheets/discover.js';
import { readSheet } from '../../src/sheets/io.js';
import { FIXTURES, REAL, ROOT, runInProcess } from '../helpers/cli.js';

const SHEETS = path.join(ROOT, 'sheets');
const VERTICALS = ['self-driving', 'smart-city', 'indoor', 'maps'];
const files = scanSheetsDir(SHEETS).files;
const datasets = files.filter((f) => f.kind === 'dataset');

describe('the shipped sheets', () => {
  it('cover the ten dataset releases, one taxonomy and the four verticals', () => {
    expect(datasets.map((f) => f.name).sort()).toEqual([
      'ade20k', 'apolloscape', 'apolloscape-lanemark', 'cityscapes', 'coco', 'coco-panoptic', 'coco-stuff',
      'mapillary-vistas-v1.2', 'mapillary-vistas-v2.0', 'voc',
    ]);
    expect([...new Set(files.filter((f) => f.kind === 'vertical').map((f) => f.name))].sort()).toEqual([...VERTICALS].sort());
    const rows = Object.fromEntries(datasets.map((f) => [f.name, readSheet(f).rows.length]));
    expect(rows).toEqual({
      ade20k: 151, apolloscape: 36, 'apolloscape-lanemark': 38, cityscapes: 35, coco: 80, 'coco-panoptic': 133, 'coco-stuff': 92,
      'mapillary-vistas-v1.2': 66, 'mapillary-vistas-v2.0': 124, voc: 22,
    });
  });

  for (const vertical of [...VERTICALS, null]) {
    it(`${vertical ?? 'unified'}: every dataset id lands once, no output class is empty, every split is explained`, () => {
      const { bundle, findings } = compileSheets(SHEETS, { vertical });
      expect(findings.filter((f) => f.severity === 'error')).toEqual([]);
      for (const d of bundle!.datasets) {
        const sheet = readSheet({ ...datasets.find((f) => f.name === d.name)!, kind: 'dataset' as const });
        expect(d.lut.map((e) => e.id).sort((a, b) => a - b), d.name).toEqual(sheet.rows.map((r) => r.id).sort((a, b) => a - b));
      }
      const reached = new Set(bundle!.datasets.flatMap((d) => d.lut.filter((e) => e.label !== null).map((e) => e.label)));
      if (vertical) expect(bundle!.labels.filter((l) => !reached.has(l.name)).map((l) => l.name)).toEqual([]);
      for (const f of findings.filter((x) => x.code === 'merge-coarser-than-vertical')) {
        const mapping = readSheet({ ...files.find((x) => x.kind === 'mapping' && x.rel === f.file)!, kind: 'mapping' as const });
        const row = mapping.rows[mapping.lines.indexOf(f.line!)]!;
        expect(row.note.trim(), `${f.file}:${f.line} ${row.source}`).not.toBe('');
      }
    });
  }

  // Issue 16: the shipped data is true and complete enough that validate has nothing to say.
  it('pass `labelmap validate --strict`: no error and no warning', async () => {
    const r = await runInProcess(['validate', '--strict', '--format', 'json', SHEETS]);
    expect(r.code).toBe(0);
    const doc = JSON.parse(r.stdout) as { errors: number; findings: { code: string; file?: string }[] };
    expect(doc.errors).toBe(0);
    expect(doc.findings.map((f) => `${f.code} ${f.file ?? ''}`)).toEqual([]);
  });
});

// The dataset sheets are the extractors' output, not hand edits: re-extracting gives the same bytes.
describe.skipIf(!existsSync(REAL))('the shipped dataset sheets are what the extractors write', () => {
  const sources: [string, string, string][] = [
    ['coco', 'coco', path.join(REAL, 'coco/instances_val2017.excerpt.json')],
    ['coco-panoptic', 'coco', path.join(REAL, 'coco/panoptic_coco_categories.json')],
    ['coco-stuff', 'coco', path.join(REAL, 'coco/stuff_val2017.excerpt.json')],
    ['voc', 'voc', path.join(REAL, 'voc/VOC2007-sample')],
    ['cityscapes', 'cityscapes', path.join(FIXTURES, 'cityscapes/labels.py')],
    ['mapillary-vistas-v1.2', 'mapillary', path.join(REAL, 'mapillary/config_v1.1_public.json')],
    ['mapillary-vistas-v2.0', 'mapillary', path.join(REAL, 'mapillary/config_v2.0.json')],
    ['apolloscape', 'apolloscape', path.join(FIXTURES, 'apolloscape/labels_apollo.py')],
    ['apolloscape-lanemark', 'apolloscape', path.join(FIXTURES, 'apolloscape/laneMarkDetection.py')],
    ['ade20k', 'ade20k', path.join(REAL, 'ade20k/objectInfo150.csv')],
  ];
  it.each(sources)('%s', async (name, format, input) => {
    const r = await runInProcess(['extract', format, input, '--stdout', '--name', name]);
    expect(r.code).toBe(0);
    const latest = datasets.filter((f) => f.name === name).at(-1)!;
    expect(r.stdout).toBe(readFileSync(latest.file, 'utf8'));
  });
});

// Issue 16: the shipped content as a practitioner expects it (latest versions).
describe('the shipped taxonomy and mappings (issue 16)', () => {
  const latest = (kind: string, name: string) => files.filter((f) => f.kind === kind && f.name === name).at(-1)!;
  const taxonomy = readSheet({ ...latest('taxonomy', 'unified'), kind: 'taxonomy' as const });
  const byName = new Map(taxonomy.rows.map((r) => [r.name, r]));
  const mappingRow = (dataset: string, source: string) =>
    readSheet({ ...latest('mapping', dataset), kind: 'mapping' as const }).rows.find((r) => r.source === source)!;

  it('every class has the is_thing value of its parent', () => {
    const differ = taxonomy.rows.filter((r) => r.parent !== '' && byName.get(r.parent)!.is_thing !== r.is_thing).map((r) => r.name);
    expect(differ).toEqual([]);
  });

  it('places trees and bushes, potted plants, snow, gravel, carpet, banner, cardboard, parking lines, cones and bollards', () => {
    const parents = Object.fromEntries(
      ['tree', 'bush', 'branch', 'leaves', 'potted_plant', 'snow', 'gravel', 'carpet', 'banner', 'cardboard', 'parking_line', 'traffic_cone', 'bollard'].map((n) => [n, byName.get(n)!.parent]),
    );
    expect(parents).toEqual({
      tree: 'tree_or_bush', bush: 'tree_or_bush', branch: 'tree_or_bush', leaves: 'tree_or_bush', potted_plant: 'household_object',
      snow: 'nature', gravel: 'nature', carpet: 'floor', banner: 'textile', cardboard: 'household_object', parking_line: 'ground',
      traffic_cone: 'street_furniture', bollard: 'street_furniture',
    });
    expect(mappingRow('coco-panoptic', 'tree-merged').target).toBe('tree_or_bush');
    expect(byName.get('stone')!.description).toMatch(/^Loose stones/);
  });

  it('VOC background and the ApolloScape lane-marking void are background, not void', () => {
    expect(mappingRow('voc', 'background').target).toBe('background');
    expect(mappingRow('apolloscape-lanemark', 'void').target).toBe('background');
    expect(mappingRow('voc', 'void').target).toBe('ignore');
  });

  it('declares the impurities the expert review listed', () => {
    const declared = (dataset: string, source: string) => (mappingRow(dataset, source).contains ?? '').split(' ').filter(Boolean);
    expect(declared('cityscapes', 'terrain')).toContain('curb');
    expect(declared('cityscapes', 'pole')).toContain('street_light');
    expect(declared('cityscapes', 'sidewalk')).toContain('bike_lane');
    expect(declared('cityscapes', 'dynamic')).toEqual(expect.arrayContaining(['slow_wheeled_object', 'land_animal']));
    expect(declared('mapillary-vistas-v1.2', 'construction--flat--road')).toEqual(expect.arrayContaining(['road_shoulder', 'driveway']));
    expect(declared('mapillary-vistas-v1.2', 'construction--flat--sidewalk')).toContain('traffic_island');
    expect(declared('mapillary-vistas-v1.2', 'construction--flat--service-lane')).toContain('road_shoulder');
    expect(declared('mapillary-vistas-v2.0', 'construction--flat--parking')).toContain('road_surface');
    expect(declared('coco-panoptic', 'pavement-merged')).toContain('floor_stone');
    expect(declared('apolloscape', 'vegatation')).toContain('grass');
  });

  it('coverage follows the declarations: Cityscapes is partial for curb through terrain too, ApolloScape for grass', () => {
    const sd = compileSheets(SHEETS, { vertical: 'self-driving' }).bundle!;
    const curb = sd.datasets.find((d) => d.name === 'cityscapes')!.coverage.find((c) => c.label === 'curb')!;
    expect([curb.status, curb.because]).toEqual(['partial', ['sidewalk', 'terrain']]);
    const unified = compileSheets(SHEETS, { vertical: null }).bundle!;
    const grass = unified.datasets.find((d) => d.name === 'apolloscape')!.coverage.find((c) => c.label === 'grass')!;
    expect([grass.status, grass.because]).toEqual(['partial', ['vegatation']]);
  });
});
