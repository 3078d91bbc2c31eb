// COCO categories of every output label, in the layout of COCO panoptic's categories list
// (panoptic_coco_categories.json), in a file pycocotools opens (COCO() needs none of
// images/annotations):
//   {"categories": [
//     {"id": 1, "name": "road", "supercategory": "", "isthing": 0, "color": [128, 64, 128]}
//   ]}
// id = train id + 1 (cocoCategoryId): COCO ids start at 1, and torchvision and most converters
// read category 0 as background. isthing on every category: 1 for a thing, 0 for stuff.
// A detection json keeps the isthing 1 categories (mmdet picks them by name from this list).
import type { Bundle } from '../taxonomy/types.js';
import { cocoCategoryId, jsonLines, rgb } from './common.js';
import type { ExportFormat } from './types.js';

function render(bundle: Bundle): string {
  const categories = bundle.labels.map((l) => ({
    id: cocoCategoryId(l),
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
  title: 'COCO panoptic categories (id = train id + 1, name, supercategory, isthing, color)',
  audience: 'training',
  file: 'categories.json',
  extension: 'json',
  render,
};
