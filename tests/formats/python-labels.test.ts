import { readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { CITYSCAPES_LAYOUT, KITTI360_LAYOUT, guessLabelFamily } from '../../src/formats/cityscapes.js';
import { extraColumnOf, labelTableOf, snakeCase } from '../../src/formats/python-labels.js';
import { decodePythonSource, parsePythonLabels, readPythonLabelsFile } from '../../src/formats/lib/python-literals.js';
import { tempDir } from '../helpers/cli.js';
import { APOLLO, CITY, errorOf, lineOf } from './city-helpers.js';

const HEAD = "from collections import namedtuple\nLabel = namedtuple('Label', ['name', 'id', 'trainId', 'category', 'categoryId', 'hasInstances', 'ignoreInEval', 'color'])\n";
const LAYOUTS = [CITYSCAPES_LAYOUT, KITTI360_LAYOUT];

/** The single row of a small file, by its values. */
function rowValues(body: string) {
  const labels = parsePythonLabels(body, 'x.py');
  return labels.rows.map((r) => r.args);
}

describe('parsePythonLabels on the published layouts', () => {
  it('reads the field list and all 35 rows of the Cityscapes table, and nothing from the code around it', () => {
    const file = path.join(CITY, 'labels.py');
    const labels = readPythonLabelsFile(file);
    expect(labels.tupleName).toBe('Label');
    expect(labels.fields).toEqual(CITYSCAPES_LAYOUT.fields);
    expect(labels.fieldsLine).toBe(lineOf(file, "Label = namedtuple("));
    expect(labels.rows).toHaveLength(35);
    expect(labels.rows[0]).toMatchObject({ line: lineOf(file, "'unlabeled'"), args: ['unlabeled', 0, 255, 'void', 0, false, true, [0, 0, 0]] });
    expect(labels.rows.at(-1)!.args).toEqual(['license plate', -1, -1, 'vehicle', 7, false, true, [0, 0, 142]]);
  });

  it('reads hex ids and colours (0x, 0X), Chinese text and trailing whitespace of labels_apollo.py', () => {
    const file = path.join(APOLLO, 'labels_apollo.py');
    const text = readFileSync(file, 'utf8');
    // the fixture keeps the quirks of the published file
    expect(text).toMatch(/0X[0-9A-F]{2} ,/);
    expect(text).toMatch(/\), {2}\n/);
    const labels = parsePythonLabels(text, file);
    expect(labels.fields).toContain('clsId');
    const car = labels.rows.find((r) => r.args[0] === 'car_groups')!;
    expect(car.args).toEqual(['car_groups', 0xa1, 161, 1, '移动物体', 2, true, false, 0x00008e]);
    const overpass = labels.rows.find((r) => r.args[0] === 'overpass')!;
    expect(overpass.args[1]).toBe(100);
  });

  it('passes over comments, commented-out rows, docstrings, tabs, trailing commas, split rows and reads keyword rows', () => {
    const file = path.join(CITY, 'kitti360-labels.py');
    const labels = readPythonLabelsFile(file);
    expect(labels.fields).toEqual(KITTI360_LAYOUT.fields);
    expect(labels.rows.map((r) => r.args[0] ?? r.kwargs.name)).toEqual([
      'unlabeled',
      'road',
      'building',
      'garage',
      'trash bin',
      'box',
      'license plate',
    ]);
    const table = labelTableOf(labels, file, LAYOUTS);
    const byName = new Map(table.rows.map((r, i) => [r.name, { row: r, line: table.lines[i] }]));
    expect(byName.get('garage')!.row).toMatchObject({ id: 34, train_id: 255, category: 'construction', is_thing: true, evaluate: false, color: '#408080' });
    expect(byName.get('trash bin')!.line).toBe(lineOf(file, "'trash bin'"));
    expect(byName.get('trash bin')!.row.color).toBe('#0080c0');
    expect(byName.get('box')!.row).toMatchObject({ id: 41, color: '#404080', extra: { x_kitti_id: '-1', x_ignore_in_inst: 'true', x_category_id: '3' } });
    expect(byName.get('road')!.row.extra).toEqual({ x_kitti_id: '1', x_category_id: '1', x_ignore_in_inst: 'false' });
    expect([...table.extras.values()].sort()).toEqual(['x_category_id', 'x_ignore_in_inst', 'x_kitti_id']);
  });

  it('uses the known layout by the number of values when the file has no field list', () => {
    const file = path.join(CITY, 'broken', 'no-field-list-ok.py');
    const labels = readPythonLabelsFile(file);
    expect(labels.fields).toBeNull();
    const table = labelTableOf(labels, file, LAYOUTS);
    expect(table.layout).toBe(CITYSCAPES_LAYOUT);
    expect(table.rows.map((r) => [r.id, r.name, r.train_id, r.is_thing])).toEqual([
      [7, 'road', 0, false],
      [26, 'car', 13, true],
    ]);
  });
});

describe('literal values', () => {
  it('reads numbers in every base, signs, underscores, floats and Python 2 longs', () => {
    expect(rowValues(`${HEAD}Label('a', 0x1F, 0o17, 0b101, 1_000, -0X0a, +3, 2.5e1, 7L)`)[0]).toEqual([
      'a', 31, 15, 5, 1000, -10, 3, 25, 7,
    ]);
  });

  it('decodes escapes, raw strings, prefixes and adjacent string literals', () => {
    const [row] = rowValues(String.raw`Label('tab\there', "q\"uote", 'x\x41\u00e9', r'\d+', u'uni', 'con' "cat", '''tri'ple''', b'b')`);
    expect(row).toEqual(['tab\there', 'q"uote', 'xAé', '\\d+', 'uni', 'concat', "tri'ple", 'b']);
  });

  it('reads tuples, lists, nested values, (x) as x, None, True and False', () => {
    expect(rowValues(`Label((1,), [2, 3], ((4)), (), None, True, False, (1, (2, 3)))`)[0]).toEqual([
      [1], [2, 3], 4, [], null, true, false, [1, [2, 3]],
    ]);
  });

  it('counts lines across CRLF, a BOM, backslash continuations and multi-line strings', () => {
    const text = '\ufeff# c\r\nx = """a\r\nb"""\r\ny = 1 + \\\r\n 2\r\nLabel("r", 1)\r\n';
    expect(parsePythonLabels(decodePythonSource(Buffer.from(text), 'x.py'), 'x.py').rows[0]).toMatchObject({ line: 6, column: 1 });
  });

  it('refuses a Python 2 octal such as 010, which is 8 in Python 2 and an error in Python 3', async () => {
    const f = await errorOf(() => parsePythonLabels('Label("a", 010)', 'x.py'));
    expect(f).toMatchObject({ code: 'python-labels-syntax', line: 1, column: 12 });
    expect(f.args.expected).toMatch(/leading zeros/);
  });

  it('reads defaults= of the namedtuple: rows may leave the last fields out', () => {
    const text = "Label = namedtuple('Label', 'name id color', defaults=(None,))\nlabels = [Label('a', 1), Label('b', 2, (1, 2, 3))]";
    const table = labelTableOf(parsePythonLabels(text, 'x.py'), 'x.py', LAYOUTS);
    expect(table.rows.map((r) => [r.name, r.id, r.color])).toEqual([
      ['a', 1, ''],
      ['b', 2, '#010203'],
    ]);
  });

  it('round-trips any table written with any spacing, quoting, numbers in any base and comments (property)', () => {
    const name = fc.string({ unit: 'grapheme', minLength: 1, maxLength: 12 }).filter((s) => s.trim() !== '' && s.trim() === s);
    const row = fc.record({
      name,
      id: fc.integer({ min: -5, max: 70000 }),
      trainId: fc.option(fc.integer({ min: 0, max: 255 }), { nil: null }),
      category: fc.string({ unit: 'grapheme', maxLength: 8 }),
      catId: fc.integer({ min: 0, max: 9 }),
      things: fc.boolean(),
      ignore: fc.boolean(),
      color: fc.tuple(fc.integer({ min: 0, max: 255 }), fc.integer({ min: 0, max: 255 }), fc.integer({ min: 0, max: 255 })),
      style: fc.record({ hex: fc.boolean(), space: fc.constantFrom('', ' ', '  ', '\t', '\n      '), comment: fc.boolean(), trailing: fc.boolean() }),
    });
    fc.assert(
      fc.property(fc.uniqueArray(row, { minLength: 1, maxLength: 8, selector: (r) => r.name }), (rows) => {
        const distinctIds = rows.map((r, i) => ({ ...r, id: r.id * 10 + i })); // unique ids
        const int = (v: number, hex: boolean) => (hex && v >= 0 ? `0x${v.toString(16)}` : String(v));
        const py = (s: string) => JSON.stringify(s); // a JSON string is a valid Python string literal
        const lines = distinctIds.map((r) => {
          const sp = r.style.space;
          const values = [
            py(r.name),
            int(r.id, r.style.hex),
            r.trainId === null ? 'None' : int(r.trainId, r.style.hex),
            py(r.category),
            String(r.catId),
            r.things ? 'True' : 'False',
            r.ignore ? 'True' : 'False',
            `(${r.color.join(`,${sp}`)})`,
          ];
          return `${r.style.comment ? '# Label("commented", 1)\n' : ''}    Label(${sp}${values.join(`${sp},${sp}`)}${r.style.trailing ? ',' : ''}${sp}),${r.style.comment ? ' # note' : ''}`;
        });
        const text = `${HEAD}labels = [\n${lines.join('\n')}\n]\n`;
        const table = labelTableOf(parsePythonLabels(text, 'p.py'), 'p.py', LAYOUTS);
        expect(table.rows.map((r) => [r.name, r.id, r.train_id, r.category, r.extra.x_category_id, r.is_thing, r.evaluate, r.color])).toEqual(
          distinctIds.map((r) => [
            r.name,
            r.id,
            r.trainId,
            r.category,
            String(r.catId),
            r.things,
            !r.ignore,
            `#${r.color.map((c) => c.toString(16).padStart(2, '0')).join('')}`,
          ]),
        );
      }),
      { numRuns: 150 },
    );
  });
});

describe('errors name the file, the line and what was found', () => {
  it('a row with a non-literal value', async () => {
    const file = path.join(CITY, 'broken', 'row-syntax.py');
    const f = await errorOf(() => readPythonLabelsFile(file));
    const line = lineOf(file, "'sidewalk'");
    const column = readFileSync(file, 'utf8').split('\n')[line - 1]!.indexOf('SIDEWALK_COLOR') + 1;
    expect(f).toMatchObject({ code: 'python-labels-syntax', file, line, column, args: { found: 'the name SIDEWALK_COLOR' } });
    expect(f.text).toContain('never runs it');
  });

  it('duplicate ids and duplicate names, with both lines', async () => {
    const dupId = path.join(CITY, 'broken', 'duplicate-id.py');
    const f = await errorOf(() => labelTableOf(readPythonLabelsFile(dupId), dupId, LAYOUTS));
    expect(f).toMatchObject({
      code: 'labels-duplicate',
      line: lineOf(dupId, "'dashed dashed'"),
      args: { key: 'id', value: 34, name: 'dashed dashed', other: 'dashed', firstPlace: `line ${lineOf(dupId, "'dashed' ")}` },
    });
    const dupName = path.join(CITY, 'broken', 'duplicate-name.py');
    const g = await errorOf(() => labelTableOf(readPythonLabelsFile(dupName), dupName, LAYOUTS));
    expect(g).toMatchObject({ code: 'labels-duplicate', args: { key: 'name', value: 'road' } });
    expect(g.line).toBe(lineOf(dupName, "'road'                 ,  9"));
  });

  it('no field list and a number of values no layout has', async () => {
    const file = path.join(CITY, 'broken', 'no-field-list.py');
    const f = await errorOf(() => labelTableOf(readPythonLabelsFile(file), file, LAYOUTS));
    expect(f).toMatchObject({ code: 'python-labels-layout', line: lineOf(file, "'road'"), args: { found: 7 } });
    expect(f.text).toContain('8 (Cityscapes: name, id, trainId');
  });

  it('a row with fewer values than the field list', async () => {
    const file = path.join(CITY, 'broken', 'arity.py');
    const f = await errorOf(() => labelTableOf(readPythonLabelsFile(file), file, LAYOUTS));
    expect(f).toMatchObject({ code: 'python-labels-arity', line: lineOf(file, "'sidewalk'"), args: { found: 7, expected: 8 } });
    expect(String(f.args.source)).toMatch(/field list on line \d+/);
  });

  it('an unterminated string, no rows, a value of the wrong type, a bad colour, a missing id field', async () => {
    expect(await errorOf(() => parsePythonLabels("x = 1\nLabel('road, 7)\n", 'x.py'))).toMatchObject({
      code: 'python-labels-syntax',
      line: 2,
      column: 7,
      args: { expected: "a closing '", found: 'the end of the line' },
    });
    expect(await errorOf(() => parsePythonLabels('labels = []\n', 'x.py'))).toMatchObject({ code: 'python-labels-none' });
    const wrong = await errorOf(() => labelTableOf(parsePythonLabels(`${HEAD}Label('a', '7', 0, 'c', 0, False, False, (0, 0, 0))`, 'x.py'), 'x.py', LAYOUTS));
    expect(wrong).toMatchObject({ code: 'python-labels-value', line: 3, args: { field: 'id', expected: 'an integer', found: '"7"' } });
    const color = await errorOf(() => labelTableOf(parsePythonLabels(`${HEAD}Label('a', 7, 0, 'c', 0, False, False, (0, 300, 0))`, 'x.py'), 'x.py', LAYOUTS));
    expect(color).toMatchObject({ code: 'python-labels-value', args: { field: 'color', found: '(0, 300, 0)' } });
    const noId = await errorOf(() => labelTableOf(parsePythonLabels("Label = namedtuple('Label', ['name', 'trainId'])\nLabel('a', 1)", 'x.py'), 'x.py', LAYOUTS));
    expect(noId).toMatchObject({ code: 'python-labels-field-missing', line: 1, args: { field: 'id' } });
  });

  it('a file that is not UTF-8, with the line of the first bad byte', async () => {
    const dir = tempDir();
    const file = path.join(dir, 'labels.py');
    writeFileSync(file, Buffer.concat([Buffer.from(`${HEAD}labels = [\n  Label('caf`), Buffer.from([0xe9]), Buffer.from("', 1)]\n")]));
    expect(await errorOf(() => readPythonLabelsFile(file))).toMatchObject({ code: 'python-labels-encoding', file, line: 4, args: { byte: 'e9' } });
  });
});

describe('field names', () => {
  it('snake-cases unknown fields into x_ columns and knows the aliases of the Cityscapes fields', () => {
    expect(snakeCase('kittiId')).toBe('kitti_id');
    expect(snakeCase('ignoreInInst')).toBe('ignore_in_inst');
    expect(snakeCase('RGBColor')).toBe('rgb_color');
    expect(extraColumnOf('catId')).toBe('x_category_id');
    expect(extraColumnOf('clsId')).toBe('x_cls_id');
    expect(extraColumnOf('2d')).toBe('x_f_2d');
  });

  it('tells the families apart: clsId is ApolloScape, coded lane names are lane marking, kittiId is KITTI-360', () => {
    const guess = (file: string) => guessLabelFamily(readPythonLabelsFile(file)).family;
    expect(guess(path.join(CITY, 'labels.py'))).toBe('cityscapes');
    expect(guess(path.join(CITY, 'kitti360-labels.py'))).toBe('kitti-360');
    expect(guess(path.join(APOLLO, 'labels_apollo.py'))).toBe('apolloscape');
    expect(guess(path.join(APOLLO, 'laneMarkDetection.py'))).toBe('apolloscape-lanemark');
  });
});
