// The hand-written CSV writer (formatTable, formatCsvRows, quoteCsvCell in src/sheets/csv.ts) is
// held byte-identical to csv-stringify with the options labelmap wrote with before it, plus one: a
// cell with a CR is quoted (RFC 4180; Python's csv refuses a bare CR in a field).
import { spawnSync } from 'node:child_process';
import { stringify } from 'csv-stringify/sync';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { formatCsvRows, formatTable, quoteCsvCell } from '../../src/sheets/csv.js';

const reference = (columns: string[], rows: string[][]): string =>
  stringify(rows, { header: true, columns, record_delimiter: '\n', quoted_match: [/^[\s]|[\s]$/, /\r/] });

// Pieces that decide quoting: quotes, commas, LF, CR, CRLF, leading and trailing white space
// (ASCII and Unicode: NBSP, ideographic space, BOM, line separator), formula starts, non-ASCII.
const piece = fc.constantFrom('a', 'Z', '0', '-1', ' ', ',', '"', '""', '\n', '\r', '\r\n', '\t', '\u00a0', '\u3000', '\ufeff', '\u2028', '=', '+', '@', '=cmd|x', 'é', '移', '😀', ';', "'");
const cell = fc.array(piece, { maxLength: 6 }).map((parts) => parts.join(''));

describe('the CSV writer', () => {
  it('writes what csv-stringify wrote, byte for byte, on random tables (empty cells, quotes, commas, line breaks, white space, formula starts)', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 1, max: 6 }).chain((n) => fc.tuple(fc.array(cell, { minLength: n, maxLength: n }), fc.array(fc.array(cell, { minLength: n, maxLength: n }), { maxLength: 8 }))),
        ([header, rows]) => {
          // csv-stringify takes the header from `columns`; labelmap's column names are plain, but any text is compared.
          const columns = header.map((h, i) => h || `c${i}`);
          expect(formatCsvRows(columns, rows)).toBe(reference(columns, rows));
          const records = rows.map((r) => Object.fromEntries(columns.map((c, i) => [c, r[i]])));
          if (new Set(columns).size === columns.length) expect(formatTable(columns, records)).toBe(reference(columns, rows));
        },
      ),
      { numRuns: 2000, seed: 23 },
    );
  });

  it('quotes exactly the cells csv-stringify quotes', () => {
    const cases = ['', 'plain', 'a,b', 'say "hi"', 'two\nlines', 'cr\rinside', '\rlead', ' lead', 'trail ', '\u00a0nbsp', 'nbsp\u00a0', '\ttab', '=SUM(A1)', '-1', "'quoted"];
    for (const c of cases) expect(quoteCsvCell(c), JSON.stringify(c)).toBe(reference(['x'], [[c]]).split('\n').slice(1).join('\n').replace(/\n$/, ''));
    // The decisions themselves, spelled out (a change of csv-stringify would move the reference too).
    expect(cases.map(quoteCsvCell)).toEqual(['', 'plain', '"a,b"', '"say ""hi"""', '"two\nlines"', '"cr\rinside"', '"\rlead"', '" lead"', '"trail "', '"\u00a0nbsp"', '"nbsp\u00a0"', '"\ttab"', '=SUM(A1)', '-1', "'quoted"]);
  });

  it('writes numbers, booleans and empty values as the sheet writer always did', () => {
    expect(formatCsvRows(['a', 'b', 'c', 'd'], [[1, true, null, undefined], [-2.5, false, '', 'x']])).toBe('a,b,c,d\n1,true,,\n-2.5,false,,x\n');
    expect(formatCsvRows(['a'], [])).toBe('a\n');
  });
});

describe('a written sheet, read by Python\'s csv module', () => {
  it('gives back every cell, a CR inside a cell included (quoted: a bare CR would end the row)', () => {
    const rows = [['1', 'car\rtruck', ''], ['2', 'two\nlines', ' lead'], ['3', 'a,"b"', 'cr\r\nlf']];
    const text = formatCsvRows(['id', 'name', 'note'], rows);
    const r = spawnSync('/usr/bin/env', ['python3', '-I', '-S', '-c', 'import csv, io, json, sys; print(json.dumps(list(csv.reader(io.StringIO(sys.stdin.read(), newline="")))))'], { input: text, encoding: 'utf8' });
    if (r.error || r.status === null) return; // no python3 here: the csv-stringify reference above still holds
    expect(r.status, r.stderr).toBe(0);
    expect(JSON.parse(r.stdout)).toEqual([['id', 'name', 'note'], ...rows]);
  });
});
