// The registry of export formats: one entry per file in this folder. `labelmap export --format`
// offers exactly these ids.
import { validateBundle } from '../api/bundle.js';
import { LabelmapError, usageError } from '../findings.js';
import type { Bundle } from '../taxonomy/types.js';
import { coco } from './coco.js';
import { cvat } from './cvat.js';
import { detectron2 } from './detectron2.js';
import { hf } from './hf.js';
import { json } from './json.js';
import { labelStudio } from './label-studio.js';
import { labelimg } from './labelimg.js';
import { labelme } from './labelme.js';
import { mmdet } from './mmdet.js';
import { mmseg } from './mmseg.js';
import { python } from './python.js';
import type { ExportFormat, ExportOptions } from './types.js';
import { via } from './via.js';
import { yolo } from './yolo.js';

export type { ExportFormat, ExportOptions, Shape } from './types.js';
export { SHAPES } from './types.js';

/** Training and prediction code first, then annotation tools. */
export const EXPORTS: readonly ExportFormat[] = [json, python, hf, yolo, coco, mmseg, mmdet, detectron2, cvat, labelStudio, labelme, labelimg, via];

export function exportById(id: string): ExportFormat {
  const format = EXPORTS.find((f) => f.id === id);
  if (!format) throw new LabelmapError('unknown-export', {}, { format: id, known: EXPORTS.map((f) => f.id).join(', ') });
  return format;
}

/** Checks the bundle (unless it came from readBundle/validateBundle) and renders it in one format. */
export function renderExport(bundle: Bundle, formatId: string, options: ExportOptions = {}): string {
  const format = exportById(formatId);
  if (options.shape !== undefined && !format.shapes?.includes(options.shape)) {
    const takers = EXPORTS.filter((f) => f.shapes).map((f) => `${f.id} (${f.shapes!.join(', ')})`);
    throw usageError(
      format.shapes ? `--format ${format.id} takes --shape ${format.shapes.join(', ')}, not ${options.shape}` : `--shape does not apply to --format ${format.id}`,
      `--shape applies to ${takers.join(' and ')}`,
    );
  }
  return format.render(validateBundle(bundle), options);
}
