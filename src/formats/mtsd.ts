// Mapillary Traffic Sign Dataset (MTSD): one annotation JSON per image (annotations/<key>.json),
// its signs as boxes named like Vistas classes, `--` between the levels:
//
//   {"width": 4032, "height": 3024, "ispano": false,
//    "objects": [{"key": "ll7ihh7l...", "label": "regulatory--stop--g1",
//                 "bbox": {"xmin": 1640.5, "ymin": 1298.9, "xmax": 1697.1, "ymax": 1356.3},
//                 "properties": {"occluded": false, "ambiguous": false, "dummy": false, ...}}]}
//
// MTSD ships no label table: the classes are the labels of the annotations, sorted, ids their
// positions (from --first-id), unless --labels names a sheet to take ids from. The hierarchy
// comes from the name as for Vistas (`regulatory--stop--g1` is in category `regulatory--stop`);
// `other-sign` has none.
import { statSync } from 'node:fs';
import path from 'node:path';
import { LabelmapError } from '../findings.js';
import type { DatasetClass } from '../sheets/schema.js';
import { isRecord, LabelCounts, readToolJson, shapeError, toolRows } from './lib/annotation-tools.js';
import { rejectedBy } from './lib/detection.js';
import { findFiles, objectsArray, resolveLabelTable } from './lib/polygon-folders.js';
import { mapillaryCategory } from './mapillary.js';
import type { Detection, ExtractOptions, Extraction, Extractor } from './types.js';

const SHAPE = 'an MTSD annotation file {"width", "height", "objects": [{"key", "label", "bbox": {...}}]}';
/** MTSD v2 has 52,453 fully and 47,547 partially annotated images. */
const MAX_VISITS = 1_000_000;

/** Whether a JSON value is an MTSD annotation: objects with a `bbox` object and no `polygon`. */
export function isMtsdAnnotation(json: unknown): boolean {
  if (!isRecord(json) || !Array.isArray(json.objects)) return false;
  const first = json.objects.find(isRecord);
  return first !== undefined && isRecord(first.bbox) && !('polygon' in first);
}

/** The label of each object of one annotation file, in file order. */
export function mtsdLabels(json: unknown, file: string): string[] {
  return objectsArray(json, file, SHAPE).map((object, i) => {
    const at = `objects[${i}]`;
    if (!isRecord(object)) throw shapeError({ file, path: at }, 'a sign object {"key", "label", "bbox"}', object);
    if (typeof object.label !== 'string' || object.label.trim() === '') throw shapeError({ file, path: `${at}.label` }, 'a sign label such as "regulatory--stop--g1"', object.label);
    return object.label.trim();
  });
}

function annotationFiles(input: string, limit?: number): string[] {
  if (!statSync(input).isDirectory()) return [input];
  return findFiles(input, (rel) => rel.toLowerCase().endsWith('.json'), { limit, maxVisits: MAX_VISITS });
}

export const mtsd: Extractor = {
  id: 'mtsd',
  title: 'Mapillary Traffic Sign Dataset',
  input: 'a folder of MTSD annotation JSON files (annotations/*.json) or one of them; ids from --labels or label positions (--first-id)',

  async detect(input: string): Promise<Detection> {
    try {
      const first = annotationFiles(input, 1)[0];
      if (!first) return { ok: false, reason: 'a folder with no .json files' };
      if (!first.toLowerCase().endsWith('.json')) return { ok: false, reason: 'not a .json file or a folder' };
      if (statSync(first).size > 64 * 1024 * 1024) return { ok: false, reason: `${path.basename(first)} is too large for an MTSD annotation file` };
      return isMtsdAnnotation(readToolJson(first, 'MTSD annotation'))
        ? { ok: true, reason: `MTSD annotations (${path.basename(first)} has "objects" with "label" and "bbox")` }
        : { ok: false, reason: `${path.basename(first)} has no "objects" with a "bbox" (not MTSD)` };
    } catch (error) {
      return rejectedBy(error);
    }
  },

  async extract(input: string, options: ExtractOptions): Promise<Extraction> {
    const files = annotationFiles(input);
    if (files.length === 0) throw new LabelmapError('class-list-empty', { file: input }, { what: 'MTSD annotation .json files', fix: 'pass the annotations folder of MTSD (mtsd_v2_fully_annotated/annotations)' });
    const counts = new LabelCounts();
    const firstPlace = new Map<string, { file: string; path: string }>();
    files.forEach((file, i) => {
      options.onProgress?.(i, files.length);
      counts.image();
      mtsdLabels(readToolJson(file, 'MTSD annotation'), file).forEach((label, k) => {
        if (!firstPlace.has(label)) firstPlace.set(label, { file, path: `objects[${k}].label` });
        counts.add(label);
      });
    });
    const notes = [`read ${files.length} annotation file${files.length === 1 ? '' : 's'}`];
    let rows: DatasetClass[];
    if (options.labels !== undefined) {
      const table = resolveLabelTable(options, options.labels, () => null, 'an mtsd dataset sheet (datasets/mtsd@1.0.0.csv, or its reference)');
      rows = table.rows.map((r) => ({ ...r, category: r.category || mapillaryCategory(r.name) }));
      const known = new Set(rows.map((r) => r.name));
      const unknown = [...firstPlace.keys()].filter((l) => !known.has(l));
      if (unknown.length > 0) {
        throw new LabelmapError('unknown-label', firstPlace.get(unknown[0]!)!, { label: unknown[0], source: table.source, more: unknown.slice(1, 6).join(', '), flag: '--labels <sheet>' });
      }
      notes.push(`ids from ${table.source}`);
    } else {
      const labels = [...counts.instances.keys()].sort();
      rows = toolRows(labels.map((name) => ({ name, category: mapillaryCategory(name), place: { file: input } })), input, options.firstId);
      notes.push(`MTSD has no label table: the ${rows.length} labels of the annotations, sorted, ids from ${options.firstId ?? 0} (pass --labels <sheet> to keep the ids of an earlier sheet)`);
    }
    notes.push('category = the name without its last "--" part (regulatory--stop--g1 -> regulatory--stop)');
    if (options.stats) notes.push(...counts.apply(rows));
    return { name: 'mtsd', rows, notes };
  },
};
