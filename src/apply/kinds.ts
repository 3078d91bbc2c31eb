// The input kinds apply reads, each with a `detect` that says why it does or does not recognise a
// file (as `extract auto` does for formats). Detection reads the first bytes only.
import type { Detection } from '../formats/types.js';
import { readFileSync } from 'node:fs';
import { isPng, PngError, readPngHeader } from './png.js';
import { polygonLayout } from './text-kinds.js';

export type InputKindId = 'label-png' | 'colour-png' | 'coco-json' | 'voc-xml' | 'yolo-txt' | 'polygon-json';

export interface InputKind {
  id: InputKindId;
  title: string;
  detect(file: string, head: Uint8Array): Detection;
}

/** 8/16-bit grayscale or palette PNGs whose values are native ids. */
const labelPng: InputKind = {
  id: 'label-png',
  title: 'label mask PNG (grayscale or palette; values are native ids)',
  detect(file, head) {
    if (!/\.png$/i.test(file)) return { ok: false, reason: 'not a .png file' };
    // A .png that is not a PNG (empty, cut off, another format) is still a file the user meant to
    // remap: the remap names what is wrong with it.
    if (!isPng(head)) return { ok: true, reason: 'a .png file (no PNG signature)' };
    try {
      const h = readPngHeader(head);
      if (h.colorType === 'rgb' || h.colorType === 'rgba') return { ok: false, reason: `an ${h.colorType.toUpperCase()} PNG (a colour-coded mask, not a label mask)` };
      return { ok: true, reason: `${h.bitDepth}-bit ${h.colorType} PNG ${h.width}x${h.height}` };
    } catch (error) {
      // A damaged header is still a PNG the user meant to remap: the remap names the damage.
      if (error instanceof PngError) return { ok: true, reason: `a PNG (${error.reason})` };
      throw error;
    }
  },
};

/** 8-bit RGB or RGBA PNGs whose colours are the dataset sheet's class colours. */
const colourPng: InputKind = {
  id: 'colour-png',
  title: "colour-coded mask PNG (RGB or RGBA; colours are the dataset sheet's class colours)",
  detect(file, head) {
    if (!/\.png$/i.test(file)) return { ok: false, reason: 'not a .png file' };
    if (!isPng(head)) return { ok: false, reason: 'no PNG signature' };
    try {
      const h = readPngHeader(head);
      if (h.colorType !== 'rgb' && h.colorType !== 'rgba') return { ok: false, reason: `a ${h.colorType} PNG (a label mask)` };
      return { ok: true, reason: `${h.bitDepth}-bit ${h.colorType.toUpperCase()} PNG ${h.width}x${h.height}` };
    } catch (error) {
      if (error instanceof PngError) return { ok: false, reason: error.reason };
      throw error;
    }
  },
};

/** PASCAL VOC annotation XML: `<annotation>` with `<object><name>` elements. */
const vocXml: InputKind = {
  id: 'voc-xml',
  title: 'PASCAL VOC annotation XML (<object><name>)',
  detect(file, head) {
    if (!/\.xml$/i.test(file)) return { ok: false, reason: 'not a .xml file' };
    const text = Buffer.from(head).toString('utf8');
    return /<annotation[\s>]/.test(text) ? { ok: true, reason: 'an XML file with an <annotation> element' } : { ok: false, reason: 'an XML file without <annotation> in its first bytes' };
  },
};

/** YOLO label txt: one `index x y w h` (or polygon) line per object; an empty file is an image with no object. */
const yoloTxt: InputKind = {
  id: 'yolo-txt',
  title: 'YOLO label txt (class index and normalised box or polygon per line)',
  detect(file, head) {
    if (!/\.txt$/i.test(file)) return { ok: false, reason: 'not a .txt file' };
    const first = Buffer.from(head).toString('utf8').split('\n').find((l) => l.trim() !== '');
    if (first === undefined) return { ok: true, reason: 'an empty .txt file (an image with no object)' };
    return /^\s*\d+(\s+[-+]?(\d+\.?\d*|\.\d+)([eE][-+]?\d+)?){4}/.test(first)
      ? { ok: true, reason: 'a .txt file of class index and coordinates lines' }
      : { ok: false, reason: `a .txt file whose first line is not a class index and coordinates (${JSON.stringify(first.slice(0, 40))})` };
  },
};

export const INPUT_KINDS: readonly InputKind[] = [labelPng, colourPng, vocXml, yoloTxt];

/** Largest polygon JSON read (LabelMe files embed the image as base64: tens of MB at most). */
const POLYGON_MAX_BYTES = 256 * 1024 * 1024;

/** LabelMe or Cityscapes polygon JSON (read whole: these files are one image's objects). */
export function detectPolygonJson(file: string, size: number): Detection {
  if (!/\.json$/i.test(file)) return { ok: false, reason: 'not a .json file' };
  if (size > POLYGON_MAX_BYTES) return { ok: false, reason: 'too large for one image\'s polygons' };
  let value: unknown;
  try {
    value = JSON.parse(readFileSync(file, 'utf8'));
  } catch {
    return { ok: false, reason: 'not valid JSON' };
  }
  const layout = polygonLayout(value);
  return 'layout' in layout ? { ok: true, reason: layout.layout === 'labelme' ? 'LabelMe JSON (shapes[].label)' : 'Cityscapes polygons (objects[].label)' } : { ok: false, reason: layout.reason };
}

/**
 * COCO instances or panoptic JSON: detected by extract's COCO detection (the first top-level keys,
 * never the whole file). Asynchronous, so asked only for `.json` files no mask kind takes.
 */
export async function detectCocoJson(file: string): Promise<Detection> {
  if (!/\.json$/i.test(file)) return { ok: false, reason: 'not a .json file' };
  const { detectCoco } = await import('../formats/coco.js');
  const d = await detectCoco(file);
  // A bare category list (panopticapi's categories file) has nothing to remap.
  return d.ok && /array of categories/.test(d.reason) ? { ok: false, reason: `${d.reason}: no annotations to remap` } : d;
}

/** The first kind that recognises the file, or every kind's reason. */
export function detectKind(file: string, head: Uint8Array): { kind: InputKind | null; reasons: { kind: InputKindId; reason: string }[] } {
  const reasons: { kind: InputKindId; reason: string }[] = [];
  for (const kind of INPUT_KINDS) {
    const d = kind.detect(file, head);
    if (d.ok) return { kind, reasons: [{ kind: kind.id, reason: d.reason }] };
    reasons.push({ kind: kind.id, reason: d.reason });
  }
  return { kind: null, reasons };
}
