// A strict, byte-level well-formedness scanner for a SUBSET of XML 1.0, the shape of annotation
// files (VOC, labelImg):
//
//   <?xml version="1.0" encoding="utf-8"?>          <- optional, only at byte 0, version 1.0, UTF-8
//   <annotation verified="no">                      <- ASCII names, quoted attributes, no duplicates
//     <name>dining &amp; table</name>              <- the five predefined entities
//     <!-- a comment -->  <![CDATA[ raw text ]]>
//   </annotation>
//
// It is a fast path, not the parser of record: it answers "well-formed, and here are its events"
// only when it is sure a full XML parser (saxes) would accept the document and report the same
// events; on anything else (a DOCTYPE, a character reference, a processing instruction, a
// non-ASCII or prefixed name, a lone CR, a malformed construct) it returns false and the caller
// runs saxes, which then reports the error with its place, or reads the rarer construct. So
// entities are never expanded and nothing external is ever read on either path.
// tests/formats/xml-scan.test.ts holds it equal to saxes on random and corrupted documents.

/** What the scanner reports, in document order. Byte offsets index the scanned buffer. */
export interface XmlEvents {
  /**
   * An element starts: its name is bytes[nameStart, nameEnd) (ASCII); `at` is the offset of its
   * "<"; `depth` the number of elements it is inside (0 for the root).
   */
  open(nameStart: number, nameEnd: number, at: number, depth: number): void;
  /** Character data in bytes[start, end) inside `depth` elements (entities still encoded unless cdata). */
  text(start: number, end: number, cdata: boolean, depth: number): void;
  /** An element ends (also right after `open` for `<empty/>`): name and depth as in `open`. */
  close(nameStart: number, nameEnd: number, depth: number): void;
}

const LT = 0x3c;
const GT = 0x3e;
const SLASH = 0x2f;
const AMP = 0x26;
const EQ = 0x3d;
const DQUOTE = 0x22;
const SQUOTE = 0x27;

const isSpace = (c: number): boolean => c === 0x20 || c === 0x0a || c === 0x09 || c === 0x0d;
const isNameStart = (c: number): boolean => (c >= 0x61 && c <= 0x7a) || (c >= 0x41 && c <= 0x5a) || c === 0x5f;
const isNameChar = (c: number): boolean => isNameStart(c) || (c >= 0x30 && c <= 0x39) || c === 0x2d || c === 0x2e;

// Byte classes as tables: one load per byte instead of a chain of comparisons or a call, which is
// what a run of 17,125 files pays while V8 still interprets this code (the first ~1,000 files).
const byteTable = (test: (c: number) => boolean): Uint8Array => Uint8Array.from({ length: 256 }, (_, c) => (test(c) ? 1 : 0));
const SPACE = byteTable(isSpace);
const NAME_START = byteTable(isNameStart);
const NAME_CHAR = byteTable(isNameChar);
/** Bytes checkChar always accepts, whatever follows them (a CR, 0xC2 and 0xEF depend on what follows). */
const CHAR = byteTable((c) => (c >= 0x20 && c < 0x7f) || c === 0x09 || c === 0x0a || (c >= 0x80 && c !== 0xc2 && c !== 0xef));
/** CHAR less what character data treats apart: "<", "&" and "]" (of "]]>"). */
const PLAIN_TEXT = byteTable((c) => CHAR[c] === 1 && c !== LT && c !== AMP && c !== 0x5d);

/** Thrown inside the scanner: "not sure, ask the full parser". */
class Unsure extends Error {}
const UNSURE = new Unsure();

// The XML declarations taken as they are; any other (another version or encoding) goes to saxes.
const DECLARATION = /^<\?xml[ \t\r\n]+version[ \t\r\n]*=[ \t\r\n]*(["'])1\.0\1([ \t\r\n]+encoding[ \t\r\n]*=[ \t\r\n]*(["'])(?:utf|UTF)-8\3)?([ \t\r\n]+standalone[ \t\r\n]*=[ \t\r\n]*(["'])(?:yes|no)\5)?[ \t\r\n]*\?>/;

/**
 * Scans `bytes[start, end)` (valid UTF-8, BOM already skipped: the caller checks with
 * `buffer.isUtf8`) and reports its events. Returns false, having maybe reported some events,
 * when the document is outside the subset or not well-formed: the caller then discards what it
 * got and asks the full parser. An exception thrown by a handler propagates.
 */
export function scanXml(bytes: Buffer, start: number, end: number, events: XmlEvents): boolean {
  try {
    scan(bytes, start, end, events);
    return true;
  } catch (error) {
    if (error === UNSURE) return false;
    throw error;
  }
}

function scan(b: Buffer, start: number, end: number, events: XmlEvents): void {
  // A lone CR is a line end that saxes counts its own way: such a file goes to saxes.
  for (let r = b.indexOf(0x0d, start); r >= 0 && r < end; r = b.indexOf(0x0d, r + 1)) if (b[r + 1] !== 0x0a || r + 1 >= end) throw UNSURE;
  let i = start;
  if (end - i >= 5 && b[i] === LT && b[i + 1] === 0x3f) i = declaration(b, i, end);
  // The open elements, as offsets of their names (no strings: most names are never needed).
  let starts = openStarts;
  let ends = openEnds;
  let depth = 0;
  let rootSeen = false;
  while (i < end) {
    const lt = depth === 0 ? onlySpace(b, i, end) : charData(b, i, end);
    if (lt > i && depth > 0) events.text(i, lt, false, depth);
    if (lt === end) break;
    const next = b[lt + 1];
    if (next === SLASH) {
      if (depth === 0) throw UNSURE;
      depth--;
      // The open element's name, then only white space up to ">" (so "</posex>" for <pose> fails).
      const nameEnd = lt + 2 + ends[depth]! - starts[depth]!;
      if (nameEnd > end || !sameBytes(b, starts[depth]!, ends[depth]!, lt + 2, nameEnd)) throw UNSURE;
      let k = nameEnd;
      while (k < end && SPACE[b[k]!] === 1) k++;
      if (b[k] !== GT || k >= end) throw UNSURE;
      events.close(lt + 2, nameEnd, depth);
      i = k + 1;
    } else if (next === 0x21) {
      i = markup(b, lt, end, depth, events);
    } else {
      if (rootSeen && depth === 0) throw UNSURE; // a second root
      rootSeen = true;
      const nameEnd = nameAt(b, lt + 1, end);
      const tagEnd = attributes(b, nameEnd, end);
      events.open(lt + 1, nameEnd, lt, depth);
      if (b[tagEnd] === SLASH) {
        events.close(lt + 1, nameEnd, depth);
        i = tagEnd + 2;
      } else {
        if (depth === starts.length) {
          const grownStarts = new Int32Array(depth * 2);
          const grownEnds = new Int32Array(depth * 2);
          grownStarts.set(starts);
          grownEnds.set(ends);
          starts = openStarts = grownStarts;
          ends = openEnds = grownEnds;
        }
        starts[depth] = lt + 1;
        ends[depth] = nameEnd;
        depth++;
        i = tagEnd + 1;
      }
    }
  }
  if (!rootSeen || depth > 0) throw UNSURE;
}

// Reused from document to document (a run reads thousands): grown for deep documents, never shrunk.
let openStarts = new Int32Array(256);
let openEnds = new Int32Array(256);

function sameBytes(b: Buffer, s1: number, e1: number, s2: number, e2: number): boolean {
  if (e1 - s1 !== e2 - s2) return false;
  for (let k = 0; k < e1 - s1; k++) if (b[s1 + k] !== b[s2 + k]) return false;
  return true;
}

function declaration(b: Buffer, at: number, end: number): number {
  const close = b.indexOf('?>', at);
  if (close < 0 || close + 2 > end) throw UNSURE;
  const text = b.toString('latin1', at, close + 2);
  const m = DECLARATION.exec(text);
  if (!m || m[0].length !== text.length) throw UNSURE;
  return close + 2;
}

/** The end of the ASCII name starting at `at`; anything else is left to saxes. */
function nameAt(b: Buffer, at: number, end: number): number {
  if (at >= end || NAME_START[b[at]!] !== 1) throw UNSURE;
  let k = at + 1;
  while (k < end && NAME_CHAR[b[k]!] === 1) k++;
  return k;
}

/**
 * Attributes after an element name, up to ">" or "/>": returns the offset of ">" or of the "/"
 * of "/>". Values may not hold "<" or "&" (entities in attributes go to saxes); names are unique.
 */
function attributes(b: Buffer, at: number, end: number): number {
  let k = at;
  // Attribute names seen, as offset pairs (a tag has a handful at most; most have none).
  let names: number[] | null = null;
  for (;;) {
    const before = k;
    while (k < end && SPACE[b[k]!] === 1) k++;
    if (k >= end) throw UNSURE;
    const c = b[k]!;
    if (c === GT) return k;
    if (c === SLASH) {
      if (b[k + 1] !== GT || k + 1 >= end) throw UNSURE;
      return k;
    }
    if (k === before) throw UNSURE; // attributes must be separated by white space
    const nameEnd = nameAt(b, k, end);
    names ??= [];
    for (let n = 0; n < names.length; n += 2) if (sameBytes(b, names[n]!, names[n + 1]!, k, nameEnd)) throw UNSURE;
    names.push(k, nameEnd);
    k = nameEnd;
    while (k < end && SPACE[b[k]!] === 1) k++;
    if (b[k] !== EQ) throw UNSURE;
    k++;
    while (k < end && SPACE[b[k]!] === 1) k++;
    const quote = b[k];
    if ((quote !== DQUOTE && quote !== SQUOTE) || k >= end) throw UNSURE;
    const close = b.indexOf(quote, k + 1);
    if (close < 0 || close >= end) throw UNSURE;
    for (let v = k + 1; v < close; v++) {
      const ch = b[v]!;
      if (ch === LT || ch === AMP) throw UNSURE;
      if (CHAR[ch] !== 1) checkChar(b, v, ch);
    }
    k = close + 1;
  }
}

/** `<!--...-->` or `<![CDATA[...]]>` (inside the root); a DOCTYPE or anything else goes to saxes. */
function markup(b: Buffer, lt: number, end: number, depth: number, events: XmlEvents): number {
  if (b[lt + 2] === 0x2d && b[lt + 3] === 0x2d) {
    const from = lt + 4;
    const close = b.indexOf('-->', from);
    if (close < 0 || close + 3 > end) throw UNSURE;
    const dashes = b.indexOf('--', from);
    if (dashes !== close || (close > from && b[close - 1] === 0x2d)) throw UNSURE;
    for (let v = from; v < close; v++) if (CHAR[b[v]!] !== 1) checkChar(b, v, b[v]!);
    return close + 3;
  }
  if (depth > 0 && b.toString('latin1', lt, lt + 9) === '<![CDATA[') {
    const from = lt + 9;
    const close = b.indexOf(']]>', from);
    if (close < 0 || close + 3 > end) throw UNSURE;
    for (let v = from; v < close; v++) if (CHAR[b[v]!] !== 1) checkChar(b, v, b[v]!);
    events.text(from, close, true, depth);
    return close + 3;
  }
  throw UNSURE;
}

/** White space only (outside the root element) up to the next "<": returns its offset (or `to`). */
function onlySpace(b: Buffer, from: number, to: number): number {
  let k = from;
  for (; k < to; k++) {
    const c = b[k]!;
    if (c === LT) return k;
    if (SPACE[c] !== 1) throw UNSURE;
  }
  return k;
}

const ENTITIES = ['amp;', 'lt;', 'gt;', 'quot;', 'apos;'];

/**
 * Character data up to the next "<" (returned, or `to`): allowed characters, predefined entities
 * only, no "]]>".
 */
function charData(b: Buffer, from: number, to: number): number {
  let k = from;
  for (; k < to; k++) {
    const c = b[k]!;
    if (PLAIN_TEXT[c] === 1) continue;
    if (c === LT) return k;
    if (c === AMP) {
      // The longest predefined entity is "&quot;": look no further (a stray "&" costs nothing).
      let semi = k + 1;
      while (semi < to && semi <= k + 5 && b[semi] !== 0x3b) semi++;
      if (semi >= to || b[semi] !== 0x3b || !ENTITIES.includes(b.toString('latin1', k + 1, semi + 1))) throw UNSURE;
      k = semi;
    } else if (c === 0x5d) {
      if (b[k + 1] === 0x5d && b[k + 2] === GT && k + 2 < to) throw UNSURE;
    } else checkChar(b, k, c);
  }
  return k;
}

/**
 * One byte of text in valid UTF-8: refuses the C0 controls but tab, LF and CR (a CR must start a
 * CRLF: a lone CR is a line end saxes counts its own way), DEL..U+009F (saxes takes them, but
 * they have no business in an annotation: left to it), and U+FFFE, U+FFFF.
 */
function checkChar(b: Buffer, k: number, c: number): void {
  if (c >= 0x20 && c < 0x7f) return;
  if (c === 0x0a || c === 0x09) return;
  if (c === 0x0d) {
    if (b[k + 1] !== 0x0a) throw UNSURE;
    return;
  }
  if (c < 0x20 || c === 0x7f) throw UNSURE;
  if (c === 0xc2 && (b[k + 1] ?? 0) < 0xa0) throw UNSURE; // U+0080..U+009F
  if (c === 0xef && b[k + 1] === 0xbf && (b[k + 2] === 0xbe || b[k + 2] === 0xbf)) throw UNSURE;
}
