// Label masks: a PNG whose pixel values are a dataset's native ids (Cityscapes *_labelIds.png:
// 8-bit grayscale; VOC SegmentationClass and Mapillary label PNGs: 8-bit palette, index = id,
// VOC 255 = void) -> a PNG of the bundle's train ids. Pure: bytes in, bytes and counts out.
import { encodingEntries, encodingOf } from '../api/lut.js';
import type { Code } from '../findings.js';
import type { Bundle, DatasetOutput } from '../taxonomy/types.js';
import { allocateRows, decodePng, encodePng, PngError, type PngImage } from './png.js';

/** What one dataset's masks are remapped with: full-length tables, so `lut[value]` never misses. */
export interface MaskTables {
  dataset: string;
  /** 8-bit masks: 256 entries; value 255 is ignore unless the dataset has a class 255 (VOC void). */
  lut8: Uint16Array;
  known8: Uint8Array;
  /** 16-bit masks: 65536 entries (65535 ignore), for datasets whose ids pass 255. */
  lut16: Uint16Array;
  known16: Uint8Array;
  /** Largest native id of the dataset: an 8-bit mask is expected when it is below 256. */
  maxId: number;
  outBits: 8 | 16;
  ignoreId: number;
  /** r,g,b per train id, 256 entries: the vertical's colours (8-bit output only). */
  palette: Uint8Array | null;
  /**
   * Colour-coded masks: 0xrrggbb -> the native id it stands for (the lowest id with that colour in
   * the dataset sheet), or -1 when classes of that colour go to different train ids. Null when the
   * dataset sheet's colours were not given.
   */
  colours: Map<number, number> | null;
}

/** Native classes with their sheet colour (`#rrggbb`), for colour-coded masks. */
export type NativeColours = readonly { id: number; color: string }[];

/**
 * The mask tables. `encoding` names one of the dataset's mask encodings (the bundle's
 * `datasets[].encodings`: Cityscapes `*_labelTrainIds.png` hold `train_id`, COCO-Stuff
 * stuffthingmaps `mask_value`): the masks then hold those values, not native ids, and every value
 * the encoding names is known (its void values to ignore).
 */
export function buildMaskTables(bundle: Bundle, dataset: DatasetOutput, nativeColours: NativeColours | null = null, encoding: string | null = null): MaskTables {
  const lut8 = new Uint16Array(256).fill(bundle.ignore_id);
  const known8 = new Uint8Array(256);
  const lut16 = new Uint16Array(65536).fill(bundle.ignore_id);
  const known16 = new Uint8Array(65536);
  // The value a mask writes for "no class": 255 in 8-bit masks (Cityscapes' -1 license plate is
  // stored as 255 too), 65535 in 16-bit ones. It is ignore unless the sheet gives it a class.
  known8[255] = 1;
  known16[65535] = 1;
  let maxId = 0;
  const set = (value: number, trainId: number) => {
    if (value < 0) return;
    maxId = Math.max(maxId, value);
    if (value < 256) {
      lut8[value] = trainId;
      known8[value] = 1;
    }
    if (value < 65536) {
      lut16[value] = trainId;
      known16[value] = 1;
    }
  };
  if (encoding === null) {
    for (const e of dataset.lut) set(e.id, e.train_id);
  } else {
    // Every value the encoding names is known (its void values stay ignore); the train ids are the
    // Library's reading of the encoding (encodingEntries), the one behind LabelSpace.lut({encoding}).
    const { values } = encodingOf(dataset, encoding);
    for (const [value] of values) set(value, bundle.ignore_id);
    for (const [value, trainId] of encodingEntries(bundle, dataset, values).entries) set(value, trainId);
  }
  const outBits = bundle.id_bits;
  let palette: Uint8Array | null = null;
  if (outBits === 8) {
    palette = new Uint8Array(768);
    const colourOf = new Map(bundle.labels.map((l) => [l.train_id, l.color]));
    // A label set's pixels are drawn in the colour of its first member (sets have no colour of their own).
    const entries: [number, string | undefined][] = [
      ...bundle.labels.map((l): [number, string] => [l.train_id, l.color]),
      ...bundle.label_sets.map((set): [number, string | undefined] => [set.id, colourOf.get(set.member_ids[0]!)]),
    ];
    for (const [id, color] of entries) {
      if (id > 255 || !color) continue;
      const hex = color.slice(1);
      palette[3 * id] = parseInt(hex.slice(0, 2), 16);
      palette[3 * id + 1] = parseInt(hex.slice(2, 4), 16);
      palette[3 * id + 2] = parseInt(hex.slice(4, 6), 16);
    }
  }
  let colours: Map<number, number> | null = null;
  if (nativeColours) {
    const trainIdOf = new Map(dataset.lut.map((e) => [e.id, e.train_id]));
    colours = new Map();
    for (const { id, color } of [...nativeColours].sort((a, b) => a.id - b.id)) {
      // Negative ids (Cityscapes' license plate, -1, drawn in the colour of car) are never drawn in
      // a mask: their colour belongs to the class with a real id.
      if (id < 0 || !/^#[0-9a-fA-F]{6}$/.test(color) || !trainIdOf.has(id)) continue;
      const key = parseInt(color.slice(1), 16);
      const before = colours.get(key);
      if (before === undefined) colours.set(key, id);
      else if (before >= 0 && trainIdOf.get(before) !== trainIdOf.get(id)) colours.set(key, -1);
    }
  }
  return { dataset: dataset.name, lut8, known8, lut16, known16, maxId, outBits, ignoreId: bundle.ignore_id, palette, colours };
}

/** Why one mask cannot be remapped: a finding code, its arguments and a byte offset or pixel. */
export class MaskError extends Error {
  constructor(
    readonly code: Code,
    readonly args: Record<string, string | number>,
    readonly offset?: number,
  ) {
    super(code);
    this.name = 'MaskError';
  }
}

export interface MaskResult {
  /** The output PNG (null with `stats`: counted, not encoded). */
  png: Buffer | null;
  width: number;
  height: number;
  /** Pixels per native value, as [value, pixels] pairs, by value. */
  pixels: [number, number][];
}

/** Remaps one label-mask PNG. Throws MaskError for anything that is not a mask of this dataset. */
export function remapMask(bytes: Uint8Array, tables: MaskTables, options: { stats?: boolean } = {}): MaskResult {
  let image: PngImage;
  try {
    image = decodePng(bytes);
  } catch (error) {
    if (error instanceof PngError) throw new MaskError('apply-png-invalid', { reason: error.reason }, error.offset);
    throw error;
  }
  if (image.channels !== 1) return remapColourMask(image, tables, options);
  const sixteen = image.bitDepth === 16;
  if (sixteen && tables.maxId < 256) throw new MaskError('apply-mask-bit-depth', { found: 16, dataset: tables.dataset, max: tables.maxId });
  const lut = sixteen ? tables.lut16 : tables.lut8;
  const known = sixteen ? tables.known16 : tables.known8;
  const { width, height } = image;
  const src = image.data;
  const histogram = new Float64Array(sixteen ? 65536 : 256);
  let png: Buffer | null = null;
  if (options.stats) {
    for (let i = 0; i < src.length; i++) histogram[src[i]!]!++;
  } else if (tables.outBits === 8) {
    const { rows, pixelAt } = allocateRows(width, height, 8);
    for (let y = 0; y < height; y++) {
      let s = y * width;
      let d = pixelAt(y);
      const end = s + width;
      while (s < end) {
        const v = src[s++]!;
        histogram[v]!++;
        rows[d++] = lut[v]!;
      }
    }
    png = unknownOrEncode(histogram, known, src, width, () => encodePng(width, height, 8, rows, tables.palette));
  } else {
    const { rows, pixelAt } = allocateRows(width, height, 16);
    for (let y = 0; y < height; y++) {
      let s = y * width;
      let d = pixelAt(y);
      const end = s + width;
      while (s < end) {
        const v = src[s++]!;
        histogram[v]!++;
        const t = lut[v]!;
        rows[d++] = t >> 8;
        rows[d++] = t & 0xff;
      }
    }
    png = unknownOrEncode(histogram, known, src, width, () => encodePng(width, height, 16, rows, null));
  }
  if (options.stats) unknownOrEncode(histogram, known, src, width, () => null);
  const pixels: [number, number][] = [];
  for (let v = 0; v < histogram.length; v++) if (histogram[v]! > 0) pixels.push([v, histogram[v]!]);
  return { png, width, height, pixels };
}

/** Fails on the first value the dataset sheet lacks (naming its first pixel), else encodes. */
function unknownOrEncode<T>(histogram: Float64Array, known: Uint8Array, src: Uint8Array | Uint16Array, width: number, encode: () => T): T {
  for (let v = 0; v < histogram.length; v++) {
    if (histogram[v]! > 0 && !known[v]) {
      const first = src.indexOf(v);
      throw new MaskError('apply-mask-value-unknown', { value: v, pixels: histogram[v]!, x: first % width, y: Math.floor(first / width) });
    }
  }
  return encode();
}

/**
 * A colour-coded mask (ApolloScape, Mapillary or Cityscapes colour PNGs): each pixel's r,g,b is
 * looked up in the dataset sheet's colours (alpha is not read). Pixels are counted per native id.
 */
function remapColourMask(image: PngImage, tables: MaskTables, options: { stats?: boolean }): MaskResult {
  if (!tables.colours) throw new MaskError('apply-colour-no-sheet', { dataset: tables.dataset });
  const { width, height, channels } = image;
  const src = image.data as Uint8Array;
  const colours = tables.colours;
  const lut = tables.lut16;
  const counts = new Map<number, number>();
  const sixteen = tables.outBits === 16;
  const out = options.stats ? null : allocateRows(width, height, tables.outBits);
  // Masks are runs of one colour: remember the last lookup.
  let lastKey = -1;
  let lastId = 0;
  let lastTrain = 0;
  let run = 0;
  for (let y = 0; y < height; y++) {
    let d = out ? out.pixelAt(y) : 0;
    for (let x = 0; x < width; x++) {
      const s = (y * width + x) * channels;
      const key = (src[s]! << 16) | (src[s + 1]! << 8) | src[s + 2]!;
      if (key !== lastKey) {
        if (run) counts.set(lastId, (counts.get(lastId) ?? 0) + run);
        run = 0;
        const id = colours.get(key);
        if (id === undefined || id < 0) {
          let pixels = 0;
          for (let i = 0; i < width * height; i++) if (((src[i * channels]! << 16) | (src[i * channels + 1]! << 8) | src[i * channels + 2]!) === key) pixels++;
          const hex = `#${key.toString(16).padStart(6, '0')}`;
          throw new MaskError(id === undefined ? 'apply-colour-unknown' : 'apply-colour-ambiguous', { colour: hex, pixels, x, y, dataset: tables.dataset });
        }
        lastKey = key;
        lastId = id;
        lastTrain = lut[id]!;
      }
      run++;
      if (out) {
        if (sixteen) {
          out.rows[d++] = lastTrain >> 8;
          out.rows[d++] = lastTrain & 0xff;
        } else out.rows[d++] = lastTrain;
      }
    }
  }
  if (run) counts.set(lastId, (counts.get(lastId) ?? 0) + run);
  const png = out ? encodePng(width, height, tables.outBits, out.rows, tables.palette) : null;
  return { png, width, height, pixels: [...counts].sort((a, b) => a[0] - b[0]) };
}
