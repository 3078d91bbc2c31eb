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
