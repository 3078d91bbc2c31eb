// Properties of the sheet reader and writer and of the diff, over generated sheets of all four
// kinds (arbitraries.ts): reading a written sheet gives the same rows and writing those again the
// same bytes; a sheet compared with itself has no change; the bump a diff demands is the highest
// level of the edits made.
import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { stringify } from 'csv-stringify/sync';
import { formatSheet, parseSheetText, rowRecords } from '../../src/sheets/csv.js';
import type { DatasetClass, RowOf, SheetKind } from '../../src/sheets/schema.js';
import { diffSheets, levelOf, requiredBump, type Level } from '../../src/versioning/index.js';
import { datasetRows, mappingRows, taxonomyRows, text, verticalRows } from './arbitraries.js';

const KINDS: { kind: SheetKind; rows: fc.Arbitrary<RowOf[SheetKind][]> }[] = [
  { kind: 'dataset', rows: datasetRows },
  { kind: 'taxonomy', rows: taxonomyRows },
  { kind: 'mapping', rows: mappingRows },
  { kind: 'vertical', rows: verticalRows },
];

describe('round trip: write, read, write', () => {
  for (const { kind, rows } of KINDS) {
    it(`${kind} sheets: the same rows back, and the same bytes when written again`, () => {
      fc.assert(
        fc.property(rows, (written) => {
          const csv = formatSheet(kind, written);
          const { sheet, findings } = parseSheetText(kind, csv, 'x.csv');
          expect(findings).toEqual([]);
          expect(sheet!.rows).toEqual(written);
          expect(formatSheet(kind, sheet!.rows)).toBe(csv);
        }),
        { numRuns: 150 },
      );
    });
  }

  it('a sheet saved by a spreadsheet on Windows (BOM, CRLF between rows) reads as the same rows', () => {
    fc.assert(
      fc.property(datasetRows, (written) => {
        // Excel's "CSV UTF-8": a BOM, CRLF after every row, line breaks inside quoted cells as they are.
        const columns = parseSheetText('dataset', formatSheet('dataset', written), 'x.csv').sheet!.columns;
        const records = rowRecords('dataset', written).map((r) => columns.map((c) => r[c] ?? ''));
        const windows = stringify(records, { header: true, columns, bom: true, record_delimiter: 'windows', quoted_match: /[\r\n]/ });
        const { sheet, findings } = parseSheetText('dataset', windows, 'x.csv');
        expect(findings).toEqual([]);
        expect(sheet!.rows).toEqual(written);
      }),
      { numRuns: 100 },
    );
  });
});

describe('diff', () => {
  for (const { kind, rows } of KINDS) {
    it(`${kind}: a sheet has no change from itself`, () => {
      fc.assert(
        fc.property(rows, (a) => {
          expect(diffSheets(kind, a, a)).toEqual([]);
          expect(diffSheets(kind, a, structuredClone(a))).toEqual([]);
        }),
        { numRuns: 100 },
      );
    });
  }

  it('dataset, taxonomy and mapping rows in another order are no change (ids and names identify them)', () => {
    for (const { kind, rows } of KINDS.filter((k) => k.kind !== 'vertical')) {
      fc.assert(
        fc.property(rows.chain((a) => fc.tuple(fc.constant(a), fc.shuffledSubarray(a, { minLength: a.length, maxLength: a.length }))), ([a, b]) => {
          expect(diffSheets(kind, a, b)).toEqual([]);
        }),
        { numRuns: 100 },
      );
    }
  });

  it('every change has the level of its bump rule', () => {
    fc.assert(
      fc.property(datasetRows, datasetRows, (a, b) => {
        for (const c of diffSheets('dataset', a, b)) expect(c.level).toBe(levelOf(c.rule));
      }),
      { numRuns: 100 },
    );
  });

  // Edits of a dataset sheet, each on its own row, with the level DESIGN.md gives it.
  type Edit = 'remove' | 'rename' | 'renumber' | 'train_id' | 'display_name' | 'color' | 'category' | 'add';
  const EDIT_LEVEL: Record<Edit, Level> = {
    remove: 'major',
    rename: 'major',
    renumber: 'major',
    train_id: 'major',
    add: 'minor',
    display_name: 'patch',
    color: 'patch',
    category: 'patch',
  };

  it('the bump a dataset diff demands is the highest level among the edits made', () => {
    const edits = fc.array(fc.constantFrom<Edit>('remove', 'rename', 'renumber', 'train_id', 'display_name', 'color', 'category', 'add'), { minLength: 1, maxLength: 6 });
    fc.assert(
      fc.property(datasetRows, edits, text, (a, wanted, newText) => {
        const b: DatasetClass[] = structuredClone(a);
        const added: DatasetClass[] = [];
        const applied: Edit[] = [];
        const fresh = Math.max(...a.map((r) => Math.abs(r.id))) + 1;
        // Edit k changes original row k (none when there are fewer rows); additions come last.
        wanted.forEach((edit, k) => {
          const row = b[k];
          if (edit === 'add') {
            added.push({ ...structuredClone(a[0]!), id: fresh + 10 + k, name: `added ${k}` });
          } else if (!row) {
            return;
          } else if (edit === 'remove') {
            row.name = ''; // marked; filtered below
          } else if (edit === 'rename') {
            row.name = `renamed ${k}`;
          } else if (edit === 'renumber') {
            row.id = fresh + 1000 + k;
          } else if (edit === 'train_id') {
            row.train_id = row.train_id === 7 ? 8 : 7;
          } else if (edit === 'color') {
            row.color = row.color === '#010203' ? '#030201' : '#010203';
          } else {
            const before = row[edit];
            row[edit] = before === newText ? `${newText}x` : newText;
          }
          applied.push(edit);
        });
        const after = [...b.filter((r) => r.name !== ''), ...added];
        const changes = diffSheets('dataset', a, after);
        const expected = applied.map((e) => EDIT_LEVEL[e]).reduce<Level>((m, l) => (['patch', 'minor', 'major'].indexOf(l) > ['patch', 'minor', 'major'].indexOf(m) ? l : m), 'patch');
        expect(requiredBump(changes), JSON.stringify({ applied, changes: changes.map((c) => [c.kind, c.field, c.level]) })).toBe(expected);
      }),
      { numRuns: 200 },
    );
  });
});
