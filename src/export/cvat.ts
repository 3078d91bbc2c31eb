// The labels of a CVAT project, as its label constructor's "Raw" tab and `cvat-cli project create
// --labels` read them: [{"name": ..., "color": "#rrggbb", "type": "any", "attributes": []}].
import type { Bundle } from '../taxonomy/types.js';
import { jsonLines } from './common.js';
import type { ExportFormat, ExportOptions } from './types.js';

function render(bundle: Bundle, options: ExportOptions): string {
  const type = options.shape ?? 'any';
  return `${jsonLines(bundle.labels.map((l) => ({ name: l.name, color: l.color.toLowerCase(), type, attributes: [] })))}\n`;
}

export const cvat: ExportFormat<'cvat'> = {
  id: 'cvat',
  title: 'CVAT project labels (JSON for the label constructor)',
  audience: 'annotation',
  file: 'cvat_labels.json',
  extension: 'json',
  shapes: ['any', 'rectangle', 'polygon', 'mask'],
  render,
};
