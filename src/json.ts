// Strict JSON for the files labelmap reads whole: model configs, Vistas configs and polygon files,
// labelmap.json bundles and the lock file. JSON.parse builds the value, after one pass over the
// text that refuses what JSON.parse lets through or cannot place:
//
//   {"id2label": {"0": "cat", "0": "dog"}}     a duplicate key (JSON.parse keeps the last one silently)
//   [[[[[[ ... 100,000 levels ... ]]]]]]       nesting deeper than MAX_JSON_DEPTH (code that walks
//                                              the value, JSON.stringify included, would overflow the stack)
//   {"area": 1e400}                            a number out of range (JSON.parse makes it Infinity,
//                                              which JSON.stringify writes back as null)
//   {"a": 1,, }                                any syntax error, at its line and column (Node 20's
//                                              JSON.parse names no position for most of them)
// Pure: text in, value out; errors are LabelmapErrors with the caller's code and a `reason`.
import { decodeUtf8 } from './sheets/csv.js';
import { LabelmapError, type Code } from './findings.js';

/** Label metadata nests a few levels (a polygon: objects[i].polygon[k][0]); 256 is far beyond any real file. */
export const MAX_JSON_DEPTH = 256;

interface Problem {
  offset: number;
  reason: string;
  path: string;
}

interface Frame {
  object: boolean;
  keys: Set<string> | null;
  /** The current key (objects) or element index (arrays), for the JSON path of an error. */
  key: string;
  index: number;
}

const WS = (c: number): boolean => c === 0x20 || c === 0x0a || c === 0x0d || c === 0x09;
const DIGIT = (c: number): boolean => c >= 0x30 && c <= 0x39;
const HEX = (c: number): boolean => DIGIT(c) || (c >= 0x41 && c <= 0x46) || (c >= 0x61 && c <= 0x66);

/** A character for a message: printable ASCII quoted, anything else as U+XXXX (no garbage on the terminal). */
function describeChar(text: string, at: number): string {
  if (at >= text.length) return 'the end of the file';
  const c = text.codePointAt(at)!;
  return c > 0x20 && c < 0x7f ? `'${String.fromCharCode(c)}'` : `U+${c.toString(16).toUpperCase().padStart(4, '0')}`;
}

function pathOf(stack: readonly Frame[]): string {
  let p = '$';
  for (const f of stack) {
    if (!f.object) p += `[${f.index}]`;
    else if (f.key !== '') p += /^[A-Za-z_][A-Za-z0-9_]*$/.test(f.key) ? `.${f.key}` : `[${JSON.stringify(f.key)}]`;
    if (p.length > 200) return `${p.slice(0, 197)}...`;
  }
  return p;
}

/** The first problem of a JSON text, or null when JSON.parse may build it. Iterative: any depth of input is safe. */
export function checkJsonText(text: string, maxDepth = MAX_JSON_DEPTH): Problem | null {
  const n = text.length;
  const stack: Frame[] = [];
  let i = 0;
  // Syntax errors are placed by line and column; what is wrong with a well-formed value also by its path.
  const fail = (offset: number, reason: string): Problem => ({ offset, reason, path: '' });
  const failAt = (offset: number, reason: string): Problem => ({ offset, reason, path: pathOf(stack) });
  const unexpected = (at: number, expected: string): Problem =>
    at >= n ? fail(at, 'the file ends in the middle of the JSON') : fail(at, `expected ${expected}, found ${describeChar(text, at)}`);

  /** Scans a string starting at its opening quote; returns the index after the closing quote, or a problem. */
  const scanString = (start: number): number | Problem => {
    let j = start + 1;
    for (;;) {
      if (j >= n) return fail(start, 'the file ends in the middle of the JSON, in the string that starts here (a missing ")');
      const c = text.charCodeAt(j);
      if (c === 0x22) return j + 1;
      if (c === 0x5c) {
        const e = text.charCodeAt(j + 1);
        if (e === 0x75) {
          for (let k = 2; k < 6; k++) if (!HEX(text.charCodeAt(j + k))) return fail(j, 'a \\u escape without four hex digits');
          j += 6;
        } else if (e === 0x22 || e === 0x5c || e === 0x2f || e === 0x62 || e === 0x66 || e === 0x6e || e === 0x72 || e === 0x74) {
          j += 2;
        } else {
          return fail(j, `an invalid escape \\${j + 1 < n ? text[j + 1] : ''} in a string`);
        }
      } else if (c < 0x20) {
        return fail(j, `a control character (${describeChar(text, j)}) inside a string: write it as an escape such as \\n`);
      } else j++;
    }
  };

  /** Scans a number; returns the index after it, or a problem. */
  const scanNumber = (start: number): number | Problem => {
    let j = start;
    if (text.charCodeAt(j) === 0x2d) j++;
    if (text.charCodeAt(j) === 0x30) j++;
    else if (DIGIT(text.charCodeAt(j))) while (DIGIT(text.charCodeAt(j))) j++;
    else return unexpected(j, 'a digit');
    let exponent = false;
    if (text.charCodeAt(j) === 0x2e) {
      j++;
      if (!DIGIT(text.charCodeAt(j))) return unexpected(j, 'a digit after the decimal point');
      while (DIGIT(text.charCodeAt(j))) j++;
    }
    const c = text.charCodeAt(j);
    if (c === 0x65 || c === 0x45) {
      exponent = true;
      j++;
      const s = text.charCodeAt(j);
      if (s === 0x2b || s === 0x2d) j++;
      if (!DIGIT(text.charCodeAt(j))) return unexpected(j, 'a digit in the exponent');
      while (DIGIT(text.charCodeAt(j))) j++;
    }
    // Only exponents and long literals can overflow. (An integer beyond 2^53 is a valid double: the
    // reader of an id checks Number.isSafeInteger, which an unrelated field need not pass.)
    if (exponent || j - start > 300) {
      const literal = text.slice(start, j);
      if (!Number.isFinite(Number(literal))) return failAt(start, `the number ${literal.length > 40 ? `${literal.slice(0, 37)}...` : literal} is out of range`);
    }
    return j;
  };

  const VALUE = 0;
  const KEY = 1;
  const AFTER = 2;
  let mode = VALUE;
  for (;;) {
    while (i < n && WS(text.charCodeAt(i))) i++;
    const c = text.charCodeAt(i);
    if (mode === VALUE) {
      if (c === 0x7b || c === 0x5b) {
        if (stack.length >= maxDepth) return failAt(i, `the JSON nests deeper than ${maxDepth} levels`);
        const object = c === 0x7b;
        stack.push({ object, keys: object ? new Set() : null, key: '', index: 0 });
        i++;
        while (i < n && WS(text.charCodeAt(i))) i++;
        if (text.charCodeAt(i) === (object ? 0x7d : 0x5d)) {
          stack.pop();
          i++;
          mode = AFTER;
        } else mode = object ? KEY : VALUE;
        continue;
      }
      let end: number | Problem;
      if (c === 0x22) end = scanString(i);
      else if (c === 0x2d || DIGIT(c)) end = scanNumber(i);
      else if (text.startsWith('true', i)) end = i + 4;
      else if (text.startsWith('false', i)) end = i + 5;
      else if (text.startsWith('null', i)) end = i + 4;
      else if (stack.length === 0 && i >= n) return fail(i, 'the file is empty: expected a JSON value');
      else return unexpected(i, 'a value');
      if (typeof end !== 'number') return end;
      i = end;
      mode = AFTER;
      continue;
    }
    if (mode === KEY) {
      if (c !== 0x22) return unexpected(i, 'a key in double quotes');
      const end = scanString(i);
      if (typeof end !== 'number') return end;
      const raw = text.slice(i + 1, end - 1);
      const key = raw.includes('\\') ? (JSON.parse(`"${raw}"`) as string) : raw;
      const frame = stack[stack.length - 1]!;
      if (frame.keys!.has(key)) {
        frame.key = key;
        return failAt(i, `the key ${JSON.stringify(key)} appears twice in one object (JSON readers keep one of the two silently)`);
      }
      frame.keys!.add(key);
      frame.key = key;
      i = end;
      while (i < n && WS(text.charCodeAt(i))) i++;
      if (text.charCodeAt(i) !== 0x3a) return unexpected(i, `':' after the key ${JSON.stringify(key.length > 40 ? `${key.slice(0, 37)}...` : key)}`);
      i++;
      mode = VALUE;
      continue;
    }
    // AFTER a value
    const frame = stack[stack.length - 1];
    if (!frame) {
      if (i < n) return fail(i, `unexpected ${describeChar(text, i)} after the end of the JSON value`);
      return null;
    }
    if (c === 0x2c) {
      i++;
      if (frame.object) mode = KEY;
      else {
        frame.index++;
        mode = VALUE;
      }
      continue;
    }
    if (c === (frame.object ? 0x7d : 0x5d)) {
      stack.pop();
      i++;
      continue;
    }
    return unexpected(i, frame.object ? "',' or '}'" : "',' or ']'");
  }
}

/** 1-based line and column of a character offset. */
export function lineColumnOf(text: string, offset: number): { line: number; column: number } {
  let line = 1;
  let start = 0;
  for (let k = text.indexOf('\n'); k !== -1 && k < offset; k = text.indexOf('\n', k + 1)) {
    line++;
    start = k + 1;
  }
  return { line, column: offset - start + 1 };
}

/**
 * Parses JSON text (a leading BOM is dropped). A problem is a LabelmapError with `code`, the place
 * (file, line, column and JSON path) and `reason`.
 */
export function parseJson(text: string, file: string, code: Code): unknown {
  const body = text.charCodeAt(0) === 0xfeff ? text.slice(1) : text;
  const problem = checkJsonText(body);
  if (problem) {
    throw new LabelmapError(code, { file, ...lineColumnOf(body, problem.offset), path: problem.path === '' || problem.path === '$' ? undefined : problem.path }, { reason: problem.reason });
  }
  return JSON.parse(body);
}

/** Parses JSON bytes: strict UTF-8 (the reason names the first bad byte), then parseJson. */
export function parseJsonBytes(bytes: Uint8Array, file: string, code: Code): unknown {
  const { text, findings } = decodeUtf8(bytes, file);
  const bad = findings[0];
  if (bad) throw new LabelmapError(code, { file, line: bad.line }, { reason: `not UTF-8 (byte 0x${String(bad.args.byte)} at offset ${String(bad.args.offset)})` });
  return parseJson(text, file, code);
}
