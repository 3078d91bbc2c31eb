// The annotation-only inputs of `labelmap attributes`: COCO instances JSON and Cityscapes / Mapillary
// polygon folders. They carry no dataset attributes, only instances, so they give the derived keys
// (roadworks, traffic_near, traffic_far, crowded); the other keys stay missing. Read by the same
// streaming readers as `extract --stats` (formats/coco.ts readCoco, lib/polygon-folders.ts).
//
// COCO: the box height is bbox[3] (`"bbox": [x, y, width, height]`), the image height
// `images[].height`, the image name `images[].file_name`:
//   {"images": [{"id": 1, "file_name": "0001.jpg", "height": 480, "width": 640}],
//    "annotations": [{"image_id": 1, "category_id": 3, "bbox": [10, 20, 30, 96], ...}],
//    "categories": [{"id": 3, "name": "car"}]}
// Polygons: the box height is the polygon's y extent (max y - min y), the image height `imgHeight`
// (Cityscapes) or `height` (Mapillary Vistas v2.0):
//   aachen_000000_000019_gtFine_polygons.json
//   {"imgHeight": 1024, "imgWidth": 2048, "objects": [{"label": "car", "polygon": [[0, 769], [290, 574], ...]}]}
import path from 'node:path';
import { LabelmapError } from '../findings.js';
import { readCoco, type CocoImage } from '../formats/coco.js';
import { forEachJsonFile, isRecord, jsonKind, objectsArray } from '../formats/lib/polygon-folders.js';
import { SHAPE as CITYSCAPES_SHAPE } from '../formats/cityscapes.js';
import { SHAPE as MAPILLARY_SHAPE } from '../formats/mapillary.js';
import type { Frame, FrameInstance } from './compute.js';

export interface AnnotationReadOptions {
  /** Image height when the file does not give one (null: box-height-share rules do not hold). */
  imageHeight: number | null;
  onProgress?: (done: number, total: number) => void;
}

/**
 * The frames of a COCO instances (or panoptic) file, one per element of `images` in file order,
 * then one per image id that only annotations name (called by the id, without a height). The
 * categories come last in real files, so instances are kept per image (a category id and a height
 * each) until the end of the file; the annotations themselves are never built.
 */
export async function readCocoFrames(file: string, classOf: (native: string) => string | null, options: AnnotationReadOptions, onFrame: (frame: Frame) => void): Promise<number> {
  const images: CocoImage[] = [];
  const imageIndex = new Map<number | string, number>();
  const categoryIds: number[][] = [];
  const heights: (number | null)[][] = [];
  const slotOf = (id: number | string): number => {
    let slot = imageIndex.get(id);
    if (slot === undefined) {
      slot = categoryIds.length;
      imageIndex.set(id, slot);
      categoryIds.push([]);
      heights.push([]);
    }
    return slot;
  };
  const listed = new Set<number | string>();
  const coco = await readCoco(file, {
    stats: false,
    onProgress: options.onProgress,
    onImage: (image) => {
      // A second entry with the same id is the same image: the first one names it.
      if (listed.has(image.id)) return;
      listed.add(image.id);
      slotOf(image.id);
      images.push(image);
    },
    onInstance: (imageId, categoryId, boxHeight) => {
      const slot = slotOf(imageId);
      categoryIds[slot]!.push(categoryId);
      heights[slot]!.push(boxHeight);
    },
  });
  const taxonomyOf = new Map(coco.categories.map((c) => [c.id, classOf(c.name)]));
  let count = 0;
  const emit = (slot: number, image: string, imageHeight: number | null) => {
    const instances: FrameInstance[] = categoryIds[slot]!.map((id, k) => ({ taxonomyClass: taxonomyOf.get(id) ?? null, boxHeight: heights[slot]![k]! }));
    count++;
    onFrame({ image, source: {}, instances, imageHeight });
  };
  const named = new Set<number>();
  for (const image of images) {
    const slot = imageIndex.get(image.id)!;
    named.add(slot);
    emit(slot, image.fileName, image.height ?? options.imageHeight);
  }
  for (const [id, slot] of imageIndex) if (!named.has(slot)) emit(slot, String(id), options.imageHeight);
  return count;
}

export type PolygonFolderKind = 'cityscapes' | 'mapillary';

/**
 * The frames of polygon files, one per file in the given order. Objects marked deleted are left
 * out, as the extractor does; a Cityscapes crowd label (`cargroup`) without a class of its own
 * counts as its class (`car`).
 */
export async function readPolygonFrames(
  files: readonly string[],
  kind: PolygonFolderKind,
  classOf: (native: string) => string | null,
  options: AnnotationReadOptions,
  onFrame: (frame: Frame) => void,
): Promise<number> {
  const shape = kind === 'cityscapes' ? CITYSCAPES_SHAPE : MAPILLARY_SHAPE;
  const heightKey = kind === 'cityscapes' ? 'imgHeight' : 'height';
  const classOfLabel = (label: string): string | null => classOf(label) ?? (label.endsWith('group') ? classOf(label.slice(0, -'group'.length)) : null);
  await forEachJsonFile(
    files,
    (json, file) => {
      const objects = objectsArray(json, file, shape);
      const height = (json as Record<string, unknown>)[heightKey];
      if (height !== undefined && !(typeof height === 'number' && height > 0)) {
        throw new LabelmapError('label-json-shape', { file, path: heightKey }, { expected: 'the image height in pixels (a positive number)', found: jsonKind(height) });
      }
      const instances: FrameInstance[] = [];
      objects.forEach((obj, k) => {
        if (!isRecord(obj)) throw new LabelmapError('label-json-shape', { file, path: `objects[${k}]` }, { expected: 'an object with "label" and "polygon"', found: jsonKind(obj) });
        if (obj.deleted === true || obj.deleted === 1) return;
        if (typeof obj.label !== 'string') throw new LabelmapError('label-json-shape', { file, path: `objects[${k}].label` }, { expected: 'a label name (a string)', found: jsonKind(obj.label) });
        instances.push({ taxonomyClass: classOfLabel(obj.label), boxHeight: yExtentOf(obj.polygon) });
      });
      onFrame({ image: imageNameOf(file, kind), source: {}, instances, imageHeight: typeof height === 'number' ? height : options.imageHeight });
    },
    options.onProgress,
  );
  return files.length;
}

/** `[[x, y], ...]` -> max y - min y; null when there is no point with finite coordinates. */
function yExtentOf(polygon: unknown): number | null {
  if (!Array.isArray(polygon)) return null;
  let min = Infinity;
  let max = -Infinity;
  for (const point of polygon) {
    if (!Array.isArray(point) || point.length < 2) return null;
    const y: unknown = point[1];
    if (typeof y !== 'number' || !Number.isFinite(y)) return null;
    if (y < min) min = y;
    if (y > max) max = y;
  }
  return max >= min ? max - min : null;
}

/**
 * The image a polygon file annotates, as the datasets name it:
 * `aachen_000000_000019_gtFine_polygons.json` -> `aachen_000000_000019_leftImg8bit.png` (Cityscapes),
 * `polygons/<key>.json` -> `<key>.jpg` (Mapillary Vistas).
 */
export function imageNameOf(file: string, kind: PolygonFolderKind): string {
  const base = path.basename(file);
  return kind === 'cityscapes' ? base.replace(/_gt(?:Fine|Coarse)_polygons\.json$/, '_leftImg8bit.png') : base.replace(/\.json$/i, '.jpg');
}
