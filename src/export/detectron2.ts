// Detectron2 metadata as a Python module, in the layouts of detectron2's builtin_meta.py (Python,
// not JSON: the *_dataset_id_to_contiguous_id maps need int keys, which JSON cannot hold):
//     from labelmap_detectron2 import METADATA, PANOPTIC_METADATA
//     MetadataCatalog.get("my_train").set(**METADATA)
//     register_coco_panoptic("my_panoptic", PANOPTIC_METADATA, image_root, panoptic_root, panoptic_json)
// Dataset ids are COCO category ids as the `coco` export writes them (train id + 1).
//
// METADATA: instance detection/segmentation plus semantic segmentation, as builtin_meta lays out
// Cityscapes and COCO instances. thing_classes: the thing labels only, contiguous ids 0..T-1
// (what load_coco_json derives from a categories list of the things, so the two agree).
// stuff_classes: every train id, because detectron2's semantic segmentation reads the pixel value
// as the index into stuff_classes (Cityscapes' builtin stuff_classes hold person and car too).
//
// METADATA also holds label_sets (Metadata takes any key): set id -> (name, kind, member train
// ids). A semantic pixel with a set id needs a partial-label loss (the python export's), not the
// cross-entropy of detectron2's semantic heads.
//
// PANOPTIC_METADATA: the "standard" COCO panoptic layout (coco_panoptic_standard): thing_classes
// and stuff_classes both list every train id, contiguous id = train id, and the two maps say which
// category is a thing and which is stuff. No ignore_label or label_divisor: register_coco_panoptic
// passes its own next to **metadata, and a duplicate key is a TypeError there.
import type { Bundle, OutputLabel } from '../taxonomy/types.js';
import { cocoCategoryId, hashComment, labelSlots, pythonLabelSetEntries, quoted, rgb, thingLabels, unusedName } from './common.js';
import { isUnusedPlaceholder, refuseReservedNames } from './escape.js';
import type { ExportFormat } from './types.js';

type Entry = [key: string, lines: string[]];

function list(key: string, items: readonly string[]): Entry {
  return [key, ['[', ...items.map((i) => `    ${i},`), ']']];
}

function map(key: string, pairs: readonly [number, number][]): Entry {
  return [key, ['{', ...pairs.map(([k, v]) => `    ${k}: ${v},`), '}']];
}

/** `NAME = {` with each entry indented by 4 `}`. */
function pyDict(name: string, entries: readonly Entry[]): string[] {
  const out = [`${name} = {`];
  for (const [key, lines] of entries) {
    if (lines.length === 1) out.push(`    ${quoted(key)}: ${lines[0]},`);
    else out.push(`    ${quoted(key)}: ${lines[0]}`, ...lines.slice(1, -1).map((l) => `    ${l}`), `    ${lines.at(-1)},`);
  }
  out.push('}');
  return out;
}

function render(bundle: Bundle): string {
  refuseReservedNames(bundle.labels.map((l) => l.name), 'detectron2', isUnusedPlaceholder);
  const things = thingLabels(bundle);
  const slots = labelSlots(bundle);
  const names = slots.map((l, i) => quoted(l?.name ?? unusedName(i)));
  const colors = slots.map((l) => `[${(l ? rgb(l.color) : [0, 0, 0]).join(', ')}]`);
  const sets = pythonLabelSetEntries(bundle);
  const byKind = (thing: boolean) => bundle.labels.filter((l) => l.is_thing === thing).map((l: OutputLabel): [number, number] => [cocoCategoryId(l), l.train_id]);
  return [
    hashComment(bundle, 'detectron2'),
    '"""Detectron2 metadata of this label set: MetadataCatalog.get(name).set(**METADATA)."""',
    '',
    '# Instances (thing labels only, contiguous ids) and semantic segmentation (index = train id);',
    '# label_sets: set id -> (name, kind, member train ids).',
    ...pyDict('METADATA', [
      list('thing_classes', things.map((l) => quoted(l.name))),
      list('thing_colors', things.map((l) => `[${rgb(l.color).join(', ')}]`)),
      map('thing_dataset_id_to_contiguous_id', things.map((l, i) => [cocoCategoryId(l), i])),
      list('stuff_classes', names),
      list('stuff_colors', colors),
      ['ignore_label', [String(bundle.ignore_id)]],
      ['label_sets', sets.length ? ['{', ...sets.map(([k, v]) => `    ${k}: ${v},`), '}'] : ['{}']],
    ]),
    '',
    '# Panoptic segmentation, standard layout: contiguous id = train id for things and stuff alike.',
    ...pyDict('PANOPTIC_METADATA', [
      list('thing_classes', names),
      list('thing_colors', colors),
      list('stuff_classes', names),
      list('stuff_colors', colors),
      map('thing_dataset_id_to_contiguous_id', byKind(true)),
      map('stuff_dataset_id_to_contiguous_id', byKind(false)),
    ]),
    '',
  ].join('\n');
}

export const detectron2: ExportFormat<'detectron2'> = {
  id: 'detectron2',
  title: 'Detectron2 metadata (instances + semantic, and panoptic) as Python',
  audience: 'training',
  file: 'labelmap_detectron2.py',
  extension: 'py',
  render,
};
