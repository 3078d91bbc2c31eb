import { describe, expect, it } from 'vitest';
import { parseSheetText } from '../../src/sheets/csv.js';
import type { RowOf, SheetKind } from '../../src/sheets/schema.js';
import { requiredBump } from '../../src/versioning/bump.js';
import {
  describeChange,
  diffLuts,
  diffSheetPair,
  diffSheets,
  diffSheetSets,
  outputClassesOf,
  type Change,
  type SheetData,
} from '../../src/versioning/diff.js';

function rows<K extends SheetKind>(kind: K, csv: string): RowOf[K][] {
  const { sheet, findings } = parseSheetText(kind, csv, 'test.csv');
  expect(findings.filter((f) => f.severity === 'error')).toEqual([]);
  return sheet!.rows;
}

/** [rule, key, field, before, after] */
type Row = [string, string, string | null, string | null, string | null];
const brief = (changes: Change[]): Row[] => changes.map((c) => [c.rule, c.key, c.field, c.before, c.after]);

const DATASET_HEAD = 'id,name,display_name,category,train_id,color,is_thing,evaluate\n';
const DS = (body: string) => DATASET_HEAD + body;
const TAX_HEAD = 'id,name,parent,display_name,color,is_thing,description\n';
const MAP_HEAD = 'source,target,note\n';
const VERT_HEAD = 'class,include,train_id,color\n';

interface Case {
  name: string;
  kind: SheetKind;
  before: string;
  after: string;
  changes: Row[];
  required: 'major' | 'minor' | 'patch' | null;
}

const CASES: Case[] = [
  // --- dataset -------------------------------------------------------------------------------
  {
    name: 'dataset: identical',
    kind: 'dataset',
    before: DS('1,person,Person,human,0,#dc143c,true,true\n'),
    after: DS('1,person,Person,human,0,#dc143c,true,true\n'),
    changes: [],
    required: null,
  },
  {
    name: 'dataset: row order alone is no change',
    kind: 'dataset',
    before: DS('1,person,,,,,,\n2,car,,,,,,\n'),
    after: DS('2,car,,,,,,\n1,person,,,,,,\n'),
    changes: [],
    required: null,
  },
  {
    name: 'dataset: class added',
    kind: 'dataset',
    before: DS('1,person,,,,,,\n'),
    after: DS('1,person,,,,,,\n2,car,,,,,,\n'),
    changes: [['class-added', 'car', 'id', null, '2']],
    required: 'minor',
  },
  {
    name: 'dataset: class removed',
    kind: 'dataset',
    before: DS('1,person,,,,,,\n26,hat,,,,,,\n'),
    after: DS('1,person,,,,,,\n'),
    changes: [['class-removed', 'hat', 'id', '26', null]],
    required: 'major',
  },
  {
    name: 'dataset: renamed (same id, new name)',
    kind: 'dataset',
    before: DS('1,person,,,,,,\n'),
    after: DS('1,pedestrian,,,,,,\n'),
    changes: [['class-renamed', '1', 'name', 'person', 'pedestrian']],
    required: 'major',
  },
  {
    name: 'dataset: renumbered (same name, new id)',
    kind: 'dataset',
    before: DS('1,person,,,,,,\n'),
    after: DS('7,person,,,,,,\n'),
    changes: [['class-renumbered', 'person', 'id', '1', '7']],
    required: 'major',
  },
  {
    name: 'dataset: two ids swapped are two renumberings, not two renames',
    kind: 'dataset',
    before: DS('1,road,,,,,,\n2,sidewalk,,,,,,\n'),
    after: DS('2,road,,,,,,\n1,sidewalk,,,,,,\n'),
    changes: [
      ['class-renumbered', 'sidewalk', 'id', '2', '1'],
      ['class-renumbered', 'road', 'id', '1', '2'],
    ],
    required: 'major',
  },
  {
    name: 'dataset: train_id changed',
    kind: 'dataset',
    before: DS('7,road,,flat,0,,,\n'),
    after: DS('7,road,,flat,1,,,\n'),
    changes: [['train-id-changed', 'road', 'train_id', '0', '1']],
    required: 'major',
  },
  {
    name: 'dataset: train_id cleared',
    kind: 'dataset',
    before: DS('7,road,,flat,0,,,\n'),
    after: DS('7,road,,flat,,,,\n'),
    changes: [['train-id-changed', 'road', 'train_id', '0', '']],
    required: 'major',
  },
  {
    name: 'dataset: is_thing and evaluate are minor',
    kind: 'dataset',
    before: DS('1,person,,,,,true,true\n'),
    after: DS('1,person,,,,,false,false\n'),
    changes: [
      ['is-thing-changed', 'person', 'is_thing', 'true', 'false'],
      ['evaluate-changed', 'person', 'evaluate', 'true', 'false'],
    ],
    required: 'minor',
  },
  {
    name: 'dataset: display_name, category and color are patch (color compared lower-cased)',
    kind: 'dataset',
    before: DS('1,person,Person,human,,#DC143C,,\n'),
    after: DS('1,person,A person,people,,#dc143d,,\n'),
    changes: [
      ['text-changed', 'person', 'display_name', 'Person', 'A person'],
      ['category-changed', 'person', 'category', 'human', 'people'],
      ['text-changed', 'person', 'color', '#dc143c', '#dc143d'],
    ],
    required: 'patch',
  },
  {
    name: 'dataset: counts and x_ columns are patch; a counts column that appears is a change per row',
    kind: 'dataset',
    before: 'id,name,display_name,category,train_id,color,is_thing,evaluate,x_cls_id\n1,person,,,,,,,0x01\n',
    after: 'id,name,display_name,category,train_id,color,is_thing,evaluate,instances,images,x_cls_id\n1,person,,,,,,,10,3,0x11\n',
    changes: [
      ['counts-changed', 'person', 'instances', '', '10'],
      ['counts-changed', 'person', 'images', '', '3'],
      ['extra-changed', 'person', 'x_cls_id', '0x01', '0x11'],
    ],
    required: 'patch',
  },
  {
    name: 'dataset: a renamed class with a new display name reports both',
    kind: 'dataset',
    before: DS('72,tv,TV,electronic,,#000000,,\n'),
    after: DS('72,tv monitor,TV monitor,electronic,,#000000,,\n'),
    changes: [
      ['class-renamed', '72', 'name', 'tv', 'tv monitor'],
      ['text-changed', 'tv monitor', 'display_name', 'TV', 'TV monitor'],
    ],
    required: 'major',
  },
  {
    name: 'dataset: same id, new name, other colour or category is another class, not a rename',
    kind: 'dataset',
    before: DS('35,object--billboard,,object,,#dcdcdc,,\n36,a,,x,,#000001,,\n'),
    after: DS('35,marking--continuous--dashed,,marking,,#dcdcdc,,\n36,b,,x,,#000002,,\n'),
    changes: [
      ['class-removed', 'object--billboard', 'id', '35', null],
      ['class-added', 'marking--continuous--dashed', 'id', null, '35'],
      ['class-removed', 'a', 'id', '36', null],
      ['class-added', 'b', 'id', null, '36'],
    ],
    required: 'major',
  },
  {
    name: 'dataset: a name and an id both new is a removal plus an addition',
    kind: 'dataset',
    before: DS('1,person,,,,,,\n'),
    after: DS('2,human,,,,,,\n'),
    changes: [
      ['class-removed', 'person', 'id', '1', null],
      ['class-added', 'human', 'id', null, '2'],
    ],
    required: 'major',
  },
  // --- taxonomy ------------------------------------------------------------------------------
  {
    name: 'taxonomy: parent changed is major',
    kind: 'taxonomy',
    before: TAX_HEAD + '1,vehicle,,,,,\n2,rider,,,,,\n3,bicyclist,rider,,,,\n',
    after: TAX_HEAD + '1,vehicle,,,,,\n2,rider,,,,,\n3,bicyclist,vehicle,,,,\n',
    changes: [['parent-changed', 'bicyclist', 'parent', 'rider', 'vehicle']],
    required: 'major',
  },
  {
    name: 'taxonomy: class added, description and display_name patch',
    kind: 'taxonomy',
    before: TAX_HEAD + '1,vehicle,,Vehicle,#000000,true,cars and such\n',
    after: TAX_HEAD + '1,vehicle,,Vehicles,#000000,true,anything with wheels\n2,car,vehicle,,,true,\n',
    changes: [
      ['text-changed', 'vehicle', 'display_name', 'Vehicle', 'Vehicles'],
      ['text-changed', 'vehicle', 'description', 'cars and such', 'anything with wheels'],
      ['class-added', 'car', 'id', null, '2'],
    ],
    required: 'minor',
  },
  {
    name: 'taxonomy: same id under another parent is another class',
    kind: 'taxonomy',
    before: TAX_HEAD + '1,vehicle,,,,,\n2,rider,,,,,\n3,bicyclist,rider,,,,\n',
    after: TAX_HEAD + '1,vehicle,,,,,\n2,rider,,,,,\n3,bicycle,vehicle,,,,\n',
    changes: [
      ['class-removed', 'bicyclist', 'id', '3', null],
      ['class-added', 'bicycle', 'id', null, '3'],
    ],
    required: 'major',
  },
  {
    name: 'taxonomy: renamed slug is major',
    kind: 'taxonomy',
    before: TAX_HEAD + '5,traffic_sign,,,,,\n',
    after: TAX_HEAD + '5,traffic_sign_front,,,,,\n',
    changes: [['class-renamed', '5', 'name', 'traffic_sign', 'traffic_sign_front']],
    required: 'major',
  },
  {
    name: 'taxonomy: is_thing from empty to true is minor',
    kind: 'taxonomy',
    before: TAX_HEAD + '5,car,,,,,\n',
    after: TAX_HEAD + '5,car,,,,true,\n',
    changes: [['is-thing-changed', 'car', 'is_thing', '', 'true']],
    required: 'minor',
  },
  // --- mapping -------------------------------------------------------------------------------
  {
    name: 'mapping: row added for a new source',
    kind: 'mapping',
    before: MAP_HEAD + 'person,person,\n',
    after: MAP_HEAD + 'person,person,\nbicycle,bicycle,\n',
    changes: [['mapping-added', 'bicycle', 'target', null, 'bicycle']],
    required: 'minor',
  },
  {
    name: 'mapping: retarget is major, also to and from ignore',
    kind: 'mapping',
    before: MAP_HEAD + 'rider,rider,\nego vehicle,ignore,\nbanner,billboard,\n',
    after: MAP_HEAD + 'rider,bicyclist,\nego vehicle,car,\nbanner,ignore,\n',
    changes: [
      ['mapping-retarget', 'rider', 'target', 'rider', 'bicyclist'],
      ['mapping-retarget', 'ego vehicle', 'target', 'ignore', 'car'],
      ['mapping-retarget', 'banner', 'target', 'billboard', 'ignore'],
    ],
    required: 'major',
  },
  {
    name: 'mapping: row removed is major, note is patch',
    kind: 'mapping',
    before: MAP_HEAD + 'person,person,\nhat,accessory,\n',
    after: MAP_HEAD + 'person,person,see COCO-Stuff\n',
    changes: [
      ['text-changed', 'person', 'note', '', 'see COCO-Stuff'],
      ['mapping-removed', 'hat', 'target', 'accessory', null],
    ],
    required: 'major',
  },
  // --- vertical ------------------------------------------------------------------------------
  {
    name: 'vertical: output class appended is minor',
    kind: 'vertical',
    before: VERT_HEAD + 'road,road,,\nvehicle,car,,\n',
    after: VERT_HEAD + 'road,road,,\nvehicle,car,,\nperson,person,,\n',
    changes: [['output-added', 'person', 'train_id', null, '2']],
    required: 'minor',
  },
  {
    name: 'vertical: output class inserted in the middle renumbers the rest',
    kind: 'vertical',
    before: VERT_HEAD + 'road,road,,\nvehicle,car,,\n',
    after: VERT_HEAD + 'road,road,,\nsidewalk,sidewalk,,\nvehicle,car,,\n',
    changes: [
      ['output-renumbered', 'vehicle', 'train_id', '1', '2'],
      ['output-added', 'sidewalk', 'train_id', null, '1'],
    ],
    required: 'major',
  },
  {
    name: 'vertical: output class removed',
    kind: 'vertical',
    before: VERT_HEAD + 'road,road,0,\nvehicle,car,1,\nperson,person,2,\n',
    after: VERT_HEAD + 'road,road,0,\nvehicle,car,1,\n',
    changes: [['output-removed', 'person', 'train_id', '2', null]],
    required: 'major',
  },
  {
    name: 'vertical: output class renamed keeps its train id',
    kind: 'vertical',
    before: VERT_HEAD + 'road,road,0,\nvehicle,car,1,\n',
    after: VERT_HEAD + 'road,road,0,\nvehicles,car,1,\n',
    changes: [['output-renamed', '1', 'class', 'vehicle', 'vehicles']],
    required: 'major',
  },
  {
    name: 'vertical: include added (minor), removed and moved (major)',
    kind: 'vertical',
    before: VERT_HEAD + 'vehicle,car,,\nvehicle,truck,,\nvehicle,bus,,\nperson,person,,\n',
    after: VERT_HEAD + 'vehicle,car,,\nvehicle,trailer,,\nperson,person,,\nperson,bus,,\n',
    changes: [
      ['include-moved', 'bus', 'class', 'vehicle', 'person'],
      ['include-added', 'trailer', 'class', null, 'vehicle'],
      ['include-removed', 'truck', 'class', 'vehicle', null],
    ],
    required: 'major',
  },
  {
    name: 'vertical: includes only widened is minor; colour is patch',
    kind: 'vertical',
    before: VERT_HEAD + 'vehicle,car,0,#000000\n',
    after: VERT_HEAD + 'vehicle,car,0,#00008e\nvehicle,trailer,,\n',
    changes: [
      ['text-changed', 'vehicle', 'color', '#000000', '#00008e'],
      ['include-added', 'trailer', 'class', null, 'vehicle'],
    ],
    required: 'minor',
  },
  {
    name: 'vertical: explicit train id changed',
    kind: 'vertical',
    before: VERT_HEAD + 'road,road,0,\nvehicle,car,13,\n',
    after: VERT_HEAD + 'road,road,0,\nvehicle,car,14,\n',
    changes: [['output-renumbered', 'vehicle', 'train_id', '13', '14']],
    required: 'major',
  },
  {
    name: 'vertical: a removed class takes its includes along (no separate include changes)',
    kind: 'vertical',
    before: VERT_HEAD + 'road,road,,\nvehicle,car,,\nvehicle,bus,,\n',
    after: VERT_HEAD + 'road,road,,\n',
    changes: [['output-removed', 'vehicle', 'train_id', '1', null]],
    required: 'major',
  },
];

describe('diffSheets', () => {
  for (const c of CASES) {
    it(c.name, () => {
      const changes = diffSheets(c.kind, rows(c.kind, c.before), rows(c.kind, c.after), 'x/y');
      expect(brief(changes)).toEqual(c.changes);
      expect(requiredBump(changes)).toBe(c.required);
      for (const ch of changes) expect(ch.sheet).toBe('x/y');
    });
  }

  it('describes every change in one line', () => {
    for (const c of CASES) {
      for (const ch of diffSheets(c.kind, rows(c.kind, c.before), rows(c.kind, c.after))) {
        const text = describeChange(ch);
        expect(text).not.toContain('\n');
        expect(text).toContain(ch.rule.startsWith('output-renamed') || ch.rule === 'class-renamed' ? ch.after! : ch.key);
      }
    }
  });

  it('describes the common cases in words', () => {
    const d = (kind: SheetKind, before: string, after: string) =>
      diffSheets(kind, rows(kind, before), rows(kind, after)).map(describeChange);
    expect(d('dataset', DS('26,hat,,,,,,\n'), DS(''))).toEqual(['removed class "hat" (id 26)']);
    expect(d('dataset', DS('1,person,,,,#000000,,\n'), DS('1,person,,,,,,\n'))).toEqual(['"person": color #000000 -> (empty)']);
    expect(d('mapping', MAP_HEAD + 'rider,rider,\n', MAP_HEAD + 'rider,bicyclist,\n')).toEqual(['retargeted "rider": rider -> bicyclist']);
    expect(d('vertical', VERT_HEAD + 'a,x,,\nb,y,,\n', VERT_HEAD + 'a,x,,\na,y,,\n')).toEqual([
      'removed output class "b" (train id 1)',
      '"y" moved from output class "b" to "a"',
    ]);
  });
});

describe('outputClassesOf', () => {
  it('numbers classes contiguously in order of first appearance', () => {
    // outputClassesOf (now taxonomy/resolve.ts, one reading for merge, diff and the rules) also says which rows gave what.
    const out = outputClassesOf(rows('vertical', VERT_HEAD + 'road,road,,\nvehicle,car,,#000001\nperson,person,,\nvehicle,bus,,#000002\n')).map(
      ({ name, train_id, color, includes }) => ({ name, train_id, color, includes }),
    );
    expect(out).toEqual([
      { name: 'road', train_id: 0, color: '', includes: ['road'] },
      { name: 'vehicle', train_id: 1, color: '#000001', includes: ['car', 'bus'] },
      { name: 'person', train_id: 2, color: '', includes: ['person'] },
    ]);
  });

  it('gives classes without a train id the smallest free ids', () => {
    const out = outputClassesOf(rows('vertical', VERT_HEAD + 'a,a,,\nb,b,0,\nc,c,,\nd,d,2,\n'));
    expect(out.map((c) => [c.name, c.train_id])).toEqual([
      ['a', 1],
      ['b', 0],
      ['c', 3],
      ['d', 2],
    ]);
  });
});

describe('diffLuts', () => {
  const lut = (vertical: string, entries: [string, number, string, number][]) => ({
    vertical,
    ignore_id: 255,
    rows: entries.map(([dataset, id, name, train_id]) => ({ dataset, id, name, train_id })),
  });

  it('names every dataset id that lands elsewhere, with its level', () => {
    const before = lut('self-driving', [
      ['coco', 3, 'car', 1],
      ['coco', 8, 'truck', 1],
      ['coco', 26, 'hat', 255],
      ['cityscapes', 12, 'wall', 4],
      ['cityscapes', 7, 'road', 0],
      ['cityscapes', 1, 'ego vehicle', 255],
    ]);
    const after = lut('self-driving', [
      ['coco', 3, 'car', 1],
      ['coco', 8, 'truck', 2],
      ['coco', 26, 'hat', 5],
      ['cityscapes', 7, 'road', 255],
      ['cityscapes', 1, 'ego vehicle', 255],
      ['cityscapes', 33, 'bicycle', 3],
    ]);
    const changes = diffLuts(before, after);
    expect(brief(changes)).toEqual([
      ['lut-ignored', 'cityscapes:7', 'train_id', '0', 'ignore'],
      ['lut-removed', 'cityscapes:12', 'train_id', '4', null],
      ['lut-added', 'cityscapes:33', 'train_id', null, '3'],
      ['lut-moved', 'coco:8', 'train_id', '1', '2'],
      ['lut-labelled', 'coco:26', 'train_id', 'ignore', '5'],
    ]);
    expect(changes.map((c) => c.level)).toEqual(['major', 'major', 'minor', 'major', 'minor']);
    expect(changes.every((c) => c.sheet === 'compiled/self-driving')).toBe(true);
    expect(describeChange(changes[3]!)).toBe('coco id 8 "truck" now lands on 2 (was 1)');
  });

  it('treats ignore as ignore when the ignore id itself changes (8-bit to 16-bit)', () => {
    const before = { vertical: null, ignore_id: 255, rows: [{ dataset: 'voc', id: 255, name: 'void', train_id: 255 }] };
    const after = { vertical: null, ignore_id: 65535, rows: [{ dataset: 'voc', id: 255, name: 'void', train_id: 65535 }] };
    expect(diffLuts(before, after)).toEqual([]);
  });
});

describe('diffSheetPair and diffSheetSets', () => {
  const sheet = <K extends SheetKind>(kind: K, name: string, version: string | null, csv: string): SheetData =>
    ({ kind, name, version, rel: `${name}@${version}.csv`, rows: rows(kind, csv) }) as SheetData;

  it('says whether the version step covers the change', () => {
    const v1 = sheet('dataset', 'coco', '1.0.0', DS('1,person,,,,,,\n26,hat,,,,,,\n'));
    const v11 = sheet('dataset', 'coco', '1.1.0', DS('1,person,,,,,,\n'));
    const v2 = sheet('dataset', 'coco', '2.0.0', DS('1,person,,,,,,\n'));
    expect(diffSheetPair(v1, v11)).toMatchObject({ sheet: 'datasets/coco', required: 'major', actual: 'minor', enough: false });
    expect(diffSheetPair(v1, v2)).toMatchObject({ required: 'major', actual: 'major', enough: true });
  });

  it('an edit under the same version is never enough; no edit needs no bump', () => {
    const a = sheet('mapping', 'coco', '1.0.0', MAP_HEAD + 'person,person,\n');
    const b = sheet('mapping', 'coco', '1.0.0', MAP_HEAD + 'person,person,fixed a typo\n');
    expect(diffSheetPair(a, b)).toMatchObject({ required: 'patch', actual: 'none', enough: false });
    expect(diffSheetPair(a, a)).toMatchObject({ required: null, actual: 'none', enough: true });
  });

  it('does not judge the bump between two different sheets', () => {
    const a = sheet('mapping', 'coco', '1.0.0', MAP_HEAD + 'person,person,\n');
    const b = sheet('mapping', 'cityscapes', '1.0.1', MAP_HEAD + 'person,pedestrian,\n');
    expect(diffSheetPair(a, b)).toMatchObject({ required: 'major', actual: null, enough: null });
  });

  it('pairs sheets by kind and name, lists sheets added and removed', () => {
    const before = [
      sheet('dataset', 'coco', '1.0.0', DS('1,person,,,,,,\n')),
      sheet('mapping', 'coco', '1.0.0', MAP_HEAD + 'person,person,\n'),
      sheet('vertical', 'indoor', '1.0.0', VERT_HEAD + 'person,person,,\n'),
    ];
    const after = [
      sheet('dataset', 'coco', '1.1.0', DS('1,person,,,,,,\n2,bicycle,,,,,,\n')),
      sheet('mapping', 'coco', '1.1.0', MAP_HEAD + 'person,person,\nbicycle,bicycle,\n'),
      sheet('vertical', 'self-driving', '1.0.0', VERT_HEAD + 'person,person,,\n'),
    ];
    const d = diffSheetSets(before, after);
    expect(d.sheets.map((s) => [s.sheet, s.required, s.enough])).toEqual([
      ['datasets/coco', 'minor', true],
      ['mappings/coco', 'minor', true],
      ['verticals/indoor', 'major', null],
      ['verticals/self-driving', 'minor', null],
    ]);
    expect(d.sheets[2]!.changes.map((c) => c.kind)).toEqual(['sheet-removed']);
    expect(d.sheets[3]!.changes.map(describeChange)).toEqual(['added sheet verticals/self-driving@1.0.0']);
    expect(d.required).toBe('major');
    expect(d.enough).toBe(true);
    expect(d.compiled).toBeNull();
  });

  it('adds the lookup-table effect when compiled tables are given', () => {
    const s = [sheet('mapping', 'coco', '1.0.0', MAP_HEAD + 'person,person,\n')];
    const lut = (train_id: number) => [{ vertical: 'indoor', ignore_id: 255, rows: [{ dataset: 'coco', id: 1, name: 'person', train_id }] }];
    const d = diffSheetSets(s, s, { compiled: { before: lut(0), after: lut(1) } });
    expect(d.compiled).toEqual([{ vertical: 'indoor', required: 'major', changes: [expect.objectContaining({ rule: 'lut-moved', key: 'coco:1' })] }]);
    expect(d.required).toBe('major');
  });
});
