// `labelmap attributes`: per-image attributes of one input in the unified vocabulary, with counts
// per value. The run streams: each image is mapped as it is read and handed to `onRow`.
import { LabelmapError, type Finding } from '../findings.js';
import { polygonFilesOf as cityscapesPolygonFiles } from '../formats/cityscapes.js';
import { detectCoco } from '../formats/coco.js';
import { readHead } from '../formats/lib/json-scan.js';
import { polygonFiles as mapillaryPolygonFiles } from '../formats/mapillary.js';
import { isDirectory } from '../io/index.js';
import { readCocoFrames, readPolygonFrames } from './annotations.js';
import { addCounts, attributesOfFrame, type AttributeCounts } from './compute.js';
import { ANNOTATION_ONLY_FORMATS, loadAttributeModel, readBdd100kFrames, readGenericFrames, type AttributeInputFormat } from './read.js';

export { attributesOfFrame, compileAttributeModel, type AttributeModel, type Frame, type FrameInstance } from './compute.js';
export { loadAttributeModel, type AttributeInputFormat } from './read.js';
export { readCocoFrames, readPolygonFrames } from './annotations.js';

export interface AttributeRunOptions {
  /** The sheets folder. */
  sheets: string;
  /** Attribute mapping name (`bdd100k`, `generic`). */
  dataset: string;
  /** Input format; default by the input (see inputFormatOf). */
  inputFormat?: AttributeInputFormat;
  /**
   * Image height in pixels for box-height-share rules: BDD100K's files do not say it (default 720);
   * for COCO and polygon files, the height of images whose file gives none.
   */
  imageHeight?: number;
  onRow?: (image: string, values: Readonly<Record<string, string>>) => void;
  onProgress?: (done: number, total: number) => void;
}

export interface AttributeRunResult {
  /** The table's columns after `image`. */
  keys: string[];
  images: number;
  counts: AttributeCounts;
  vocabulary: string;
  /** The attribute mapping, or null for an annotation-only input without one. */
  mapping: string | null;
  /** The class mapping that reached the taxonomy (`mappings/<dataset>`), or null. */
  classMapping: string | null;
  format: AttributeInputFormat;
  rules: string[];
  /** Unmapped source values (each once, with the first image). */
  findings: Finding[];
}

/**
 * The format of an input: a folder of Cityscapes polygon files (`*_gtFine_polygons.json`), else of
 * Mapillary Vistas polygon files; `.csv` the generic table; a `*_gtFine_polygons.json` file
 * Cityscapes; another JSON file COCO when it is an object with COCO keys (images, annotations,
 * categories), else BDD100K (a list of frames; its reader says what else the file is).
 */
export async function inputFormatOf(input: string): Promise<AttributeInputFormat> {
  if (isDirectory(input)) {
    if (cityscapesPolygonFiles(input).files.length > 0) return 'cityscapes';
    if (mapillaryPolygonFiles(input, 1).length > 0) return 'mapillary';
    throw new LabelmapError('polygons-none', { file: input }, {
      pattern: '*_gtFine_polygons.json or polygons/*.json',
      fix: 'pass a Cityscapes gtFine folder, a Mapillary Vistas v2.0 polygons folder, or a label file (COCO or BDD100K JSON, an image,key,value CSV)',
    });
  }
  const lower = input.toLowerCase();
  if (lower.endsWith('.csv')) return 'generic';
  if (/_gt(?:fine|coarse)_polygons\.json$/.test(lower)) return 'cityscapes';
  const head = readHead(input, 64).toString('latin1').replace(/^\xef\xbb\xbf/, '').trimStart();
  return head.startsWith('{') && (await detectCoco(input)).ok ? 'coco' : 'bdd100k';
}

/** The polygon files of a folder (or the one file given). */
function polygonInput(input: string, format: 'cityscapes' | 'mapillary'): string[] {
  if (!isDirectory(input)) return [input];
  const files = format === 'cityscapes' ? cityscapesPolygonFiles(input).files : mapillaryPolygonFiles(input);
  if (files.length === 0) {
    throw new LabelmapError('polygons-none', { file: input }, { pattern: format === 'cityscapes' ? '*_gtFine_polygons.json' : 'polygons/*.json', fix: `pass the ${format === 'cityscapes' ? 'Cityscapes gtFine' : 'Mapillary Vistas v2.0 polygons'} folder` });
  }
  return files;
}

export async function runAttributes(input: string, options: AttributeRunOptions): Promise<AttributeRunResult> {
  const format = options.inputFormat ?? (await inputFormatOf(input));
  const loaded = loadAttributeModel(options.sheets, options.dataset, { annotationsOnly: ANNOTATION_ONLY_FORMATS.includes(format) });
  const counts: AttributeCounts = new Map(loaded.model.keys.map((k) => [k, new Map()]));
  const findings = new Map<string, Finding>();
  const mappingName = loaded.mapping?.rel ?? '';
  let images = 0;
  const onFrame = (frame: Parameters<typeof attributesOfFrame>[1]) => {
    const r = attributesOfFrame(loaded.model, frame, mappingName);
    for (const f of r.findings) {
      const key = `${String(f.args.sourceKey)}\u0000${String(f.args.sourceValue)}`;
      if (!findings.has(key)) findings.set(key, f);
    }
    images++;
    addCounts(counts, r.values);
    options.onRow?.(frame.image, r.values);
  };
  const annotationOptions = { imageHeight: options.imageHeight ?? null, onProgress: options.onProgress };
  if (format === 'generic') readGenericFrames(input, onFrame);
  else if (format === 'coco') await readCocoFrames(input, loaded.classOf, annotationOptions, onFrame);
  else if (format === 'cityscapes' || format === 'mapillary') await readPolygonFrames(polygonInput(input, format), format, loaded.classOf, annotationOptions, onFrame);
  else await readBdd100kFrames(input, loaded.classOf, { imageHeight: options.imageHeight ?? 720, onProgress: options.onProgress }, onFrame);
  if (images === 0) throw new LabelmapError('attribute-input-empty', { file: input }, {});
  return {
    keys: loaded.model.keys,
    images,
    counts,
    vocabulary: `${loaded.vocabulary.name}@${loaded.vocabulary.version}`,
    mapping: loaded.mapping ? `${loaded.mapping.name}@${loaded.mapping.version}` : null,
    classMapping: loaded.classMapping ? `${loaded.classMapping.name}@${loaded.classMapping.version}` : null,
    format,
    rules: loaded.rules.map((r) => `${r.name}@${r.version}`),
    findings: [...findings.values()],
  };
}
