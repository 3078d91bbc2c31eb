// The registry of export formats: one entry per file in this folder. `labelmap export --format`
// offers exactly these ids (./ids.ts). renderExport (./render.ts) checks a bundle and renders it.
import { LabelmapError } from '../findings.js';
import { coco } from './coco.js';
import { cvat } from './cvat.js';
import { detectron2 } from './detectron2.js';
import { hf } from './hf.js';
import { json } from './json.js';
import { labelStudio } from './label-studio.js';
import { labelbox } from './labelbox.js';
import { labelimg } from './labelimg.js';
import { labelme } from './labelme.js';
import { mmdet } from './mmdet.js';
import { mmseg } from './mmseg.js';
import { python } from './python.js';
import { EXPORT_IDS, type ExportId } from './ids.js';
import type { ExportFormat } from './types.js';
import { via } from './via.js';
import { yolo } from './yolo.js';

export type { ExportFormat, ExportOptions } from './types.js';
export { EXPORT_IDS, SHAPES, type ExportId, type Shape } from './ids.js';

const BY_ID: { readonly [id in ExportId]: ExportFormat<id> } = {
  json,
  python,
  hf,
  yolo,
  coco,
  mmseg,
  mmdet,
  detectron2,
  cvat,
  'label-studio': labelStudio,
  labelbox,
  labelme,
  labelimg,
  via,
};

/** Every format, in the order of EXPORT_IDS (training and prediction code first, then annotation tools). */
export const EXPORTS: readonly ExportFormat[] = EXPORT_IDS.map((id) => BY_ID[id]);

export function exportById(id: string): ExportFormat {
  const format = (BY_ID as Record<string, ExportFormat | undefined>)[id];
  if (!format) throw new LabelmapError('unknown-export', {}, { format: id, known: EXPORTS.map((f) => f.id).join(', ') });
  return format;
}
