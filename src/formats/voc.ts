// PASCAL VOC annotations (and labelImg's "PascalVOC" output): one XML file per image, class names
// only, no ids. A file looks like this (VOC2007 000002.xml, shortened):
//
//   <annotation>
//     <folder>VOC2007</folder>
//     <filename>000002.jpg</filename>
//     <owner><name>Hiroyuki Mori</name></owner>        <- a <name> that is NOT a class
//     <object>
//       <name>train</name>                             <- the class (labelImg may pad it with spaces)
//       <truncated>0</truncated>
//       <difficult>0</difficult>
//       <part><name>head</name>...</part>              <- VOC person layout: a part, not a class
//     </object>
//   </annotation>
//
// Ids follow the VOC segmentation masks: 0 background, 1..20 the classes in alphabetical order,
// 255 void (object borders, not evaluated). A custom dataset in the same format gets its ids from
// a class list (labelImg's predefined_classes.txt) or, without one, 0 background + sorted names.
//
// XML is read by a strict byte scanner for the plain shape of annotation files (lib/xml-scan.ts:
// no DTD, no entities but the five predefined ones) and, for anything it is unsure of, by saxes,
// which never reads external entities and never expands DTD entities: an XXE or "billion laughs"
// file fails on its first entity reference instead of leaking or hanging.
import { closeSync, fstatSync, openSync, readSync } from 'node:fs';
import { readdir, stat } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { availableParallelism, loadavg } from 'node:os';
import path from 'node:path';
import { isUtf8 } from 'node:buffer';
import type { SaxesOptions, SaxesParser } from 'saxes';
import { LabelmapError, type Code, type Finding } from '../findings.js';
import { isDirectoryAsync } from '../io/folders.js';
import { checkReadable, decodeText, describeErrno, MAX_READ_BYTES, READ_FLAGS, readBytesAsync, readHead } from '../io/read.js';
import { autoThreads as threadsFor, startWorker } from '../io/worker.js';
import { scanXml, type XmlEvents } from './lib/xml-scan.js';
import type { DatasetClass } from '../sheets/schema.js';
import { datasetClass, rgbToHex, type Detection, type ExtractOptions, type Extraction, type Extractor } from './types.js';

// --- the VOC label set ---------------------------------------------------------------------------

/** The 20 VOC classes; id = position + 1 (alphabetical, as in the devkit and Caffe's labelmap_voc). */
export const VOC_CLASSES = [
  'aeroplane', 'bicycle', 'bird', 'boat', 'bottle', 'bus', 'car', 'cat', 'chair', 'cow',
  'diningtable', 'dog', 'horse', 'motorbike', 'person', 'pottedplant', 'sheep', 'sofa', 'train', 'tvmonitor',
] as const;

export const VOC_BACKGROUND_ID = 0;
export const VOC_VOID_ID = 255;

/** The devkit's grouping of the 20 classes (VOC2012 development kit, section 2.1). */
const VOC_CATEGORY: Record<string, string> = {
  person: 'person',
  bird: 'animal', cat: 'animal', cow: 'animal', dog: 'animal', horse: 'animal', sheep: 'animal',
  aeroplane: 'vehicle', bicycle: 'vehicle', boat: 'vehicle', bus: 'vehicle', car: 'vehicle', motorbike: 'vehicle', train: 'vehicle',
  bottle: 'indoor', chair: 'indoor', diningtable: 'indoor', pottedplant: 'indoor', sofa: 'indoor', tvmonitor: 'indoor',
};

const VOC_DISPLAY: Record<string, string> = {
  diningtable: 'dining table',
  pottedplant: 'potted plant',
  tvmonitor: 'TV monitor',
};

/**
 * The VOC colour map (devkit `VOClabelcolormap.m`): the bits of the id spread over r, g and b,
 * most significant first. 0 = black, 1 = (128,0,0), 255 = (224,224,192). Defined for 0..255.
 */
export function vocColor(id: number): [number, number, number] {
  let r = 0;
  let g = 0;
  let b = 0;
  let c = id;
  for (let j = 0; j < 8; j++) {
    r |= (c & 1) << (7 - j);
    g |= ((c >> 1) & 1) << (7 - j);
    b |= ((c >> 2) & 1) << (7 - j);
    c >>= 3;
  }
  return [r, g, b];
}

function colorOf(id: number): string {
  return id >= 0 && id <= 255 ? rgbToHex(vocColor(id)) : '';
}

// saxes (CommonJS) is required when a file first needs it, not imported: importing a CommonJS
// package from ESM costs ~80 ms of CPU at start-up (`node -e "import('saxes')"` 150 ms against
// `require('saxes')` 70 ms and `node -e 0` 70 ms), paid by every VOC read and by its worker thread,
// while most runs never need saxes (the byte scanner reads plain annotation files).
let saxes: typeof import('saxes') | undefined;
function newSaxesParser<O extends SaxesOptions>(options: O): SaxesParser<O> {
  saxes ??= createRequire(import.meta.url)('saxes') as typeof import('saxes');
  return new saxes.SaxesParser(options);
}

// --- one annotation file ---------------------------------------------------------------------------

/** A 0/1 flag (`<difficult>`, `<truncated>`) as written, with where it was written. */
export interface VocFlag {
  text: string;
  line: number;
  column: number;
}

export interface VocObject {
  /** The class name, trimmed. */
  name: string;
  /** Where the `<name>` element starts. */
  line: number;
  column: number;
  difficult?: VocFlag;
  truncated?: VocFlag;
}

export interface VocAnnotation {
  file: string;
  objects: VocObject[];
}

/** Thrown from inside saxes callbacks to stop at the first problem. */
class Stop extends Error {
  constructor(readonly error: LabelmapError) {
    super(error.message);
  }
}

/**
 * What a VOC reader keeps of the element events: the `<object>` children of the `<annotation>`
 * root and their `<name>`, `<difficult>`, `<truncated>`. One collector serves both parsers (saxes
 * and the byte scanner), so they cannot differ in what they keep.
 */
class VocCollector {
  readonly objects: VocObject[] = [];
  private current: VocObject | null = null;
  private nameCount = 0;
  private objectLine = 0;
  /** The field being read (an element at depth 2 inside an object), else null. */
  field: 'name' | 'difficult' | 'truncated' | null = null;
  private buffer = '';
  private fieldLine = 0;
  private fieldColumn = 0;
  /** The element just opened: where its "<" is (what an editor should jump to). */
  private tagLine = 1;
  private tagColumn = 1;

  constructor(
    private readonly file: string,
    /** Line and column (from 1, in code points) of the "<" at `at`, asked only for elements that need it. */
    private readonly locate: (at: number) => { line: number; column: number },
  ) {}

  private stop(code: Code, args: Record<string, string | number>, line = this.tagLine, column = this.tagColumn): never {
    throw new Stop(new LabelmapError(code, { file: this.file, line, column }, args));
  }

  private place(at: number): void {
    const { line, column } = this.locate(at);
    this.tagLine = line;
    this.tagColumn = column;
  }

  /**
   * An element opens inside `depth` others (0: the root). Only depths 0 to 2 matter: the root,
   * its `<object>` children and their fields (the current object is only ever set inside an
   * `<object>` child of the root, so "current !== null" at depth 2 means the parent is it).
   */
  open(name: string, at: number, depth: number): void {
    if (depth === 0) {
      this.place(at);
      if (name !== 'annotation') this.stop('voc-not-annotation', { found: name });
    } else if (depth === 1 && name === 'object') {
      this.place(at);
      this.current = { name: '', line: this.tagLine, column: this.tagColumn };
      this.objectLine = this.tagLine;
      this.nameCount = 0;
    } else if (depth === 2 && this.current !== null) {
      if (name === 'name' || name === 'difficult' || name === 'truncated') {
        this.place(at);
        if (name === 'name' && ++this.nameCount > 1) this.stop('voc-object-name-twice', { first: this.objectLine });
        this.field = name;
        this.buffer = '';
        this.fieldLine = this.tagLine;
        this.fieldColumn = this.tagColumn;
      }
    }
  }

  /** Character data inside `depth` elements: kept when directly inside a field of an object. */
  text(t: string, depth: number): void {
    if (this.field !== null && depth === 3) this.buffer += t;
  }

  /** An element closes; `depth` as when it opened. */
  close(name: string, depth: number): void {
    const field = this.field;
    const current = this.current;
    if (depth === 2 && field !== null && current !== null && name === field) {
      if (field === 'name') {
        current.name = this.buffer.trim();
        current.line = this.fieldLine;
        current.column = this.fieldColumn;
      } else {
        current[field] = { text: this.buffer.trim(), line: this.fieldLine, column: this.fieldColumn };
      }
      this.field = null;
    } else if (depth === 1 && current !== null && name === 'object') {
      if (current.name === '') this.stop('voc-object-name-missing', {}, current.line, current.column);
      this.objects.push(current);
      this.current = null;
    }
  }
}

/**
 * Parses one VOC annotation document. Only the `<object>` children of the `<annotation>` root
 * count; nested `<name>`s (owner, parts) do not. Throws LabelmapError with file, line and column.
 */
export function parseVocXml(text: string, file: string): VocAnnotation {
  const parser = newSaxesParser({ position: true });
  // saxes reports the position after the tag; the tag's own start is what an editor should jump to.
  let tagLine = 1;
  let tagColumn = 1;
  let lines: string[] | undefined;
  const collector = new VocCollector(file, () => ({ line: tagLine, column: tagColumn }));

  parser.on('opentagstart', (tag) => {
    // saxes has read "<name" and the character after it (0-based column of the next one):
    // step back to the "<", counted from 1.
    tagLine = parser.line;
    tagColumn = parser.column - tag.name.length - 1;
    if (tagColumn < 1 && tagLine > 1) {
      // That character was a line end (`<name` then a new line before its ">"): the "<" is on the
      // line before, which ends with "<name".
      tagLine--;
      lines ??= text.split(/\r\n|\r|\n/);
      tagColumn = [...(lines[tagLine - 1] ?? '')].length - [...tag.name].length;
    }
    tagColumn = Math.max(1, tagColumn);
  });
  let depth = 0;
  parser.on('opentag', (tag) => collector.open(tag.name, 0, depth++));
  const onText = (t: string): void => collector.text(t, depth);
  parser.on('text', onText);
  parser.on('cdata', onText);
  let lastClosed = '';
  parser.on('closetag', (tag) => {
    lastClosed = tag.name;
    collector.close(tag.name, --depth);
  });
  parser.on('error', (err) => {
    const reason = err.message.replace(/^.*?\d+:\d+: /, '').replace(/\.$/, '');
    const place = { file, line: parser.line, column: parser.column };
    if (reason === 'undefined entity') {
      // parser.position is just past the ";" of the reference.
      const end = parser.position;
      const start = text.lastIndexOf('&', end);
      const entity = start >= 0 ? text.slice(start, end) : '&...;';
      throw new Stop(new LabelmapError('voc-xml-entity', place, { entity }));
    }
    if (reason === 'unexpected close tag') {
      // saxes has just closed the open element on our behalf: name both tags.
      const end = parser.position;
      const start = text.lastIndexOf('</', end);
      const found = start >= 0 ? text.slice(start, end).trim() : 'a close tag';
      throw new Stop(new LabelmapError('voc-xml-malformed', place, { reason: `found ${found} where </${lastClosed}> was expected` }));
    }
    throw new Stop(new LabelmapError('voc-xml-malformed', place, { reason }));
  });

  try {
    parser.write(text).close();
  } catch (error) {
    if (error instanceof Stop) throw error.error;
    throw error;
  }
  return { file, objects: collector.objects };
}

// The element names the collector looks at; every other name is OTHER_NAME for it (an error about
// a wrong root, which would name it, is reported by the saxes path anyway).
const OTHER_NAME = '\u0000other';

function knownName(b: Buffer, start: number, end: number): string {
  return ELEMENT_NAMES[elementOf(b, start, end)]!;
}

/** Whether the ASCII `name` is at `start` (the caller has checked the length). */
function isAt(b: Buffer, start: number, name: string): boolean {
  for (let k = 1; k < name.length; k++) if (b[start + k] !== name.charCodeAt(k)) return false;
  return true;
}

const ENTITY_RE = /&(amp|lt|gt|quot|apos);/g;
const ENTITY_TEXT: Record<string, string> = { amp: '&', lt: '<', gt: '>', quot: '"', apos: "'" };

/**
 * The fast path: one VOC document as UTF-8 bytes (BOM skipped: `start`), read by the byte scanner
 * (lib/xml-scan.ts). Returns null whenever the scanner is unsure or a VOC rule fails: the caller
 * then reads the text with parseVocXml, whose answer (the annotation, or the located error) is
 * the one of record. So this path can only ever be faster, never different.
 */
export function scanVocBytes(bytes: Buffer, start: number, end: number, file: string): VocAnnotation | null {
  // Lines and columns, counted forward as the scanner asks for increasing offsets.
  let line = 1;
  let lineStart = start;
  let counted = start;
  const locate = (at: number): { line: number; column: number } => {
    for (let nl = bytes.indexOf(0x0a, counted); nl >= 0 && nl < at; nl = bytes.indexOf(0x0a, nl + 1)) {
      line++;
      lineStart = nl + 1;
    }
    counted = at;
    return { line, column: columnOf(bytes, lineStart, at) };
  };
  const collector = new VocCollector(file, locate);
  const ok = ((): boolean => {
    try {
      return scanXml(bytes, start, end, {
        // Deeper elements mean nothing to the collector: not even their names are made.
        open: (nameStart, nameEnd, at, depth) => {
          if (depth <= 2) collector.open(knownName(bytes, nameStart, nameEnd), at, depth);
        },
        close: (nameStart, nameEnd, depth) => {
          if (depth <= 2) collector.close(knownName(bytes, nameStart, nameEnd), depth);
        },
        text: (from, to, cdata, depth) => {
          if (collector.field === null || depth !== 3) return;
          // CRLF is a line end: one LF, as saxes (and every XML parser) reports it.
          let t = bytes.toString('utf8', from, to);
          if (t.includes('\r')) t = t.replace(/\r\n/g, '\n');
          if (!cdata && t.includes('&')) t = t.replace(ENTITY_RE, (_, e: string) => ENTITY_TEXT[e]!);
          collector.text(t, depth);
        },
      });
    } catch (error) {
      if (error instanceof Stop) return false;
      throw error;
    }
  })();
  return ok ? { file, objects: collector.objects } : null;
}

/** One annotation file's bytes to its objects: the byte scanner, else saxes on the decoded text. */
export function parseVocBytes(bytes: Buffer, file: string): VocAnnotation {
  const start = bytes[0] === 0xef && bytes[1] === 0xbb && bytes[2] === 0xbf ? 3 : 0;
  if (isUtf8(bytes)) {
    const fast = scanVocBytes(bytes, start, bytes.length, file);
    if (fast) return fast;
  }
  // Invalid UTF-8 is an error naming the byte rather than text with U+FFFD in class names.
  return parseVocXml(decodeText(bytes, file, 'VOC annotation'), file);
}

// --- finding and reading the files -----------------------------------------------------------------

const XML_RE = /\.xml$/i;

async function statInput(file: string, what: string): Promise<Awaited<ReturnType<typeof stat>>> {
  try {
    return await stat(file);
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (code === 'ENOENT') throw new LabelmapError('file-not-found', { file }, { what });
    throw new LabelmapError('file-unreadable', { file }, { what, reason: describeErrno(error) });
  }
}

/** The .xml files of a folder, sorted; `regular` marks those the listing saw as regular files. */
interface XmlListing {
  files: string[];
  regular: Uint8Array;
}

async function listXml(dir: string): Promise<XmlListing> {
  let entries;
  try {
    entries = await readdir(dir, { withFileTypes: true });
  } catch (error) {
    throw new LabelmapError('file-unreadable', { file: dir }, { what: 'folder', reason: describeErrno(error) });
  }
  // Every entry but folders: files, symbolic links and also FIFOs or sockets named *.xml (a link
  // loop, a dangling link or a FIFO fails when read, naming the file, rather than being dropped
  // unseen); sub-folders are not searched, so a folder link loop cannot make this recurse.
  const kept = entries.filter((e) => XML_RE.test(e.name) && !e.isDirectory()).sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
  // path.join(dir, name) for every name without normalising 17,125 paths: a name is one component
  // (never "." or ".."), so the join is the joined folder's prefix and the name.
  const prefix = path.join(dir, 'x').slice(0, -1);
  const files = new Array<string>(kept.length);
  const regular = new Uint8Array(kept.length);
  for (let i = 0; i < kept.length; i++) {
    files[i] = prefix + kept[i]!.name;
    regular[i] = kept[i]!.isFile() ? 1 : 0;
  }
  return { files, regular };
}

/** `<root>/Annotations` (VOC; `annotations` in some exports) when there is one, else the folder itself. */
async function annotationsDir(input: string): Promise<string> {
  for (const sub of ['Annotations', 'annotations']) {
    if (await isDirectoryAsync(path.join(input, sub))) return path.join(input, sub);
  }
  return input;
}

export interface VocInput {
  /** The folder the files came from (or the single file). */
  dir: string;
  /** Annotation files, sorted. */
  files: string[];
  /** 1 where the folder's listing saw a regular file (its read may skip the fstat: AnnotationReader). */
  regular?: Uint8Array;
}

/**
 * Resolves an input to annotation files: a single .xml file, a folder of .xml files (Annotations/,
 * a labelImg folder), or a VOC root (VOCdevkit/VOC2012) whose Annotations/ holds them.
 */
export async function findAnnotationFiles(input: string): Promise<VocInput> {
  const st = await statInput(input, 'VOC input');
  if (!st.isDirectory()) return { dir: input, files: [input] };
  const dir = await annotationsDir(input);
  const { files, regular } = await listXml(dir);
  if (files.length > 0) return { dir, files, regular };
  if (dir === input) {
    // A VOCdevkit folder holds VOC2007/, VOC2012/: say which to pass instead of guessing.
    const roots: string[] = [];
    for (const e of (await readdir(input, { withFileTypes: true })).filter((e) => e.isDirectory()).map((e) => e.name).sort()) {
      if (await isDirectoryAsync(path.join(input, e, 'Annotations'))) roots.push(path.join(input, e));
    }
    if (roots.length > 0) {
      throw new LabelmapError('voc-no-xml', { file: input }, { fix: `pass one dataset folder: ${roots.join(' or ')}` });
    }
  }
  throw new LabelmapError('voc-no-xml', { file: dir }, {});
}

// Every read refuses what is not a regular file (a FIFO in an annotation folder must not hang the
// run), and invalid UTF-8 is an error naming the byte rather than text with U+FFFD in class names.
async function readText(file: string, what = 'VOC annotation'): Promise<string> {
  return decodeText(await readBytesAsync(file, what), file, what);
}

/**
 * Reads annotation files one after another into one reused buffer, with synchronous calls: for
 * 17,125 files of 1 to 4 KB the four asynchronous requests per file (open, fstat, read, close),
 * each a thread-pool round trip, cost more than the reading (issue 23: ~29% of the run). The
 * refusals are readBytes' own: not a regular file (FIFO, folder, device), larger than the limit.
 */
class AnnotationReader {
  private buffer = Buffer.allocUnsafe(64 * 1024);

  /**
   * The file's bytes, a view into the reused buffer: valid until the next read. `listedRegular`:
   * the folder's listing saw a regular file, so a read that does not fill the buffer has read all
   * of it and the fstat (a fifth of the reading time) is skipped; a file swapped for a FIFO since
   * the listing is opened non-blocking (READ_FLAGS), so its read ends at once, never hangs.
   */
  read(file: string, listedRegular = false, what = 'VOC annotation'): Buffer {
    let fd: number;
    try {
      fd = openSync(file, READ_FLAGS);
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === 'ENOENT') throw new LabelmapError('file-not-found', { file }, { what });
      throw new LabelmapError('file-unreadable', { file }, { what, reason: describeErrno(error) });
    }
    try {
      if (listedRegular) {
        const n = readSync(fd, this.buffer, 0, this.buffer.length, 0);
        if (n < this.buffer.length) return this.buffer.subarray(0, n);
      }
      const stats = fstatSync(fd);
      const refused = checkReadable(stats, file, what, MAX_READ_BYTES);
      if (refused) throw refused;
      if (stats.size > this.buffer.length) this.buffer = Buffer.allocUnsafe(Math.max(stats.size, 2 * this.buffer.length));
      let done = 0;
      // Up to the size seen: a file that grows while it is read cannot make the read go on.
      while (done < stats.size) {
        const n = readSync(fd, this.buffer, done, stats.size - done, done);
        if (n === 0) break;
        done += n;
      }
      return this.buffer.subarray(0, done);
    } catch (error) {
      if (error instanceof LabelmapError) throw error;
      throw new LabelmapError('file-unreadable', { file }, { what, reason: describeErrno(error) });
    } finally {
      closeSync(fd);
    }
  }
}

/**
 * Reads and parses the files in list order, reporting progress per file; the first failing file
 * in list order is the error (the same on every run). `concurrency` is accepted for callers of
 * the asynchronous reader this replaced; reads are sequential now (see AnnotationReader).
 */
export async function readAnnotations(
  files: readonly string[],
  options: { concurrency?: number; onProgress?: (done: number, total: number) => void } = {},
): Promise<VocAnnotation[]> {
  const reader = new AnnotationReader();
  const results: VocAnnotation[] = [];
  options.onProgress?.(0, files.length);
  for (const file of files) {
    results.push(parseVocBytes(reader.read(file), file));
    options.onProgress?.(results.length, files.length);
  }
  return results;
}

// --- counting a run of files -------------------------------------------------------------------------
//
// extract needs far less than every object of every file: per class name its counts and where it
// is first written, and the first invalid flag. A tally keeps just that, so that the byte path
// makes no object and no string per element (only a class name seen for the first time becomes a
// string), and tallies of consecutive runs of files merge into the tally of the whole run, in file
// order, whichever thread made them (see tallyAnnotationFiles).

/** One class name over a run of files. */
export interface VocNameTally {
  name: string;
  instances: number;
  images: number;
  difficult: number;
  truncated: number;
  /** Where the name is first written (its `<name>` element), in file order. */
  file: string;
  line: number;
  column: number;
}

/** A `<difficult>` or `<truncated>` that is not 0, 1, true, false or empty: an error when counting. */
export interface VocBadFlag {
  file: string;
  line: number;
  column: number;
  tag: 'difficult' | 'truncated';
  found: string;
}

/** What extract keeps of a run of annotation files (plain data: it crosses threads as it is). */
export interface VocTally {
  files: number;
  objects: number;
  /** In first-seen order (file order, then object order). */
  names: VocNameTally[];
  /** The first invalid flag in file order (difficult before truncated within an object). */
  badFlag: VocBadFlag | null;
}

/** A flag's value: what counts, or why it does not. */
const FLAG_FALSE = 0;
const FLAG_TRUE = 1;
const FLAG_BAD = 2;

/** `<difficult>`/`<truncated>` text (trimmed): 1/true and 0/false in any case, or empty (false). */
function flagValue(text: string): number {
  const v = text.toLowerCase();
  if (v === '1' || v === 'true') return FLAG_TRUE;
  if (v === '0' || v === 'false' || v === '') return FLAG_FALSE;
  return FLAG_BAD;
}

/** Builds one tally, file after file. */
class TallyBuilder {
  readonly tally: VocTally = { files: 0, objects: 0, names: [], badFlag: null };
  private readonly byName = new Map<string, VocNameTally>();
  /** The file whose objects are being counted (images count once per file and name). */
  private fileIndex = -1;
  private readonly seen = new Set<VocNameTally>();

  startFile(): void {
    this.tally.files++;
    this.fileIndex++;
    this.seen.clear();
  }

  has(name: string): boolean {
    return this.byName.has(name);
  }

  /** One object named `name`; `line`/`column` are used only for a name seen for the first time. */
  object(name: string, file: string, line: number, column: number): VocNameTally {
    let t = this.byName.get(name);
    if (t === undefined) {
      t = { name, instances: 0, images: 0, difficult: 0, truncated: 0, file, line, column };
      this.byName.set(name, t);
      this.tally.names.push(t);
    }
    this.tally.objects++;
    t.instances++;
    if (!this.seen.has(t)) {
      this.seen.add(t);
      t.images++;
    }
    return t;
  }

  /** A flag of the object just counted; `found`, `line`, `column` matter only for FLAG_BAD. */
  flag(t: VocNameTally, tag: 'difficult' | 'truncated', value: number, file: string, found: string, line: number, column: number): void {
    if (value === FLAG_TRUE) t[tag]++;
    else if (value === FLAG_BAD) this.tally.badFlag ??= { file, line, column, tag, found };
  }

  /** A file read by saxes (or any parsed annotation). */
  annotation(a: VocAnnotation): void {
    this.startFile();
    for (const o of a.objects) {
      const t = this.object(o.name, a.file, o.line, o.column);
      for (const tag of ['difficult', 'truncated'] as const) {
        const f = o[tag];
        if (f !== undefined) this.flag(t, tag, flagValue(f.text), a.file, f.text, f.line, f.column);
      }
    }
  }
}

/** Adds `next` (the tally of the files right after `into`'s) to `into`. */
export function mergeTallies(into: VocTally, next: VocTally): void {
  const byName = new Map(into.names.map((t) => [t.name, t]));
  for (const t of next.names) {
    const have = byName.get(t.name);
    if (have === undefined) {
      const copy = { ...t };
      into.names.push(copy);
      byName.set(t.name, copy);
    } else {
      have.instances += t.instances;
      have.images += t.images;
      have.difficult += t.difficult;
      have.truncated += t.truncated;
    }
  }
  into.files += next.files;
  into.objects += next.objects;
  into.badFlag ??= next.badFlag;
}

/** The tally of parsed annotations (the library's path: buildVocSheet). */
export function tallyAnnotations(annotations: readonly VocAnnotation[]): VocTally {
  const builder = new TallyBuilder();
  for (const a of annotations) builder.annotation(a);
  return builder.tally;
}

/** Line and column (from 1, in code points) of byte `at`, counted from `start` (rarely asked: no cache). */
function placeOf(bytes: Buffer, start: number, at: number): { line: number; column: number } {
  let line = 1;
  let lineStart = start;
  for (let nl = bytes.indexOf(0x0a, start); nl >= 0 && nl < at; nl = bytes.indexOf(0x0a, nl + 1)) {
    line++;
    lineStart = nl + 1;
  }
  return { line, column: columnOf(bytes, lineStart, at) };
}

/** The column (from 1) of byte `at` on the line starting at `lineStart`: code points, so every byte but UTF-8 continuation bytes (10xxxxxx). */
function columnOf(bytes: Buffer, lineStart: number, at: number): number {
  let column = 1;
  for (let k = lineStart; k < at; k++) if ((bytes[k]! & 0xc0) !== 0x80) column++;
  return column;
}

// The elements the counter tells apart (every other name is EL_OTHER).
const EL_OTHER = 0;
const EL_ANNOTATION = 1;
const EL_OBJECT = 2;
const EL_NAME = 3;
const EL_DIFFICULT = 4;
const EL_TRUNCATED = 5;

/** The names of the EL_ numbers, for the collector's string path (scanVocBytes). */
const ELEMENT_NAMES = [OTHER_NAME, 'annotation', 'object', 'name', 'difficult', 'truncated'];

function elementOf(b: Buffer, start: number, end: number): number {
  switch (end - start) {
    case 4:
      return b[start] === 0x6e && isAt(b, start, 'name') ? EL_NAME : EL_OTHER;
    case 6:
      return b[start] === 0x6f && isAt(b, start, 'object') ? EL_OBJECT : EL_OTHER;
    case 9:
      return b[start] === 0x64 && isAt(b, start, 'difficult') ? EL_DIFFICULT : b[start] === 0x74 && isAt(b, start, 'truncated') ? EL_TRUNCATED : EL_OTHER;
    case 10:
      return b[start] === 0x61 && isAt(b, start, 'annotation') ? EL_ANNOTATION : EL_OTHER;
    default:
      return EL_OTHER;
  }
}

/** Thrown by the counter when a VOC rule fails: the file goes to saxes, which names the error. */
const NOT_COUNTED = new Error('left to saxes');

/**
 * Class names by their UTF-8 bytes: an open-addressing table from an FNV-1a hash of the bytes to
 * the name, so that a name already seen is matched as bytes and never decoded again.
 */
class NameTable {
  private slots = new Int32Array(64);
  private keys: Buffer[] = [];
  private names: string[] = [];

  /** The name whose bytes are `b[start, end)`. */
  name(b: Buffer, start: number, end: number): string {
    let h = 0x811c9dc5;
    for (let k = start; k < end; k++) h = Math.imul(h ^ b[k]!, 0x01000193);
    const mask = this.slots.length - 1;
    for (let slot = h & mask; ; slot = (slot + 1) & mask) {
      const entry = this.slots[slot]!;
      if (entry === 0) break;
      if (sameAs(this.keys[entry - 1]!, b, start, end)) return this.names[entry - 1]!;
    }
    const name = b.toString('utf8', start, end);
    this.keys.push(Buffer.from(b.subarray(start, end)));
    this.names.push(name);
    if (this.keys.length * 2 > this.slots.length) this.rehash(this.slots.length * 2);
    else this.insert(h, this.keys.length);
    return name;
  }

  private insert(hash: number, entry: number): void {
    const mask = this.slots.length - 1;
    let slot = hash & mask;
    while (this.slots[slot] !== 0) slot = (slot + 1) & mask;
    this.slots[slot] = entry;
  }

  private rehash(size: number): void {
    this.slots = new Int32Array(size);
    this.keys.forEach((key, i) => {
      let h = 0x811c9dc5;
      for (let k = 0; k < key.length; k++) h = Math.imul(h ^ key[k]!, 0x01000193);
      this.insert(h, i + 1);
    });
  }
}

/** Whether `key` holds the bytes b[start, end) (class names are a few bytes: a loop beats a call). */
function sameAs(key: Buffer, b: Buffer, start: number, end: number): boolean {
  if (key.length !== end - start) return false;
  for (let k = 0; k < key.length; k++) if (key[k] !== b[start + k]) return false;
  return true;
}

/**
 * The byte path of tallyAnnotationFiles: the scanner's events (lib/xml-scan.ts) read straight into
 * the few facts a tally needs, as VocCollector reads them (the same rules: root <annotation>, one
 * <name> per object, fields at depth 2 of an object, their text at depth 3, the last flag of a
 * kind wins). One instance reads every file: its per-file state is reused, not reallocated. When
 * the scanner is unsure or a VOC rule fails it answers false and the file goes to saxes, which
 * answers as parseVocBytes does; tests/formats/voc-tally.test.ts holds the two equal.
 */
class VocByteCounter implements XmlEvents {
  private readonly names = new NameTable();
  private b: Buffer = Buffer.alloc(0);
  private inObject = false;
  private nameCount = 0;
  private field = EL_OTHER;
  private fieldAt = 0;
  /** The field's text: one segment kept as offsets; two or more joined as a string. */
  private segments = 0;
  private textFrom = 0;
  private textTo = 0;
  private textCdata = false;
  private joined = '';
  // The current object.
  private objectName: string | null = null;
  private objectNameAt = 0;
  private difficult = FLAG_FALSE;
  private difficultAt = 0;
  private difficultText = '';
  private truncated = FLAG_FALSE;
  private truncatedAt = 0;
  private truncatedText = '';
  // The objects of the file so far (committed to the tally only when the whole file is read).
  private count = 0;
  private readonly objNames: string[] = [];
  private readonly objNameAt: number[] = [];
  private readonly objFlags: number[] = [];
  private readonly objFlagAt: number[] = [];
  private readonly objFlagText: string[] = [];

  /**
   * Counts one file (`bytes[start, end)`, valid UTF-8 without BOM) into `builder`; false, with the
   * builder untouched, when the file is left to saxes.
   */
  countFile(bytes: Buffer, start: number, end: number, file: string, builder: TallyBuilder): boolean {
    this.b = bytes;
    this.inObject = false;
    this.field = EL_OTHER;
    this.count = 0;
    let ok: boolean;
    try {
      ok = scanXml(bytes, start, end, this);
    } catch (error) {
      if (error !== NOT_COUNTED) throw error;
      ok = false;
    }
    if (ok) this.commit(bytes, start, file, builder);
    this.b = EMPTY;
    return ok;
  }

  private commit(bytes: Buffer, start: number, file: string, builder: TallyBuilder): void {
    builder.startFile();
    for (let i = 0; i < this.count; i++) {
      const name = this.objNames[i]!;
      let line = 0;
      let column = 0;
      if (!builder.has(name)) ({ line, column } = placeOf(bytes, start, this.objNameAt[i]!));
      const t = builder.object(name, file, line, column);
      for (let f = 0; f < 2; f++) {
        const value = this.objFlags[2 * i + f]!;
        if (value === FLAG_FALSE) continue;
        const tag = f === 0 ? 'difficult' : 'truncated';
        if (value === FLAG_TRUE) builder.flag(t, tag, value, file, '', 0, 0);
        else {
          const place = placeOf(bytes, start, this.objFlagAt[2 * i + f]!);
          builder.flag(t, tag, value, file, this.objFlagText[2 * i + f]!, place.line, place.column);
        }
      }
    }
  }

  open(nameStart: number, nameEnd: number, at: number, depth: number): void {
    if (depth > 2) return;
    const el = elementOf(this.b, nameStart, nameEnd);
    if (depth === 0) {
      if (el !== EL_ANNOTATION) throw NOT_COUNTED;
    } else if (depth === 1) {
      if (el === EL_OBJECT) {
        this.inObject = true;
        this.nameCount = 0;
        this.objectName = null;
        this.difficult = FLAG_FALSE;
        this.truncated = FLAG_FALSE;
      }
    } else if (this.inObject && (el === EL_NAME || el === EL_DIFFICULT || el === EL_TRUNCATED)) {
      if (el === EL_NAME && ++this.nameCount > 1) throw NOT_COUNTED;
      this.field = el;
      this.fieldAt = at;
      this.segments = 0;
    }
  }

  text(from: number, to: number, cdata: boolean, depth: number): void {
    if (this.field === EL_OTHER || depth !== 3) return;
    if (++this.segments === 1) {
      this.textFrom = from;
      this.textTo = to;
      this.textCdata = cdata;
      return;
    }
    if (this.segments === 2) this.joined = decodeSegment(this.b, this.textFrom, this.textTo, this.textCdata);
    this.joined += decodeSegment(this.b, from, to, cdata);
  }

  close(_nameStart: number, _nameEnd: number, depth: number): void {
    if (depth > 2) return;
    if (depth === 2) {
      if (this.field !== EL_OTHER) this.closeField();
    } else if (depth === 1 && this.inObject) {
      // Only an <object> is open at depth 1 while inObject (the scanner checks the tags balance).
      if (this.objectName === null) throw NOT_COUNTED; // no name, or an empty one: saxes says so
      const i = this.count++;
      this.objNames[i] = this.objectName;
      this.objNameAt[i] = this.objectNameAt;
      this.objFlags[2 * i] = this.difficult;
      this.objFlags[2 * i + 1] = this.truncated;
      if (this.difficult === FLAG_BAD) {
        this.objFlagAt[2 * i] = this.difficultAt;
        this.objFlagText[2 * i] = this.difficultText;
      }
      if (this.truncated === FLAG_BAD) {
        this.objFlagAt[2 * i + 1] = this.truncatedAt;
        this.objFlagText[2 * i + 1] = this.truncatedText;
      }
      this.inObject = false;
    }
  }

  private closeField(): void {
    const field = this.field;
    this.field = EL_OTHER;
    const b = this.b;
    // One plain segment: trim ASCII white space as bytes; anything else (entities, CR, non-ASCII
    // at an end, which String.trim might remove, several segments) is decoded and trimmed.
    let text: string | null = null;
    let from = 0;
    let to = 0;
    if (this.segments === 1) {
      from = this.textFrom;
      to = this.textTo;
      while (from < to && isAsciiSpace(b[from]!)) from++;
      while (to > from && isAsciiSpace(b[to - 1]!)) to--;
      let plain = from === to || (b[from]! < 0x80 && b[to - 1]! < 0x80);
      const amp = this.textCdata ? -1 : 0x26;
      for (let k = from; plain && k < to; k++) if (b[k] === amp || b[k] === 0x0d) plain = false;
      if (!plain) text = decodeSegment(b, this.textFrom, this.textTo, this.textCdata).trim();
    } else text = this.segments === 0 ? '' : this.joined.trim();

    if (field === EL_NAME) {
      const name = text ?? this.names.name(b, from, to);
      this.objectName = name === '' ? null : name;
      this.objectNameAt = this.fieldAt;
      return;
    }
    let value: number;
    if (text === null && to - from === 1 && (b[from] === 0x30 || b[from] === 0x31)) value = b[from] === 0x31 ? FLAG_TRUE : FLAG_FALSE;
    else {
      text ??= b.toString('utf8', from, to);
      value = flagValue(text);
    }
    if (field === EL_DIFFICULT) {
      this.difficult = value;
      this.difficultAt = this.fieldAt;
      if (value === FLAG_BAD) this.difficultText = text!;
    } else {
      this.truncated = value;
      this.truncatedAt = this.fieldAt;
      if (value === FLAG_BAD) this.truncatedText = text!;
    }
  }
}

const EMPTY = Buffer.alloc(0);

const isAsciiSpace = (c: number): boolean => c === 0x20 || c === 0x0a || c === 0x09 || c === 0x0d;

/** Character data as saxes reports it: CRLF as LF, the five entities decoded (not in CDATA). */
function decodeSegment(b: Buffer, from: number, to: number, cdata: boolean): string {
  let t = b.toString('utf8', from, to);
  if (t.includes('\r')) t = t.replace(/\r\n/g, '\n');
  if (!cdata && t.includes('&')) t = t.replace(ENTITY_RE, (_, e: string) => ENTITY_TEXT[e]!);
  return t;
}

// --- reading a run of files, on one thread or two ----------------------------------------------------

/**
 * From how many files a second thread is taken. A worker joins about 50-70 ms after it is started
 * (a new V8 isolate, Node's bootstrap and this module) and then warms up as the main thread did
 * (V8 interprets its first thousand files or so): ~0.2 s of CPU in all for 17,125 files, while the
 * main thread reads a warm file in ~14 us. At 17,125 files `--jobs 2` was slower than `--jobs 1` in
 * every run measured (load 3.6 to 10: 0.86 against 0.53 s of wall at load 3.6), so the worker is
 * kept for folders large enough that its cost is a small share (BENCHMARKS.md, "Issue 23, part 3").
 */
export const PARALLEL_FROM = 50_000;
/** Files per chunk: the threads take chunks in turn, so a late or slow worker just takes fewer. */
const CHUNK_FILES = 256;

/**
 * How many threads read a run of `files` when --jobs does not say: the rule every reader follows
 * (io/worker.ts) from PARALLEL_FROM files. On a busy machine the worker's start-up and warm-up
 * (~0.2 s of CPU for 17,125 files) only add to the wait: one thread was faster there (measured).
 */
export function autoThreads(files: number, cores: number, load1: number, from = PARALLEL_FROM): 1 | 2 {
  return threadsFor(files, cores, load1, from);
}

export interface VocTallyOptions {
  onProgress?: (done: number, total: number) => void;
  /** `--jobs`: 1 or 2 threads; undefined: autoThreads. */
  threads?: number;
  /** The threshold autoThreads uses (PARALLEL_FROM; tests lower it). */
  parallelFrom?: number;
  /** Files per chunk (CHUNK_FILES; tests lower it to split small folders). */
  chunkFiles?: number;
  /** Tests: the main thread waits for the worker and reads only what it left (none, unless it failed). */
  workerFirst?: boolean;
}

/** A chunk's outcome: its tally, or the first error in it (as finding data: it crosses threads). */
export type VocChunkResult = { tally: VocTally } | { error: Finding };

// The shared counters of a two-thread run (an Int32Array over a SharedArrayBuffer).
const NEXT_CHUNK = 0; // the next chunk to take
const FAILED_CHUNK = 1; // the first chunk known to fail (no chunk after it is taken)
const FILES_DONE = 2; // for progress
const WORKER_STARTED = 3; // chunks the worker has begun

/** One file's bytes into the tally: the byte counter, else saxes. Whether the byte counter answered. */
function countBytes(bytes: Buffer, file: string, counter: VocByteCounter, builder: TallyBuilder): boolean {
  const start = bytes[0] === 0xef && bytes[1] === 0xbb && bytes[2] === 0xbf ? 3 : 0;
  if (isUtf8(bytes) && counter.countFile(bytes, start, bytes.length, file, builder)) return true;
  // The parser of record: saxes on the decoded text (invalid UTF-8 is a located error there).
  builder.annotation(parseVocXml(decodeText(bytes, file, 'VOC annotation'), file));
  return false;
}

/**
 * The tally of files given as bytes, in order, as tallyAnnotationFiles counts them (tests hold it
 * equal to saxes' reading); `fast` says how many the byte counter read. Throws the first error.
 */
export function tallyVocBytes(docs: readonly { file: string; bytes: Buffer }[]): { tally: VocTally; fast: number } {
  const counter = new VocByteCounter();
  const builder = new TallyBuilder();
  let fast = 0;
  for (const d of docs) if (countBytes(d.bytes, d.file, counter, builder)) fast++;
  return { tally: builder.tally, fast };
}

/** Reads and counts files[from, to) in order; the first failing file's error ends the chunk. */
function tallyChunk(run: VocRun, from: number, to: number, reader: AnnotationReader, counter: VocByteCounter, onFile: () => void): VocChunkResult {
  const { files, regular } = run;
  const builder = new TallyBuilder();
  try {
    for (let i = from; i < to; i++) {
      const file = files[i]!;
      countBytes(reader.read(file, regular !== undefined && regular[i] === 1), file, counter, builder);
      onFile();
    }
  } catch (error) {
    if (error instanceof LabelmapError) return { error: error.finding };
    throw error;
  }
  return { tally: builder.tally };
}

/**
 * Takes chunks of `files` from the shared counter until none is left (or one before has failed),
 * handing each result to `done`: the loop both threads run.
 */
/** The files of a run (what a worker gets): as VocInput has them. */
export interface VocRun {
  files: readonly string[];
  regular?: Uint8Array | undefined;
}

export function takeChunks(
  run: VocRun,
  shared: Int32Array,
  chunkFiles: number,
  done: (chunk: number, result: VocChunkResult) => void,
  { isWorker = false, onProgress }: { isWorker?: boolean; onProgress?: (done: number, total: number) => void } = {},
): void {
  const total = run.files.length;
  const chunks = Math.ceil(total / chunkFiles);
  const reader = new AnnotationReader();
  const counter = new VocByteCounter();
  const onFile = onProgress
    ? (): void => onProgress(Atomics.add(shared, FILES_DONE, 1) + 1, total)
    : (): void => void Atomics.add(shared, FILES_DONE, 1);
  for (;;) {
    const chunk = Atomics.add(shared, NEXT_CHUNK, 1);
    if (chunk >= chunks || chunk > Atomics.load(shared, FAILED_CHUNK)) return;
    if (isWorker) Atomics.add(shared, WORKER_STARTED, 1);
    const result = tallyChunk(run, chunk * chunkFiles, Math.min(total, (chunk + 1) * chunkFiles), reader, counter, onFile);
    if ('error' in result) {
      for (let failed = Atomics.load(shared, FAILED_CHUNK); chunk < failed; failed = Atomics.load(shared, FAILED_CHUNK)) {
        if (Atomics.compareExchange(shared, FAILED_CHUNK, failed, chunk) === failed) break;
      }
    }
    done(chunk, result);
  }
}

/** A finding from a worker as the error it was there. */
function errorOf(f: Finding): LabelmapError {
  const { code, severity: _severity, args, ...place } = f;
  return new LabelmapError(code, place, args);
}

/**
 * Reads and counts annotation files in list order. The result and the error (the first failing
 * file in list order, with its place) are those of one thread reading every file in order: on two
 * threads (autoThreads, or --jobs 2) a worker takes chunks of the list too, and the chunks' tallies
 * are merged in list order; a chunk the worker did not finish (it started late, or died) is read here.
 */
export async function tallyAnnotationFiles(run: VocRun, options: VocTallyOptions = {}): Promise<VocTally> {
  const total = run.files.length;
  const chunkFiles = Math.max(1, options.chunkFiles ?? CHUNK_FILES);
  const chunks = Math.ceil(total / chunkFiles);
  const shared = new Int32Array(new SharedArrayBuffer(4 * 4));
  shared[FAILED_CHUNK] = chunks;
  const results: (VocChunkResult | undefined)[] = new Array(chunks);
  const progress = options.onProgress;
  progress?.(0, total);

  const threads = options.threads ?? autoThreads(total, availableParallelism(), loadavg()[0] ?? 0, options.parallelFrom);
  const parallel = threads > 1 && chunks > 1;
  const worker = parallel ? startWorker(import.meta.url, './voc-worker', { workerData: { run: { files: run.files, regular: run.regular }, shared, chunkFiles } }) : null;
  let finished: Promise<void> | null = null;
  if (worker) {
    finished = new Promise<void>((resolve) => {
      worker.on('message', (m: { chunk: number; result: VocChunkResult } | 'done') => {
        if (m === 'done') resolve();
        else results[m.chunk] = m.result;
      });
      // A worker that fails (a bug, out of memory) only loses its chunks: they are read below.
      worker.on('error', () => resolve());
      worker.on('exit', () => resolve());
    });
  }
  if (worker && options.workerFirst) await finished;
  takeChunks(run, shared, chunkFiles, (chunk, result) => void (results[chunk] = result), { onProgress: progress });
  if (worker) {
    // Wait only for a worker that has taken a chunk (a late one has none: it is not waited for).
    if (Atomics.load(shared, WORKER_STARTED) > 0) await finished;
    void worker.terminate(); // not awaited: its exit takes milliseconds and changes nothing here
  }

  const tally: VocTally = { files: 0, objects: 0, names: [], badFlag: null };
  const reader = new AnnotationReader();
  const counter = new VocByteCounter();
  for (let chunk = 0; chunk < chunks; chunk++) {
    const result = results[chunk] ?? tallyChunk(run, chunk * chunkFiles, Math.min(total, (chunk + 1) * chunkFiles), reader, counter, () => {});
    if ('error' in result) throw errorOf(result.error);
    mergeTallies(tally, result.tally);
  }
  if (worker) progress?.(total, total); // the worker's files were not reported one by one
  return tally;
}

// --- class lists -------------------------------------------------------------------------------------

/** labelImg's predefined_classes.txt: one name per line, surrounding spaces and blank lines ignored. */
export function parseClassList(text: string, file: string): string[] {
  const names: string[] = [];
  const firstLine = new Map<string, number>();
  const lines = text.replace(/^\uFEFF/, '').split(/\r?\n/);
  lines.forEach((raw, i) => {
    const name = raw.trim();
    if (name === '') return;
    const first = firstLine.get(name);
    if (first !== undefined) throw new LabelmapError('voc-classes-duplicate', { file, line: i + 1 }, { name, firstLine: first });
    firstLine.set(name, i + 1);
    names.push(name);
  });
  if (names.length === 0) throw new LabelmapError('voc-classes-empty', { file }, {});
  return names;
}

// --- the sheet -----------------------------------------------------------------------------------------

const VOC_SET: ReadonlySet<string> = new Set(VOC_CLASSES);
const isBackgroundName = (name: string): boolean => /^_*background_*$/i.test(name);

export interface VocSheetOptions {
  stats: boolean;
  /** The class list and the file it came from (`--classes`). */
  classes?: { names: readonly string[]; file: string };
  /** The folder (or file) read, for notes and errors. */
  source?: string;
}

/** One row per class from the parsed annotations, by the id rule that applies (see the file head). */
export function buildVocSheet(annotations: readonly VocAnnotation[], options: VocSheetOptions): Extraction {
  return buildVocSheetFromTally(tallyAnnotations(annotations), options);
}

/** buildVocSheet from the tally of the files (what extract reads: tallyAnnotationFiles). */
export function buildVocSheetFromTally(tally: VocTally, options: VocSheetOptions): Extraction {
  const found = new Set(tally.names.map((t) => t.name));
  const objectCount = tally.objects;
  // Counting reads every flag: the first invalid one (in file order) is the error.
  const bad = options.stats ? tally.badFlag : null;
  if (bad) throw new LabelmapError('voc-flag-invalid', { file: bad.file, line: bad.line, column: bad.column }, { tag: bad.tag, found: bad.found });
  const counts = options.stats ? new Map(tally.names.map((t) => [t.name, t])) : null;
  const notes: string[] = [];
  let rows: DatasetClass[];
  let name: string;

  if (options.classes) {
    const { names, file } = options.classes;
    checkListed(tally, new Set(names), file);
    rows = names.map((n, id) => datasetClass(id, n, { color: colorOf(id), is_thing: !isBackgroundName(n) }));
    name = 'voc-custom';
    notes.push(`ids: from ${path.basename(file)} (line order, the first name is id 0)`);
  } else if (found.size === 0) {
    throw new LabelmapError('voc-no-objects', { file: options.source }, { files: tally.files });
  } else if ([...found].every((n) => VOC_SET.has(n))) {
    rows = vocRows();
    name = 'voc';
    notes.push(`ids: VOC segmentation convention (0 background, 1..20 the classes in alphabetical order, 255 void)`);
    const missing = VOC_CLASSES.filter((n) => !found.has(n));
    if (missing.length > 0) notes.push(`${missing.length} of the 20 VOC classes do not occur in these files (${missing.join(', ')}); they are listed with their VOC ids`);
  } else {
    const others = [...found].filter((n) => !VOC_SET.has(n)).sort();
    const background = [...found].find(isBackgroundName) ?? 'background';
    const names = [background, ...[...found].filter((n) => n !== background).sort()];
    rows = names.map((n, id) => datasetClass(id, n, { color: colorOf(id), is_thing: id !== 0 }));
    name = 'voc-custom';
    notes.push(`ids: sorted names after 0 background (not the VOC convention: ${others.length} name${others.length === 1 ? ' is' : 's are'} not a VOC class: ${preview(others)}); pass --classes <file> to fix the order`);
  }

  const from = options.source !== undefined ? ` in ${options.source}` : '';
  notes.push(`read ${tally.files} annotation file${tally.files === 1 ? '' : 's'}${from}: ${objectCount} object${objectCount === 1 ? '' : 's'} of ${found.size} class${found.size === 1 ? '' : 'es'}`);
  if (counts) {
    for (const row of rows) {
      const c = counts.get(row.name);
      const synthetic = c === undefined && isSyntheticRow(row, name, options);
      if (synthetic) {
        // background and void are not objects in XML annotations: nothing to count.
        row.instances = null;
        row.images = null;
        row.extra = { ...row.extra, x_difficult: '', x_truncated: '' };
      } else {
        row.instances = c?.instances ?? 0;
        row.images = c?.images ?? 0;
        row.extra = { ...row.extra, x_difficult: String(c?.difficult ?? 0), x_truncated: String(c?.truncated ?? 0) };
      }
    }
  }
  return { name, rows, notes };
}

function isSyntheticRow(row: DatasetClass, sheet: string, options: VocSheetOptions): boolean {
  if (sheet === 'voc') return row.id === VOC_BACKGROUND_ID || row.id === VOC_VOID_ID;
  return !options.classes && row.id === 0;
}

function preview(names: readonly string[], max = 5): string {
  return names.length <= max ? names.join(', ') : `${names.slice(0, max).join(', ')} and ${names.length - max} more`;
}

/** The 22 rows of the VOC convention. */
export function vocRows(): DatasetClass[] {
  return [
    datasetClass(VOC_BACKGROUND_ID, 'background', { display_name: 'background', color: colorOf(0), is_thing: false, evaluate: true }),
    ...VOC_CLASSES.map((n, i) =>
      datasetClass(i + 1, n, {
        display_name: VOC_DISPLAY[n] ?? n,
        category: VOC_CATEGORY[n] ?? '',
        color: colorOf(i + 1),
        is_thing: true,
        evaluate: true,
      }),
    ),
    datasetClass(VOC_VOID_ID, 'void', { display_name: 'void', color: colorOf(VOC_VOID_ID), is_thing: false, evaluate: false }),
  ];
}

/** Every name in the annotations must be in the class list; the error points at the first one. */
function checkListed(tally: VocTally, listed: ReadonlySet<string>, classesFile: string): void {
  // Names are in first-seen order: the first unlisted name is the first unlisted object's.
  const unlisted = tally.names.filter((t) => !listed.has(t.name));
  const first = unlisted[0];
  if (!first) return;
  const others = unlisted.slice(1).map((t) => t.name);
  throw new LabelmapError(
    'voc-class-not-listed',
    { file: first.file, line: first.line, column: first.column },
    { name: first.name, classes: classesFile, others: others.length > 0 ? preview(others.sort()) : undefined },
  );
}

/** Stops a parse early (the root element is known, or the head is not XML). */
class Halt extends Error {}

// --- the extractor -------------------------------------------------------------------------------------

/** The root element's name from the start of an XML file, or null when there is none (yet). */
export function rootElementOf(head: string): string | null {
  const parser = newSaxesParser({ position: false });
  let root: string | null = null;
  parser.on('opentagstart', (tag) => {
    root = tag.name;
    throw new Halt();
  });
  parser.on('error', () => {
    throw new Halt();
  });
  try {
    parser.write(head);
  } catch (error) {
    if (!(error instanceof Halt)) throw error;
  }
  return root;
}

async function detectFile(file: string): Promise<Detection> {
  let head: string;
  try {
    head = readHead(file, 'VOC annotation').toString('utf8');
  } catch (error) {
    if (error instanceof LabelmapError) return { ok: false, reason: error.message.split('\n')[0]! };
    return { ok: false, reason: `cannot read ${file}: ${describeErrno(error)}` };
  }
  const root = rootElementOf(head);
  if (root === 'annotation') return { ok: true, reason: 'a VOC annotation XML file (root <annotation>)' };
  if (root === null) return { ok: false, reason: 'not an XML file (no root element in its first 4 KB)' };
  return { ok: false, reason: `an XML file whose root is not <annotation> (found <${root}>)` };
}

export async function detectVoc(input: string): Promise<Detection> {
  let isDir: boolean;
  try {
    isDir = (await stat(input)).isDirectory();
  } catch (error) {
    return { ok: false, reason: `cannot read ${input}: ${describeErrno(error)}` };
  }
  if (!isDir) return detectFile(input);
  const dir = await annotationsDir(input);
  let files: string[];
  try {
    ({ files } = await listXml(dir));
  } catch {
    files = [];
  }
  const first = files[0];
  if (first === undefined) return { ok: false, reason: 'a folder without Annotations/ or .xml files' };
  const d = await detectFile(first);
  const where = dir === input ? 'a folder' : `a folder with ${path.basename(dir)}/`;
  if (d.ok) return { ok: true, reason: `${where} of ${files.length} .xml file${files.length === 1 ? '' : 's'} with <annotation> roots` };
  return { ok: false, reason: `${where} whose first .xml file (${path.basename(first)}) is ${d.reason}` };
}

export async function extractVoc(input: string, options: ExtractOptions): Promise<Extraction> {
  let classes: VocSheetOptions['classes'];
  if (options.classes !== undefined) {
    const file = options.classes;
    await statInput(file, 'class list (--classes)');
    classes = { names: parseClassList(await readText(file, 'class list (--classes)'), file), file };
  }
  const found = await findAnnotationFiles(input);
  const tally = await tallyAnnotationFiles(found, { onProgress: options.onProgress, threads: options.jobs });
  return buildVocSheetFromTally(tally, { stats: options.stats, classes, source: found.dir });
}

export const voc: Extractor = {
  id: 'voc',
  title: 'PASCAL VOC / labelImg XML annotations',
  input: 'a VOC Annotations/ folder, a VOCdevkit/VOC20xx folder, a labelImg folder or one annotation .xml file',
  detect: detectVoc,
  extract: extractVoc,
};
