// Counting the records of a sheet without parsing it: for `labelmap list`, which shows row counts
// of every sheet and should not pay for reading, typing and hashing each one (`validate` checks
// sheets; `list` only shows what is there). Works on the bytes: quotes, CR and LF are ASCII and
// never part of a multi-byte UTF-8 character.
const QUOTE = 0x22;
const LF = 0x0a;
const CR = 0x0d;

/**
 * The number of CSV records (the header included) the sheet reader (csv.ts readRecords) reads
 * from a well-formed file: line ends LF or CRLF, or CR alone in a file without LF; line breaks
 * inside quoted cells belong to the cell; blank lines do not count. On a malformed file (an
 * unbalanced quote) it is a count, not an error: `validate` reports those.
 */
export function countRecords(bytes: Uint8Array): number {
  // Line ends and quotes are found with indexOf (memchr): a byte loop runs in V8's interpreter at
  // start-up, which is all the time list has. The same states as a byte-at-a-time reading of the
  // rules above (tests/sheets/count.test.ts holds the two equal).
  const eol = bytes.indexOf(LF) < 0 ? CR : LF;
  const n = bytes.length;
  let records = 0;
  let blank = true;
  let i = 0;
  // The next quote and line end at or after i, each searched again only once i has passed it (a
  // search per line for a quote the file does not have would read the rest of the file each time).
  let quote = bytes.indexOf(QUOTE);
  let end = bytes.indexOf(eol);
  while (i < n) {
    if (quote >= 0 && quote < i) quote = bytes.indexOf(QUOTE, i);
    if (end >= 0 && end < i) end = bytes.indexOf(eol, i);
    if (end >= 0 && (quote < 0 || end < quote)) {
      // A line's last piece, quote-free: blank unless it holds something but the CR of a CRLF.
      const len = end - i;
      if (len > 1 || (len === 1 && (eol === CR || bytes[i] !== CR))) blank = false;
      if (!blank) records++;
      blank = true;
      i = end + 1;
    } else if (quote >= 0) {
      // Up to a quoted part (a doubled quote closes and reopens it: the state comes out the same);
      // inside it, line ends belong to the cell.
      blank = false;
      const close = bytes.indexOf(QUOTE, quote + 1);
      if (close < 0) break;
      i = close + 1;
    } else {
      blank = false;
      break;
    }
  }
  if (!blank) records++;
  return records;
}
