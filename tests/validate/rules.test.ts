// validate's own rules, one by one, on sheets written inline: the edges the fixture sets do not show.
import { describe, expect, it } from 'vitest';
import { messageOf, fixOf } from '../../src/findings.js';
import { checkFormulaCells, formulaStart } from '../../src/rules/cells.js';
import { checkMappingPairs } from '../../src/rules/mappings.js';
import { checkVertical, checkVerticalColors } from '../../src/rules/verticals.js';
import type { SheetFile } from '../../src/sheets/discover.js';
import { didYouMean } from '../../src/text/index.js';
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

describe('checkVerticalColors', () => {
  it('compares the colour of each output class, ignoring empty ones and repeats within a class', () => {
    const sheet = vertical(['a,a,0,#ff0000', 'a,aa,0,#FF0000', 'b,b,1,', 'c,c,2,', 'd,d,3,#Ff0000', 'e,e,4,#00ff00']);
    const found = checkVerticalColors(sheet);
    expect(found.map((f) => [f.line, f.args.class, f.args.otherClass])).toEqual([[6, 'd', 'a']]);
  });
});

// vertical-include-duplicate / -conflict replace validate's vertical-include-twice, and
// vertical-include-redundant its vertical-include-nested (one rule per defect: src/rules/verticals.ts).
describe('checkVertical: includes twice', () => {
  const tax = taxonomy('1.0.0', ['0,x,,X,,,', '1,y,,Y,,,']);
  it('flags a repeated include, for the same class (a warning) or another (an error)', () => {
    const found = checkVertical(vertical(['a,x,0,', 'a,x,0,', 'b,x,1,']), tax).filter((f) => f.args.include === 'x');
    expect(found.map((f) => [f.code, f.severity, f.line, f.args.firstLine, f.args.other])).toEqual([
      ['vertical-include-duplicate', 'warning', 3, 2, 'a'],
      ['vertical-include-conflict', 'error', 4, 2, 'a'],
    ]);
    expect(fixOf(found[0]!)).toBe('remove the repeated row');
    expect(fixOf(found[1]!)).toMatch(/keep the row for "a" or for "b"/);
  });
});

describe('checkVertical: an include below another include', () => {
  const tax = taxonomy('1.0.0', ['0,vehicle,,V,,,', '1,car,vehicle,C,,,', '2,sedan,car,S,,,', '3,loop_a,loop_b,A,,,', '4,loop_b,loop_a,B,,,']);
  const redundant = (rows: string[]) => checkVertical(vertical(rows), tax).filter((f) => f.code === 'vertical-include-redundant');

  it('warns when the same output class includes a class and (at any depth) its ancestor', () => {
    const found = redundant(['vehicle,vehicle,0,', 'vehicle,sedan,0,']);
    expect(found).toHaveLength(1);
    expect(found[0]).toMatchObject({ severity: 'warning', line: 3, args: { include: 'sedan', ancestor: 'vehicle', ancestorLine: 2 } });
  });

  it('allows a descendant in another output class: the more specific include wins (DESIGN.md)', () => {
    expect(redundant(['vehicle,vehicle,0,', 'sedan,sedan,1,'])).toEqual([]);
    // ... also when a further ancestor is in the same class as the descendant: the nearest include decides.
    expect(redundant(['vehicle,vehicle,0,', 'cars,car,1,', 'vehicle,sedan,0,'])).toEqual([]);
  });

  it('does not loop on a cycle (the taxonomy rules report it)', () => {
    expect(redundant(['a,loop_a,0,', 'b,car,1,'])).toEqual([]);
  });
});

describe('checkMappingPairs (mapping-dataset-missing)', () => {
  const file = (kind: SheetFile['kind'], name: string, version = '1.0.0'): SheetFile => ({
    kind,
    name,
    version,
    file: `/x/${kind}/${name}@${version}.csv`,
    rel: `${kind}/${name}@${version}.csv`,
  });

  it('flags the latest version of a mapping whose dataset has no sheet, with the likely name', () => {
    // The set builder (sheets/set.ts) hands over the latest mapping of each name that has no dataset.
    const found = checkMappingPairs([file('mapping', 'citiscapes', '1.1.0'), file('mapping', 'vistas')], ['cityscapes'], []);
    expect(found.map((f) => [f.file, f.args.suggestion])).toEqual([
      ['mapping/citiscapes@1.1.0.csv', 'cityscapes'],
      ['mapping/vistas@1.0.0.csv', undefined],
    ]);
  });
});

describe('didYouMean (the one suggestion, src/text)', () => {
  it('prefers the nearest name within two edits, or a name that extends it', () => {
    expect(didYouMean('coco', ['cocos', 'coc0', 'voc'])).toBe('cocos');
    expect(didYouMean('mapillary', ['mapillary-vistas-v2.0'])).toBe('mapillary-vistas-v2.0');
    expect(didYouMean('ade20k', ['coco', 'voc'])).toBeUndefined();
  });
});
