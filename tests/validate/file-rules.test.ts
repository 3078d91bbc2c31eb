// The file-level rules that live in the readers (src/sheets/csv.ts, discover.ts), as validate
// relies on them: encodings named, quotes placed, line numbers right with CRLF, a sheet in the
// wrong folder, CSV files no command reads, and a fix for every bad cell.
import { mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { stringify } from 'csv-stringify/sync';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { fixOf, messageOf } from '../../src/findings.js';
import { checkHeader } from '../../src/rules/cells.js';
import { cellFix, decodeUtf8, parseCsvTable, parseSheetText, rowParser } from '../../src/sheets/csv.js';
import { COLUMNS, SHEET_KINDS, rowSchemaOf } from '../../src/sheets/schema.js';
import { scanSheetsDir } from '../../src/sheets/discover.js';
import { tempDir } from '../helpers/cli.js';

describe('decodeUtf8', () => {
  it('names a Windows-1252 file, with the character the byte stands for, at its line and CSV column', () => {
    const bytes = Buffer.from('id,name\n1,"a, b",caf\xe9\n', 'latin1');
    const { findings } = decodeUtf8(bytes, 'x.csv');
    expect(findings).toHaveLength(1);
    expect(findings[0]).toMatchObject({ code: 'csv-encoding', line: 2, column: 3, args: { byte: 'e9', offset: 20, from: 'WINDOWS-1252' } });
    expect(messageOf(findings[0]!)).toContain('Windows-1252, where it is "é"');
    expect(fixOf(findings[0]!)).toContain('iconv -f WINDOWS-1252 -t UTF-8');
  });

  it('names UTF-16 by its byte-order mark, and without one by its NUL bytes', () => {
    const withBom = decodeUtf8(Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from('id,name\n', 'utf16le')]), 'x.csv');
    expect(withBom.findings[0]).toMatchObject({ line: 1, column: 1, args: { from: 'UTF-16', offset: 0 } });
    const bare = decodeUtf8(Buffer.from('id,name\n', 'utf16le'), 'x.csv');
    expect(bare.findings[0]).toMatchObject({ code: 'csv-encoding', line: 1, args: { from: 'UTF-16', offset: 1 } });
    expect(fixOf(bare.findings[0]!)).toContain('iconv -f UTF-16 -t UTF-8');
  });

  it('accepts UTF-8 with and without a BOM', () => {
    expect(decodeUtf8(Buffer.from('id,name\n1,café\n'), 'x.csv')).toEqual({ text: 'id,name\n1,café\n', findings: [] });
    expect(decodeUtf8(Buffer.from('\ufeffid\n'), 'x.csv').findings).toEqual([]);
  });
});

describe('parseCsvTable', () => {
  it('reads back any table csv-stringify writes, with LF or CRLF, each row at the line it starts on', () => {
    const cellText = fc.stringMatching(/^[a-z ,"\r\n;é]{0,6}$/);
    fc.assert(
      fc.property(fc.integer({ min: 2, max: 4 }).chain((width) => fc.array(fc.array(cellText, { minLength: width, maxLength: width }), { minLength: 1, maxLength: 6 })), fc.constantFrom('\n', '\r\n'), (table, eol) => {
        // (csv-stringify quotes a bare LF only when LF is its record delimiter: quote line breaks always.)
        const options = { record_delimiter: eol === '\n' ? 'unix' : 'windows', quoted_match: /[\r\n]/ } as const;
        const text = stringify(table, options);
        const { table: read, findings } = parseCsvTable(text, 'x.csv');
        expect(findings).toEqual([]);
        expect([read!.header, ...read!.rows.map((r) => r.cells)]).toEqual([table[0]!.map((c) => c.trim()), ...table.slice(1)]);
        // The line a row starts on: 1 + the LFs written before it (a CRLF is one line end; a lone
        // CR in a file with LFs is text).
        const starts = [1];
        for (const row of table.slice(0, -1)) {
          const written = stringify([row], options);
          starts.push(starts.at(-1)! + written.split('\n').length - 1);
        }
        expect(read!.rows.map((r) => r.line)).toEqual(starts.slice(1));
      }),
      { numRuns: 300 },
    );
  });

  it('numbers rows by the line they start on, with multi-line cells and CRLF line ends', () => {
    for (const eol of ['\n', '\r\n']) {
      const text = ['id,name', '1,"two', 'lines"', '2,b', '3,"three', 'more', 'lines"', '4,d', ''].join(eol);
      const { table } = parseCsvTable(text, 'x.csv');
      expect(table!.rows.map((r) => r.line)).toEqual([2, 4, 5, 8]);
    }
  });

  it('reads a file whose lines end in CR alone (old Mac "CSV"); elsewhere a lone CR is text', () => {
    expect(parseCsvTable('id,name\r1,a\r2,"b\rc"\r', 'x.csv').table!.rows).toEqual([
      { line: 2, cells: ['1', 'a'] },
      { line: 3, cells: ['2', 'b\rc'] },
    ]);
    expect(parseCsvTable('id,name\n1,a\rb\n', 'x.csv').table!.rows).toEqual([{ line: 2, cells: ['1', 'a\rb'] }]);
  });

  it('places a quote never closed on the line and column where it opens, not at the end of the file', () => {
    const { findings } = parseCsvTable('id,name\n1,ok\n2,"abc\n3,def\n4,ghi\n', 'x.csv');
    expect(findings.map((f) => [f.code, f.line, f.column])).toEqual([['csv-parse', 3, 2]]);
  });

  it('places an unbalanced quote where it opens when a later quote closes it', () => {
    const text = 'id,name,note\n1,a,fine\n2,"b,oops\n3,c,x\n4,d,"quoted, closed"\n';
    const { findings } = parseCsvTable(text, 'x.csv');
    expect(findings).toHaveLength(1);
    expect(findings[0]).toMatchObject({ code: 'csv-parse', line: 3, column: 2 });
    expect(messageOf(findings[0]!)).toContain('unbalanced quotes');
  });

  it('says how to fix a quote inside an unquoted cell and text after a closing quote', () => {
    const inside = parseCsvTable('id,name\n1,12" pipe\n', 'x.csv').findings[0]!;
    expect(inside).toMatchObject({ line: 2, column: 2 });
    expect(fixOf(inside)).toContain('double the quote');
    const after = parseCsvTable('id,name\n1,"12" pipe\n', 'x.csv').findings[0]!;
    expect(after).toMatchObject({ line: 2, column: 2 });
    expect(messageOf(after)).toContain('text after the closing quote');
  });

  it.each([
    [';', ';'],
    ['\t', 'tab'],
  ])('names a file separated by %j', (sep, found) => {
    for (const text of [`id${sep}name\n1${sep}a\n`, `"id"${sep}"name"\n"1"${sep}"a, b"\n`]) {
      const { findings } = parseCsvTable(text, 'x.csv');
      expect(findings.map((f) => [f.code, f.line, f.args.found])).toEqual([['csv-delimiter', 1, found]]);
    }
  });
});

describe('checkHeader', () => {
  it('names a sheet of another kind in the wrong folder once, instead of a list of columns', () => {
    const found = checkHeader('vertical', ['source', 'target', 'note'], 'verticals/x@1.0.0.csv');
    expect(found.map((f) => [f.code, f.args.found])).toEqual([['header-wrong-kind', 'mapping']]);
    expect(fixOf(found[0]!)).toBe('move the file to mappings/, or give it the header of a vertical sheet');
  });

  it('still lists missing columns when the header is no other kind either', () => {
    expect(checkHeader('vertical', ['class', 'include'], 'v.csv').map((f) => f.args.column)).toEqual(['train_id', 'color']);
  });
});

describe('cellFix', () => {
  it.each([
    ['taxonomy', 'color', '#F80', 'write the colour with six hex digits: #ff8800'],
    ['taxonomy', 'color', '0xFF8800', 'write it as #ff8800'],
    ['taxonomy', 'color', '255, 136, 0', 'write the colour as hex: #ff8800'],
    ['taxonomy', 'color', 'orange', 'write # and six hex digits (e.g. #ff8800), or leave the cell empty'],
    ['dataset', 'is_thing', 'Yes', 'write true'],
    ['dataset', 'evaluate', '0', 'write false'],
    ['dataset', 'evaluate', 'maybe', 'write true or false, or leave the cell empty'],
    ['taxonomy', 'name', 'Traffic Light', 'write "traffic_light"'],
    ['vertical', 'include', 'traffic-sign', 'write "traffic_sign"'],
    ['taxonomy', 'name', '', 'fill in the cell'],
    ['taxonomy', 'name', '3d_object', 'use lower-case letters, digits and single underscores, starting with a letter'],
    ['dataset', 'name', ' ', 'fill in the cell'],
    ['dataset', 'id', '1.0', 'write a whole number without quotes or decimals'],
    ['dataset', 'id', 'seven', 'write a whole number (digits only)'],
  ] as const)('%s %s %j: %s', (kind, column, found, fix) => expect(cellFix(kind, column, found)).toBe(fix));

  it('is the fix of every cell-invalid finding', () => {
    const { findings } = parseSheetText('taxonomy', 'id,name,parent,display_name,color,is_thing,description\n1,Car,,,#abc,,\n', 't.csv');
    expect(findings.map(fixOf)).toEqual(['write "car"', 'write the colour with six hex digits: #aabbcc']);
  });
});

describe('scanSheetsDir: CSV files no command reads', () => {
  it('reports them where they are and says where they belong', () => {
    const dir = tempDir({
      'datasets/coco@1.0.0.csv': 'x',
      'coco@1.0.0.csv': 'x',
      'dataset/voc@1.0.0.csv': 'x',
      'old/notes.csv': 'x',
      'mappings/archive/coco@0.9.0.csv': 'x',
      'README.md': 'x',
      'labelmap.lock.json': '{}',
    });
    mkdirSync(path.join(dir, '.git'));
    writeFileSync(path.join(dir, '.git', 'x.csv'), 'x');
    const { files, findings } = scanSheetsDir(dir);
    expect(files.map((f) => f.rel)).toEqual(['datasets/coco@1.0.0.csv']);
    expect(findings.map((f) => [f.code, f.severity, f.file, f.args.expected])).toEqual([
      ['sheet-file-misplaced', 'error', 'coco@1.0.0.csv', undefined],
      ['sheet-file-misplaced', 'error', 'dataset/voc@1.0.0.csv', 'datasets/voc@1.0.0.csv'],
      ['sheet-file-misplaced', 'error', 'mappings/archive/coco@0.9.0.csv', 'mappings/coco@0.9.0.csv'],
      ['sheet-file-misplaced', 'warning', 'old/notes.csv', undefined],
    ]);
  });
});

describe('rowParser', () => {
  const cell = fc.oneof(
    fc.constantFrom('', ' ', '0', '-0', '-1', '12', '1.5', 'car', 'Car', ' car', 'ignore', 'true', 'TRUE', 'False', 'FALSE', 'yes', '#ff8800', '#FF8800', '#FFF', 'a_b', '65535', '9999'),
    fc.stringMatching(/^[ 0-9a-fA-F#_\-x]{0,8}$/),
  );
  for (const kind of SHEET_KINDS) {
    it(`${kind}: gives what rowSchemaOf(${kind}).safeParse gives, values and issues`, () => {
      const columns = [...COLUMNS[kind].required, ...COLUMNS[kind].optional];
      const parse = rowParser(kind);
      fc.assert(
        fc.property(fc.dictionary(fc.constantFrom(...columns), cell, { minKeys: columns.length - 2 }), (raw) => {
          const ours = parse(raw);
          const zod = rowSchemaOf(kind).safeParse(raw);
          if (zod.success) {
            expect(ours).toEqual({ value: zod.data, issues: [] });
          } else {
            expect(ours.issues).toEqual(zod.error.issues.map((i) => ({ column: String(i.path[0]), message: i.message })));
          }
        }),
        { numRuns: 500 },
      );
    });
  }
});
