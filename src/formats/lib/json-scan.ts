// A streaming JSON scanner for inputs too large to hold as one string (COCO instances_train2017.json
// is ~450 MB; some exports are several GB). It walks the bytes once, validating the JSON grammar
// with an explicit container stack (no recursion: 100,000 nested levels are just 100,000 bytes of
// stack), and does only these things on the way:
//
//   {"info": {...}, "images": [...], "annotations": [{"segmentation": [[...]], "image_id": 9,
//    "category_id": 18, ...}, ...], "categories": [{"id": 1, "name": "person", ...}, ...]}
//
//   - `collect`: top-level keys whose values are kept whole (JSON.parse of that byte slice only,
//     e.g. `info`);
//   - `stream`: top-level arrays handed over element by element: either each element parsed
//     whole (`whole: true`, small elements such as `categories`, with their offset and line), or
//     not built at all: a few fields are picked from each (`category_id`, `image_id`, and from
//     nested arrays of objects such as panoptic `segments_info[].category_id`);
//   - `root`: the same for the elements of a root array (panopticapi's bare category list);
//   - it notes every top-level key with its type, byte offset and (for arrays) element count.
// Everything else (polygons, RLE counts) is skipped at byte speed, but still checked against the
// JSON grammar, so a damaged file is reported with its byte offset, line and JSON path.
import { closeSync, fstatSync, openSync, readSync } from 'node:fs';
import { open, type FileHandle } from 'node:fs/promises';
import { LabelmapError, type Place } from '../../findings.js';
import { checkReadable, READ_FLAGS } from '../../io/read.js';
import { checkJsonText } from '../../json.js';
import { decodeUtf8 } from '../../sheets/utf8.js';

// --- public types -----------------------------------------------------------------------------

export type JsonKind = 'object' | 'array' | 'string' | 'number' | 'boolean' | 'null';

/** A picked field whose value was an object or an array (those are never built). */
export interface PickedCompound {
  readonly compound: 'object' | 'array';
}
export const PICKED_OBJECT: PickedCompound = Object.freeze({ compound: 'object' as const });
export const PICKED_ARRAY: PickedCompound = Object.freeze({ compound: 'array' as const });

/** The value of a picked field: scalars are parsed; `undefined` = the key is absent. */
export type PickedValue = number | string | boolean | null | PickedCompound | undefined;

/**
 * What to pick from each element of a streamed array. A name with a dot is a path one object
 * deeper: `attributes.weather` picks `weather` of the element's `attributes` object (BDD100K
 * frames), `box2d.y1` in `arrays` picks `y1` of each item's `box2d` object; the value lands in the
 * slot of the dotted name, and nothing of the object is built.
 */
export interface PickSpec {
  /** Keys of the element object whose (scalar) values are picked (`key` or `object.key`). */
  fields: readonly string[];
  /** Keys of the element whose values are arrays of objects, and the keys picked from each item (`key` or `object.key`). */
  arrays?: Readonly<Record<string, readonly string[]>>;
  /**
   * Keys of the element whose values are arrays of scalars (COCO `"bbox": [x, y, w, h]`): each item
   * is picked as `[value]` in `arrays[name]` (an object or array item as `[PICKED_OBJECT]` /
   * `[PICKED_ARRAY]`, never built).
   */
  lists?: readonly string[];
}

export interface PickedElement {
  /** Position in the array (0-based). */
  index: number;
  /** Byte offset of the element's first byte. */
  offset: number;
  /** Line of the element's first byte (1-based). */
  line: number;
  kind: JsonKind;
  /** The parsed element, for a handler with `whole: true`. */
  value?: unknown;
  /** `values[k]` is the value of `spec.fields[k]` (undefined when the key is absent). */
  values: PickedValue[];
  /**
   * `arrays[name]` lists, per item of that nested array, the picked values in the order of the
   * spec; undefined when the key is absent (or not an array: then `values` cannot say, see
   * `arrayKinds`).
   */
  arrays: Record<string, PickedValue[][] | undefined>;
  /** The kind of each nested-array key's value when present. */
  arrayKinds: Record<string, JsonKind | undefined>;
  /** The kind of the value of each object a dotted field reaches into (`attributes`), when present. */
  objectKinds: Record<string, JsonKind | undefined>;
}

export interface StreamHandler {
  /** Fields to pick from each element (ignored with `whole`). */
  pick?: PickSpec;
  /** Parse each element whole (small elements such as categories, with their offsets and lines). */
  whole?: boolean;
  /** Called once per element, in order. The element object is reused: copy what you keep. */
  onElement(element: PickedElement): void;
}

export interface ScanHandlers {
  /** Top-level keys whose values are parsed whole. */
  collect?: readonly string[];
  /** Top-level keys whose array elements are streamed through a field picker. */
  stream?: Readonly<Record<string, StreamHandler>>;
  /** When the root is an array (not an object): stream its elements. */
  root?: StreamHandler;
}

export interface TopLevelEntry {
  key: string;
  kind: JsonKind;
  offset: number;
  /** Number of elements when `kind` is array. */
  count?: number;
}

export interface ScanResult {
  rootKind: JsonKind | undefined;
  /** Top-level keys in file order (duplicates appear twice). */
  keys: TopLevelEntry[];
  /** Parsed values of collected keys (the last one when a key appears twice). */
  collected: Map<string, unknown>;
  /** Bytes scanned. */
  bytes: number;
  /** False when the scan stopped at `maxBytes` before the end of the JSON value. */
  complete: boolean;
}

/** What a part scan (JsonScanner.inArray) found up to the bracket closing its array. */
export interface ScanPart {
  /** Byte offset of the ']' that closed the array. */
  closedAt: number;
  /** Elements from the seam to the close. */
  elements: number;
  /** Line feeds from the seam to the close, and the offset after the last one. */
  lines: number;
  lineStart: number;
}

export interface ScanOptions {
  /** Called with (bytes done, total bytes), at most ~10 times a second, and once at the end. */
  onProgress?: (done: number, total: number) => void;
  /** Bytes read at a time (tests use tiny sizes to exercise chunk boundaries). */
  chunkSize?: number;
  /** Stop after this many bytes and return an incomplete result (for format detection). */
  maxBytes?: number;
  /** Largest collected value, in bytes. */
  maxCollect?: number;
}

// --- limits ---------------------------------------------------------------------------------------

export const DEFAULT_CHUNK = 1 << 20;
const DEFAULT_MAX_COLLECT = 64 * 1024 * 1024;
/** Largest picked scalar or top-level key. */
const MAX_SMALL = 1024 * 1024;

// --- the state machine ----------------------------------------------------------------------------

const S_VALUE = 0; // expecting a value
const S_VALUE_OR_CLOSE = 1; // just after '[': a value or ']'
const S_KEY_OR_CLOSE = 2; // just after '{': a key or '}'
const S_KEY = 3; // after ',' in an object: a key
const S_COLON = 4;
const S_AFTER = 5; // after a value: ',' or a closing bracket
const S_STRING = 6;
const S_ESCAPE = 7; // after a backslash in a string
const S_UNICODE = 8; // in the 4 hex digits of \uXXXX
const S_NUMBER = 9;
const S_LITERAL = 10;
const S_DONE = 11; // after the root value: only whitespace
const S_START = 12; // before the root value (a BOM is allowed)
const S_HALT = 13; // a part scan (JsonScanner.inArray) stopped at the bracket closing its array

const OBJ = 1;
const ARR = 2;

// Number sub-states.
const N_MINUS = 0; // after '-'
const N_ZERO = 1; // after a leading 0
const N_INT = 2;
const N_DOT = 3; // after '.'
const N_FRAC = 4;
const N_E = 5; // after e/E
const N_ESIGN = 6; // after e+/e-
const N_EXP = 7;

// Capture targets.
const T_NONE = 0;
const T_COLLECT = 1; // a collected top-level value
const T_PICK = 2; // a picked scalar of an element
const T_ITEM = 3; // a picked scalar of a nested-array item
const T_KEY = 4; // a key string we need to read
const T_ELEMENT = 5; // a whole element of a streamed array

// Where the scanner is relative to a streamed array.
const L_NONE = 0;
const L_ARRAY = 1; // inside the streamed array (elements at depth ed)
const L_ELEMENT = 2; // inside an element object (fields at depth ed + 1)
const L_NESTED = 3; // inside a nested array of the element (items at depth ed + 2)
const L_ITEM = 4; // inside a nested item object (fields at depth ed + 3)
const L_OBJECT = 5; // inside an object of the element a dotted field reaches into (fields at depth ed + 2)
const L_ITEM_OBJECT = 6; // inside an object of a nested item a dotted item field reaches into (fields at depth ed + 4)

/** Values at depth <= BASE_HOT always go through the hooks (top-level keys, element counts). */
const BASE_HOT = 2;

const LIT_TRUE = [0x74, 0x72, 0x75, 0x65];
const LIT_FALSE = [0x66, 0x61, 0x6c, 0x73, 0x65];
const LIT_NULL = [0x6e, 0x75, 0x6c, 0x6c];

/** 1 for bytes that end the fast path in a string: '"', '\\' and control characters. */
const STRING_STOP = new Uint8Array(256);
for (let c = 0; c < 0x20; c++) STRING_STOP[c] = 1;
STRING_STOP[0x22] = 1;
STRING_STOP[0x5c] = 1;

/** 1 for JSON whitespace: space, tab, LF, CR. */
const BLANK = new Uint8Array(256);
for (const c of [0x20, 0x09, 0x0a, 0x0d]) BLANK[c] = 1;

const HEX = new Uint8Array(256);
for (const c of '0123456789abcdefABCDEF') HEX[c.charCodeAt(0)] = 1;

// The number-run table (numberRun): states of a skipped number array after a complete number.
const R_COMMA = 0; // just after ','
const R_SPACE = 1; // after ',' and spaces
const R_INT = 2; // in the integer digits (the first was 1-9)
const R_DOT = 3; // after '.'
const R_FRAC = 4; // in the fraction digits
const R_STOP = 255; // the byte is the general path's
/** RUN[state << 8 | byte] = the next state, or R_STOP. */
const RUN = new Uint8Array(5 << 8).fill(R_STOP);
for (let d = 0x30; d <= 0x39; d++) {
  if (d !== 0x30) RUN[(R_COMMA << 8) | d] = RUN[(R_SPACE << 8) | d] = R_INT;
  RUN[(R_INT << 8) | d] = R_INT;
  RUN[(R_DOT << 8) | d] = RUN[(R_FRAC << 8) | d] = R_FRAC;
}
RUN[(R_COMMA << 8) | 0x20] = RUN[(R_SPACE << 8) | 0x20] = R_SPACE;
RUN[(R_INT << 8) | 0x2e] = R_DOT;
RUN[(R_INT << 8) | 0x2c] = RUN[(R_FRAC << 8) | 0x2c] = R_COMMA;

/**
 * The same table two bytes at a time, every state's transition packed in one word:
 * RUN2[pair] >>> (5 * state) & 31 = 5 * (the state after both bytes), or 31 when either byte
 * stops the run, where `pair` is the two bytes read as one 16-bit word (in the platform's byte
 * order). The load does not wait for the state (only a shift and a mask do), and there are half
 * the iterations of the byte loop: 1.20-1.69 ns per byte on COCO polygons, against 1.44-2.12 for
 * a table indexed by state and pair and 2.51-3.51 for the byte table (one process, alternating,
 * load 7.5). 256 KB, of which the runs touch about 11 KB.
 */
const RUN2 = new Uint32Array(1 << 16);
const RUN2_STOP = 31;
const LITTLE_ENDIAN = new Uint8Array(new Uint16Array([1]).buffer)[0] === 1;
for (let pair = 0; pair < 1 << 16; pair++) {
  const first = LITTLE_ENDIAN ? pair & 0xff : pair >> 8;
  const second = LITTLE_ENDIAN ? pair >> 8 : pair & 0xff;
  let packed = 0;
  for (let s = 0; s < 5; s++) {
    const mid = RUN[(s << 8) | first]!;
    const after = mid === R_STOP ? R_STOP : RUN[(mid << 8) | second]!;
    packed |= (after === R_STOP ? RUN2_STOP : after * 5) << (5 * s);
  }
  RUN2[pair] = packed;
}

// --- the skim: a whole value inside one chunk, in one loop -------------------------------------------
//
// The general path above pays a state-method call per token. Most of a COCO file is values no hook
// looks at (an annotation's "segmentation", "area", "iscrowd", "bbox", "id") and elements whose
// picked fields are plain scalars. When such a value lies whole inside the current chunk, the skim
// checks it against the same grammar in one loop with its state in locals. It never throws and
// never changes the scanner: on anything it does not take (a byte the grammar refuses, the end of
// the chunk, nesting deeper than SKIM_DEPTH, an escaped key, a picked value that is not a scalar)
// it answers -1, and the general path reads the value from its first byte, reporting any error
// with the offset it always had. So the skim only decides how fast a valid value goes, never what
// is accepted.

/** Containers a skimmed value may nest (bits of one 32-bit mask); deeper values take the general path. */
const SKIM_DEPTH = 30;

// Results of the skim functions besides the index they return (module scope: no allocation).
/** Line feeds crossed, and the index after the last one (-1: none). */
let skimLines = 0;
let skimLastLine = -1;
/** The number-run state where runNumbers stopped. */
let runState = R_COMMA;

const isDigit = (c: number): boolean => c >= 0x30 && c <= 0x39;

/** The first non-blank index from i (n at the chunk's end), counting line feeds. */
function skimBlanks(buf: Uint8Array, i: number, n: number): number {
  // The common cases first: no blank, or the one space of ", " and ": ".
  if (i + 1 < n) {
    const c = buf[i]!;
    if (BLANK[c] === 0) return i;
    if (c === 0x20 && BLANK[buf[i + 1]!] === 0) return i + 1;
  }
  for (; i < n; i++) {
    const c = buf[i]!;
    if (c === 0x20) continue;
    if (BLANK[c] === 0) break;
    if (c === 0x0a) {
      skimLines++;
      skimLastLine = i + 1;
    }
  }
  return i;
}

/**
 * The rest of a number array from the ',' at buf[i] after a complete number ("510.66, 423.01,
 * ..."): RUN2 two bytes at a time from an even address, then RUN for the last byte or the pair
 * that stopped. Returns the index of the byte that stopped the run; runState says where it stopped.
 */
function runNumbers(buf: Uint8Array, words: Uint16Array<ArrayBufferLike>, i: number, n: number): number {
  const at = buf.byteOffset;
  let s = R_COMMA;
  let next = 0;
  i++;
  if ((at + i) & 1 && i < n) {
    if ((next = RUN[(s << 8) | buf[i]!]!) === R_STOP) {
      runState = s;
      return i;
    }
    s = next;
    i++;
  }
  let shift = s * 5;
  for (; i + 1 < n; i += 2) {
    const to = (RUN2[words[(at + i) >> 1]!]! >>> shift) & 31;
    if (to === RUN2_STOP) break;
    shift = to;
  }
  s = shift / 5;
  for (; i < n && (next = RUN[(s << 8) | buf[i]!]!) !== R_STOP; i++) s = next;
  runState = s;
  return i;
}

/** After the integer digits of a number at buf[i]: an optional fraction and exponent; the index after the number, or -1. */
function skimNumberTail(buf: Uint8Array, i: number, n: number, fraction: boolean): number {
  let c = buf[i]!;
  if (fraction && c === 0x2e) {
    if (++i === n || !isDigit(buf[i]!)) return -1;
    while (++i < n && isDigit(buf[i]!));
    if (i === n) return -1;
    c = buf[i]!;
  }
  if (c === 0x65 || c === 0x45) {
    if (++i === n) return -1;
    c = buf[i]!;
    if (c === 0x2b || c === 0x2d) {
      if (++i === n) return -1;
      c = buf[i]!;
    }
    if (!isDigit(c)) return -1;
    while (++i < n && isDigit(buf[i]!));
    if (i === n) return -1;
  }
  return i;
}

/** The index after the number starting at buf[i], or -1 (not a number, or it may go on past the chunk). */
function skimNumber(buf: Uint8Array, i: number, n: number): number {
  let c = buf[i]!;
  if (c === 0x2d) {
    if (++i === n) return -1;
    c = buf[i]!;
  }
  if (c === 0x30) {
    if (++i === n || isDigit(buf[i]!)) return -1; // no leading zeros
  } else if (c >= 0x31 && c <= 0x39) {
    while (++i < n && isDigit(buf[i]!));
    if (i === n) return -1;
  } else {
    return -1;
  }
  return skimNumberTail(buf, i, n, true);
}

/** The index after the string whose opening quote is at buf[i - 1] (escapes checked), or -1. */
function skimString(buf: Uint8Array, i: number, n: number): number {
  for (;;) {
    while (i < n && STRING_STOP[buf[i]!] === 0) i++;
    if (i === n) return -1;
    const c = buf[i]!;
    if (c === 0x22) return i + 1;
    if (c !== 0x5c || ++i === n) return -1; // a control character
    const e = buf[i]!;
    if (e === 0x75) {
      if (i + 4 >= n || HEX[buf[i + 1]!] === 0 || HEX[buf[i + 2]!] === 0 || HEX[buf[i + 3]!] === 0 || HEX[buf[i + 4]!] === 0) return -1;
      i += 5;
    } else if (e === 0x22 || e === 0x5c || e === 0x2f || e === 0x62 || e === 0x66 || e === 0x6e || e === 0x72 || e === 0x74) {
      i++;
    } else {
      return -1;
    }
  }
}

/** The index after the literal (true, false, null) starting at buf[i], or -1. */
function skimLiteral(buf: Uint8Array, i: number, n: number): number {
  const lit = buf[i] === 0x74 ? LIT_TRUE : buf[i] === 0x66 ? LIT_FALSE : LIT_NULL;
  const end = i + lit.length;
  if (end >= n) return -1; // a delimiter must follow in the chunk
  for (let k = 1; k < lit.length; k++) if (buf[i + k] !== lit[k]) return -1;
  return end;
}

/** From a key's opening quote at buf[i]: the index of its value's first byte (after ':' and blanks), or -1. */
function skimKeyColon(buf: Uint8Array, i: number, n: number): number {
  if (buf[i] !== 0x22) return -1;
  i = skimString(buf, i + 1, n);
  if (i < 0) return -1;
  i = skimBlanks(buf, i, n);
  if (i === n || buf[i] !== 0x3a) return -1;
  i = skimBlanks(buf, i + 1, n);
  return i === n ? -1 : i;
}

/**
 * The index after the JSON value starting at buf[i] (not a blank), when it ends inside the chunk
 * and is valid JSON; else -1. Containers nest in a bit mask (bit k: the k-th open one is an
 * object); number arrays go through runNumbers.
 */
function skimValue(buf: Uint8Array, words: Uint16Array<ArrayBufferLike>, i: number, n: number): number {
  let open = 0;
  let objects = 0;
  for (;;) {
    // A value starts at buf[i].
    let c = buf[i]!;
    if (c === 0x5b || c === 0x7b) {
      if (open === SKIM_DEPTH) return -1;
      const object = c === 0x7b;
      objects = object ? objects | (1 << open) : objects & ~(1 << open);
      open++;
      i = skimBlanks(buf, i + 1, n);
      if (i === n) return -1;
      if (buf[i] === (object ? 0x7d : 0x5d)) {
        open--; // empty: the value ends with its closing bracket
        i++;
      } else {
        if (object && (i = skimKeyColon(buf, i, n)) < 0) return -1;
        continue;
      }
    } else if (c === 0x22) {
      if ((i = skimString(buf, i + 1, n)) < 0) return -1;
    } else if (isDigit(c) || c === 0x2d) {
      if ((i = skimNumber(buf, i, n)) < 0) return -1;
      if (buf[i] === 0x2c && open > 0 && ((objects >> (open - 1)) & 1) === 0) {
        // A number followed by ',' in an array: most likely the rest is numbers too.
        i = runNumbers(buf, words, i, n);
        if (i === n) return -1;
        if (runState === R_INT || runState === R_FRAC) {
          if ((i = skimNumberTail(buf, i, n, runState === R_INT)) < 0) return -1;
        } else if (runState === R_DOT) {
          return -1; // "1." followed by no digit
        } else {
          // After ',' (and spaces): the next value, whatever it is.
          if ((i = skimBlanks(buf, i, n)) === n) return -1;
          continue;
        }
      }
    } else if (c === 0x74 || c === 0x66 || c === 0x6e) {
      if ((i = skimLiteral(buf, i, n)) < 0) return -1;
    } else {
      return -1;
    }
    // After a value: ',' and the next one, or closing brackets.
    for (;;) {
      if (open === 0) return i;
      if ((i = skimBlanks(buf, i, n)) === n) return -1;
      c = buf[i]!;
      const object = ((objects >> (open - 1)) & 1) === 1;
      if (c === 0x2c) {
        if ((i = skimBlanks(buf, i + 1, n)) === n) return -1;
        if (object && (i = skimKeyColon(buf, i, n)) < 0) return -1;
        break;
      }
      if (c !== (object ? 0x7d : 0x5d)) return -1;
      open--;
      i++;
    }
  }
}

/** A picked scalar skimmed at buf[i]: its value, with skimEnd the index after it (-1: not taken). */
let skimEnd = -1;
function skimScalar(buf: Uint8Array, i: number, n: number): PickedValue {
  const c = buf[i]!;
  skimEnd = -1;
  if (isDigit(c) || c === 0x2d) {
    const end = skimNumber(buf, i, n);
    if (end < 0 || end - i > MAX_SMALL) return undefined;
    skimEnd = end;
    return readNumber(buf, i, end);
  }
  if (c === 0x22) {
    let end = i + 1;
    while (end < n && STRING_STOP[buf[end]!] === 0) end++;
    // Escaped strings, and the limit on picked values, are the general path's.
    if (end === n || buf[end] !== 0x22 || end + 1 - i > MAX_SMALL) return undefined;
    let text: string;
    try {
      text = decoder.decode(buf.subarray(i + 1, end));
    } catch {
      return undefined; // not UTF-8: the general path names the byte
    }
    skimEnd = end + 1;
    return text;
  }
  if (c === 0x74 || c === 0x66 || c === 0x6e) {
    const end = skimLiteral(buf, i, n);
    if (end < 0) return undefined;
    skimEnd = end;
    return c === 0x74 ? true : c === 0x66 ? false : null;
  }
  return undefined;
}

function describeByte(c: number | undefined): string {
  if (c === undefined) return 'the end of the file';
  if (c >= 0x20 && c < 0x7f) return `'${String.fromCharCode(c)}'`;
  return `byte 0x${c.toString(16).padStart(2, '0')}`;
}

// Fatal: a key or value that is not UTF-8 is an error naming its byte, not U+FFFD in a class name.
const decoder = new TextDecoder('utf-8', { fatal: true });

interface StreamState {
  key: string;
  /** skimElement: the keys (bytes and closing quote) at the first SEEN_KEYS positions of the last element skimmed, and their slots. */
  seenKeys: (Uint8Array | undefined)[];
  seenSlots: Int32Array;
  handler: StreamHandler;
  fields: readonly string[];
  nestedNames: string[];
  nestedFields: (readonly string[])[];
  /** Per nested array: whether it is one of `lists` (its items are scalars, picked whole). */
  nestedScalars: boolean[];
  /** Element keys: fields, nested array names, then the objects of dotted fields, as strings and UTF-8 bytes (null: a dotted field's own slot, matched inside its object). */
  keyNames: (string | null)[];
  keyBytes: (Uint8Array | null)[];
  /** Per nested array, item keys: its fields, then the objects of dotted item fields. */
  nestedKeyNames: (string | null)[][];
  nestedKeyBytes: (Uint8Array | null)[][];
  keyFilter: Uint8Array;
  nestedKeyFilters: Uint8Array[];
  /** Element level: the objects dotted fields reach into (`attributes`), their keys' slots in `fields`. */
  objects: ObjectPick;
  /** Per nested array: the objects of its items that dotted item fields reach into (`box2d`). */
  itemObjects: ObjectPick[];
  element: PickedElement;
}

/** The objects that dotted names (`object.key`) reach into, at one level. */
interface ObjectPick {
  names: string[];
  /** Per object: its keys as strings and as UTF-8 bytes, the slot each fills, and their key filter. */
  keys: string[][];
  keyBytes: Uint8Array[][];
  slots: number[][];
  filters: Uint8Array[];
}

/** Splits `a.b` names into the objects they reach into; plain names keep their slot. */
function objectPickOf(names: readonly string[]): { plain: (string | null)[]; objects: ObjectPick } {
  const objects: ObjectPick = { names: [], keys: [], keyBytes: [], slots: [], filters: [] };
  const plain = names.map((name, slot) => {
    const dot = name.indexOf('.');
    if (dot < 0) return name;
    const object = name.slice(0, dot);
    let k = objects.names.indexOf(object);
    if (k < 0) {
      k = objects.names.push(object) - 1;
      objects.keys.push([]);
      objects.slots.push([]);
    }
    objects.keys[k]!.push(name.slice(dot + 1));
    objects.slots[k]!.push(slot);
    return null; // the slot is filled from inside the object
  });
  objects.keyBytes = objects.keys.map((ks) => ks.map((key) => encoder.encode(key)));
  objects.filters = objects.keys.map(keyFilterOf);
  return { plain, objects };
}

const encoder = new TextEncoder();

/** A filter that lets every key through (top-level keys). */
const ALL_KEYS = new Uint8Array(65536).fill(1);

/**
 * 1 at (first byte << 8 | second byte) for each way a key equal to one of `names` can begin: the
 * name's first two UTF-8 bytes (or its byte and the closing quote), and any escape among them.
 */
function keyFilterOf(names: readonly (string | null)[]): Uint8Array {
  const filter = new Uint8Array(65536);
  for (let x = 0; x < 256; x++) {
    filter[(0x5c << 8) | x] = 1;
    filter[(x << 8) | 0x5c] = 1;
  }
  for (const name of names) {
    if (name === null) continue;
    const b = encoder.encode(name);
    filter[((b[0] ?? 0x22) << 8) | (b[1] ?? 0x22)] = 1;
  }
  return filter;
}

/** Key positions per element whose key skimElement remembers. */
const SEEN_KEYS = 16;

/** Whether buf[at, at + bytes.length) equals `bytes` (every byte compared: no early exit to mispredict). */
function sameBytes(buf: Uint8Array, at: number, bytes: Uint8Array): boolean {
  let diff = 0;
  for (let q = 0; q < bytes.length; q++) diff |= buf[at + q]! ^ bytes[q]!;
  return diff === 0;
}

/** Index of the name equal to the bytes buf[start, end) (a key without escapes), or -1. */
function matchKey(buf: Uint8Array, start: number, end: number, names: readonly (Uint8Array | null)[]): number {
  const len = end - start;
  for (let k = 0; k < names.length; k++) {
    const name = names[k]!;
    if (name === null || name.length !== len) continue;
    let j = 0;
    while (j < len && buf[start + j] === name[j]) j++;
    if (j === len) return k;
  }
  return -1;
}

/**
 * The incremental scanner: feed it chunks with `push`, then call `end`. `scanJson` drives it over
 * a file; tests drive it directly with arbitrary chunk sizes.
 */
export class JsonScanner {
  private readonly file: string | undefined;
  private readonly collectKeys: Set<string>;
  private readonly streams: Map<string, StreamHandler>;
  private readonly rootStream: StreamHandler | undefined;
  private readonly maxCollect: number;

  // Grammar state.
  private st = S_START;
  private stack = new Uint8Array(64);
  private depth = 0;
  private numState = 0;
  private lit: number[] = LIT_TRUE;
  private litIdx = 0;
  private hexLeft = 0;
  private inKey = false;
  private base = 0; // absolute offset of the current chunk's first byte
  private line = 1;
  private lineStart = 0; // absolute offset of the current line's first byte
  private bom = 0; // bytes of a UTF-8 byte order mark seen

  /** Values at depth <= hot go through valueStart/valueEnd; deeper ones are skipped at byte speed. */
  private hot = BASE_HOT;
  /** Keys at depth <= keyHot go through keyStart. */
  private keyHot = 1;
  /** For element keys: 1 at (first byte << 8 | second byte) of the names picked there. */
  private keyFilter: Uint8Array = ALL_KEYS;

  // Capture state: one capture at a time.
  private capTarget = T_NONE;
  private capDepth = 0;
  private capStart = 0; // index in the current chunk
  private capParts: Uint8Array[] = [];
  private capLength = 0;
  private capAbs = 0; // absolute offset of the capture's first byte
  private capKind: JsonKind = 'null';
  private capSlot = -1;
  /** Inside a value captured whole: nothing inside it is of interest. */
  private collecting = false;
  /** Whether containers may be skimmed in this chunk (off after a skim failed: no byte is skimmed twice in vain). */
  private skimOn = true;
  /** numberRun's 16-bit view of the chunks' memory, and the buffer it views. */
  private words: Uint16Array<ArrayBufferLike> = new Uint16Array(0);
  private wordsBuffer: ArrayBufferLike | undefined;

  // Top-level bookkeeping.
  private rootKind: JsonKind | undefined;
  private readonly keys: TopLevelEntry[] = [];
  private readonly collected = new Map<string, unknown>();
  private currentKey = '';
  private currentEntry: TopLevelEntry | undefined;
  private topIndex = -1; // element index inside the current top-level array

  // Streaming state.
  private level = L_NONE;
  private ed = 2; // depth of the streamed array's elements' container
  private stream: StreamState | undefined;
  private pickSlot = -1; // index into fields (>= 0), -(nested index) - 2, or -1 = not picked
  private nestedIdx = -1;
  private nestedItems: PickedValue[][] = [];
  private item: PickedValue[] = [];
  private itemSlot = -1;
  /** The object (of stream.objects / itemObjects) the key just read names, or -1. */
  private objectIdx = -1;
  private itemObjectIdx = -1;
  /** Whether the element record's arrays or kinds were set since resetElement cleared them. */
  private recordDirty = true;

  // A part scan (inArray): it stops at the bracket that closes the array it started in.
  private haltAtClose = false;
  private closedAt = -1;

  constructor(handlers: ScanHandlers, options: { file?: string; maxCollect?: number } = {}) {
    this.file = options.file;
    this.collectKeys = new Set(handlers.collect ?? []);
    this.streams = new Map(Object.entries(handlers.stream ?? {}));
    this.rootStream = handlers.root;
    this.maxCollect = options.maxCollect ?? DEFAULT_MAX_COLLECT;
    for (const key of this.streams.keys()) {
      if (this.collectKeys.has(key)) throw new Error(`json-scan: key ${key} is both collected and streamed`);
    }
  }

  /** Bytes consumed so far (the absolute offset of the next byte). */
  get offset(): number {
    return this.base;
  }

  /** Whether the root value is complete (only trailing whitespace may follow). */
  get done(): boolean {
    return this.st === S_DONE;
  }

  /** The result so far (for a bounded scan that stops early). */
  result(complete: boolean): ScanResult {
    return { rootKind: this.rootKind, keys: this.keys, collected: this.collected, bytes: this.base, complete };
  }

  /**
   * Scans one chunk. Each grammar state has its own small method that reads from buf[i], updates
   * the state fields and returns the index of the next byte to read (buf.length at the chunk's
   * end: the state carries over to the next chunk). To save a dispatch per token, a few hand on
   * directly to the next state's method: afterValue -> keyByte -> colonByte -> valueByte,
   * stringBytes -> colonByte (after a key) or afterValue (after a string value), numberBytes ->
   * afterValue. valueByte never hands on, so these calls cannot recurse (at most five deep).
   */
  push(buf: Uint8Array): void {
    const n = buf.length;
    if (this.capTarget !== T_NONE) this.capStart = 0;
    this.skimOn = true;
    if (buf.buffer !== this.wordsBuffer || buf.byteOffset + buf.length > this.words.byteLength) {
      // runNumbers' 16-bit view of the chunk's memory, kept while chunks come from one buffer (and
      // lie inside the view: a resizable buffer may have grown).
      this.wordsBuffer = buf.buffer;
      this.words = new Uint16Array(buf.buffer, 0, buf.buffer.byteLength >> 1);
    }
    let i = 0;
    while (i < n && this.st !== S_HALT) i = this.step(buf, i);
    if (this.capTarget !== T_NONE) this.captureChunk(buf.subarray(this.capStart, n));
    this.base += n;
  }

  // --- a scan in two parts (a seam inside a top-level array) ---------------------------------------
  //
  // A second thread scans the part of a long top-level array (COCO `annotations`) after a seam: a
  // byte offset where it assumes an element begins, after a ',' ("..., {" : the grammar expects a
  // value there, in the array, at depth 2). The first part's scanner, fed up to the seam, then
  // checks that this is its own state there (atSeam); only then is the second part's work taken
  // (joinPart), else the first part's scanner just reads on. The assumption is all a seam needs:
  // from one state, the same bytes give the same scan, whoever reads them.

  /**
   * A scanner for the part of the top-level array `key` (of the root object) from byte `offset`,
   * where it assumes a value of the array begins after a ','. It stops at the bracket that closes
   * the array (`halted`, `part()`); element indexes and lines are counted from the seam.
   */
  static inArray(handlers: ScanHandlers, key: string, offset: number, options: { file?: string; maxCollect?: number } = {}): JsonScanner {
    const scanner = new JsonScanner(handlers, options);
    scanner.resumeInArray(key, offset);
    return scanner;
  }

  private resumeInArray(key: string, offset: number): void {
    this.rootKind = 'object';
    this.stack[0] = OBJ;
    this.stack[1] = ARR;
    this.depth = 2;
    this.st = S_VALUE;
    this.base = offset;
    this.lineStart = offset;
    this.currentKey = key;
    this.currentEntry = { key, kind: 'array', offset, count: 0 };
    this.topIndex = -1;
    this.haltAtClose = true;
    const handler = this.streams.get(key);
    if (handler) this.beginStream(key, handler, 2);
  }

  /** Whether a part scan stopped at the bracket closing its array. */
  get halted(): boolean {
    return this.st === S_HALT;
  }

  /** What a halted part scan found: where its array closed, and the elements and line feeds before that. */
  part(): ScanPart {
    if (this.st !== S_HALT) throw new Error('json-scan: part() of a scan that has not halted');
    return { closedAt: this.closedAt, elements: this.currentEntry!.count!, lines: this.line - 1, lineStart: this.lineStart };
  }

  /**
   * Whether this scanner stands where a part scan of `key` starts: in the root object's top-level
   * array `key`, a value expected after a ',', nothing captured, the stream's hooks at rest. The
   * seam check: a part scan's work counts only where this holds at its seam.
   */
  atSeam(key: string): boolean {
    return (
      this.st === S_VALUE &&
      this.depth === 2 &&
      this.rootKind === 'object' &&
      this.stack[0] === OBJ &&
      this.stack[1] === ARR &&
      this.currentEntry?.key === key &&
      this.currentEntry.kind === 'array' &&
      this.capTarget === T_NONE &&
      !this.collecting &&
      this.hot === BASE_HOT &&
      this.keyHot === 1 &&
      (this.streams.has(key) ? this.level === L_ARRAY && this.stream?.key === key : this.level === L_NONE)
    );
  }

  /**
   * Takes a part scan's work, this scanner being at its seam (atSeam): it moves on to the bracket
   * that closed the array (the next byte to push), with the part's elements and lines counted.
   */
  joinPart(part: ScanPart, key: string): void {
    if (!this.atSeam(key)) throw new Error('json-scan: joinPart away from a seam');
    this.st = S_AFTER;
    this.topIndex += part.elements;
    this.currentEntry!.count! += part.elements;
    if (part.lines > 0) {
      this.line += part.lines;
      this.lineStart = part.lineStart;
    }
    this.base = part.closedAt;
  }

  private step(buf: Uint8Array, i: number): number {
    switch (this.st) {
      case S_AFTER:
        return this.afterValue(buf, i);
      case S_VALUE:
      case S_VALUE_OR_CLOSE:
        return this.valueByte(buf, i, this.st);
      case S_NUMBER:
        return this.numberBytes(buf, i);
      case S_STRING:
        return this.stringBytes(buf, i);
      case S_ESCAPE:
        return this.escapeByte(buf, i);
      case S_UNICODE:
        return this.unicodeDigit(buf, i);
      case S_KEY_OR_CLOSE:
      case S_KEY:
        return this.keyByte(buf, i, this.st);
      case S_COLON:
        return this.colonByte(buf, i);
      case S_LITERAL:
        return this.literalByte(buf, i);
      case S_START:
        return this.startByte(buf, i);
      default:
        return this.trailingBytes(buf, i);
    }
  }

  /** The state after a complete value in its container (or at the root). */
  private afterValueState(): number {
    return this.depth === 0 ? S_DONE : S_AFTER;
  }

  /** A value just ended before buf[i]: the state moves on, and shallow values reach the hooks. */
  private valueDone(buf: Uint8Array, i: number): void {
    this.st = this.afterValueState();
    if (this.depth <= this.hot) this.valueEnd(buf, i, this.depth);
  }

  /** After a value: ',' or the bracket that closes its container. */
  private afterValue(buf: Uint8Array, i: number): number {
    let c = buf[i]!;
    if (BLANK[c] === 1) {
      if ((i = this.skipBlanks(buf, i)) === buf.length) return i;
      c = buf[i]!;
    }
    const container = this.stack[this.depth - 1];
    if (c === 0x2c) {
      if (++i === buf.length) {
        this.st = container === OBJ ? S_KEY : S_VALUE;
        return i;
      }
      return container === OBJ ? this.keyByte(buf, i, S_KEY) : this.valueByte(buf, i, S_VALUE);
    }
    if ((c === 0x5d && container === ARR) || (c === 0x7d && container === OBJ)) {
      this.depth--;
      this.valueDone(buf, i + 1);
      return i + 1;
    }
    throw this.malformed(this.base + i, container === OBJ ? "',' or '}'" : "',' or ']'", describeByte(c));
  }

  /** The first byte of a value (or ']' right after '['). */
  private valueByte(buf: Uint8Array, i: number, st: number): number {
    this.st = st;
    let c = buf[i]!;
    if (BLANK[c] === 1) {
      if ((i = this.skipBlanks(buf, i)) === buf.length) return i;
      c = buf[i]!;
    }
    if (c === 0x5d && this.st === S_VALUE_OR_CLOSE) {
      this.st = S_AFTER; // the ']' closes the empty array there
      return i;
    }
    // Numbers first: they are most of a COCO file (polygons, boxes, areas).
    if ((c >= 0x30 && c <= 0x39) || c === 0x2d) {
      this.valueStarts(buf, i, 'number');
      this.st = S_NUMBER;
      this.numState = c === 0x2d ? N_MINUS : c === 0x30 ? N_ZERO : N_INT;
      return i + 1;
    }
    if (c === 0x22) {
      this.valueStarts(buf, i, 'string');
      this.inKey = false;
      this.st = S_STRING;
      return i + 1;
    }
    if (c === 0x7b || c === 0x5b) {
      if (this.skimOn) {
        const end = this.skimContainer(buf, i, c);
        if (end >= 0) return end;
      }
      this.valueStarts(buf, i, c === 0x7b ? 'object' : 'array');
      this.open(c === 0x7b ? OBJ : ARR);
      return i + 1;
    }
    if (c === 0x74 || c === 0x66 || c === 0x6e) {
      this.valueStarts(buf, i, c === 0x6e ? 'null' : 'boolean');
      this.lit = c === 0x74 ? LIT_TRUE : c === 0x66 ? LIT_FALSE : LIT_NULL;
      this.litIdx = 1;
      this.st = S_LITERAL;
      return i + 1;
    }
    throw this.malformed(this.base + i, this.st === S_VALUE_OR_CLOSE ? "a value or ']'" : 'a value', describeByte(c));
  }

  /** A value starts at buf[i]: shallow ones reach the hooks. */
  private valueStarts(buf: Uint8Array, i: number, kind: JsonKind): void {
    if (this.depth <= this.hot) this.valueStart(buf, i, this.depth, kind);
  }

  /** Pushes an object or array on the container stack (it grows by doubling). */
  private open(container: number): void {
    if (this.depth === this.stack.length) {
      const grown = new Uint8Array(this.stack.length * 2);
      grown.set(this.stack);
      this.stack = grown;
    }
    this.stack[this.depth++] = container;
    this.st = container === OBJ ? S_KEY_OR_CLOSE : S_VALUE_OR_CLOSE;
  }

  /**
   * Inside a number: the JSON number grammar, digit runs in tight loops. A number ends at the first
   * byte that cannot continue it; that byte is then read again as a delimiter. Deep inside skipped
   * values a ',' after a number in an array hands over to numberRun (the bulk of a COCO file).
   */
  private numberBytes(buf: Uint8Array, i: number): number {
    const n = buf.length;
    let ns = this.numState;
    let c = buf[i]!;
    for (;;) {
      if (ns === N_INT || ns === N_FRAC || ns === N_EXP) {
        while (c >= 0x30 && c <= 0x39) {
          if (++i === n) {
            this.numState = ns;
            return i;
          }
          c = buf[i]!;
        }
        if (c === 0x2e && ns === N_INT) ns = N_DOT;
        else if ((c === 0x65 || c === 0x45) && ns !== N_EXP) ns = N_E;
        else break; // complete
      } else if (ns === N_DOT || ns === N_ESIGN || ns === N_MINUS) {
        if (c < 0x30 || c > 0x39) throw this.malformed(this.base + i, 'a digit', describeByte(c));
        ns = ns === N_DOT ? N_FRAC : ns === N_ESIGN ? N_EXP : c === 0x30 ? N_ZERO : N_INT;
      } else if (ns === N_E) {
        if (c === 0x2b || c === 0x2d) ns = N_ESIGN;
        else if (c >= 0x30 && c <= 0x39) ns = N_EXP;
        else throw this.malformed(this.base + i, 'a digit or a sign of the exponent', describeByte(c));
      } else {
        // N_ZERO: "0" may be followed by a fraction or an exponent, not by digits.
        if (c === 0x2e) ns = N_DOT;
        else if (c === 0x65 || c === 0x45) ns = N_E;
        else if (c >= 0x30 && c <= 0x39) throw this.malformed(this.base + i, "'.', 'e' or the end of the number (no leading zeros)", describeByte(c));
        else break; // complete
      }
      if (++i === n) {
        this.numState = ns;
        return i;
      }
      c = buf[i]!;
    }
    this.numState = ns;
    if (this.depth > this.hot && c === 0x2c && this.stack[this.depth - 1] === ARR) return this.numberRun(buf, i);
    this.valueDone(buf, i);
    return this.st === S_AFTER ? this.afterValue(buf, i) : i;
  }

  /**
   * The rest of a skipped number array ("510.66, 423.01, ..."), from the ',' at buf[i] after a
   * complete number, through the transition tables (runNumbers, two bytes a load): numbers of the
   * common shape [1-9][0-9]*(.[0-9]+)? separated by ',' and at most spaces. Any other byte (a leading 0 or '-',
   * an exponent, other whitespace, a bracket, an error) stops the run at a state the general path
   * takes over from, so every byte is still checked against the grammar.
   */
  private numberRun(buf: Uint8Array, i: number): number {
    i = runNumbers(buf, this.words, i, buf.length);
    return this.numberRunStops(runState, i);
  }

  /** Where a number run stopped (before buf[i]): its state mapped onto the grammar's. */
  private numberRunStops(s: number, i: number): number {
    // Map the run's state onto the grammar's.
    if (s === R_COMMA || s === R_SPACE) this.st = S_VALUE;
    else {
      this.st = S_NUMBER;
      this.numState = s === R_INT ? N_INT : s === R_DOT ? N_DOT : N_FRAC;
    }
    return i;
  }

  /** Inside a string: runs to the closing quote, a backslash or an (invalid) control character. */
  private stringBytes(buf: Uint8Array, i: number): number {
    const n = buf.length;
    let c = buf[i]!;
    while (STRING_STOP[c] === 0) {
      if (++i === n) return i;
      c = buf[i]!;
    }
    if (c === 0x22) {
      i++;
      if (!this.inKey) {
        this.valueDone(buf, i);
        if (this.st === S_AFTER && i < buf.length) return this.afterValue(buf, i);
      } else {
        this.st = S_COLON;
        if (this.capTarget === T_KEY) this.keyEnd(buf, i, this.depth);
        if (i < buf.length) return this.colonByte(buf, i);
      }
      return i;
    }
    if (c === 0x5c) {
      this.st = S_ESCAPE;
      return i + 1;
    }
    throw this.malformed(this.base + i, 'a string character (control characters must be escaped)', describeByte(c));
  }

  /** The byte after a backslash in a string. */
  private escapeByte(buf: Uint8Array, i: number): number {
    const c = buf[i]!;
    if (c === 0x75) {
      this.st = S_UNICODE;
      this.hexLeft = 4;
    } else if (c === 0x22 || c === 0x5c || c === 0x2f || c === 0x62 || c === 0x66 || c === 0x6e || c === 0x72 || c === 0x74) {
      this.st = S_STRING;
    } else {
      throw this.malformed(this.base + i, 'an escape (\\" \\\\ \\/ \\b \\f \\n \\r \\t \\uXXXX)', describeByte(c));
    }
    return i + 1;
  }

  /** One of the 4 hex digits of \uXXXX. */
  private unicodeDigit(buf: Uint8Array, i: number): number {
    const c = buf[i]!;
    if (HEX[c] === 0) throw this.malformed(this.base + i, 'a hex digit of a \\uXXXX escape', describeByte(c));
    if (--this.hexLeft === 0) this.st = S_STRING;
    return i + 1;
  }

  /** Where an object expects a key (or '}' right after '{'). */
  private keyByte(buf: Uint8Array, i: number, st: number): number {
    this.st = st;
    let c = buf[i]!;
    if (BLANK[c] === 1) {
      if ((i = this.skipBlanks(buf, i)) === buf.length) return i;
      c = buf[i]!;
    }
    if (c === 0x22) {
      if (this.keyIsWatched(buf, i)) {
        const after = this.keyStart(buf, i, this.depth);
        if (after >= 0) {
          // The key was read in place.
          this.st = S_COLON;
          return after === buf.length ? after : this.colonByte(buf, after);
        }
      }
      this.inKey = true;
      this.st = S_STRING;
      return i + 1;
    }
    if (c === 0x7d && this.st === S_KEY_OR_CLOSE) {
      this.st = S_AFTER; // the '}' closes the empty object there
      return i;
    }
    throw this.malformed(this.base + i, this.st === S_KEY_OR_CLOSE ? "a key (a string in double quotes) or '}'" : 'a key (a string in double quotes)', describeByte(c));
  }

  /**
   * Whether the key opening at buf[i] may be one the hooks want: top-level keys always; element
   * keys only when their first two bytes can start a picked name.
   */
  private keyIsWatched(buf: Uint8Array, i: number): boolean {
    const depth = this.depth;
    if (depth > this.keyHot) return false;
    return depth === 1 || i + 2 >= buf.length || this.keyFilter[(buf[i + 1]! << 8) | buf[i + 2]!] === 1;
  }

  /** The ':' after a key. */
  private colonByte(buf: Uint8Array, i: number): number {
    let c = buf[i]!;
    if (BLANK[c] === 1) {
      if ((i = this.skipBlanks(buf, i)) === buf.length) return i;
      c = buf[i]!;
    }
    if (c !== 0x3a) throw this.malformed(this.base + i, "':' after the key", describeByte(c));
    if (++i === buf.length) {
      this.st = S_VALUE;
      return i;
    }
    return this.valueByte(buf, i, S_VALUE);
  }

  /** The next byte of true, false or null. */
  private literalByte(buf: Uint8Array, i: number): number {
    const lit = this.lit;
    if (buf[i] !== lit[this.litIdx]) throw this.malformed(this.base + i, `the literal ${String.fromCharCode(...lit)}`, describeByte(buf[i]));
    i++;
    if (++this.litIdx === lit.length) this.valueDone(buf, i);
    return i;
  }

  /** Before the root value: a UTF-8 byte order mark (EF BB BF) may precede it. */
  private startByte(buf: Uint8Array, i: number): number {
    const c = buf[i]!;
    if (this.bom === 0 && c === 0xef) {
      this.bom = 1;
    } else if (this.bom === 1 || this.bom === 2) {
      if (c !== (this.bom === 1 ? 0xbb : 0xbf)) throw this.malformed(this.base + i, 'a JSON value', 'a broken byte order mark');
      if (++this.bom === 3) this.st = S_VALUE;
    } else {
      this.st = S_VALUE;
      return i; // the byte is the value's first
    }
    return i + 1;
  }

  /** After the root value: only whitespace may follow. */
  private trailingBytes(buf: Uint8Array, i: number): number {
    if ((i = this.skipBlank(buf, i)) === buf.length) return i;
    throw this.malformed(this.base + i, 'the end of the file after the JSON value', describeByte(buf[i]));
  }

  /** Ends the input: throws if the JSON value is incomplete; returns the result. */
  end(): ScanResult {
    if (this.st === S_NUMBER && this.depth === 0) {
      // A bare number at the root ends at the end of the file.
      const ns = this.numState;
      if (ns === N_INT || ns === N_ZERO || ns === N_FRAC || ns === N_EXP) this.st = S_DONE;
    }
    if (this.st !== S_DONE) throw this.truncated();
    return this.result(true);
  }

  /** skipBlank, with the common single space (", " and ": ") taken without the call. */
  private skipBlanks(buf: Uint8Array, i: number): number {
    if (buf[i] === 0x20 && i + 1 < buf.length && BLANK[buf[i + 1]!] === 0) return i + 1;
    return this.skipBlank(buf, i);
  }

  /** Index of the first non-blank byte from i (or the chunk's end); counts lines on the way. */
  private skipBlank(buf: Uint8Array, i: number): number {
    const n = buf.length;
    for (; i < n; i++) {
      const c = buf[i]!;
      if (BLANK[c] !== 1) break;
      if (c === 0x0a) {
        this.line++;
        this.lineStart = this.base + i + 1;
      }
    }
    return i;
  }

  // --- slow paths: only for values at depth <= hot and keys at depth <= keyHot ------------------

  /** A value starts at buf[i]; `depth` is the depth of its container (0 = root). */
  private valueStart(buf: Uint8Array, i: number, depth: number, kind: JsonKind): void {
    const abs = this.base + i;
    if (depth === 0) {
      this.rootKind = kind;
      this.topIndex = -1;
      if (kind === 'array' && this.rootStream) this.beginStream('$', this.rootStream, 1);
      return;
    }
    if (this.rootKind === 'object' && depth === 1) {
      this.topLevelValue(i, abs, kind);
      return;
    }
    this.countValue(depth);
    if (this.collecting) return;
    const ed = this.ed;
    if (this.level === L_ARRAY && depth === ed) {
      this.elementStart(i, abs, kind);
    } else if (this.level === L_ELEMENT && depth === ed + 1) {
      const slot = this.pickSlot;
      if (slot >= 0) {
        if (kind === 'object' || kind === 'array') this.stream!.element.values[slot] = kind === 'object' ? PICKED_OBJECT : PICKED_ARRAY;
        else this.startCapture(T_PICK, i, abs, depth, kind, slot);
      } else if (slot <= -2) {
        const s = this.stream!;
        const nested = -slot - 2;
        const name = s.nestedNames[nested]!;
        s.element.arrayKinds[name] = kind;
        this.recordDirty = true;
        if (kind === 'array') {
          this.nestedIdx = nested;
          this.nestedItems = [];
          s.element.arrays[name] = this.nestedItems;
          this.level = L_NESTED;
          this.hot = Math.max(BASE_HOT, ed + 2);
          this.keyHot = 0;
        }
      } else if (this.objectIdx >= 0) {
        // The object that dotted fields reach into (`attributes` of `attributes.weather`).
        const s = this.stream!;
        s.element.objectKinds[s.objects.names[this.objectIdx]!] = kind;
        this.recordDirty = true;
        if (kind === 'object') {
          this.level = L_OBJECT;
          this.keyHot = ed + 2;
          this.keyFilter = s.objects.filters[this.objectIdx]!;
          this.hot = Math.max(BASE_HOT, ed + 1);
        }
      }
    } else if (this.level === L_OBJECT && depth === ed + 2) {
      const slot = this.pickSlot;
      if (slot >= 0) {
        if (kind === 'object' || kind === 'array') this.stream!.element.values[slot] = kind === 'object' ? PICKED_OBJECT : PICKED_ARRAY;
        else this.startCapture(T_PICK, i, abs, depth, kind, slot);
      }
    } else if (this.level === L_NESTED && depth === ed + 2) {
      const s = this.stream!;
      if (s.nestedScalars[this.nestedIdx]) {
        // An item of a list of scalars: the value itself, as the one picked field of the item.
        this.item = [undefined];
        this.nestedItems.push(this.item);
        if (kind === 'object' || kind === 'array') this.item[0] = kind === 'object' ? PICKED_OBJECT : PICKED_ARRAY;
        else this.startCapture(T_ITEM, i, abs, depth, kind, 0);
        return;
      }
      this.item = new Array<PickedValue>(s.nestedFields[this.nestedIdx]!.length).fill(undefined);
      this.nestedItems.push(this.item);
      if (kind === 'object') {
        this.level = L_ITEM;
        this.itemSlot = -1;
        this.keyHot = ed + 3;
        this.keyFilter = this.stream!.nestedKeyFilters[this.nestedIdx]!;
      }
    } else if (this.level === L_ITEM && depth === ed + 3) {
      const slot = this.itemSlot;
      if (slot >= 0) {
        if (kind === 'object' || kind === 'array') this.item[slot] = kind === 'object' ? PICKED_OBJECT : PICKED_ARRAY;
        else this.startCapture(T_ITEM, i, abs, depth, kind, slot);
      } else if (this.itemObjectIdx >= 0 && kind === 'object') {
        // The object of the item that dotted item fields reach into (`box2d` of `box2d.y1`).
        this.level = L_ITEM_OBJECT;
        this.keyHot = ed + 4;
        this.keyFilter = this.stream!.itemObjects[this.nestedIdx]!.filters[this.itemObjectIdx]!;
        this.hot = ed + 3;
      }
    } else if (this.level === L_ITEM_OBJECT && depth === ed + 4) {
      const slot = this.itemSlot;
      if (slot >= 0) {
        if (kind === 'object' || kind === 'array') this.item[slot] = kind === 'object' ? PICKED_OBJECT : PICKED_ARRAY;
        else this.startCapture(T_ITEM, i, abs, depth, kind, slot);
      }
    }
  }

  /** An element of a top-level array (or of the root array) starts: counted, for element counts and paths in messages. */
  private countValue(depth: number): void {
    if (this.rootKind === 'object') {
      if (depth === 2) {
        this.topIndex++;
        if (this.currentEntry?.count !== undefined) this.currentEntry.count++;
      }
    } else if (depth === 1) {
      this.topIndex++;
    }
  }

  private topLevelValue(i: number, abs: number, kind: JsonKind): void {
    const key = this.currentKey;
    const entry: TopLevelEntry = { key, kind, offset: abs };
    if (kind === 'array') entry.count = 0;
    this.keys.push(entry);
    this.currentEntry = entry;
    this.topIndex = -1;
    if (this.collectKeys.has(key)) {
      this.startCapture(T_COLLECT, i, abs, 1, kind, -1);
      this.collecting = true;
      return;
    }
    const handler = this.streams.get(key);
    if (handler && kind === 'array') this.beginStream(key, handler, 2);
  }

  private beginStream(key: string, handler: StreamHandler, ed: number): void {
    const pick = handler.pick ?? { fields: [] };
    const objectArrays = Object.keys(pick.arrays ?? {});
    const nestedNames = [...objectArrays, ...(pick.lists ?? [])];
    const nestedFields = nestedNames.map((k, n) => (n < objectArrays.length ? pick.arrays![k]! : []));
    // Dotted names: their first part is a key to watch (an object to enter); plain names keep their slots.
    const elementPick = objectPickOf(pick.fields);
    const itemPicks = nestedFields.map(objectPickOf);
    // Slots: fields, then nested arrays, then the objects of dotted fields. A dotted field's own
    // slot takes a name no key can have, so that only the object is matched.
    const keyNames = [...elementPick.plain, ...nestedNames, ...elementPick.objects.names];
    const nestedKeyNames = itemPicks.map((p) => [...p.plain, ...p.objects.names]);
    this.stream = {
      key,
      seenKeys: [],
      seenSlots: new Int32Array(SEEN_KEYS),
      handler,
      fields: pick.fields,
      nestedNames,
      nestedFields,
      nestedScalars: nestedNames.map((_, n) => n >= objectArrays.length),
      keyNames,
      keyBytes: keyNames.map((k) => (k === null ? null : encoder.encode(k))),
      nestedKeyNames,
      nestedKeyBytes: nestedKeyNames.map((ks) => ks.map((k) => (k === null ? null : encoder.encode(k)))),
      keyFilter: keyFilterOf(keyNames),
      nestedKeyFilters: nestedKeyNames.map(keyFilterOf),
      objects: elementPick.objects,
      itemObjects: itemPicks.map((p) => p.objects),
      element: { index: -1, offset: 0, line: 1, kind: 'object', values: new Array<PickedValue>(pick.fields.length).fill(undefined), arrays: {}, arrayKinds: {}, objectKinds: {} },
    };
    this.level = L_ARRAY;
    this.ed = ed;
    this.recordDirty = true;
  }

  private elementStart(i: number, abs: number, kind: JsonKind): void {
    const s = this.stream!;
    this.resetElement(s, abs, kind, this.topIndex);
    if (s.handler.whole) {
      this.startCapture(T_ELEMENT, i, abs, this.ed, kind, -1);
      this.collecting = true;
    } else if (kind === 'object' && s.keyNames.length > 0) {
      this.level = L_ELEMENT;
      this.pickSlot = -1;
      this.keyHot = this.ed + 1;
      this.keyFilter = s.keyFilter;
    }
  }

  /** The element record, reused from element to element (no garbage per element), for an element at `abs`. */
  private resetElement(s: StreamState, abs: number, kind: JsonKind, index: number): void {
    const el = s.element;
    el.index = index;
    el.offset = abs;
    el.line = this.line;
    el.kind = kind;
    el.value = undefined;
    const values = el.values;
    for (let k = 0; k < values.length; k++) values[k] = undefined;
    if (!this.recordDirty) return; // (keyed stores by name cost ~70 ns an element)
    this.recordDirty = false;
    for (const name of s.nestedNames) {
      el.arrays[name] = undefined;
      el.arrayKinds[name] = undefined;
    }
    for (const name of s.objects.names) el.objectKinds[name] = undefined;
  }

  // --- the skim (see skimValue): whole values inside one chunk ---------------------------------------

  /**
   * A container value whose bracket is at buf[i], skimmed whole when the hooks want nothing inside
   * it: a value deeper than `hot`, an element of a streamed array (skimElement), an element of a
   * top-level array nobody streams (only counted). Returns the index after it, the scanner in the
   * state the general path would leave; or -1, nothing changed.
   */
  private skimContainer(buf: Uint8Array, i: number, c: number): number {
    const depth = this.depth;
    if (depth === this.ed && this.level === L_ARRAY && c === 0x7b && !this.collecting && !this.stream!.handler.whole) return this.skimElement(buf, i);
    const counted = depth === 2 && this.level === L_NONE && this.rootKind === 'object' && !this.collecting;
    if (depth <= this.hot && !counted) return -1;
    skimLines = 0;
    skimLastLine = -1;
    const end = skimValue(buf, this.words, i, buf.length);
    if (end < 0) {
      this.skimOn = false;
      return -1;
    }
    this.skimmed();
    if (counted) this.countValue(depth);
    this.st = S_AFTER;
    return end;
  }

  /** Takes the line feeds a skim crossed. */
  private skimmed(): void {
    if (skimLines > 0) {
      this.line += skimLines;
      this.lineStart = this.base + skimLastLine;
    }
  }

  /**
   * A streamed element object whose '{' is at buf[i], in one loop when it lies whole inside this
   * chunk: keys matched by length and bytes, picked scalars and lists of scalars read in place,
   * every other value through skimValue; then counted and handed to onElement as the general path
   * does. -1 (only the element record touched, which elementStart resets) for what the general
   * path must read: an escaped key, a picked object or array, a nested array of objects, a dotted
   * field's object, anything skimValue does not take.
   */
  private skimElement(buf: Uint8Array, i: number): number {
    const s = this.stream!;
    const el = s.element;
    const n = buf.length;
    const words = this.words;
    const names = s.keyBytes;
    const filter = s.keyFilter;
    const fields = s.fields.length;
    const values = el.values;
    const seenKeys = s.seenKeys;
    const seenSlots = s.seenSlots;
    let p = 0; // the key's position in the element
    this.resetElement(s, this.base + i, 'object', this.topIndex + 1);
    skimLines = 0;
    skimLastLine = -1;
    let j = skimBlanks(buf, i + 1, n);
    if (j === n) return -1;
    if (buf[j] !== 0x7d) {
      for (;;) {
        if (buf[j] !== 0x22) return -1;
        // The key at this position in the last element (COCO's annotations all have one key
        // order): compared whole, its bytes and closing quote, in a loop without an early exit.
        const seen = p < SEEN_KEYS ? seenKeys[p] : undefined;
        let k: number;
        let slot: number;
        if (seen !== undefined && j + seen.length < n && sameBytes(buf, j + 1, seen)) {
          k = j + seen.length;
          slot = seenSlots[p]!;
        } else {
          k = j + 1;
          while (k < n && STRING_STOP[buf[k]!] === 0) k++;
          if (k === n || buf[k] !== 0x22) return -1;
          // Most keys are told apart from the picked names by their first two bytes.
          slot = k - j > 2 && filter[(buf[j + 1]! << 8) | buf[j + 2]!] === 0 ? -1 : matchKey(buf, j + 1, k, names);
          if (p < SEEN_KEYS) {
            seenKeys[p] = buf.slice(j + 1, k + 1);
            seenSlots[p] = slot;
          }
        }
        p++;
        if ((j = skimBlanks(buf, k + 1, n)) === n || buf[j] !== 0x3a) return -1;
        if ((j = skimBlanks(buf, j + 1, n)) === n) return -1;
        if (slot < 0) {
          if ((j = skimValue(buf, words, j, n)) < 0) return -1;
        } else if (slot < fields) {
          const value = skimScalar(buf, j, n);
          if (skimEnd < 0) return -1;
          values[slot] = value;
          j = skimEnd;
        } else {
          const nested = slot - fields;
          if (nested >= s.nestedNames.length || !s.nestedScalars[nested]) return -1;
          if ((j = this.skimList(buf, j, n, s.nestedNames[nested]!)) < 0) return -1;
        }
        if ((j = skimBlanks(buf, j, n)) === n) return -1;
        const c = buf[j]!;
        if (c === 0x7d) break;
        if (c !== 0x2c || (j = skimBlanks(buf, j + 1, n)) === n) return -1;
      }
    }
    this.skimmed();
    this.countValue(this.ed);
    this.st = S_AFTER;
    s.handler.onElement(el);
    return j + 1;
  }

  /** A picked list of scalars (`lists`, COCO bbox) at buf[i]: its items, as the general path picks them; -1 for compound items. */
  private skimList(buf: Uint8Array, i: number, n: number, name: string): number {
    const el = this.stream!.element;
    const c = buf[i]!;
    this.recordDirty = true;
    if (c !== 0x5b) {
      // Not an array: only its kind is noted (consumers report it), the value is skipped.
      el.arrayKinds[name] = c === 0x7b ? 'object' : c === 0x22 ? 'string' : c === 0x74 || c === 0x66 ? 'boolean' : c === 0x6e ? 'null' : 'number';
      return skimValue(buf, this.words, i, n);
    }
    const items: PickedValue[][] = [];
    let j = skimBlanks(buf, i + 1, n);
    if (j === n) return -1;
    if (buf[j] !== 0x5d) {
      for (;;) {
        const value = skimScalar(buf, j, n);
        if (skimEnd < 0 || (j = skimBlanks(buf, skimEnd, n)) === n) return -1;
        items.push([value]);
        if (buf[j] === 0x5d) break;
        if (buf[j] !== 0x2c || (j = skimBlanks(buf, j + 1, n)) === n) return -1;
      }
    }
    el.arrayKinds[name] = 'array';
    el.arrays[name] = items;
    return j + 1;
  }

  /** A value ended just before buf[end]; `depth` is the depth of its container. */
  private valueEnd(buf: Uint8Array, end: number, depth: number): void {
    if (this.capTarget !== T_NONE && this.capTarget !== T_KEY && depth === this.capDepth) {
      this.finishCapture(buf, end);
      return;
    }
    if (depth === 1 && this.haltAtClose) {
      // A part scan: the array it started in closed at buf[end - 1].
      this.closedAt = this.base + end - 1;
      this.st = S_HALT;
      return;
    }
    if (this.collecting) return;
    const ed = this.ed;
    const level = this.level;
    if (level === L_ARRAY) {
      if (depth === ed - 1) {
        // The streamed array ended.
        this.level = L_NONE;
        this.stream = undefined;
        this.keyHot = 1;
        this.hot = BASE_HOT;
      } else if (depth === ed) {
        // A non-object element, or an object when nothing is picked.
        const s = this.stream!;
        s.handler.onElement(s.element);
      }
    } else if (level === L_ELEMENT) {
      if (depth === ed) {
        this.level = L_ARRAY;
        this.keyHot = 1;
        this.hot = BASE_HOT;
        const s = this.stream!;
        s.handler.onElement(s.element);
      } else if (depth === ed + 1) {
        // A picked object or array value ended (or the value of a dotted field's object key that is no object).
        this.pickSlot = -1;
        this.objectIdx = -1;
        this.hot = BASE_HOT;
      }
    } else if (level === L_OBJECT) {
      if (depth === ed + 1) {
        // The object of dotted fields ended: back to the element's keys.
        this.level = L_ELEMENT;
        this.objectIdx = -1;
        this.pickSlot = -1;
        this.keyHot = ed + 1;
        this.keyFilter = this.stream!.keyFilter;
        this.hot = BASE_HOT;
      } else if (depth === ed + 2) {
        this.pickSlot = -1;
        this.hot = Math.max(BASE_HOT, ed + 1);
      }
    } else if (level === L_NESTED) {
      if (depth === ed + 1) {
        this.level = L_ELEMENT;
        this.pickSlot = -1;
        this.keyHot = ed + 1;
        this.hot = BASE_HOT;
      }
    } else if (level === L_ITEM) {
      if (depth === ed + 2) {
        this.level = L_NESTED;
        this.itemObjectIdx = -1;
        this.keyHot = 0;
        this.keyFilter = this.stream!.keyFilter;
      } else if (depth === ed + 3) {
        this.itemSlot = -1;
        this.itemObjectIdx = -1;
        this.hot = Math.max(BASE_HOT, ed + 2);
      }
    } else if (level === L_ITEM_OBJECT) {
      if (depth === ed + 3) {
        // The item's object of dotted fields ended: back to the item's keys.
        this.level = L_ITEM;
        this.itemObjectIdx = -1;
        this.itemSlot = -1;
        this.keyHot = ed + 3;
        this.keyFilter = this.stream!.nestedKeyFilters[this.nestedIdx]!;
        this.hot = Math.max(BASE_HOT, ed + 2);
      } else if (depth === ed + 4) {
        this.itemSlot = -1;
        this.hot = ed + 3;
      }
    }
  }

  /**
   * A key starts at buf[i] (its opening quote) in an object at `depth`. Element keys that lie in
   * this chunk without escapes are matched in place: returns the index after the closing quote.
   * Otherwise returns -1 and the key is captured and read in keyEnd.
   */
  private keyStart(buf: Uint8Array, i: number, depth: number): number {
    if (this.collecting) return -1;
    const names = depth === 1 && this.rootKind === 'object' ? [] : this.keyBytesAt(depth);
    if (names === null) return -1;
    if (depth !== 1) {
      const n = buf.length;
      let j = i + 1;
      while (j < n && STRING_STOP[buf[j]!] === 0) j++;
      if (j < n && buf[j] === 0x22) {
        this.matched(depth, matchKey(buf, i + 1, j, names));
        return j + 1;
      }
    }
    this.capTarget = T_KEY;
    this.capStart = i;
    this.capAbs = this.base + i;
    if (this.capParts.length > 0) this.capParts = [];
    this.capLength = 0;
    return -1;
  }

  /** The end of a captured key (top-level keys, and element keys split over chunks or escaped). */
  private keyEnd(buf: Uint8Array, end: number, depth: number): void {
    const key = this.takeCapture(buf, end, MAX_SMALL, 'key');
    this.capTarget = T_NONE;
    if (depth === 1) {
      this.currentKey = key;
      return;
    }
    // The slow path (a key split over chunks, or escaped): matched as the bytes of its decoded text.
    const bytes = encoder.encode(key);
    this.matched(depth, matchKey(bytes, 0, bytes.length, this.keyBytesAt(depth)!));
  }

  /** The names (UTF-8) an element, object, item or item-object key at `depth` may be (null: no keys watched there). */
  private keyBytesAt(depth: number): readonly (Uint8Array | null)[] | null {
    const s = this.stream;
    if (!s) return null;
    const d = depth - this.ed;
    const level = this.level;
    if (level === L_ELEMENT && d === 1) return s.keyBytes;
    if (level === L_OBJECT && d === 2) return s.objects.keyBytes[this.objectIdx]!;
    if (level === L_ITEM && d === 3) return s.nestedKeyBytes[this.nestedIdx]!;
    if (level === L_ITEM_OBJECT && d === 4) return s.itemObjects[this.nestedIdx]!.keyBytes[this.itemObjectIdx]!;
    return null;
  }

  /** Records which picked field (if any) the key at `depth` names. */
  private matched(depth: number, found: number): void {
    const s = this.stream!;
    const d = depth - this.ed;
    if (d === 1) {
      // Slots: fields first, then nested arrays (encoded as -2, -3, ...), then objects (objectIdx).
      const nested = s.fields.length + s.nestedNames.length;
      this.objectIdx = found >= nested ? found - nested : -1;
      this.pickSlot = found < 0 || found >= nested ? -1 : found < s.fields.length ? found : -(found - s.fields.length) - 2;
    } else if (d === 3) {
      const fields = s.nestedFields[this.nestedIdx]!.length;
      this.itemObjectIdx = found >= fields ? found - fields : -1;
      this.itemSlot = found >= fields ? -1 : found;
    } else if (d === 2) {
      // Inside an element's object: the slot of the dotted field in `fields`.
      this.pickSlot = found < 0 ? -1 : s.objects.slots[this.objectIdx]![found]!;
    } else {
      this.itemSlot = found < 0 ? -1 : s.itemObjects[this.nestedIdx]!.slots[this.itemObjectIdx]![found]!;
    }
    if (found >= 0) this.hot = Math.max(BASE_HOT, depth);
  }

  private startCapture(target: number, i: number, abs: number, depth: number, kind: JsonKind, slot: number): void {
    this.capTarget = target;
    this.capDepth = depth;
    this.capStart = i;
    this.capAbs = abs;
    if (this.capParts.length > 0) this.capParts = [];
    this.capLength = 0;
    this.capKind = kind;
    this.capSlot = slot;
  }

  private captureLimit(): number {
    return this.capTarget === T_COLLECT || this.capTarget === T_ELEMENT ? this.maxCollect : MAX_SMALL;
  }

  private captureChunk(part: Uint8Array): void {
    this.capLength += part.length;
    const limit = this.captureLimit();
    if (this.capLength > limit) throw this.tooLong(limit);
    if (part.length > 0) this.capParts.push(new Uint8Array(part)); // a copy: the read buffer is reused
  }

  /** The captured text: a key (decoded) or the raw JSON text of a value. */
  private takeCapture(buf: Uint8Array, end: number, limit: number, what: 'key' | 'raw'): string {
    const last = buf.subarray(this.capStart, end);
    if (this.capLength + last.length > limit) throw this.tooLong(limit);
    const bytes = this.capParts.length === 0 ? last : Buffer.concat([...this.capParts, last]);
    if (this.capParts.length > 0) this.capParts = [];
    this.capLength = 0;
    let text: string;
    try {
      text = decoder.decode(bytes);
    } catch {
      const bad = decodeUtf8(bytes, this.file ?? '').findings[0];
      const offset = this.capAbs + Number(bad?.args.offset ?? 0);
      throw new LabelmapError('file-encoding', this.place(offset), { what: 'input file', byte: bad?.args.byte, offset });
    }
    if (what === 'raw') return text;
    return text.includes('\\') ? (JSON.parse(text) as string) : text.slice(1, -1);
  }

  private finishCapture(buf: Uint8Array, end: number): void {
    const target = this.capTarget;
    const kind = this.capKind;
    let value: unknown;
    if (kind === 'number' && this.capParts.length === 0) {
      // Picked ids: read the digits in place (no string) when they are a plain integer.
      value = readNumber(buf, this.capStart, end);
    } else {
      const text = this.takeCapture(buf, end, this.captureLimit(), 'raw');
      if (kind === 'number') value = Number(text);
      else if (kind === 'boolean') value = text === 'true';
      else if (kind === 'null') value = null;
      else {
        // Strings and containers: the grammar was checked on the way, but not what JSON.parse lets
        // through: a duplicate key inside a category (it keeps the last silently) or a number out
        // of range, as every other JSON reader checks. No depth limit here: nothing walks these
        // values recursively, and the scanner is built to take any depth.
        const problem = kind === 'string' ? null : checkJsonText(text, Infinity);
        if (problem) {
          const offset = this.capAbs + Buffer.byteLength(text.slice(0, problem.offset));
          const place = this.place(offset);
          throw new LabelmapError('json-not-strict', { ...place, path: `${place.path ?? '$'}${problem.path.slice(1)}` }, { offset, reason: problem.reason });
        }
        value = JSON.parse(text);
      }
    }
    this.capTarget = T_NONE;
    if (this.capParts.length > 0) this.capParts = [];
    this.capLength = 0;
    if (target === T_COLLECT) {
      this.collected.set(this.currentKey, value);
      this.collecting = false;
    } else if (target === T_ELEMENT) {
      this.collecting = false;
      const s = this.stream!;
      s.element.value = value;
      s.handler.onElement(s.element);
    } else if (target === T_PICK) {
      this.stream!.element.values[this.capSlot] = value as PickedValue;
      this.pickSlot = -1;
      this.hot = this.level === L_OBJECT ? Math.max(BASE_HOT, this.ed + 1) : BASE_HOT;
    } else if (target === T_ITEM) {
      this.item[this.capSlot] = value as PickedValue;
      this.itemSlot = -1;
      this.hot = this.level === L_ITEM_OBJECT ? this.ed + 3 : Math.max(BASE_HOT, this.ed + 2);
    }
  }

  // --- errors --------------------------------------------------------------------------------------

  /** The JSON path of the current position, as far as the scanner knows it. */
  path(): string {
    if (this.rootKind === undefined || this.depth === 0) return '$';
    if (this.rootKind === 'array') return this.topIndex >= 0 ? `$[${this.topIndex}]` : '$';
    if (this.depth === 1) return this.st === S_COLON || this.st === S_VALUE ? `$${keyPath(this.currentKey)}` : '$';
    if (!this.currentEntry) return '$';
    let p = `$${keyPath(this.currentEntry.key)}`;
    if (this.currentEntry.kind === 'array' && this.topIndex >= 0) p += `[${this.topIndex}]`;
    return p;
  }

  /** Where an offset at or after the last newline is: file, offset, line, column (in bytes), path. */
  place(offset: number): Place {
    const p: Place = { offset, path: this.path() };
    if (this.file) p.file = this.file;
    if (offset >= this.lineStart) {
      p.line = this.line;
      p.column = offset - this.lineStart + 1;
    }
    return p;
  }

  malformed(offset: number, expected: string, found: string): LabelmapError {
    return new LabelmapError('json-malformed', this.place(offset), { offset, expected, found });
  }

  private truncated(): LabelmapError {
    const offset = this.base;
    if (this.st === S_START || (this.st === S_VALUE && this.depth === 0)) {
      return new LabelmapError('json-empty', this.file ? { file: this.file } : {}, {});
    }
    let inside: string;
    if (this.st === S_STRING || this.st === S_ESCAPE || this.st === S_UNICODE) inside = this.inKey ? 'a key' : 'a string';
    else if (this.st === S_NUMBER) inside = 'a number';
    else if (this.st === S_LITERAL) inside = 'a literal';
    else inside = this.stack[this.depth - 1] === OBJ ? 'an object' : 'an array';
    return new LabelmapError('json-truncated', this.place(offset), { offset, inside, open: this.depth });
  }

  private tooLong(limit: number): LabelmapError {
    return new LabelmapError('json-value-too-long', this.place(this.capAbs), { offset: this.capAbs, limit: formatBytes(limit) });
  }
}

/** The number written in buf[start, end) (already checked against the JSON grammar). */
function readNumber(buf: Uint8Array, start: number, end: number): number {
  if (end - start <= 15) {
    let v = 0;
    let j = start;
    const negative = buf[j] === 0x2d;
    if (negative) j++;
    for (; j < end; j++) {
      const c = buf[j]!;
      if (c < 0x30 || c > 0x39) break;
      v = v * 10 + (c - 0x30);
    }
    if (j === end) return negative ? -v : v;
  }
  let text = '';
  for (let j = start; j < end; j++) text += String.fromCharCode(buf[j]!);
  return Number(text);
}

function keyPath(key: string): string {
  return /^[A-Za-z_$][\w$]*$/.test(key) ? `.${key}` : `[${JSON.stringify(key)}]`;
}

export function formatBytes(n: number): string {
  if (n >= 1024 * 1024) return `${Math.round(n / (1024 * 1024))} MiB`;
  if (n >= 1024) return `${Math.round(n / 1024)} KiB`;
  return `${n} bytes`;
}

// --- the file driver ---------------------------------------------------------------------------------

/**
 * Scans a JSON file once, in chunks; memory stays at the chunk size plus what the handlers keep.
 * Throws LabelmapError (json-malformed, json-truncated, json-empty, json-value-too-long,
 * file-not-found, file-unreadable) naming the file, byte offset, line and JSON path.
 */
export async function scanJson(file: string, handlers: ScanHandlers, options: ScanOptions = {}): Promise<ScanResult> {
  const scanner = new JsonScanner(handlers, { file, maxCollect: options.maxCollect });
  const progress = options.onProgress;
  let lastReport = Date.now();
  let total = 0;
  const fed = await feedFile(scanner, file, {
    chunkSize: options.chunkSize,
    end: options.maxBytes,
    stopWhenDone: options.maxBytes !== undefined,
    onChunk: (done, size) => {
      total = size;
      const now = Date.now();
      if (progress && now - lastReport >= 100) {
        lastReport = now;
        progress(done, size);
      }
    },
  });
  if (options.maxBytes !== undefined && (scanner.done || fed.end < fed.size)) return scanner.result(scanner.done);
  const result = scanner.end();
  progress?.(fed.end, total || fed.size);
  return result;
}

export interface FeedOptions {
  /** First byte to read (default 0). */
  start?: number;
  /** Byte to stop before (default: the end of the file). */
  end?: number;
  /**
   * A byte to stop before that may be decided during the feed (a seam chosen by a hook); asked
   * before each read and when each read is pushed, so that no byte at or after it is pushed.
   */
  stopAt?: () => number | undefined;
  chunkSize?: number;
  /** Stop as soon as the root value is complete. */
  stopWhenDone?: boolean;
  /** After each chunk: bytes fed so far in this call, and the file size. */
  onChunk?: (done: number, size: number) => void;
}

/**
 * Feeds bytes [start, end) of a file to a scanner, in chunks, without ending it (so that a scan
 * can stop at a byte and go on later). Two buffers: the next chunk is read (in libuv's thread
 * pool) while this one is scanned. Stops early at a halted part scan. Returns the file size and
 * the offset after the last byte pushed.
 */
export async function feedFile(scanner: JsonScanner, file: string, options: FeedOptions = {}): Promise<{ size: number; end: number }> {
  const fh = await openInput(file);
  let pending: Promise<number> | undefined;
  try {
    const size = (await fh.stat()).size;
    const start = options.start ?? 0;
    const end = Math.min(options.end ?? size, size);
    const stopAt = options.stopAt;
    const limit = (): number => (stopAt ? Math.min(end, stopAt() ?? end) : end);
    const chunkSize = Math.max(1, Math.min(options.chunkSize ?? DEFAULT_CHUNK, Math.max(1, end - start)));
    const buffers = [Buffer.allocUnsafe(chunkSize), Buffer.allocUnsafe(chunkSize)] as const;
    // Plain Uint8Array views: their subarrays are cheaper than Buffer's.
    const views = buffers.map((b) => new Uint8Array(b.buffer, b.byteOffset, chunkSize));
    let at = start; // where the read in flight starts
    let fed = start;
    let k = 0;
    if (at < limit()) pending = readChunk(fh, file, buffers[0], Math.min(chunkSize, limit() - at), at);
    while (pending) {
      const got = await pending;
      pending = undefined;
      if (got === 0) break;
      const view = views[k]!;
      const stop = limit(); // a hook may have moved it since the read was asked for
      const take = Math.min(got, stop - at);
      if (take <= 0) break;
      at += got;
      k ^= 1;
      if (take === got && at < stop) pending = readChunk(fh, file, buffers[k]!, Math.min(chunkSize, stop - at), at);
      scanner.push(take === chunkSize ? view : view.subarray(0, take));
      fed += take;
      options.onChunk?.(fed - start, size);
      if (scanner.halted || (options.stopWhenDone && scanner.done)) break;
    }
    return { size, end: fed };
  } finally {
    // A read still in flight (after an error) must finish before the file is closed.
    if (pending) await pending.catch(() => 0);
    await fh.close();
  }
}

async function openInput(file: string): Promise<FileHandle> {
  let fh: FileHandle;
  try {
    fh = await open(file, READ_FLAGS);
  } catch (error) {
    throw openError(file, error);
  }
  // A FIFO or a device is refused before reading: it could block forever or never end.
  const refused = checkReadable(await fh.stat(), file, 'input file');
  if (refused) {
    await fh.close();
    throw refused;
  }
  return fh;
}

function openError(file: string, error: unknown): LabelmapError {
  const code = (error as NodeJS.ErrnoException).code;
  if (code === 'ENOENT') return new LabelmapError('file-not-found', { file }, { what: 'input file' });
  return new LabelmapError('file-unreadable', { file }, { what: 'input file', reason: code ?? String(error) });
}

function readError(file: string, error: unknown): LabelmapError {
  const code = (error as NodeJS.ErrnoException).code;
  return new LabelmapError('file-unreadable', { file }, { what: 'input file', reason: code === 'EISDIR' ? 'it is a folder' : (code ?? String(error)) });
}

async function readChunk(fh: FileHandle, file: string, buf: Buffer, length: number, position: number): Promise<number> {
  try {
    return (await fh.read(buf, 0, length, position)).bytesRead;
  } catch (error) {
    throw readError(file, error);
  }
}

/** The first `bytes` bytes of a file (fewer if it is shorter), for format detection. */
export function readHead(file: string, bytes: number): Buffer {
  return readAt(file, 0, bytes);
}

/** Up to `bytes` bytes of a file from `position` (fewer at its end). */
export function readAt(file: string, position: number, bytes: number): Buffer {
  let fd: number;
  try {
    fd = openSync(file, READ_FLAGS);
  } catch (error) {
    throw openError(file, error);
  }
  try {
    const refused = checkReadable(fstatSync(fd), file, 'input file');
    if (refused) throw refused;
    const buf = Buffer.alloc(bytes);
    let got: number;
    try {
      got = readSync(fd, buf, 0, bytes, position);
    } catch (error) {
      throw readError(file, error);
    }
    return buf.subarray(0, got);
  } finally {
    closeSync(fd);
  }
}
