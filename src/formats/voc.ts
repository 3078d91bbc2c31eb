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
import path from 'node:path';
import { isUtf8 } from 'node:buffer';
import { SaxesParser } from 'saxes';
import { LabelmapError, type Code } from '../findings.js';
import { checkReadable, decodeText, describeErrno, isDirectoryAsync, MAX_READ_BYTES, READ_FLAGS, readBytesAsync, readHead } from '../io/index.js';
import { scanXml } from './lib/xml-scan.js';
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
  const parser = new SaxesParser({ position: true });
  // saxes reports the position after the tag; the tag's own start is what an editor should jump to.
  let tagLine = 1;
  let tagColumn = 1;
  const collector = new VocCollector(file, () => ({ line: tagLine, column: tagColumn }));

  parser.on('opentagstart', (tag) => {
    // saxes has read "<name" and the character after it (0-based column of the next one):
    // step back to the "<", counted from 1.
    tagLine = parser.line;
    tagColumn = Math.max(1, parser.column - tag.name.length - 1);
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
  switch (end - start) {
    case 4:
      return b[start] === 0x6e && isAt(b, start, 'name') ? 'name' : OTHER_NAME;
    case 6:
      return b[start] === 0x6f && isAt(b, start, 'object') ? 'object' : OTHER_NAME;
    case 9:
      return b[start] === 0x64 && isAt(b, start, 'difficult') ? 'difficult' : b[start] === 0x74 && isAt(b, start, 'truncated') ? 'truncated' : OTHER_NAME;
    case 10:
      return b[start] === 0x61 && isAt(b, start, 'annotation') ? 'annotation' : OTHER_NAME;
    default:
      return OTHER_NAME;
  }
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
    // Columns count code points: every byte but UTF-8 continuation bytes (10xxxxxx).
    let column = 1;
    for (let k = lineStart; k < at; k++) if ((bytes[k]! & 0xc0) !== 0x80) column++;
    return { line, column };
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

async function listXml(dir: string): Promise<string[]> {
  let entries;
  try {
    entries = await readdir(dir, { withFileTypes: true });
  } catch (error) {
    throw new LabelmapError('file-unreadable', { file: dir }, { what: 'folder', reason: describeErrno(error) });
  }
  // Every entry but folders: files, symbolic links and also FIFOs or sockets named *.xml (a link
  // loop, a dangling link or a FIFO fails when read, naming the file, rather than being dropped
  // unseen); sub-folders are not searched, so a folder link loop cannot make this recurse.
  return entries
    .filter((e) => XML_RE.test(e.name) && !e.isDirectory())
    .map((e) => path.join(dir, e.name))
    .sort();
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
}

/**
 * Resolves an input to annotation files: a single .xml file, a folder of .xml files (Annotations/,
 * a labelImg folder), or a VOC root (VOCdevkit/VOC2012) whose Annotations/ holds them.
 */
export async function findAnnotationFiles(input: string): Promise<VocInput> {
  const st = await statInput(input, 'VOC input');
  if (!st.isDirectory()) return { dir: input, files: [input] };
  const dir = await annotationsDir(input);
  const files = await listXml(dir);
  if (files.length > 0) return { dir, files };
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

  /** The file's bytes, a view into the reused buffer: valid until the next read. */
  read(file: string, what = 'VOC annotation'): Buffer {
    let fd: number;
    try {
      fd = openSync(file, READ_FLAGS);
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === 'ENOENT') throw new LabelmapError('file-not-found', { file }, { what });
      throw new LabelmapError('file-unreadable', { file }, { what, reason: describeErrno(error) });
    }
    try {
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

interface Counts {
  instances: number;
  images: number;
  difficult: number;
  truncated: number;
}

function readFlag(flag: VocFlag | undefined, tag: string, file: string): boolean {
  if (flag === undefined) return false;
  const v = flag.text.toLowerCase();
  if (v === '1' || v === 'true') return true;
  if (v === '0' || v === 'false' || v === '') return false;
  throw new LabelmapError('voc-flag-invalid', { file, line: flag.line, column: flag.column }, { tag, found: flag.text });
}

function countObjects(annotations: readonly VocAnnotation[]): Map<string, Counts> {
  const counts = new Map<string, Counts>();
  for (const a of annotations) {
    const seen = new Set<string>();
    for (const o of a.objects) {
      let c = counts.get(o.name);
      if (!c) counts.set(o.name, (c = { instances: 0, images: 0, difficult: 0, truncated: 0 }));
      c.instances++;
      if (!seen.has(o.name)) {
        seen.add(o.name);
        c.images++;
      }
      if (readFlag(o.difficult, 'difficult', a.file)) c.difficult++;
      if (readFlag(o.truncated, 'truncated', a.file)) c.truncated++;
    }
  }
  return counts;
}

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
  const found = new Set<string>();
  let objectCount = 0;
  for (const a of annotations) {
    for (const o of a.objects) found.add(o.name);
    objectCount += a.objects.length;
  }
  const counts = options.stats ? countObjects(annotations) : null;
  const notes: string[] = [];
  let rows: DatasetClass[];
  let name: string;

  if (options.classes) {
    const { names, file } = options.classes;
    checkListed(annotations, new Set(names), file);
    rows = names.map((n, id) => datasetClass(id, n, { color: colorOf(id), is_thing: !isBackgroundName(n) }));
    name = 'voc-custom';
    notes.push(`ids: from ${path.basename(file)} (line order, the first name is id 0)`);
  } else if (found.size === 0) {
    throw new LabelmapError('voc-no-objects', { file: options.source }, { files: annotations.length });
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
  notes.push(`read ${annotations.length} annotation file${annotations.length === 1 ? '' : 's'}${from}: ${objectCount} object${objectCount === 1 ? '' : 's'} of ${found.size} class${found.size === 1 ? '' : 'es'}`);
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
function checkListed(annotations: readonly VocAnnotation[], listed: ReadonlySet<string>, classesFile: string): void {
  let first: { file: string; object: VocObject } | null = null;
  const unlisted = new Set<string>();
  for (const a of annotations) {
    for (const o of a.objects) {
      if (listed.has(o.name)) continue;
      first ??= { file: a.file, object: o };
      unlisted.add(o.name);
    }
  }
  if (!first) return;
  unlisted.delete(first.object.name);
  throw new LabelmapError(
    'voc-class-not-listed',
    { file: first.file, line: first.object.line, column: first.object.column },
    { name: first.object.name, classes: classesFile, others: unlisted.size > 0 ? preview([...unlisted].sort()) : undefined },
  );
}

/** Stops a parse early (the root element is known, or the head is not XML). */
class Halt extends Error {}

// --- the extractor -------------------------------------------------------------------------------------

/** The root element's name from the start of an XML file, or null when there is none (yet). */
export function rootElementOf(head: string): string | null {
  const parser = new SaxesParser({ position: false });
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
    files = await listXml(dir);
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
  const { dir, files } = await findAnnotationFiles(input);
  const annotations = await readAnnotations(files, { onProgress: options.onProgress });
  return buildVocSheet(annotations, { stats: options.stats, classes, source: dir });
}

export const voc: Extractor = {
  id: 'voc',
  title: 'PASCAL VOC / labelImg XML annotations',
  input: 'a VOC Annotations/ folder, a VOCdevkit/VOC20xx folder, a labelImg folder or one annotation .xml file',
  detect: detectVoc,
  extract: extractVoc,
};
