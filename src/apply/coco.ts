// COCO instances and panoptic JSON -> the same file with the label set's category ids:
//
//   {"info": ..., "images": [...],                                   <- copied byte for byte
//    "annotations": [{"segmentation": [[...]], "category_id": 3, ...}, <- category_id rewritten,
//                    ...],                                              ignored ones dropped
//    "categories": [{"id": 3, "name": "car", ...}]}                   <- the label set's categories
//
// Panoptic files: `segments_info[].category_id` likewise (a dropped segment becomes VOID, as in
// panopticapi); the annotation (one per image, naming its PNG) is always kept.
//
// Two passes, flat memory (never JSON.parse of the file):
//   1. the streaming scanner (formats/json-scan) validates the whole file and gives each
//      annotation's byte offset and its category ids (12 bytes kept per annotation);
//   2. a copy of the file in order, where each annotation's bytes (between its offset and the next
//      one's) are spliced at the category_id value; everything else is copied as it is.
// Output category ids are train id + 1 (COCO ids start at 1; 0 is background to torchvision and
// most converters), as `labelmap export coco` writes them.
import { randomBytes } from 'node:crypto';
import { closeSync, fstatSync, mkdirSync, openSync, readSync, renameSync, rmSync, writeSync } from 'node:fs';
import path from 'node:path';
import { LabelmapError, type Code } from '../findings.js';
import { scanJson, type PickedElement, type TopLevelEntry } from '../formats/lib/json-scan.js';
import type { Bundle, DatasetOutput } from '../taxonomy/types.js';

export interface CocoTables {
  dataset: string;
  /** Native category id -> what it becomes: a category id (train id + 1) and the set it names. */
  targets: Map<number, { categoryId: number; set: string | null } | 'ignore'>;
  /** The new `categories` value (a JSON array, one category a line). */
  categoriesJson: string;
}

/** Category id of an output label or label set in the files apply writes (and `export coco`). */
export function cocoCategoryIdOf(trainId: number): number {
  return trainId + 1;
}

export function buildCocoTables(bundle: Bundle, dataset: DatasetOutput): CocoTables {
  const targets: CocoTables['targets'] = new Map();
  for (const e of dataset.lut) {
    targets.set(e.id, e.kind === 'ignore' ? 'ignore' : { categoryId: cocoCategoryIdOf(e.train_id), set: e.kind === 'set' ? e.set : null });
  }
  const labelById = new Map(bundle.labels.map((l) => [l.train_id, l]));
  const rgb = (hex: string | undefined): number[] => (hex ? [1, 3, 5].map((i) => parseInt(hex.slice(i, i + 2), 16)) : [0, 0, 0]);
  const categories: Record<string, unknown>[] = bundle.labels.map((l) => ({
    id: cocoCategoryIdOf(l.train_id),
    name: l.name,
    supercategory: '',
    isthing: l.is_thing ? 1 : 0,
    color: rgb(l.color),
  }));
  // A label set is a category too (its annotations carry its id), marked as a set with its members,
  // so that a COCO reader finds every category id it meets.
  for (const set of bundle.label_sets) {
    const members = set.member_ids.map((id) => labelById.get(id));
    categories.push({
      id: cocoCategoryIdOf(set.id),
      name: set.name,
      supercategory: '',
      isthing: members.every((m) => m?.is_thing) ? 1 : 0,
      color: rgb(members[0]?.color),
      label_set: { kind: set.kind, members: set.members },
    });
  }
  const categoriesJson = `[\n${categories.map((c) => `  ${JSON.stringify(c)}`).join(',\n')}\n]`;
  return { dataset: dataset.name, targets, categoriesJson };
}

export interface CocoRemapResult {
  kind: 'instances' | 'panoptic';
  /** [native category id, annotations (panoptic: segments)], by id. */
  instances: [number, number][];
  annotations: number;
  /** Annotations (panoptic: segments) left out because their class goes to ignore. */
  dropped: number;
  /** Bytes of the file written (0 when counting only). */
  bytesOut: number;
}

/** Grows by doubling: per-annotation numbers without a JS array element each. */
class GrowArray {
  data: Float64Array;
  length = 0;
  constructor(capacity = 1 << 14) {
    this.data = new Float64Array(capacity);
  }
  push(v: number): void {
    if (this.length === this.data.length) {
      const next = new Float64Array(this.data.length * 2);
      next.set(this.data);
      this.data = next;
    }
    this.data[this.length++] = v;
  }
}

function fail(code: Code, file: string, el: PickedElement | null, path: string, args: Record<string, string | number>): never {
  throw new LabelmapError(code, { file, ...(el ? { offset: el.offset, line: el.line } : {}), path }, args);
}

function isInteger(v: unknown): v is number {
  return typeof v === 'number' && Number.isInteger(v);
}

/**
 * Remaps one COCO file into `out` (written atomically), or only counts with `out` null. Throws a
 * located LabelmapError for a file that is not COCO JSON or names a category the dataset lacks;
 * nothing is written then.
 */
export async function remapCoco(file: string, out: string | null, tables: CocoTables, options: { keepIgnored?: boolean } = {}): Promise<CocoRemapResult> {
  const offsets = new GrowArray();
  const ids = new GrowArray();
  const counts = new Map<number, number>();
  let dropped = 0;
  let panoptic = false;
  let instancesSeen = false;
  const count = (el: PickedElement, value: unknown, at: string): void => {
    if (!isInteger(value)) {
      fail('coco-annotation-field', file, el, at, { field: at.replace(/^.*\./, ''), expected: 'an integer category id', found: JSON.stringify(value) ?? 'nothing' });
    }
    const target = tables.targets.get(value);
    if (target === undefined) fail('apply-coco-category-unknown', file, el, at, { value, dataset: tables.dataset });
    if (target === 'ignore' && !options.keepIgnored) dropped++;
    counts.set(value, (counts.get(value) ?? 0) + 1);
  };
  const scan = await scanJson(file, {
    stream: {
      annotations: {
        pick: { fields: ['category_id'], arrays: { segments_info: ['category_id'] } },
        onElement(el) {
          const base = `$.annotations[${el.index}]`;
          if (el.kind !== 'object') fail('coco-annotation-field', file, el, base, { field: '', expected: 'an object', found: el.kind });
          offsets.push(el.offset);
          if (el.arrayKinds.segments_info !== undefined) {
            panoptic = true;
            const items = el.arrays.segments_info;
            if (!items) fail('coco-annotation-field', file, el, `${base}.segments_info`, { field: 'segments_info', expected: 'an array of segments', found: el.arrayKinds.segments_info });
            for (let k = 0; k < items.length; k++) count(el, items[k]![0], `${base}.segments_info[${k}].category_id`);
            ids.push(-1);
          } else {
            instancesSeen = true;
            const id = el.values[0];
            count(el, id, `${base}.category_id`);
            ids.push(id as number);
          }
        },
      },
    },
  });
  if (scan.rootKind !== 'object') fail('apply-coco-not-coco', file, null, '$', { found: `a JSON ${scan.rootKind ?? 'value'}` });
  const annotationsAt = onlyKey(file, scan.keys, 'annotations');
  const categoriesAt = onlyKey(file, scan.keys, 'categories');
  if (!annotationsAt || annotationsAt.kind !== 'array') {
    fail('apply-coco-not-coco', file, null, '$.annotations', { found: annotationsAt ? `annotations that are a JSON ${annotationsAt.kind}` : 'no annotations array' });
  }
  if (!categoriesAt || categoriesAt.kind !== 'array') {
    fail('apply-coco-not-coco', file, null, '$.categories', { found: categoriesAt ? `categories that are a JSON ${categoriesAt.kind}` : 'no categories array' });
  }
  if (panoptic && instancesSeen) fail('apply-coco-not-coco', file, null, '$.annotations', { found: 'annotations with and without segments_info (instances and panoptic mixed)' });

  const kind = panoptic ? 'panoptic' : 'instances';
  const instances = [...counts].sort((a, b) => a[0] - b[0]);
  if (out === null) return { kind, instances, annotations: offsets.length, dropped, bytesOut: 0 };
  const bytesOut = writeRemapped(file, out, tables, { offsets, ids, annotationsAt: annotationsAt.offset, categoriesAt: categoriesAt.offset, panoptic, keepIgnored: options.keepIgnored ?? false });
  return { kind, instances, annotations: offsets.length, dropped, bytesOut };
}

/** The one top-level entry of a key (a second one is an error: JSON readers disagree on which wins). */
function onlyKey(file: string, keys: TopLevelEntry[], key: string): TopLevelEntry | undefined {
  const found = keys.filter((k) => k.key === key);
  if (found.length > 1) throw new LabelmapError('coco-duplicate-key', { file, offset: found[1]!.offset, path: `$.${key}` }, { key, first: found[0]!.offset, second: found[1]!.offset });
  return found[0];
}

// --- pass 2: the copy with splices ---------------------------------------------------------------

/** Reads ranges of a file in increasing order through one window (grown for a larger range). */
class Window {
  private buf = Buffer.alloc(8 << 20);
  private start = 0;
  private length = 0;
  constructor(
    private readonly fd: number,
    readonly size: number,
  ) {}
  /** Bytes [a, b) (valid until the next call). */
  slice(a: number, b: number): Buffer {
    if (a < this.start || b > this.start + this.length) {
      if (b - a > this.buf.length) this.buf = Buffer.alloc(Math.max(b - a, this.buf.length * 2));
      this.start = a;
      this.length = 0;
      const want = Math.min(this.buf.length, this.size - a);
      while (this.length < want) {
        const n = readSync(this.fd, this.buf, this.length, want - this.length, a + this.length);
        if (n === 0) break;
        this.length += n;
      }
      if (b > this.start + this.length) throw new Error(`coco: file shrank while it was read (wanted byte ${b})`);
    }
    return this.buf.subarray(a - this.start, b - this.start);
  }
  /** From `a`: as many bytes as are in the window (at least `min`), for a value of unknown end. */
  from(a: number, min: number): Buffer {
    return this.slice(a, Math.min(this.size, a + min));
  }
}

/** Buffered writes to a file descriptor. */
class Sink {
  private buf = Buffer.alloc(4 << 20);
  private used = 0;
  written = 0;
  constructor(private readonly fd: number) {}
  put(bytes: Uint8Array): void {
    if (bytes.length > this.buf.length - this.used) {
      this.flush();
      if (bytes.length > this.buf.length) {
        this.writeAll(bytes);
        return;
      }
    }
    this.buf.set(bytes, this.used);
    this.used += bytes.length;
  }
  text(s: string): void {
    this.put(Buffer.from(s, 'utf8'));
  }
  flush(): void {
    this.writeAll(this.buf.subarray(0, this.used));
    this.used = 0;
  }
  private writeAll(bytes: Uint8Array): void {
    let done = 0;
    while (done < bytes.length) done += writeSync(this.fd, bytes, done, bytes.length - done);
    this.written += bytes.length;
  }
}

interface Plan {
  offsets: GrowArray;
  ids: GrowArray;
  annotationsAt: number;
  categoriesAt: number;
  panoptic: boolean;
  keepIgnored: boolean;
}

function writeRemapped(file: string, out: string, tables: CocoTables, plan: Plan): number {
  const fd = openSync(file, 'r');
  try {
    const window = new Window(fd, fstatSync(fd).size);
    return writeThroughTempFd(out, (outFd) => {
      const sink = new Sink(outFd);
      let pos = 0;
      const copyTo = (end: number): void => {
        while (pos < end) {
          const step = Math.min(end - pos, 4 << 20);
          sink.put(window.slice(pos, pos + step));
          pos += step;
        }
      };
      const events = [
        { at: plan.categoriesAt, run: (): void => {
          copyTo(plan.categoriesAt);
          sink.text(tables.categoriesJson);
          pos = valueEnd(window, plan.categoriesAt);
        } },
        { at: plan.annotationsAt, run: (): void => {
          copyTo(plan.annotationsAt);
          pos = writeAnnotations(window, sink, tables, plan);
        } },
      ].sort((a, b) => a.at - b.at);
      for (const e of events) e.run();
      copyTo(window.size);
      sink.flush();
      return sink.written;
    });
  } finally {
    closeSync(fd);
  }
}

/** Writes the annotations array (from its '[' to after its ']'); returns the offset after it. */
function writeAnnotations(window: Window, sink: Sink, tables: CocoTables, plan: Plan): number {
  const n = plan.offsets.length;
  if (n === 0) {
    const arrayEnd = valueEnd(window, plan.annotationsAt);
    sink.put(window.slice(plan.annotationsAt, arrayEnd));
    return arrayEnd;
  }
  const first = plan.offsets.data[0]!;
  sink.put(window.slice(plan.annotationsAt, first)); // '[' and the blanks before the first element
  let kept = 0;
  let separator: Buffer = Buffer.alloc(0);
  let lastEnd = first;
  for (let i = 0; i < n; i++) {
    const start = plan.offsets.data[i]!;
    const end = i + 1 < n ? elementEndBefore(window, start, plan.offsets.data[i + 1]!) : valueEnd(window, start);
    const element = window.slice(start, end);
    const replaced = plan.panoptic ? rewritePanoptic(element, tables, plan.keepIgnored) : rewriteInstance(element, plan.ids.data[i]!, tables, plan.keepIgnored);
    if (replaced !== null) {
      if (kept > 0) sink.put(separator);
      sink.put(replaced);
      kept++;
    }
    // The separator after this element (',' and blanks), put before the next kept one.
    if (i + 1 < n) separator = Buffer.from(window.slice(end, plan.offsets.data[i + 1]!));
    lastEnd = end;
  }
  // Blanks and the ']' after the last element (never a walk over the whole array: it is most of the file).
  let arrayEnd = lastEnd;
  for (;;) {
    const bytes = window.from(arrayEnd, 1 << 16);
    let i = 0;
    while (i < bytes.length && isBlank(bytes[i])) i++;
    if (i < bytes.length) {
      arrayEnd += i + 1; // the ']'
      break;
    }
    arrayEnd += bytes.length;
  }
  sink.put(window.slice(lastEnd, arrayEnd));
  return arrayEnd;
}

const KEY_CATEGORY_ID = Buffer.from('"category_id"');
const BACKSLASH = 0x5c;

function isBlank(c: number | undefined): boolean {
  return c === 0x20 || c === 0x0a || c === 0x0d || c === 0x09;
}

/** End of the element that starts at `start`, given where the next one starts (before the ','). */
function elementEndBefore(window: Window, start: number, next: number): number {
  const bytes = window.slice(start, next);
  let i = bytes.length - 1;
  while (i >= 0 && isBlank(bytes[i])) i--;
  // bytes[i] is the ',' (the scanner validated the grammar)
  i--;
  while (i >= 0 && isBlank(bytes[i])) i--;
  return start + i + 1;
}

/** The offset after the JSON value that starts at `start` (the file is valid JSON: pass 1 said so). */
function valueEnd(window: Window, start: number): number {
  for (let size = 1 << 16; ; size *= 4) {
    const bytes = window.from(start, size);
    const end = skipValue(bytes, 0);
    if (end >= 0) return start + end;
    if (start + bytes.length >= window.size) throw new Error('coco: a value runs past the end of the file');
  }
}

/** Index after the value at bytes[i] (blanks before it skipped), or -1 when bytes end first. */
function skipValue(bytes: Uint8Array, i: number): number {
  while (isBlank(bytes[i])) i++;
  const c = bytes[i];
  if (c === undefined) return -1;
  if (c === 0x22) return skipString(bytes, i);
  if (c !== 0x7b && c !== 0x5b) {
    // number or literal: up to a delimiter
    while (i < bytes.length && !isBlank(bytes[i]) && bytes[i] !== 0x2c && bytes[i] !== 0x5d && bytes[i] !== 0x7d) i++;
    return i < bytes.length ? i : -1;
  }
  let depth = 0;
  while (i < bytes.length) {
    const b = bytes[i]!;
    if (b === 0x22) {
      i = skipString(bytes, i);
      if (i < 0) return -1;
      continue;
    }
    if (b === 0x7b || b === 0x5b) depth++;
    else if (b === 0x7d || b === 0x5d) {
      depth--;
      if (depth === 0) return i + 1;
    }
    i++;
  }
  return -1;
}

function skipString(bytes: Uint8Array, i: number): number {
  i++;
  for (;;) {
    const q = bytes.indexOf(0x22, i);
    if (q < 0) return -1;
    // An escaped quote has an odd run of backslashes before it.
    let k = q - 1;
    while (k >= i && bytes[k] === BACKSLASH) k--;
    if ((q - 1 - k) % 2 === 0) return q + 1;
    i = q + 1;
  }
}

interface Field {
  key: string;
  valueStart: number;
  valueEnd: number;
}

/** The fields of the object at bytes[0] (a whole element), with their values' byte ranges. */
function objectFields(bytes: Uint8Array, from = 0): { fields: Field[]; end: number } {
  const fields: Field[] = [];
  let i = from;
  while (isBlank(bytes[i])) i++;
  i++; // '{'
  for (;;) {
    while (isBlank(bytes[i]) || bytes[i] === 0x2c) i++;
    if (bytes[i] === 0x7d) return { fields, end: i + 1 };
    const keyEnd = skipString(bytes, i);
    const raw = Buffer.from(bytes.buffer, bytes.byteOffset + i, keyEnd - i);
    const key = raw.includes(BACKSLASH) ? (JSON.parse(raw.toString('utf8')) as string) : raw.toString('utf8', 1, raw.length - 1);
    i = keyEnd;
    while (isBlank(bytes[i])) i++;
    i++; // ':'
    while (isBlank(bytes[i])) i++;
    const valueStart = i;
    i = skipValue(bytes, i);
    fields.push({ key, valueStart, valueEnd: i });
  }
}

/** The new value text of a category_id (with the extra field a set or a kept ignore adds), or null: drop. */
function newCategoryValue(nativeId: number, tables: CocoTables, keepIgnored: boolean): string | null {
  const target = tables.targets.get(nativeId)!;
  if (target === 'ignore') return keepIgnored ? '0, "ignore": 1' : null;
  return target.set === null ? String(target.categoryId) : `${target.categoryId}, "label_set": ${JSON.stringify(target.set)}`;
}

function splice(bytes: Uint8Array, start: number, end: number, text: string): Buffer {
  return Buffer.concat([bytes.subarray(0, start), Buffer.from(text, 'utf8'), bytes.subarray(end)]);
}

/** One instance annotation: its category_id value replaced, or null when it is dropped. */
function rewriteInstance(element: Buffer, nativeId: number, tables: CocoTables, keepIgnored: boolean): Buffer | null {
  const text = newCategoryValue(nativeId, tables, keepIgnored);
  if (text === null) return null;
  // Fast path (every COCO export): one "category_id" in the element and no escapes in it, so the
  // match is the element's own key. Otherwise the element's fields are walked.
  const at = element.indexOf(KEY_CATEGORY_ID);
  if (at >= 0 && element.indexOf(KEY_CATEGORY_ID, at + 1) < 0 && element.indexOf(BACKSLASH) < 0) {
    let i = at + KEY_CATEGORY_ID.length;
    while (isBlank(element[i])) i++;
    i++; // ':'
    while (isBlank(element[i])) i++;
    const end = skipValue(element, i);
    return splice(element, i, end, text);
  }
  const field = objectFields(element).fields.find((f) => f.key === 'category_id')!;
  return splice(element, field.valueStart, field.valueEnd, text);
}

/** One panoptic annotation: each segment's category_id replaced, segments of ignored classes dropped. */
function rewritePanoptic(element: Buffer, tables: CocoTables, keepIgnored: boolean): Buffer {
  const segments = objectFields(element).fields.find((f) => f.key === 'segments_info')!;
  const parts: Buffer[] = [element.subarray(0, segments.valueStart)];
  // Items of the segments array with their ranges, then each item's category_id.
  const items: { start: number; end: number }[] = [];
  let i = segments.valueStart + 1;
  for (;;) {
    while (isBlank(element[i]) || element[i] === 0x2c) i++;
    if (element[i] === 0x5d) break;
    const end = skipValue(element, i);
    items.push({ start: i, end });
    i = end;
  }
  const closing = i; // ']'
  const lead = items.length ? element.subarray(segments.valueStart, items[0]!.start) : element.subarray(segments.valueStart, closing);
  parts.push(lead);
  let kept = 0;
  for (let k = 0; k < items.length; k++) {
    const item = items[k]!;
    const field = objectFields(element, item.start).fields.find((f) => f.key === 'category_id')!;
    const nativeId = Number(element.toString('latin1', field.valueStart, field.valueEnd));
    const text = newCategoryValue(nativeId, tables, keepIgnored);
    if (text === null) continue;
    if (kept > 0) parts.push(element.subarray(items[k - 1]!.end, item.start)); // the separator before it
    parts.push(element.subarray(item.start, field.valueStart), Buffer.from(text, 'utf8'), element.subarray(field.valueEnd, item.end));
    kept++;
  }
  const tailFrom = items.length ? items[items.length - 1]!.end : closing;
  parts.push(element.subarray(tailFrom, closing), element.subarray(closing));
  return Buffer.concat(parts);
}

/** Writes through a temporary file in the output's folder, renamed into place at the end. */
function writeThroughTempFd(out: string, write: (fd: number) => number): number {
  mkdirSync(path.dirname(out), { recursive: true });
  const tmp = path.join(path.dirname(out), `.${path.basename(out)}.tmp-${process.pid}-${randomBytes(4).toString('hex')}`);
  const fd = openSync(tmp, 'wx', 0o644);
  try {
    const n = write(fd);
    closeSync(fd);
    renameSync(tmp, out);
    return n;
  } catch (error) {
    try {
      closeSync(fd);
    } catch {
      /* closed */
    }
    rmSync(tmp, { force: true });
    throw error;
  }
}
