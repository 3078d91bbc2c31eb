// countRecords (what `labelmap list` shows) equals the number of records the sheet reader reads,
// on generated sheets with quotes, line breaks in cells, CRLF, CR-only files and blank lines.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { countRecords } from '../../src/sheets/count.js';
import { formatSheet, parseSheetText } from '../../src/sheets/csv.js';
import { datasetRows } from '../robustness/arbitraries.js';

const QUOTE = 0x22;
const LF = 0x0a;
const CR = 0x0d;

/** The rules of countRecords read one byte at a time (its first form): the reference. */
function countBytewise(bytes: Uint8Array): number {
  const crOnly = bytes.indexOf(LF) < 0;
  let records = 0;
  let inQuotes = false;
  let blank = true;
  const n = bytes.length;
  for (let i = 0; i < n; i++) {
    const c = bytes[i]!;
    if (inQuotes) {
      // A doubled quote ("") closes and reopens: the state comes out the same.
      if (c === QUOTE) inQuotes = false;
      continue;
    }
    if (c === QUOTE) {
      inQuotes = true;
      blank = false;
    } else if (c === LF || (c === CR && crOnly)) {
      if (!blank) records++;
      blank = true;
    } else if (c === CR && bytes[i + 1] === LF) {
      // the LF after it ends the line
    } else {
      blank = false;
    }
  }
  if (!blank) records++;
  return records;
}

describe('countRecords', () => {
  it('counts small cases as the reader does', () => {
    const count = (s: string) => countRecords(Buffer.from(s));
    expect(count('')).toBe(0);
    expect(count('id,name\n')).toBe(1);
    expect(count('id,name\n\n1,a\n\n')).toBe(2);
    expect(count('id,name\r\n1,"a\r\nb"\r\n2,c')).toBe(3);
    expect(count('id,name\r1,a\r2,b\r')).toBe(3);
    expect(count('id,name\n""\n,\n')).toBe(3);
    expect(count('\ufeffid,name\n1,"say ""hi""\n"\n')).toBe(2);
  });

  it('equals the rows parseSheetText reads from generated dataset sheets, plus the header', () => {
    fc.assert(
      fc.property(datasetRows, fc.constantFrom('\n', '\n', '\r\n', '\r'), fc.boolean(), (rows, eol, blanks) => {
        let text = formatSheet('dataset', rows);
        // Blank lines after the header (its first LF: a header has no quotes) and at the end.
        if (blanks) text = text.replace('\n', '\n\n') + '\n\n';
        text = text.replace(/\n/g, eol);
        const parsed = parseSheetText('dataset', text, 'd.csv');
        // A CR-only file whose cells hold a CR or LF is not that sheet any more (rows split, dropped with findings).
        if (parsed.sheet === null || parsed.findings.some((f) => f.severity === 'error')) return;
        expect(countRecords(Buffer.from(text))).toBe(parsed.sheet.rows.length + 1);
      }),
      { numRuns: 500 },
    );
  });

  it('equals a byte-at-a-time reading on any bytes: quotes, doubled and unclosed, CR, LF, blank lines (property)', () => {
    const bytes = fc.array(fc.constantFrom(0x61, 0x2c, QUOTE, CR, LF, LF, 0x20), { maxLength: 40 }).map((b) => Uint8Array.from(b));
    fc.assert(
      fc.property(bytes, (b) => {
        expect(countRecords(b)).toBe(countBytewise(b));
      }),
      { numRuns: 5000 },
    );
  });
});
