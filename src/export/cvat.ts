// The labels of a CVAT project, as its label constructor's "Raw" tab and `cvat-cli project create
// --labels` read them: [{"name": ..., "color": "#rrggbb", "type": "any", "attributes": []}].
// The bundle's image attributes follow as tag labels (CVAT's image-level annotations, label type
// "tag"), one per key, whose one select attribute `value` holds the key's values; no tag of the
// key on an image = missing. CVAT gives them colours:
//   {"name": "weather", "type": "tag", "attributes": [{"name": "value", "mutable": false,
//    "input_type": "select", "default_value": "clear", "values": ["clear", "cloudy", ...]}]}
import type { Bundle } from '../taxonomy/types.js';
import { attributeKeysFor } from './attributes.js';
import { jsonLines } from './common.js';
import type { ExportFormat, ExportOptions } from './types.js';

function render(bundle: Bundle, options: ExportOptions): string {
  const type = options.shape ?? 'any';
  // Label names are one namespace in a CVAT project: a key may not be an output label's name.
  const keys = attributeKeysFor(bundle, 'cvat', bundle.labels.map((l) => l.name), 'an output label');
  const labels = bundle.labels.map((l) => ({ name: l.name, color: l.color.toLowerCase(), type, attributes: [] as unknown[] }));
  const tags = keys.map((k) => ({
    name: k.key,
    type: 'tag',
    attributes: [{ name: 'value', mutable: false, input_type: 'select', default_value: k.values[0]!.value, values: k.values.map((v) => v.value) }],
  }));
  return `${jsonLines([...labels, ...tags])}\n`;
}

export const cvat: ExportFormat<'cvat'> = {
  id: 'cvat',
  title: 'CVAT project labels (JSON for the label constructor; image attributes as tag labels)',
  audience: 'annotation',
  file: 'cvat_labels.json',
  extension: 'json',
  shapes: ['any', 'rectangle', 'polygon', 'mask'],
  render,
};
