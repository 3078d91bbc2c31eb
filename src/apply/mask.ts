// Label masks: a PNG whose pixel values are a dataset's native ids (Cityscapes *_labelIds.png:
// 8-bit grayscale; VOC SegmentationClass and Mapillary label PNGs: 8-bit palette, index = id,
// VOC 255 = void) -> a PNG of the bundle's train ids. Pure: bytes in, bytes and counts out.
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
}

export function buildMaskTables(bundle: Bundle, dataset: DatasetOutput): MaskTables {
  const lut8 = new Uint16Array(256).fill(bundle.ignore_id);
  const known8 = new Uint8Array(256);
  const lut16 = new Uint16Array(65536).fill(bundle.ignore_id);
  const known16 = new Uint8Array(65536);
  // The value a mask writes for "no class": 255 in 8-bit masks (Cityscapes' -1 license plate is
  // stored as 255 too), 65535 in 16-bit ones. It is ignore unless the sheet gives it a class.
  known8[255] = 1;
  known16[65535] = 1;
  let maxId = 0;
  for (const e of dataset.lut) {
    if (e.id < 0) continue;
    maxId = Math.max(maxId, e.id);
    if (e.id < 256) {
      lut8[e.id] = e.train_id;
      known8[e.id] = 1;
    }
    if (e.id < 65536) {
      lut16[e.id] = e.train_id;
      known16[e.id] = 1;
    }
  }
  const outBits = bundle.id_bits;
  let palette: Uint8Array | null = null;
  if (outBits === 8) {
    palette = new Uint8Array(768);
    for (const label of bundle.labels) {
      if (label.train_id > 255) continue;
      const hex = label.color.slice(1);
      palette[3 * label.train_id] = parseInt(hex.slice(0, 2), 16);
      palette[3 * label.train_id + 1] = parseInt(hex.slice(2, 4), 16);
      palette[3 * label.train_id + 2] = parseInt(hex.slice(4, 6), 16);
    }
  }
  return { dataset: dataset.name, lut8, known8, lut16, known16, maxId, outBits, ignoreId: bundle.ignore_id, palette };
}

/** Why one mask cannot be remapped: a finding code, its arguments and a byte offset or pixel. */
export class MaskError extends Error {
  constructor(
    readonly code: string,
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
  if (image.channels !== 1) throw new MaskError('apply-mask-colour', { found: image.colorType });
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
