// The PNG codec against files PIL and gen-masks.py wrote: values equal to the raw .values beside
// each, every filter type, round trips, and byte-identical encodes.
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { crc32 } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import { allocateRows, decodePng, encodePng, PngError } from '../../src/apply/png.js';
import { FIXTURES } from '../helpers/cli.js';

const A = path.join(FIXTURES, 'apply');
const values = (png: string) => new Uint8Array(readFileSync(png.replace(/\.png$/, '.values')));

describe('decodePng', () => {
  it.each([
    'filters/all_filter_types.png',
    'cityscapes/aachen/aachen_000000_000019_gtFine_labelIds.png',
    'voc/SegmentationClass/2007_000032.png',
    'mapillary/labels/mapillary_0001.png',
  ])('%s: the values its writer stored', (rel) => {
    const img = decodePng(readFileSync(path.join(A, rel)));
    expect(img.bitDepth).toBe(8);
    expect(Buffer.from(img.data as Uint8Array).equals(Buffer.from(values(path.join(A, rel))))).toBe(true);
  });

  it('16-bit grayscale (PIL mode I) reads as 16-bit samples', () => {
    const img = decodePng(readFileSync(path.join(A, 'cityscapes/aachen/aachen_000000_000019_gtFine_instanceIds.png')));
    expect([img.colorType, img.bitDepth, img.data instanceof Uint16Array]).toEqual(['gray', 16, true]);
    expect(Math.max(...img.data)).toBeGreaterThan(255);
  });

  it.each([
    ['empty', Buffer.alloc(0), /no PNG signature/],
    ['signature only', Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]), /ends inside the PNG header/],
    ['truncated', readFileSync(path.join(A, 'hostile/truncated.png')), /truncated/],
    ['bad CRC', readFileSync(path.join(A, 'hostile/bad_crc.png')), /CRC/],
  ])('%s: a PngError with a reason and offset', (_name, bytes, reason) => {
    try {
      decodePng(bytes);
      expect.unreachable();
    } catch (error) {
      expect(error).toBeInstanceOf(PngError);
      expect((error as PngError).reason).toMatch(reason);
    }
  });

  it('an image bigger than its data, or with more data than its size, is refused', () => {
    const { rows } = allocateRows(4, 4, 8);
    const png = encodePng(4, 4, 8, rows, null);
    const lying = Buffer.from(png);
    lying.writeUInt32BE(5, 20); // height 5: one row missing; CRC of IHDR fixed below
    lying.writeUInt32BE(crc32(lying.subarray(12, 29)), 29);
    expect(() => decodePng(lying)).toThrow(/truncated/);
  });
});

describe('encodePng', () => {
  it('palette and 16-bit round trip, the same bytes every time', () => {
    const pal = new Uint8Array(768).map((_, i) => i % 251);
    const p = allocateRows(3, 2, 8);
    [0, 1, 2, 255, 7, 9].forEach((v, i) => (p.rows[p.pixelAt(Math.floor(i / 3)) + (i % 3)] = v));
    const a = encodePng(3, 2, 8, p.rows, pal);
    expect(encodePng(3, 2, 8, p.rows, pal).equals(a)).toBe(true);
    const img = decodePng(a);
    expect([...img.data]).toEqual([0, 1, 2, 255, 7, 9]);
    expect(Buffer.from(img.palette!).equals(Buffer.from(pal))).toBe(true);
    const g = allocateRows(2, 1, 16);
    g.rows.writeUInt16BE(65535, g.pixelAt(0));
    g.rows.writeUInt16BE(1000, g.pixelAt(0) + 2);
    expect([...decodePng(encodePng(2, 1, 16, g.rows, null)).data]).toEqual([65535, 1000]);
  });
});
