// A small PNG codec for label masks, on node:zlib (the same C zlib that libpng and PIL use).
//
// Why not a package (measured in bench/png-codecs.mjs, see BENCHMARKS.md): fast-png inflates and
// deflates with pako (zlib in JS), several times slower on a 2048x1024 mask; pngjs cannot write
// palette PNGs; sharp (libvips) writes palette PNGs only through quantisation, which does not keep
// exact indices. A label mask needs exact indices, strict chunk checks on hostile files and
// byte-identical output, which this file gives in a few hundred lines.
//
// Read: 8-bit and 16-bit grayscale, 1/2/4/8-bit palette, 8-bit RGB and RGBA, not interlaced.
// Write: 8-bit palette (PLTE) or 16-bit grayscale, filter type 0 on every row, one IDAT chunk.
import { crc32, deflateSync, inflateSync, constants as zlibConstants } from 'node:zlib';

export type PngColorType = 'gray' | 'palette' | 'rgb' | 'rgba';

export interface PngImage {
  width: number;
  height: number;
  bitDepth: 1 | 2 | 4 | 8 | 16;
  colorType: PngColorType;
  /** Samples per pixel: 1 gray/palette, 3 rgb, 4 rgba. */
  channels: 1 | 3 | 4;
  /** Palette as r,g,b triplets (palette PNGs only). */
  palette: Uint8Array | null;
  /**
   * Unfiltered samples, row after row, `width * channels` per row, one element per sample
   * (bit depths below 8 are unpacked; 16-bit samples are a Uint16Array).
   */
  data: Uint8Array | Uint16Array;
}

/** Why a file cannot be read: a short reason and the byte offset where it was found. */
export class PngError extends Error {
  constructor(
    readonly reason: string,
    readonly offset: number,
  ) {
    super(reason);
    this.name = 'PngError';
  }
}

const SIGNATURE = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);
const COLOR_TYPES: Record<number, { type: PngColorType; channels: 1 | 3 | 4; depths: number[] }> = {
  0: { type: 'gray', channels: 1, depths: [8, 16] },
  2: { type: 'rgb', channels: 3, depths: [8] },
  3: { type: 'palette', channels: 1, depths: [1, 2, 4, 8] },
  6: { type: 'rgba', channels: 4, depths: [8] },
};
/** Masks bigger than this many pixels are refused before inflating (a decompression bomb). */
export const MAX_PIXELS = 2 ** 28;

/** True when the bytes start like a PNG file. */
export function isPng(head: Uint8Array): boolean {
  return head.length >= 8 && Buffer.from(head.buffer, head.byteOffset, 8).equals(SIGNATURE);
}

/** Reads the header only: what `detect` needs without inflating. */
export function readPngHeader(bytes: Uint8Array): { width: number; height: number; bitDepth: number; colorType: PngColorType } {
  const buf = Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const h = parseHeader(buf);
  return { width: h.width, height: h.height, bitDepth: h.bitDepth, colorType: h.color.type };
}

function parseHeader(buf: Buffer) {
  if (buf.length < 8 || !buf.subarray(0, 8).equals(SIGNATURE)) throw new PngError('not a PNG file (no PNG signature)', 0);
  if (buf.length < 33) throw new PngError('the file ends inside the PNG header', buf.length);
  const length = buf.readUInt32BE(8);
  if (length !== 13 || buf.toString('latin1', 12, 16) !== 'IHDR') throw new PngError('the first chunk is not a 13-byte IHDR', 8);
  const width = buf.readUInt32BE(16);
  const height = buf.readUInt32BE(20);
  const bitDepth = buf[24]!;
  const colorCode = buf[25]!;
  const color = COLOR_TYPES[colorCode];
  if (width === 0 || height === 0) throw new PngError(`image size ${width}x${height}`, 16);
  if (width * height > MAX_PIXELS) throw new PngError(`image size ${width}x${height} is more than ${MAX_PIXELS} pixels`, 16);
  if (!color) throw new PngError(`colour type ${colorCode} (a label mask is grayscale, palette, RGB or RGBA)`, 25);
  if (!color.depths.includes(bitDepth)) throw new PngError(`bit depth ${bitDepth} for ${color.type} (read: ${color.depths.join(', ')})`, 24);
  if (buf[26] !== 0 || buf[27] !== 0) throw new PngError('unknown compression or filter method', 26);
  if (buf[28] !== 0) throw new PngError('an interlaced (Adam7) PNG; label masks are written without interlacing', 28);
  if (crc32(buf.subarray(12, 29)) !== buf.readUInt32BE(29)) throw new PngError('IHDR checksum (CRC) mismatch', 29);
  return { width, height, bitDepth: bitDepth as PngImage['bitDepth'], color };
}

/** Decodes a PNG, checking every chunk's CRC and the exact size of the image data. */
export function decodePng(bytes: Uint8Array): PngImage {
  const buf = Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const { width, height, bitDepth, color } = parseHeader(buf);
  let palette: Uint8Array | null = null;
  const idat: Buffer[] = [];
  let pos = 33;
  let ended = false;
  while (pos < buf.length) {
    if (pos + 12 > buf.length) throw new PngError('the file ends inside a chunk header (truncated)', pos);
    const length = buf.readUInt32BE(pos);
    const type = buf.toString('latin1', pos + 4, pos + 8);
    if (!/^[A-Za-z]{4}$/.test(type)) throw new PngError(`a chunk whose type is not four letters (bytes ${buf.subarray(pos + 4, pos + 8).toString('hex')})`, pos);
    const end = pos + 12 + length;
    if (end > buf.length) throw new PngError(`the file ends inside the ${type} chunk (truncated)`, pos);
    if (crc32(buf.subarray(pos + 4, pos + 8 + length)) !== buf.readUInt32BE(pos + 8 + length)) {
      throw new PngError(`${type} chunk checksum (CRC) mismatch`, pos);
    }
    const data = buf.subarray(pos + 8, pos + 8 + length);
    if (type === 'IDAT') idat.push(data);
    else if (type === 'PLTE') {
      if (length % 3 !== 0 || length === 0 || length > 768) throw new PngError(`PLTE chunk of ${length} bytes`, pos);
      palette = new Uint8Array(data);
    } else if (type === 'IEND') {
      ended = true;
      break;
    } else if ((type.charCodeAt(0) & 0x20) === 0) {
      throw new PngError(`unknown critical chunk ${type}`, pos);
    }
    pos = end;
  }
  if (!ended) throw new PngError('no IEND chunk (truncated)', buf.length);
  if (idat.length === 0) throw new PngError('no IDAT chunk (no image data)', pos);
  if (color.type === 'palette' && !palette) throw new PngError('a palette PNG without a PLTE chunk', 33);

  const bitsPerPixel = bitDepth * color.channels;
  const stride = Math.ceil((width * bitsPerPixel) / 8);
  const expected = height * (stride + 1);
  let raw: Buffer;
  try {
    raw = inflateSync(idat.length === 1 ? idat[0]! : Buffer.concat(idat), { maxOutputLength: expected + 1 });
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (code === 'ERR_BUFFER_TOO_LARGE') throw new PngError(`more image data than ${width}x${height} pixels hold`, 33);
    throw new PngError(code === 'Z_BUF_ERROR' ? 'the image data ends early (truncated)' : `the image data is not valid zlib data (${code ?? 'inflate failed'})`, 33);
  }
  if (raw.length !== expected) {
    throw new PngError(`image data of ${raw.length} bytes, expected ${expected} for ${width}x${height} (${raw.length < expected ? 'truncated' : 'too long'})`, 33);
  }
  unfilter(raw, height, stride, Math.max(1, bitsPerPixel >> 3));
  return { width, height, bitDepth, colorType: color.type, channels: color.channels, palette, data: unpack(raw, width, height, stride, bitDepth, color.channels) };
}

/**
 * Reverses the per-row filters in place; `raw` keeps each row's filter byte in front of it. The
 * first `bpp` bytes of a row (no left neighbour) and the first row (no upper one) get their own
 * loops, so that the inner loops have no branches: this is most of the decoder's time.
 */
function unfilter(raw: Buffer, height: number, stride: number, bpp: number): void {
  const rowLen = stride + 1;
  const zero = new Uint8Array(stride);
  for (let y = 0; y < height; y++) {
    const start = y * rowLen + 1;
    const filter = raw[start - 1]!;
    if (filter === 0) continue;
    const row = raw.subarray(start, start + stride);
    const up = y === 0 ? zero : raw.subarray(start - rowLen, start - 1);
    switch (filter) {
      case 1:
        for (let i = bpp; i < stride; i++) row[i] = row[i]! + row[i - bpp]!;
        break;
      case 2:
        for (let i = 0; i < stride; i++) row[i] = row[i]! + up[i]!;
        break;
      case 3:
        for (let i = 0; i < bpp; i++) row[i] = row[i]! + (up[i]! >> 1);
        for (let i = bpp; i < stride; i++) row[i] = row[i]! + ((row[i - bpp]! + up[i]!) >> 1);
        break;
      case 4:
        for (let i = 0; i < bpp; i++) row[i] = row[i]! + up[i]!;
        for (let i = bpp; i < stride; i++) {
          const a = row[i - bpp]!;
          const b = up[i]!;
          const c = up[i - bpp]!;
          const pa = b > c ? b - c : c - b; // |p - a| with p = a + b - c
          const pb = a > c ? a - c : c - a; // |p - b|
          const pc = a + b > c + c ? a + b - c - c : c + c - a - b; // |p - c|
          row[i] = row[i]! + (pa <= pb && pa <= pc ? a : pb <= pc ? b : c);
        }
        break;
      default:
        throw new PngError(`row ${y} has filter type ${filter} (0..4 exist)`, 33);
    }
  }
}

/** Unfiltered rows (filter bytes still in place) -> one element per sample, no row gaps. */
function unpack(raw: Buffer, width: number, height: number, stride: number, bitDepth: number, channels: number): Uint8Array | Uint16Array {
  const rowLen = stride + 1;
  const samples = width * channels;
  if (bitDepth === 16) {
    const out = new Uint16Array(width * height * channels);
    for (let y = 0; y < height; y++) {
      const src = y * rowLen + 1;
      const dst = y * samples;
      for (let i = 0; i < samples; i++) out[dst + i] = (raw[src + 2 * i]! << 8) | raw[src + 2 * i + 1]!;
    }
    return out;
  }
  const out = new Uint8Array(width * height * channels);
  if (bitDepth === 8) {
    for (let y = 0; y < height; y++) out.set(raw.subarray(y * rowLen + 1, y * rowLen + 1 + samples), y * samples);
    return out;
  }
  const perByte = 8 / bitDepth;
  const mask = (1 << bitDepth) - 1;
  for (let y = 0; y < height; y++) {
    const src = y * rowLen + 1;
    for (let x = 0; x < width; x++) {
      const byte = raw[src + Math.floor(x / perByte)]!;
      const shift = 8 - bitDepth * ((x % perByte) + 1);
      out[y * width + x] = (byte >> shift) & mask;
    }
  }
  return out;
}

/**
 * Allocates the filtered image data of an output PNG (a filter byte 0 in front of every row) and
 * returns it with a view per pixel, so that a remap writes train ids straight into it.
 */
export function allocateRows(width: number, height: number, bitDepth: 8 | 16): { rows: Buffer; pixelAt: (y: number) => number } {
  const stride = width * (bitDepth / 8) + 1;
  const rows = Buffer.alloc(stride * height);
  return { rows, pixelAt: (y) => y * stride + 1 };
}

function chunk(type: string, data: Uint8Array): Buffer {
  const out = Buffer.alloc(12 + data.length);
  out.writeUInt32BE(data.length, 0);
  out.write(type, 4, 'latin1');
  out.set(data, 8);
  out.writeUInt32BE(crc32(out.subarray(4, 8 + data.length)), 8 + data.length);
  return out;
}

/** zlib settings of every written mask: fixed, so the bytes are the same on every run. */
// Z_RLE: label masks are runs of one value, and with filter type 0 a run-length-only deflate is 25x
// faster than the default strategy at 10% more bytes (2048x1024 Cityscapes-shaped mask: 2.6 ms and
// 29.3 KB vs 77 ms and 26.6 KB at level 6, which PIL writes).
export const DEFLATE_OPTIONS = { level: 6, strategy: zlibConstants.Z_RLE } as const;

/**
 * Encodes rows made by allocateRows (filter byte 0 before each row): an 8-bit palette PNG when
 * `palette` (r,g,b triplets) is given, else a 16-bit (or 8-bit) grayscale PNG.
 */
export function encodePng(width: number, height: number, bitDepth: 8 | 16, rows: Buffer, palette: Uint8Array | null): Buffer {
  const ihdr = Buffer.alloc(13);
  ihdr.writeUInt32BE(width, 0);
  ihdr.writeUInt32BE(height, 4);
  ihdr[8] = bitDepth;
  ihdr[9] = palette ? 3 : 0;
  const parts = [SIGNATURE, chunk('IHDR', ihdr)];
  if (palette) parts.push(chunk('PLTE', palette));
  parts.push(chunk('IDAT', deflateSync(rows, DEFLATE_OPTIONS)), chunk('IEND', new Uint8Array(0)));
  return Buffer.concat(parts);
}
