// Small text inputs read line by line (class lists, label_colors.txt, objectInfo150.csv): one
// bounded read, strict UTF-8, every line with its 1-based number, and a delimited-line splitter
// that knows quotes. Readers built on it report every malformed line at file:line.
import { LabelmapError } from '../../findings.js';
import { decodeText, readBytes, readHead } from '../../io/index.js';

/** Label metadata files are kilobytes; a class list of ImageNet-21k's 21,841 names is ~0.5 MB. */
export const TEXT_MAX_BYTES = 16 * 1024 * 1024;

export interface TextLine {
  /** 1-based line number. */
  line: number;
  text: string;
}

/** A text file as UTF-8 (BOM dropped; invalid UTF-8 is `file-encoding` at its line). */
export function readTextFile(file: string, what: string, maxBytes = TEXT_MAX_BYTES): string {
  return decodeText(readBytes(file, what, maxBytes), file, what);
}

/** Lines ending in LF, CRLF or CR alone (old Mac files), numbered from 1; a BOM is dropped. */
export function splitLines(text: string): TextLine[] {
  if (text.charCodeAt(0) === 0xfeff) text = text.slice(1);
  const parts = text.split(/\r\n|\n|\r/);
  if (parts.length > 1 && parts[parts.length - 1] === '') parts.pop();
  return parts.map((t, i) => ({ line: i + 1, text: t }));
}

/**
 * One line split at `delimiter`, RFC 4180 quotes honoured (`"a, b",c`). A quote left open is an
 * error at that line and column, since a class list has no cell that runs over lines.
 */
export function splitDelimited(line: TextLine, delimiter: string, file: string): string[] {
  const cells: string[] = [];
  const s = line.text;
  let i = 0;
  for (;;) {
    if (s[i] === '"') {
      let cell = '';
      let j = i + 1;
      for (;;) {
        const k = s.indexOf('"', j);
        if (k < 0) {
          throw new LabelmapError('class-list-line', { file, line: line.line, column: cells.length + 1 }, {
            expected: 'a closing quote on the same line',
            found: `an open quote in ${JSON.stringify(s.slice(i, i + 40))}`,
          });
        }
        cell += s.slice(j, k);
        if (s[k + 1] === '"') {
          cell += '"';
          j = k + 2;
          continue;
        }
        j = k + 1;
        break;
      }
      i = j;
      if (i < s.length && !s.startsWith(delimiter, i)) {
        throw new LabelmapError('class-list-line', { file, line: line.line, column: cells.length + 1 }, {
          expected: `${JSON.stringify(delimiter)} after a quoted cell`,
          found: JSON.stringify(s.slice(i, i + 20)),
        });
      }
      cells.push(cell);
    } else {
      const k = s.indexOf(delimiter, i);
      cells.push(s.slice(i, k < 0 ? s.length : k));
      i = k < 0 ? s.length : k;
    }
    if (i >= s.length) return cells;
    i += delimiter.length;
  }
}

/** The first lines of a file (format detection): at most `bytes` read, invalid UTF-8 replaced. */
export function readHeadLines(file: string, what: string, bytes = 4096): TextLine[] {
  const head = readHead(file, what, bytes);
  const lines = splitLines(new TextDecoder('utf-8').decode(head));
  // The last line may be cut by the byte limit.
  return head.length === bytes && lines.length > 1 ? lines.slice(0, -1) : lines;
}
