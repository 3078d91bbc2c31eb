// validate's own rules, one by one, on sheets written inline: the edges the fixture sets do not show.
import { describe, expect, it } from 'vitest';
import { messageOf, fixOf } from '../../src/findings.js';
import type { SheetFile } from '../../src/sheets/discover.js';
import {
  checkFormulaCells,
  checkMappingsHaveDatasets,
  checkTaxonomyIdsReused,
  checkVerticalColors,
  checkVerticalIncludesNested,
  checkVerticalIncludesTwice,
  checkVerticalTrainIds,
  closestName,
  formulaStart,
} from '../../src/validate/rules.js';
import { sheetOf } from './fixtures.js';

const TAXONOMY_HEADER = 'id,name,parent,display_name,color,is_thing,description';
const taxonomy = (version: string, rows: string[]) => sheetOf('taxonomy', `taxonomy/core@${version}.csv`, [TAXONOMY_HEADER, ...rows, ''].join('\n'));
const vertical = (rows: string[]) => sheetOf('vertical', 'verticals/v@1.0.0.csv', ['class,include,train_id,color', ...rows, ''].join('\n'));

describe('formulaStart', () => {
  it.each([
    ['=SUM(A1:A3)', '='],
    ['+49 30 1234', '+'],
    ['-- note', '-'],
    ['@home', '@'],
    ['\tindented', '\t'],
    ['\rx', '\r'],
    ['-', '-'],
  ])('%j is a formula starting with %j', (cell, start) => expect(formulaStart(cell)).toBe(start));

  it.each(['-1', '+3', '-2.5', '+.5', '1e3', '-1E-3', 'car', '', ' =not first', 'a=b', '\t12'])('%j is not', (cell) =>
    expect(formulaStart(cell)).toBeNull(),
  );
});

describe('checkFormulaCells', () => {
  it('looks at every cell, also in rows that did not type, and names the column', () => {
    const sheet = sheetOf('mapping', 'mappings/m@1.0.0.csv', 'source,target,note\na,Not Snake,=1+1\nb,ignore,fine\n');
    expect(sheet.rows).toHaveLength(1); // the first row did not type (target)
    const [f, ...rest] = checkFormulaCells(sheet);
    expect(rest).toEqual([]);
    expect(f).toMatchObject({ code: 'cell-formula', severity: 'error', file: 'mappings/m@1.0.0.csv', line: 2, column: 3 });
    expect(messageOf(f!)).toBe('column "note": the cell "=1+1" starts with "=", which a spreadsheet runs as a formula');
  });

  it('keeps native names as warnings, since they must match the annotations', () => {
    const sheet = sheetOf('dataset', 'datasets/d@1.0.0.csv', 'id,name,display_name,category,train_id,color,is_thing,evaluate\n1,=x,=x,,,,,\n');
    expect(checkFormulaCells(sheet).map((f) => [f.column, f.severity])).toEqual([
      [2, 'warning'],
      [3, 'error'],
    ]);
    expect(fixOf(checkFormulaCells(sheet)[0]!)).toMatch(/must match the annotations/);
  });
});

describe('checkTaxonomyIdsReused', () => {
  const v1 = taxonomy('1.0.0', ['0,vehicle,,,,,', '1,car,vehicle,,,,', '2,sky,,,,,']);

  it('flags an id of the latest version that an older one used for another class', () => {
    const v2 = taxonomy('2.0.0', ['0,vehicle,,,,,', '1,car,vehicle,,,,', '2,bus,vehicle,,,,']);
    const [f, ...rest] = checkTaxonomyIdsReused([v1, v2]);
    expect(rest).toEqual([]);
    expect(f).toMatchObject({ code: 'taxonomy-id-reused', file: 'taxonomy/core@2.0.0.csv', line: 4, column: 1 });
    expect(f!.args).toMatchObject({ id: 2, name: 'bus', otherName: 'sky', otherFile: 'taxonomy/core@1.0.0.csv', otherLine: 4, nextId: 3 });
  });

  it('allows removed ids to stay retired and new classes to take new ids', () => {
    const v2 = taxonomy('2.0.0', ['0,vehicle,,,,,', '1,car,vehicle,,,,', '3,bus,vehicle,,,,']);
    expect(checkTaxonomyIdsReused([v1, v2])).toEqual([]);
  });

  it('checks only the latest version against all older ones (released versions are history)', () => {
    const v2 = taxonomy('2.0.0', ['0,vehicle,,,,,', '2,bus,vehicle,,,,']); // reused 2: a released mistake
    const v3 = taxonomy('3.0.0', ['0,vehicle,,,,,', '4,bus,vehicle,,,,']); // mended
    expect(checkTaxonomyIdsReused([v1, v2, v3])).toEqual([]);
    const v3bad = taxonomy('3.0.0', ['0,vehicle,,,,,', '2,sky,,,,,']); // back to sky: 2 meant bus in 2.0.0
    expect(checkTaxonomyIdsReused([v1, v2, v3bad]).map((f) => f.args.otherFile)).toEqual(['taxonomy/core@2.0.0.csv']);
  });

  it('finds nothing in a single version', () => {
    expect(checkTaxonomyIdsReused([v1])).toEqual([]);
  });
});

describe('checkVerticalTrainIds', () => {
  it('names every gap, from 0', () => {
    const [f, ...rest] = checkVerticalTrainIds(vertical(['a,a,2,', 'b,b,3,', 'c,c,6,', 'c,cc,6,', 'd,d,8,']));
    expect(rest).toEqual([]);
    expect(f!.args).toEqual({ missing: '0, 1, 4, 5, 7', found: '2, 3, 6, 8' });
    expect(f).toMatchObject({ line: 2, column: 3 });
    expect(messageOf(f!)).toBe('train ids are not contiguous from 0: 0, 1, 4, 5, 7 are unused (found 2, 3, 6, 8)');
  });

  it('writes long runs as ranges', () => {
    const [f] = checkVerticalTrainIds(vertical(['a,a,0,', 'b,b,10,']));
    expect(f!.args.missing).toBe('1..9');
  });

  it('takes the first train id of each class and leaves 255 and above to the merge rules', () => {
    expect(checkVerticalTrainIds(vertical(['a,a,0,', 'a,aa,,', 'b,b,1,', 'void,v,255,']))).toEqual([]);
  });

  it('leaves empty or half-filled train ids alone (merge numbers them)', () => {
    expect(checkVerticalTrainIds(vertical(['a,a,,', 'b,b,,']))).toEqual([]);
    expect(checkVerticalTrainIds(vertical(['a,a,5,', 'b,b,,']))).toEqual([]);
  });
});

describe('checkVerticalColors', () => {
  it('compares the colour of each output class, ignoring empty ones and repeats within a class', () => {
    const sheet = vertical(['a,a,0,#ff0000', 'a,aa,0,#FF0000', 'b,b,1,', 'c,c,2,', 'd,d,3,#Ff0000', 'e,e,4,#00ff00']);
    const found = checkVerticalColors(sheet);
    expect(found.map((f) => [f.line, f.args.class, f.args.otherClass])).toEqual([[6, 'd', 'a']]);
  });
});

describe('checkVerticalIncludesTwice', () => {
  it('flags a repeated include, for the same class or another', () => {
    const found = checkVerticalIncludesTwice(vertical(['a,x,0,', 'a,x,0,', 'b,x,1,']));
    expect(found.map((f) => [f.line, f.args.firstLine, f.args.firstClass])).toEqual([
      [3, 2, 'a'],
      [4, 2, 'a'],
    ]);
    expect(fixOf(found[0]!)).toBe('remove the repeated row');
    expect(fixOf(found[1]!)).toMatch(/keep the row for "a" or for "b"/);
  });
});

describe('checkVerticalIncludesNested', () => {
  const parents = new Map([
    ['vehicle', ''],
    ['car', 'vehicle'],
    ['sedan', 'car'],
    ['loop_a', 'loop_b'],
    ['loop_b', 'loop_a'],
  ]);

  it('warns when an ancestor (at any depth) is included too', () => {
    const found = checkVerticalIncludesNested(vertical(['vehicle,vehicle,0,', 'sedan,sedan,1,']), parents);
    expect(found).toHaveLength(1);
    expect(found[0]).toMatchObject({ severity: 'warning', line: 3, args: { include: 'sedan', ancestor: 'vehicle', ancestorLine: 2 } });
  });

  it('does not loop on a cycle (the taxonomy rules report it)', () => {
    expect(checkVerticalIncludesNested(vertical(['a,loop_a,0,', 'b,car,1,']), parents)).toEqual([]);
  });
});

describe('checkMappingsHaveDatasets', () => {
  const file = (kind: SheetFile['kind'], name: string, version = '1.0.0'): SheetFile => ({
    kind,
    name,
    version,
    file: `/x/${kind}/${name}@${version}.csv`,
    rel: `${kind}/${name}@${version}.csv`,
  });

  it('flags the latest version of a mapping whose dataset has no sheet, with the likely name', () => {
    const found = checkMappingsHaveDatasets([
      file('dataset', 'cityscapes'),
      file('mapping', 'cityscapes'),
      file('mapping', 'citiscapes', '1.0.0'),
      file('mapping', 'citiscapes', '1.1.0'),
      file('mapping', 'vistas'),
    ]);
    expect(found.map((f) => [f.file, f.args.suggestion])).toEqual([
      ['mapping/citiscapes@1.1.0.csv', 'cityscapes'],
      ['mapping/vistas@1.0.0.csv', undefined],
    ]);
  });
});

describe('closestName', () => {
  it('prefers the nearest name within two edits, or a name that extends it', () => {
    expect(closestName('coco', ['cocos', 'coc0', 'voc'])).toBe('cocos');
    expect(closestName('mapillary', ['mapillary-vistas-v2.0'])).toBe('mapillary-vistas-v2.0');
    expect(closestName('ade20k', ['coco', 'voc'])).toBeUndefined();
  });
});
