// COCO-style annotation files: instances, panoptic, stuff, LVIS-style, and bare category lists.
//
//   {"info": {...}, "licenses": [...], "images": [...],
//    "annotations": [{"segmentation": [[...]], "area": 702.1, "iscrowd": 0, "image_id": 289343,
//                     "bbox": [...], "category_id": 18, "id": 1768}, ...],
//    "categories": [{"supercategory": "person", "id": 1, "name": "person"}, ...]}
//
// Panoptic files put the classes of an image in `segments_info` and mark things and stuff:
//   {"annotations": [{"segments_info": [{"id": 3937500, "category_id": 1, ...}], "image_id": 142238, ...}],
//    "categories": [{"supercategory": "person", "color": [220, 20, 60], "isthing": 1, "id": 1, "name": "person"}]}
// panopticapi's panoptic_coco_categories.json is the bare `categories` array.
//
// In the real files `categories` comes last, after hundreds of MB of annotations, so the file is
// read once with the streaming scanner (lib/json-scan.ts): categories are parsed element by element,
// annotations are never built (only category_id / image_id / segments_info[].category_id are picked).
import { statSync } from 'node:fs';
import { readdir } from 'node:fs/promises';
import { availableParallelism, loadavg } from 'node:os';
import path from 'node:path';
import { LabelmapError, messageOf, type Place } from '../findings.js';
import { isDirectoryAsync } from '../io/folders.js';
import { listSome } from '../text/index.js';
import type { DatasetClass } from '../sheets/schema.js';
import { autoThreads } from '../io/worker.js';
import { PARALLEL_BYTES, roomForSeam, scanSplit, type PartRun, type SplitOutcome } from './coco-split.js';
import { JsonScanner, readHead, scanJson, type JsonKind, type PickedElement, type PickedValue, type PickSpec, type ScanHandlers, type ScanResult, type TopLevelEntry } from './lib/json-scan.js';
import { datasetClass, rgbToHex, type Detection, type Extraction, type Extractor, type ExtractOptions } from './types.js';

/** One category as written in the file, checked. */
export interface CocoCategory {
  id: number;
  name: string;
  supercategory: string;
  /** `isthing` of panoptic files (0/1 or a boolean); undefined when absent. */
  isthing?: boolean;
  /** `#rrggbb` from `color: [r, g, b]`; undefined when absent. */
  color?: string;
  /** LVIS / Objects365 fields kept as x_ columns (`x_synset`, `x_synonyms`, `x_def`, `x_frequency`). */
  extra?: Record<string, string>;
  /** Where it is, for messages. */
  path: string;
  offset: number;
}

/**
 * What kind of file it is:
 * - `instances`: detection/segmentation annotations (also LVIS, Objects365-style exports);
 * - `panoptic`: annotations carry `segments_info`, or categories carry `isthing`, or the categories
 *   are the COCO panoptic set in detection format (`color`, no `isthing`, ids both <= 91 and >= 92);
 * - `stuff`: COCO-Stuff, every category id within 92..183;
 * - `categories`: a bare JSON array of categories (no annotations).
 */
export type CocoKind = 'instances' | 'panoptic' | 'stuff' | 'categories';

export interface CocoCounts {
  /** Annotations (panoptic: segments) per category id. */
  instances: Map<number, number>;
  /** Distinct image ids per category id. */
  images: Map<number, number>;
  /** Annotations in the file (panoptic: annotations = images with segments). */
  annotations: number;
  /** Panoptic segments in the file. */
  segments: number;
  /** Distinct image ids referenced by annotations. */
  distinctImages: number;
}

export interface CocoFile {
  file: string;
  kind: CocoKind;
  categories: CocoCategory[];
  keys: TopLevelEntry[];
  /** Whether the file has an `annotations` array (counts are meaningful). */
  hasAnnotations: boolean;
  /** Whether annotations carry panoptic `segments_info`. */
  segmentsInfo: boolean;
  /** Counts, when asked for. */
  counts?: CocoCounts;
  /** How a scan on two threads went (coco-split.ts); absent when the file was read on one. */
  split?: SplitOutcome;
}

export interface ReadCocoOptions {
  stats: boolean;
  onProgress?: (done: number, total: number) => void;
  /** Bytes read at a time (tests use tiny chunks). */
  chunkSize?: number;
  /**
   * Per-image readers (labelmap attributes): each element of `images` (id, file_name, height,
   * checked), in file order. With it, `images` is streamed; without it, only counted.
   */
  onImage?: (image: CocoImage) => void;
  /**
   * Each instance (an annotation; panoptic: a segment) with its image and its box height (`bbox[3]`,
   * null without a usable box; panoptic segments give null: their boxes are not picked).
   */
  onInstance?: (imageId: number | string, categoryId: number, boxHeight: number | null) => void;
  /** `--jobs`: 1 or 2 threads; undefined: two from PARALLEL_BYTES when a second core is free (autoThreads). */
  jobs?: number;
  /** Tests: the size from which two threads are used (PARALLEL_BYTES). */
  parallelFrom?: number;
  /** Tests: where the scan splits (any offset: a seam the first part does not confirm is refused). */
  seamAt?: number;
  /** Tests: the second part's scan (default: a worker thread). */
  part?: () => PartRun;
}

/** One element of `images`, as onImage gives it. */
export interface CocoImage {
  id: number | string;
  /** `file_name`, or the id as text when absent. */
  fileName: string;
  /** `height` in pixels, or null when absent. */
  height: number | null;
}

// --- counting ---------------------------------------------------------------------------------

/** Image ids below this get their dense number from a flat array (4 bytes per id up to the largest). */
const SMALL_IMAGE_IDS = 1 << 22;

interface CategoryCount {
  id: number;
  instances: number;
  images: number;
  /** One bit per image, indexed by the image's dense number (first-seen order). */
  bits: Uint32Array;
}

/**
 * Per-category instance counts and distinct-image counts. Image ids (numbers or strings, in any
 * order) get dense numbers 0, 1, 2, ... in first-seen order; each category keeps a bitset over
 * those numbers, so 860k annotations over 118k images and 80 categories take ~1.2 MB of bits
 * plus the id map, whatever the order of the annotations.
 */
const isSmallImageId = (id: number | string): id is number => typeof id === 'number' && id >= 0 && id < SMALL_IMAGE_IDS && Number.isInteger(id);

/** Pairs counted per batch (see CategoryImageCounter.flush). */
const BATCH = 65536;

export class CategoryImageCounter {
  /** Dense numbers of small non-negative integer image ids (id -> dense + 1), the common case. */
  private small = new Int32Array(1024);
  /** Dense numbers of other image ids (strings, large or negative numbers). */
  private readonly other = new Map<number | string, number>();
  private size = 0;
  /** Counts per category, in first-seen order; slots by category id: small ids in an array, others in a map. */
  private readonly counts: CategoryCount[] = [];
  private readonly smallCategories: (number | undefined)[] = [];
  private readonly otherCategories = new Map<number, number>();
  /**
   * (image, category slot) pairs not yet counted (see flush): the image as its small id, or as
   * -(dense number) - 1 for the other ids (numbered at once, in the map).
   */
  private readonly pendingImage = new Int32Array(BATCH);
  private readonly pendingSlot = new Int32Array(BATCH);
  private readonly byImage = new Int32Array(BATCH);
  private readonly byImageSlot = new Int32Array(BATCH);
  private readonly sortedDense = new Int32Array(BATCH);
  private pending = 0;

  private denseOf(imageId: number | string): number {
    if (isSmallImageId(imageId)) {
      if (imageId >= this.small.length) {
        const grown = new Int32Array(Math.min(SMALL_IMAGE_IDS, Math.max(imageId + 1, this.small.length * 2)));
        grown.set(this.small);
        this.small = grown;
      }
      const d = this.small[imageId]!;
      if (d !== 0) return d - 1;
      this.small[imageId] = ++this.size;
      return this.size - 1;
    }
    let d = this.other.get(imageId);
    if (d === undefined) {
      d = this.size++;
      this.other.set(imageId, d);
    }
    return d;
  }

  /** The slot of a category in `counts` (made on first sight). */
  private slotOf(categoryId: number): number {
    const isSmall = categoryId >= 0 && categoryId < 65536;
    let slot = isSmall ? this.smallCategories[categoryId] : this.otherCategories.get(categoryId);
    if (slot === undefined) {
      slot = this.counts.length;
      this.counts.push({ id: categoryId, instances: 0, images: 0, bits: new Uint32Array(64) });
      if (isSmall) this.smallCategories[categoryId] = slot;
      else this.otherCategories.set(categoryId, slot);
    }
    return slot;
  }

  add(categoryId: number, imageId: number | string): void {
    const k = this.pending;
    this.pendingImage[k] = isSmallImageId(imageId) ? imageId : -this.denseOf(imageId) - 1;
    this.pendingSlot[k] = this.slotOf(categoryId);
    if ((this.pending = k + 1) === BATCH) this.flush();
  }

  /**
   * Counts the pending pairs. Two counting sorts: by image id in runs of 1024 ids first, so that
   * the image ids' dense numbers are looked up nearly in order (at random, the 0.5 MB table for
   * COCO's ids was a cache miss per annotation: ~110 of ~150 ms); then by category slot, so that
   * each category's bitset is touched in one run instead of at random (80 bitsets of 15 KB apart).
   * Dense numbers then follow the batch's id order, not first sight: only their count is seen.
   */
  private flush(): void {
    const m = this.pending;
    if (m === 0) return;
    this.pending = 0;
    const image = this.pendingImage;
    const slot = this.pendingSlot;
    let runs = 1;
    for (let k = 0; k < m; k++) runs = Math.max(runs, (image[k]! >> 10) + 2);
    const at = new Int32Array(runs + 1);
    // Run 0 holds the other ids (negative: already dense), run r + 1 the small ids r * 1024 ...
    for (let k = 0; k < m; k++) at[Math.max(0, (image[k]! >> 10) + 1) + 1]!++;
    for (let r = 0; r < runs; r++) at[r + 1]! += at[r]!;
    const byImage = this.byImage;
    const byImageSlot = this.byImageSlot;
    for (let k = 0; k < m; k++) {
      const to = at[Math.max(0, (image[k]! >> 10) + 1)]!++;
      byImage[to] = image[k]!;
      byImageSlot[to] = slot[k]!;
    }
    for (let k = 0; k < m; k++) {
      const id = byImage[k]!;
      byImage[k] = id < 0 ? -id - 1 : this.denseOf(id);
    }
    const slots = this.counts.length;
    const next = new Int32Array(slots + 1);
    for (let k = 0; k < m; k++) next[byImageSlot[k]! + 1]!++;
    for (let s = 0; s < slots; s++) next[s + 1]! += next[s]!;
    const firsts = next.slice();
    const sorted = this.sortedDense;
    for (let k = 0; k < m; k++) sorted[next[byImageSlot[k]!]!++] = byImage[k]!;
    const words = (this.size >>> 5) + 1;
    for (let s = 0; s < slots; s++) {
      const from = firsts[s]!;
      const to = firsts[s + 1]!;
      if (from === to) continue;
      const c = this.counts[s]!;
      if (c.bits.length < words) {
        const grown = new Uint32Array(Math.max(words, c.bits.length * 2));
        grown.set(c.bits);
        c.bits = grown;
      }
      const bits = c.bits;
      let images = 0;
      for (let k = from; k < to; k++) {
        const d = sorted[k]!;
        const word = d >>> 5;
        const mask = 1 << (d & 31);
        const w = bits[word]!;
        if ((w & mask) === 0) {
          bits[word] = w | mask;
          images++;
        }
      }
      c.instances += to - from;
      c.images += images;
    }
  }

  /** The counts as data for another thread: image ids by dense number, and per category (first-seen order) its count and image bits. */
  part(): CounterPart {
    this.flush();
    const ids = new Array<number | string>(this.size);
    const small = this.small;
    for (let id = 0; id < small.length; id++) if (small[id] !== 0) ids[small[id]! - 1] = id;
    for (const [id, d] of this.other) ids[d] = id;
    return { ids, categories: this.counts.map((c) => ({ id: c.id, instances: c.instances, bits: c.bits.slice(0, (this.size >>> 5) + 1) })) };
  }

  /**
   * Adds the counts of another counter (a split scan's second part): its images by id (a dense
   * number here for each), then per category its instances, and its images not counted here yet.
   * Categories new here follow in its first-seen order, after this one's: the serial order.
   */
  merge(part: CounterPart): void {
    this.flush();
    const here = new Int32Array(part.ids.length);
    for (let d = 0; d < part.ids.length; d++) here[d] = this.denseOf(part.ids[d]!);
    const words = (this.size >>> 5) + 1;
    for (const pc of part.categories) {
      const c = this.counts[this.slotOf(pc.id)]!;
      if (c.bits.length < words) {
        const grown = new Uint32Array(Math.max(words, c.bits.length * 2));
        grown.set(c.bits);
        c.bits = grown;
      }
      const bits = c.bits;
      const theirs = pc.bits;
      let images = 0;
      for (let w = 0; w < theirs.length; w++) {
        for (let x = theirs[w]!; x !== 0; x &= x - 1) {
          const d = here[(w << 5) | (31 - Math.clz32(x & -x))]!;
          const word = d >>> 5;
          const mask = 1 << (d & 31);
          if ((bits[word]! & mask) === 0) {
            bits[word]! |= mask;
            images++;
          }
        }
      }
      c.instances += pc.instances;
      c.images += images;
    }
  }

  /** Counts an image with no instance (a panoptic annotation with empty segments_info). */
  addImage(imageId: number | string): void {
    this.denseOf(imageId);
  }

  /** Every category counted, small ids in id order first (the order the results have always had). */
  private all(): CategoryCount[] {
    this.flush();
    const small = this.smallCategories.filter((s): s is number => s !== undefined).map((s) => this.counts[s]!);
    return [...small, ...[...this.otherCategories.values()].map((s) => this.counts[s]!)];
  }

  instances(): Map<number, number> {
    return new Map(this.all().map((c) => [c.id, c.instances]));
  }

  images(): Map<number, number> {
    return new Map(this.all().map((c) => [c.id, c.images]));
  }

  get distinctImages(): number {
    this.flush();
    return this.size;
  }
}

/** A counter's counts as they cross threads (CategoryImageCounter.part). */
export interface CounterPart {
  /** Image ids by dense number. */
  ids: (number | string)[];
  /** Per category, in first-seen order: instances, and one bit per image (by dense number). */
  categories: { id: number; instances: number; bits: Uint32Array }[];
}

// --- describing values in messages ------------------------------------------------------------------

function describeValue(v: PickedValue | unknown): string {
  if (v === undefined) return 'nothing (the key is missing)';
  if (v === null) return 'null';
  if (typeof v === 'string') return `the string ${JSON.stringify(v.length > 40 ? `${v.slice(0, 40)}...` : v)}`;
  if (typeof v === 'number') return String(v);
  if (typeof v === 'boolean') return String(v);
  if (Array.isArray(v)) return 'an array';
  if (typeof v === 'object' && 'compound' in (v as object)) return `an ${(v as { compound: string }).compound}`;
  return 'an object';
}

function kindArticle(kind: JsonKind): string {
  return kind === 'object' || kind === 'array' ? `an ${kind}` : kind === 'null' ? 'null' : `a ${kind}`;
}

const isInteger = (v: unknown): v is number => typeof v === 'number' && Number.isSafeInteger(v);

/** A part of a split scan's tally (CocoAnnotationTally.part), as it crosses threads. */
export interface CocoTallyPart {
  annotations: number;
  segments: number;
  panoptic: boolean;
  counts: CounterPart;
}

/**
 * What the elements of `annotations` add up to, with their checks (each error names the element).
 * A split scan (coco-split.ts) keeps one per thread and merges the second part's into the first's.
 */
export class CocoAnnotationTally {
  readonly counter = new CategoryImageCounter();
  annotations = 0;
  segments = 0;
  /** Whether an annotation carries panoptic `segments_info`. */
  panoptic = false;

  constructor(
    private readonly file: string,
    private readonly stats: boolean,
    private readonly onInstance?: ReadCocoOptions['onInstance'],
  ) {}

  /** What the scanner picks from each annotation. Without --stats only the presence of segments_info (panoptic) is looked at. */
  pick(): PickSpec {
    return this.stats || this.onInstance
      ? { fields: ['category_id', 'image_id'], arrays: { segments_info: ['category_id'] }, ...(this.onInstance ? { lists: ['bbox'] } : {}) }
      : { fields: [], arrays: { segments_info: [] } };
  }

  readonly onAnnotation = (el: PickedElement): void => {
    const file = this.file;
    const onInstance = this.onInstance;
    this.annotations++;
    if (el.kind !== 'object') {
      throw new LabelmapError('coco-annotation-field', placeOf(file, el, `$.annotations[${el.index}]`), { field: '', expected: 'an object', found: kindArticle(el.kind) });
    }
    const segmentsKind = el.arrayKinds.segments_info;
    if (segmentsKind !== undefined) this.panoptic = true;
    if (!this.stats && !onInstance) return;

    const imageId = el.values[1];
    if (!(isInteger(imageId) || (typeof imageId === 'string' && imageId !== ''))) {
      throw new LabelmapError('coco-annotation-field', placeOf(file, el, `$.annotations[${el.index}].image_id`), {
        field: 'image_id',
        expected: 'an integer (or a non-empty string) image id',
        found: describeValue(imageId),
      });
    }
    if (segmentsKind !== undefined) {
      const items = el.arrays.segments_info;
      if (items === undefined) {
        throw new LabelmapError('coco-annotation-field', placeOf(file, el, `$.annotations[${el.index}].segments_info`), {
          field: 'segments_info',
          expected: 'an array of segments',
          found: kindArticle(segmentsKind),
        });
      }
      if (this.stats) this.counter.addImage(imageId);
      for (let k = 0; k < items.length; k++) {
        const categoryId = items[k]![0];
        if (!isInteger(categoryId)) {
          throw new LabelmapError('coco-annotation-field', placeOf(file, el, `$.annotations[${el.index}].segments_info[${k}].category_id`), {
            field: 'segments_info[].category_id',
            expected: 'an integer category id',
            found: describeValue(categoryId),
            fix: typeof categoryId === 'string' ? 'write ids as JSON numbers (18, not "18")' : undefined,
          });
        }
        if (this.stats) this.counter.add(categoryId, imageId);
        onInstance?.(imageId, categoryId, null);
        this.segments++;
      }
      return;
    }
    const categoryId = el.values[0];
    if (!isInteger(categoryId)) {
      throw new LabelmapError('coco-annotation-field', placeOf(file, el, `$.annotations[${el.index}].category_id`), {
        field: 'category_id',
        expected: 'an integer category id',
        found: describeValue(categoryId),
        fix: typeof categoryId === 'string' ? 'write ids as JSON numbers (18, not "18")' : undefined,
      });
    }
    if (this.stats) this.counter.add(categoryId, imageId);
    onInstance?.(imageId, categoryId, boxHeightOf(el.arrays.bbox));
  };

  /** This tally as data for another thread. */
  part(): CocoTallyPart {
    return { annotations: this.annotations, segments: this.segments, panoptic: this.panoptic, counts: this.counter.part() };
  }

  /** Adds the tally of the annotations after these (the second part of a split scan). */
  merge(part: CocoTallyPart): void {
    this.annotations += part.annotations;
    this.segments += part.segments;
    this.panoptic ||= part.panoptic;
    this.counter.merge(part.counts);
  }
}

// --- reading ----------------------------------------------------------------------------------------

/** Reads a COCO file once, streaming; throws LabelmapError (exit 2) for anything unusable. */
export async function readCoco(file: string, options: ReadCocoOptions): Promise<CocoFile> {
  checkStartsLikeJson(file);
  const categories: CocoCategory[] = [];
  const idSeen = new Map<number, string>();
  const nameSeen = new Map<string, string>();

  const onCategory = (el: PickedElement, prefix: string): void => {
    if (el.index === 0 && categories.length > 0) {
      // A second top-level `categories` array (JSON readers disagree on which one wins).
      throw new LabelmapError('coco-duplicate-key', { file, offset: el.offset, line: el.line, path: prefix }, { key: 'categories', first: categories[0]!.offset, second: el.offset });
    }
    const category = checkCategory(file, el, prefix);
    const firstById = idSeen.get(category.id);
    if (firstById !== undefined) {
      throw new LabelmapError('coco-duplicate-category', placeOf(file, el, `${category.path}.id`), { field: 'id', value: category.id, first: firstById });
    }
    const firstByName = nameSeen.get(category.name);
    if (firstByName !== undefined) {
      throw new LabelmapError('coco-duplicate-category', placeOf(file, el, `${category.path}.name`), { field: 'name', value: category.name, first: firstByName });
    }
    idSeen.set(category.id, category.path);
    nameSeen.set(category.name, category.path);
    categories.push(category);
  };

  const { onImage } = options;
  const tally = new CocoAnnotationTally(file, options.stats, options.onInstance);

  const onImageElement = (el: PickedElement): void => {
    const at = (field: string) => placeOf(file, el, `$.images[${el.index}]${field ? `.${field}` : ''}`);
    if (el.kind !== 'object') throw new LabelmapError('coco-image-field', at(''), { field: '', expected: 'an object', found: kindArticle(el.kind) });
    const [id, fileName, height] = el.values;
    if (!(isInteger(id) || (typeof id === 'string' && id !== ''))) {
      throw new LabelmapError('coco-image-field', at('id'), { field: 'id', expected: 'an integer (or a non-empty string) image id', found: describeValue(id) });
    }
    if (fileName !== undefined && typeof fileName !== 'string') throw new LabelmapError('coco-image-field', at('file_name'), { field: 'file_name', expected: 'a file name', found: describeValue(fileName) });
    if (height !== undefined && height !== null && !(typeof height === 'number' && height > 0)) {
      throw new LabelmapError('coco-image-field', at('height'), { field: 'height', expected: 'a height in pixels (a positive number)', found: describeValue(height) });
    }
    onImage!({ id, fileName: fileName ?? String(id), height: typeof height === 'number' ? height : null });
  };

  const handlers: ScanHandlers = {
    stream: {
      categories: { whole: true, onElement: (el) => onCategory(el, '$.categories') },
      annotations: { pick: tally.pick(), onElement: tally.onAnnotation },
      ...(onImage ? { images: { pick: { fields: ['id', 'file_name', 'height'] }, onElement: onImageElement } } : {}),
    },
    root: { whole: true, onElement: (el) => onCategory(el, '$') },
  };
  // On two threads when the file is large and a second core is free (or --jobs 2); not with
  // onInstance, whose calls follow the file's order.
  const size = options.onInstance ? 0 : fileSize(file);
  const threads = options.jobs ?? autoThreads(size, availableParallelism(), loadavg()[0] ?? 0, options.parallelFrom ?? PARALLEL_BYTES);
  let split: SplitOutcome | undefined;
  let result: ScanResult;
  if (threads > 1 && !options.onInstance && (options.seamAt !== undefined || roomForSeam(size, options.chunkSize))) {
    ({ result, outcome: split } = await scanSplit(file, handlers, tally, { stats: options.stats, size, onProgress: options.onProgress, chunkSize: options.chunkSize, seamAt: options.seamAt, part: options.part }));
  } else {
    result = await scanJson(file, handlers, { onProgress: options.onProgress, chunkSize: options.chunkSize });
  }

  checkKeys(file, result.keys);
  const categoriesEntry = result.keys.find((k) => k.key === 'categories');
  if (result.rootKind === 'object' && (categoriesEntry === undefined || categoriesEntry.kind !== 'array')) {
    throw new LabelmapError('coco-no-categories', { file, ...(categoriesEntry ? { offset: categoriesEntry.offset, path: '$.categories' } : {}) }, { looks: looksLike(result.keys, categoriesEntry) });
  }
  if (result.rootKind !== 'object' && result.rootKind !== 'array') {
    throw new LabelmapError('coco-no-categories', { file }, { looks: `a single JSON ${result.rootKind ?? 'value'}` });
  }
  if (categories.length === 0) {
    throw new LabelmapError('coco-no-categories', { file, path: result.rootKind === 'array' ? '$' : '$.categories' }, {
      looks: result.rootKind === 'array' ? 'an empty JSON array' : 'a COCO file whose categories array is empty',
    });
  }
  const annotationsEntry = result.keys.find((k) => k.key === 'annotations' && k.kind === 'array');
  const kind = classify(result.rootKind === 'array', tally.panoptic, categories);
  const out: CocoFile = { file, kind, categories, keys: result.keys, hasAnnotations: annotationsEntry !== undefined, segmentsInfo: tally.panoptic };
  if (split) out.split = split;
  if (options.stats) {
    const counter = tally.counter;
    out.counts = {
      instances: counter.instances(),
      images: counter.images(),
      annotations: tally.annotations,
      segments: tally.segments,
      distinctImages: counter.distinctImages,
    };
  }
  return out;
}

/** `bbox: [x, y, width, height]` -> height; null when the box is absent or not four finite numbers, height >= 0. */
function boxHeightOf(items: PickedValue[][] | undefined): number | null {
  if (items?.length !== 4) return null;
  const h = items[3]![0];
  return items.every((v) => typeof v[0] === 'number' && Number.isFinite(v[0])) && typeof h === 'number' && h >= 0 ? h : null;
}

function placeOf(file: string, el: PickedElement, path: string): Place {
  return { file, offset: el.offset, line: el.line, path };
}

/** The file's size in bytes (0 when it cannot be looked at: the scan then says why). */
function fileSize(file: string): number {
  try {
    return statSync(file).size;
  } catch {
    return 0;
  }
}

/** The first non-blank byte must open a JSON object or array. */
function checkStartsLikeJson(file: string): void {
  const head = readHead(file, 64);
  let i = head[0] === 0xef && head[1] === 0xbb && head[2] === 0xbf ? 3 : 0;
  while (i < head.length && (head[i] === 0x20 || head[i] === 0x0a || head[i] === 0x0d || head[i] === 0x09)) i++;
  if (i >= head.length) {
    if (head.length < 64) throw new LabelmapError('json-empty', { file }, {});
    return; // 64 blanks: let the scanner say what follows
  }
  const c = head[i]!;
  if (c === 0x7b || c === 0x5b) return;
  throw new LabelmapError('coco-not-json', { file, offset: i }, { found: describeStart(head.subarray(i)) });
}

function describeStart(bytes: Uint8Array): string {
  const c = bytes[0]!;
  if (c === 0x89 && bytes[1] === 0x50) return 'the bytes of a PNG image';
  if (c === 0xff && bytes[1] === 0xd8) return 'the bytes of a JPEG image';
  if (c === 0x50 && bytes[1] === 0x4b) return 'the bytes of a ZIP archive';
  if (c === 0x1f && bytes[1] === 0x8b) return 'the bytes of a gzip archive (unpack it first)';
  if (c >= 0x20 && c < 0x7f) {
    const text = Buffer.from(bytes.subarray(0, 20)).toString('latin1').replace(/[^\x20-\x7e].*$/s, '');
    return `'${String.fromCharCode(c)}' (${JSON.stringify(text)})`;
  }
  return `byte 0x${c.toString(16).padStart(2, '0')}`;
}

function checkKeys(file: string, keys: TopLevelEntry[]): void {
  for (const name of ['categories', 'annotations']) {
    const found = keys.filter((k) => k.key === name);
    if (found.length > 1) {
      throw new LabelmapError('coco-duplicate-key', { file, offset: found[1]!.offset, path: `$.${name}` }, { key: name, first: found[0]!.offset, second: found[1]!.offset });
    }
  }
}

function looksLike(keys: TopLevelEntry[], categories: TopLevelEntry | undefined): string {
  if (categories) return `a JSON object whose categories is ${kindArticle(categories.kind)}, not an array`;
  const names = keys.map((k) => k.key);
  if (names.length === 0) return 'an empty JSON object';
  const shown = names.slice(0, 8).join(', ') + (names.length > 8 ? ', ...' : '');
  if (names.includes('annotations') || names.includes('images')) return `a COCO-style file without its category list (keys: ${shown})`;
  if (names.includes('labels')) return `a label config such as Mapillary Vistas' config.json (keys: ${shown})`;
  if (names.includes('objects') && names.includes('imgHeight')) return `a Cityscapes polygon file (keys: ${shown})`;
  return `a JSON object with keys ${shown}`;
}

/** Checks one element of `categories` (or of a bare category array). */
function checkCategory(file: string, el: PickedElement, prefix: string): CocoCategory {
  const path = `${prefix}[${el.index}]`;
  const fail = (field: string, expected: string, found: unknown, fix?: string): LabelmapError =>
    new LabelmapError('coco-category-field', placeOf(file, el, field ? `${path}.${field}` : path), {
      field: field || '',
      expected,
      found: describeValue(found),
      fix,
    });
  const v = el.value;
  if (typeof v !== 'object' || v === null || Array.isArray(v)) throw fail('', 'an object {"id": ..., "name": ...}', v);
  const o = v as Record<string, unknown>;
  if (!isInteger(o.id)) {
    throw fail('id', 'an integer', o.id, typeof o.id === 'string' ? 'write ids as JSON numbers (1, not "1")' : undefined);
  }
  if (typeof o.name !== 'string' || o.name.trim() === '') throw fail('name', 'a non-empty string', o.name);
  if (o.supercategory !== undefined && typeof o.supercategory !== 'string') throw fail('supercategory', 'a string', o.supercategory);
  const category: CocoCategory = { id: o.id, name: o.name, supercategory: (o.supercategory as string | undefined) ?? '', path, offset: el.offset };
  if (o.isthing !== undefined) {
    if (o.isthing === 0 || o.isthing === 1 || typeof o.isthing === 'boolean') category.isthing = o.isthing === 1 || o.isthing === true;
    else throw fail('isthing', '0 or 1', o.isthing);
  }
  if (o.color !== undefined) {
    const c = o.color;
    if (!Array.isArray(c) || c.length !== 3 || !c.every((x) => isInteger(x) && x >= 0 && x <= 255)) {
      throw fail('color', 'an [r, g, b] array of integers 0..255', c);
    }
    category.color = rgbToHex(c as number[]);
  }
  // LVIS: {"synset": "aerosol.n.02", "synonyms": ["aerosol_can", "spray_can"], "def": "...", "frequency": "c"}
  const extra: Record<string, string> = {};
  for (const key of ['synset', 'def'] as const) {
    if (o[key] === undefined) continue;
    if (typeof o[key] !== 'string') throw fail(key, 'a string', o[key]);
    extra[`x_${key}`] = o[key];
  }
  if (o.synonyms !== undefined) {
    if (!Array.isArray(o.synonyms) || !o.synonyms.every((x) => typeof x === 'string' && !x.includes(';'))) throw fail('synonyms', 'an array of names (without ";")', o.synonyms);
    extra.x_synonyms = (o.synonyms as string[]).join(';');
  }
  if (o.frequency !== undefined) {
    if (o.frequency !== 'r' && o.frequency !== 'c' && o.frequency !== 'f') throw fail('frequency', 'LVIS\'s "r", "c" or "f" (rare, common, frequent)', o.frequency);
    extra.x_frequency = o.frequency;
  }
  if (Object.keys(extra).length) category.extra = extra;
  return category;
}

/** COCO-Stuff's category ids: 92..182 stuff classes and 183 "other". */
const STUFF_MIN = 92;
const STUFF_MAX = 183;

function classify(bare: boolean, panopticAnnotations: boolean, categories: CocoCategory[]): CocoKind {
  if (bare) return 'categories';
  if (panopticAnnotations || categories.some((c) => c.isthing !== undefined) || isPanopticDetectionFormat(categories)) return 'panoptic';
  if (isStuffSet(categories)) return 'stuff';
  return 'instances';
}

function isStuffSet(categories: CocoCategory[]): boolean {
  return categories.every((c) => c.id >= STUFF_MIN && c.id <= STUFF_MAX);
}

/** panopticapi's detection-format files: the panoptic categories with colours but no isthing. */
function isPanopticDetectionFormat(categories: CocoCategory[]): boolean {
  return (
    categories.every((c) => c.color !== undefined && c.isthing === undefined) &&
    categories.some((c) => c.id < STUFF_MIN) &&
    categories.some((c) => c.id >= STUFF_MIN)
  );
}

// --- rows -----------------------------------------------------------------------------------------------

const SHEET_NAMES: Record<Exclude<CocoKind, 'categories'>, string> = {
  instances: 'coco',
  panoptic: 'coco-panoptic',
  stuff: 'coco-stuff',
};

/**
 * The dataset sheet of a read file. is_thing: `isthing` where the category has it; false for a
 * COCO-Stuff file; in a panoptic file without isthing, COCO's id convention (ids <= 91 things,
 * 92 and up stuff); true for instances files (every class is annotated with instances); empty for
 * a bare category list without isthing.
 */
export function cocoExtraction(coco: CocoFile, stats: boolean): Extraction {
  const notes: string[] = [];
  // 860,001: en-US grouping of a count, without loading ICU's number formats (~20 ms).
  const fmt = (n: number): string => String(n).replace(/\B(?=(\d{3})+$)/g, ',');
  const kind = coco.kind;
  const effective: Exclude<CocoKind, 'categories'> =
    kind !== 'categories'
      ? kind
      : coco.categories.some((c) => c.isthing !== undefined)
        ? 'panoptic'
        : isStuffSet(coco.categories)
          ? 'stuff'
          : 'instances';
  const usedIdConvention = effective === 'panoptic' && coco.categories.some((c) => c.isthing === undefined);
  const isThing = (c: CocoCategory): boolean | null => {
    if (c.isthing !== undefined) return c.isthing;
    if (effective === 'stuff') return false;
    if (effective === 'panoptic') return c.id < STUFF_MIN;
    return kind === 'categories' ? null : true;
  };

  const things = coco.categories.filter((c) => isThing(c) === true).length;
  const stuff = coco.categories.filter((c) => isThing(c) === false).length;
  const what = {
    instances: 'a COCO instances file',
    panoptic: 'a COCO panoptic file',
    stuff: 'a COCO-Stuff file (every category id within 92..183, so every class is stuff)',
    categories: 'a bare JSON array of categories',
  }[kind];
  notes.push(`${what}: ${coco.categories.length} categories (${things} things, ${stuff} stuff${coco.categories.length - things - stuff ? `, ${coco.categories.length - things - stuff} unknown` : ''})`);
  if (usedIdConvention) notes.push('the categories carry no isthing: is_thing follows COCO\'s id convention (ids 1..91 things, 92 and up stuff)');
  if (kind === 'categories' && effective === 'instances') notes.push('is_thing is left empty: the list says nothing about things and stuff');

  const counts = coco.counts;
  if (stats) {
    if (!coco.hasAnnotations || !counts) {
      notes.push('no annotations array in the file: instances and images are left empty');
    } else {
      const images = coco.keys.find((k) => k.key === 'images' && k.kind === 'array')?.count;
      if (coco.segmentsInfo) {
        notes.push(`${fmt(counts.annotations)} panoptic annotations with ${fmt(counts.segments)} segments (instances = segments) over ${fmt(counts.distinctImages)} images${images !== undefined ? ` (${fmt(images)} listed)` : ''}`);
      } else {
        notes.push(`${fmt(counts.annotations)} annotations over ${fmt(counts.distinctImages)} images${images !== undefined ? ` (${fmt(images)} listed)` : ''}`);
      }
      const known = new Set(coco.categories.map((c) => c.id));
      const unknown = [...counts.instances].filter(([id]) => !known.has(id));
      if (unknown.length > 0) {
        const n = unknown.reduce((sum, [, v]) => sum + v, 0);
        const ids = unknown.map(([id]) => id).sort((a, b) => a - b);
        notes.push(`${fmt(n)} annotations name category ids that are not in categories (${ids.slice(0, 8).join(', ')}${ids.length > 8 ? ', ...' : ''}); they are not counted`);
      }
    }
  }

  const rows: DatasetClass[] = coco.categories
    .map((c) => {
      const row = datasetClass(c.id, c.name, { category: c.supercategory, color: c.color ?? '', is_thing: isThing(c), extra: { ...c.extra } });
      if (stats) {
        const have = coco.hasAnnotations && counts !== undefined;
        row.instances = have ? (counts.instances.get(c.id) ?? 0) : null;
        row.images = have ? (counts.images.get(c.id) ?? 0) : null;
      }
      return row;
    })
    .sort((a, b) => a.id - b.id);
  return { name: SHEET_NAMES[effective], rows, notes };
}

// --- detection --------------------------------------------------------------------------------------

const COCO_KEYS = ['categories', 'annotations', 'images'];
/** detect reads this much first, and at most DETECT_MAX. */
const DETECT_FIRST = 64 * 1024;
const DETECT_MAX = 1024 * 1024;

/** Looks at the first 64 KiB (up to 1 MiB when the first keys say nothing), never the whole file. */
export async function detectCoco(file: string): Promise<Detection> {
  let head: Buffer;
  try {
    head = readHead(file, DETECT_FIRST);
  } catch (error) {
    if (error instanceof LabelmapError) return { ok: false, reason: messageOf(error.finding) };
    throw error;
  }
  let i = head[0] === 0xef && head[1] === 0xbb && head[2] === 0xbf ? 3 : 0;
  while (i < head.length && (head[i] === 0x20 || head[i] === 0x0a || head[i] === 0x0d || head[i] === 0x09)) i++;
  if (i >= head.length) return { ok: false, reason: head.length === 0 ? 'an empty file' : 'a blank file' };
  const c = head[i]!;
  if (c !== 0x7b && c !== 0x5b) return { ok: false, reason: `not JSON: starts with ${describeStart(head.subarray(i))}` };

  let first: unknown;
  let sawFirst = false;
  const scanner = new JsonScanner({ root: { whole: true, onElement: (el) => {
    if (!sawFirst) {
      sawFirst = true;
      first = el.value;
    }
  } } });
  const decided = (): boolean => sawFirst || scanner.done || scanner.result(false).keys.some((k) => COCO_KEYS.includes(k.key));
  let complete = false;
  try {
    scanner.push(head);
    if (!decided() && head.length === DETECT_FIRST) {
      // The first keys said nothing yet (a long `info` or `licenses`): look a little further.
      scanner.push(readHead(file, DETECT_MAX).subarray(DETECT_FIRST));
    }
    complete = scanner.done;
  } catch (error) {
    if (error instanceof LabelmapError) return { ok: false, reason: `not valid JSON: ${messageOf(error.finding)}` };
    throw error;
  }
  if (c === 0x5b) {
    if (!sawFirst) return { ok: false, reason: complete ? 'an empty JSON array' : 'a JSON array whose first element is too large to be a category' };
    const o = first as Record<string, unknown> | null;
    if (typeof o === 'object' && o !== null && !Array.isArray(o) && 'id' in o && 'name' in o) {
      return { ok: true, reason: 'a JSON array of categories (objects with id and name)' };
    }
    return { ok: false, reason: 'a JSON array whose first element is not a category object with id and name' };
  }
  const keys = scanner.result(false).keys.map((k) => k.key);
  const found = keys.filter((k) => COCO_KEYS.includes(k));
  if (found.length > 0) return { ok: true, reason: `a JSON object with COCO keys (${found.join(', ')})` };
  const shown = keys.slice(0, 6).join(', ') || 'none';
  return complete
    ? { ok: false, reason: `a JSON object without categories/images/annotations keys (keys: ${shown})` }
    : { ok: false, reason: `a JSON object whose first keys (${shown}) are not COCO keys (categories, images, annotations)` };
}

// --- the extractor ------------------------------------------------------------------------------------

export async function extractCoco(file: string, options: ExtractOptions): Promise<Extraction> {
  if (await isDirectoryAsync(file)) throw new LabelmapError('coco-input-folder', { file }, { found: await cocoFilesIn(file) });
  const coco = await readCoco(file, { stats: options.stats, onProgress: options.onProgress, jobs: options.jobs });
  return cocoExtraction(coco, options.stats);
}

/** How many .json files of a folder `extract coco <folder>` looks at to name the ones it would read. */
const FOLDER_LOOKS_MAX = 64;
/** The order a fix offers the files in: the instances file is what most users mean. */
const COCO_FILE_ORDER = [/^instances_/, /^panoptic_/, /^stuff_/, /^person_keypoints_/];

/**
 * `extract coco <folder>`: the COCO files in the folder and in its subfolders one level down (the
 * COCO download unpacks to `annotations/instances_val2017.json`), as paths from the input as the
 * user typed it, so that the fix is a command that runs. Only files detectCoco recognises, and no
 * `captions_*.json` (COCO keys, but no categories to extract).
 */
async function cocoFilesIn(folder: string): Promise<string[]> {
  const names = async (dir: string): Promise<string[]> => {
    try {
      return (await readdir(dir)).sort();
    } catch {
      return [];
    }
  };
  const candidates: string[] = [];
  for (const name of await names(folder)) {
    const full = path.join(folder, name);
    if (name.endsWith('.json')) candidates.push(full);
    else if (await isDirectoryAsync(full)) for (const inner of await names(full)) if (inner.endsWith('.json')) candidates.push(path.join(full, inner));
    if (candidates.length >= FOLDER_LOOKS_MAX) break;
  }
  const found: string[] = [];
  for (const file of candidates.slice(0, FOLDER_LOOKS_MAX)) {
    if (!path.basename(file).startsWith('captions_') && (await detectCoco(file)).ok) found.push(file);
  }
  const rank = (file: string): number => {
    const at = COCO_FILE_ORDER.findIndex((re) => re.test(path.basename(file)));
    return at < 0 ? COCO_FILE_ORDER.length : at;
  };
  return found.sort((a, b) => rank(a) - rank(b));
}

export const coco: Extractor = {
  id: 'coco',
  title: 'COCO (instances, panoptic, stuff, LVIS-style)',
  input: 'a COCO annotation JSON file (instances_*.json, panoptic_*.json, stuff_*.json) or a JSON array of categories',
  async detect(input: string): Promise<Detection> {
    if (!(await isDirectoryAsync(input))) return detectCoco(input);
    const found = await cocoFilesIn(input);
    if (found.length === 0) return { ok: false, reason: 'a folder without COCO annotation JSON files (nor one level down)' };
    const why = `the folder holds ${found.length === 1 ? 'a COCO annotation file' : `${found.length} COCO annotation files`}`;
    return { ok: false, reason: `a folder, not a file; COCO annotation files in it: ${listSome(found, 4)}`, hint: { format: 'coco', input: found[0]!, why } };
  },
  extract: extractCoco,
};
