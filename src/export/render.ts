// Rendering a bundle in one export format, after checking it and the options.
import { validateBundle } from '../api/bundle.js';
import { LabelmapError } from '../findings.js';
import type { Bundle } from '../taxonomy/types.js';
import { EXPORTS, exportById } from './index.js';
import type { ExportOptions } from './types.js';

/** Checks the bundle (unless it came from readBundle/validateBundle) and renders it in one format. */
export function renderExport(bundle: Bundle, formatId: string, options: ExportOptions = {}): string {
  const format = exportById(formatId);
  if (options.shape !== undefined && !format.shapes?.includes(options.shape)) {
    const takers = EXPORTS.filter((f) => f.shapes).map((f) => `${f.id} (${f.shapes!.join(', ')})`);
    throw new LabelmapError('export-shape', {}, { format: format.id, shapes: format.shapes ?? [], shape: options.shape, takers });
  }
  return format.render(validateBundle(bundle), options);
}
