// COCO categories with the output train ids as category ids, in a file pycocotools opens
// (COCO() needs none of images/annotations). isthing and color as in COCO panoptic.
//   {"categories": [
//     {"id": 0, "name": "road", "supercategory": "", "isthing": 0, "color": [128, 64, 128]}
//   ]}
import type { Bundle } from '../taxonomy/types.js';
import { jsonLines, rgb } from './common.js';
import type { ExportFormat } from './types.js';

function render(bundle: Bundle): string {
  const categories = bundle.labels.map((l) => ({
    id: l.train_id,
    name: l.name,
    // The bundle has no grouping of output labels; COCO requires the key.
    supercategory: '',
    isthing: l.is_thing ? 1 : 0,
    color: rgb(l.color),
  }));
  return `{"categories": ${jsonLines(categories)}}\n`;
}

export const coco: ExportFormat<'coco'> = {
  id: 'coco',
  title: 'COCO categories (id = train id, name, supercategory, isthing, color)',
  audience: 'training',
  file: 'categories.json',
  extension: 'json',
  render,
};
