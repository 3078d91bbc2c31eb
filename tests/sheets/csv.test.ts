import { describe, expect, it } from 'vitest';
import { decodeUtf8, formatSheet, parseCsvTable, parseSheetText } from '../../src/sheets/csv.js';
import type { DatasetClass } from '../../src/sheets/schema.js';

const HEADER = 'id,name,display_name,category,train_id,color,is_thing,evaluate';

function cls(id: number, name: string, fields: Partial<DatasetClass> = {}): DatasetClass {
  return { id, name, display_name: '', category: '', train_id: null, color: '', is_thing: null, evaluate: null, extra: {}, ...fields };
}

describe('sheet CSV', () => {
  it('writes and reads back byte-identically, with quoting, non-ASCII and x_ columns', () => {
    const rows = [
      cls(1, 'traffic light', { display_name: 'Traffic "Light"', category: 'outdoor, street', color: '#faaa1e', is_thing: true, evaluate: true, extra: { x_cls_id: '0x21' } }),
      cls(-1, 'license plate', { train_id: -1, category: '移动物体', is_thing: false, evaluate: false, extra: { x_cls_id: '' } }),
      cls(2, 'multi\nline', { display_name: ' leading space', extra: { x_cls_id: '' } }),
    ];
    const text = formatSheet('dataset', rows);
    expect(text.split('\n')[0]).toBe(`${HEADER},x_cls_id`);
    expect(text.endsWith('\n')).toBe(true);
    expect(text).not.toContain('\r');
    const parsed = parseSheetText('dataset', text, 'd.csv');
    expect(parsed.findings).toEqual([]);
    expect(parsed.sheet!.rows).toEqual(rows);
    expect(formatSheet('dataset', parsed.sheet!.rows)).toBe(text);
  });

  it('accepts a UTF-8 BOM, CRLF line ends and trailing blank lines, keeping line numbers', () => {
    const text = `\ufeff${HEADER}\r\n1,a,,,,,,\r\n\r\n2,b,,,,#AABBCC,TRUE,\r\n\r\n`;
    const { sheet, findings } = parseSheetText('dataset', text, 'd.csv');
    expect(findings).toEqual([]);
    expect(sheet!.rows.map((r) => [r.id, r.name, r.color, r.is_thing])).toEqual([
      [1, 'a', '', null],
      [2, 'b', '#aabbcc', true],
    ]);
    expect(sheet!.lines).toEqual([2, 4]);
  });

  it('reports a malformed row as file:line:column with the column name', () => {
    const text = `${HEADER}\n1,a,,,,,,\n2,b,,,,red,,\nx,c,,,,,,\n`;
    const { findings } = parseSheetText('dataset', text, 'd.csv');
    expect(findings.map((f) => [f.code, f.line, f.column, f.args.column])).toEqual([
      ['cell-invalid', 3, 6, 'color'],
      ['cell-invalid', 4, 1, 'id'],
    ]);
    expect(findings[0]!.args.found).toBe('red');
  });

  it('counts lines of rows after a quoted multi-line cell', () => {
    const text = `${HEADER}\n1,"two\nlines",,,,,,\n2,oops,,,,bad,,\n`;
    const { findings } = parseSheetText('dataset', text, 'd.csv');
    expect(findings.map((f) => f.line)).toEqual([4]);
  });

  it('names a semicolon-separated file, unbalanced quotes, an empty file and a missing column', () => {
    expect(parseSheetText('dataset', 'id;name;display_name\n1;a;b\n', 'd.csv').findings[0]).toMatchObject({ code: 'csv-delimiter', args: { found: ';' } });
    expect(parseSheetText('dataset', `${HEADER}\n1,"a,,,,,,\n`, 'd.csv').findings[0]).toMatchObject({ code: 'csv-parse', line: 2 });
    expect(parseSheetText('dataset', '\n', 'd.csv').findings[0]).toMatchObject({ code: 'csv-empty' });
    expect(parseSheetText('dataset', 'id,name\n1,a\n', 'd.csv').findings.map((f) => f.args.column)).toContain('display_name');
  });

  it('finds duplicate ids and names with the line of the first', () => {
    const { findings } = parseSheetText('dataset', `${HEADER}\n1,a,,,,,,\n2,b,,,,,,\n1,c,,,,,,\n3,b,,,,,,\n`, 'd.csv');
    expect(findings.map((f) => [f.code, f.line, f.args.firstLine])).toEqual([
      ['duplicate-id', 4, 2],
      ['duplicate-name', 5, 3],
    ]);
  });

  it('names a Windows-1252 file instead of decoding it wrongly', () => {
    const bytes = Buffer.concat([Buffer.from(`${HEADER}\n1,caf`), Buffer.from([0xe9]), Buffer.from(',,,,,,\n')]);
    const { findings } = decodeUtf8(bytes, 'd.csv');
    expect(findings[0]).toMatchObject({ code: 'csv-encoding', line: 2, args: { byte: 'e9' } });
    expect(String(findings[0]!.args.guess)).toContain('Windows-1252');
  });

  it('types every kind: taxonomy slugs, mapping ignore, vertical train ids', () => {
    const tax = parseSheetText('taxonomy', 'id,name,parent,display_name,color,is_thing,description\n1,vehicle,,Vehicle,#000000,true,\n2,Car,vehicle,,,,\n', 't.csv');
    expect(tax.findings.map((f) => [f.code, f.line, f.args.column])).toEqual([['cell-invalid', 3, 'name']]);
    const map = parseSheetText('mapping', 'source,target,note\nvoid,ignore,not a class\ncar,car,\n', 'm.csv');
    expect(map.sheet!.rows).toEqual([
      { source: 'void', target: 'ignore', note: 'not a class' },
      { source: 'car', target: 'car', note: '' },
    ]);
    const vert = parseSheetText('vertical', 'class,include,train_id,color\nvehicle,car,0,#112233\nvehicle,truck,,\n', 'v.csv');
    expect(vert.sheet!.rows.map((r) => r.train_id)).toEqual([0, null]);
  });
});

describe('the hand-written CSV reader agrees with csv-parse', () => {
  it('on random tables with quotes, commas, CR/LF line breaks and non-ASCII in cells', async () => {
    const fc = await import('fast-check');
    const { parse } = await import('csv-parse/sync');
    const { stringify } = await import('csv-stringify/sync');
    const cell = fc.string({ unit: fc.constantFrom('a', 'Z', '0', ' ', ',', '"', '\n', '\r\n', 'é', '移', ';', '\t') });
    await fc.assert(
      fc.property(fc.integer({ min: 1, max: 5 }).chain((n) => fc.array(fc.array(cell, { minLength: n, maxLength: n }), { minLength: 1, maxLength: 8 })), fc.boolean(), (rows, crlf) => {
        const header = rows[0]!.map((_, i) => `c${i}`);
        // (csv-stringify leaves a bare LF unquoted when records end in CRLF; a cell with a line break is always quoted in a sheet)
        const text = stringify([header, ...rows], { record_delimiter: crlf ? '\r\n' : '\n', quoted_match: /[\r\n]/ });
        const oracle = (parse(text, { relax_column_count: true, skip_empty_lines: true }) as string[][]).slice(1);
        const { table, findings } = parseCsvTable(text, 't.csv');
        expect(findings).toEqual([]);
        expect(table!.rows.map((r) => r.cells)).toEqual(oracle);
      }),
      { numRuns: 300 },
    );
  });
});

describe('the whole-line reading of lines without quotes', () => {
  it('gives what the cell-by-cell reading gives on any text: rows, lines, the first error, formula starts', async () => {
    const fc = await import('fast-check');
    const { readRecords } = await import('../../src/sheets/csv.js');
    // Short units so that every mix turns up: CR alone, CRLF, a CR before the end, quotes anywhere.
    const text = fc.string({ unit: fc.constantFrom('a', ',', '"', '""', '\n', '\r', '\r\n', ' ', '=', '-x', '@', '\t', 'é'), maxLength: 40 });
    fc.assert(
      fc.property(text, (t) => {
        expect(readRecords(t, 't.csv', true)).toEqual(readRecords(t, 't.csv', false));
      }),
      { numRuns: 5000 },
    );
  });

  it('reads the shipped sheets as the cell-by-cell reading does', async () => {
    const { readdirSync, readFileSync } = await import('node:fs');
    const { readRecords } = await import('../../src/sheets/csv.js');
    const files = readdirSync('sheets', { recursive: true, encoding: 'utf8' }).filter((f) => f.endsWith('.csv'));
    expect(files.length).toBeGreaterThan(20);
    for (const f of files) {
      const t = readFileSync(`sheets/${f}`, 'utf8');
      const fast = readRecords(t, f, true);
      expect(fast.error).toBeUndefined();
      expect(fast).toEqual(readRecords(t, f, false));
    }
  });
});
