// Detectron2 metadata as a Python module (Python, not JSON: the *_dataset_id_to_contiguous_id
// maps need int keys, which JSON cannot hold):
//     from labelmap_detectron2 import METADATA
//     MetadataCatalog.get("my_train").set(**METADATA)
// Dataset ids are the output train ids (what label images and `--format coco` categories hold).
// thing_classes: the thing labels (is_thing true, or null for a label mixing things and stuff), contiguous ids 0..T-1 as detectron2's instance
// heads need. stuff_classes: every train id, as detectron2's semantic segmentation reads it (the
// pixel value is the class), with placeholders in gaps.
import type { Bundle } from '../taxonomy/types.js';
import { hashComment, labelSlots, quoted, rgb, thingLabels, unusedName } from './common.js';
import type { ExportFormat } from './types.js';

function render(bundle: Bundle): string {
  const things = thingLabels(bundle);
  const slots = labelSlots(bundle);
  const list = (key: string, items: readonly string[]) => [`    ${quoted(key)}: [`, ...items.map((i) => `        ${i},`), '    ],'];
  const map = (key: string, pairs: readonly [number, number][]) => [`    ${quoted(key)}: {`, ...pairs.map(([k, v]) => `        ${k}: ${v},`), '    },'];
  return [
    hashComment(bundle, 'detectron2'),
    '"""Detectron2 metadata of this label set: MetadataCatalog.get(name).set(**METADATA)."""',
    '',
    'METADATA = {',
    ...list('thing_classes', things.map((l) => quoted(l.name))),
    ...list('thing_colors', things.map((l) => `[${rgb(l.color).join(', ')}]`)),
    ...map('thing_dataset_id_to_contiguous_id', things.map((l, i) => [l.train_id, i])),
    ...list('stuff_classes', slots.map((l, i) => quoted(l?.name ?? unusedName(i)))),
    ...list('stuff_colors', slots.map((l) => `[${(l ? rgb(l.color) : [0, 0, 0]).join(', ')}]`)),
    ...map('stuff_dataset_id_to_contiguous_id', slots.map((_, i) => [i, i])),
    `    "ignore_label": ${bundle.ignore_id},`,
    '}',
    '',
  ].join('\n');
}

export const detectron2: ExportFormat<'detectron2'> = {
  id: 'detectron2',
  title: 'Detectron2 metadata (thing/stuff classes, colours, dataset-id-to-contiguous maps) as Python',
  audience: 'training',
  file: 'labelmap_detectron2.py',
  extension: 'py',
  render,
};
