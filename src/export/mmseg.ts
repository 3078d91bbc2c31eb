// MMSegmentation 1.x dataset metainfo, as a config snippet: class index = train id (mmseg reads
// the label PNG's pixel values as class indices), so every train id has a class (placeholders in
// the gaps). Use it as
//   train_dataloader = dict(dataset=dict(metainfo=metainfo, reduce_zero_label=reduce_zero_label, ...))
//   model = dict(decode_head=dict(num_classes=len(metainfo["classes"]), ignore_index=ignore_index, ...))
// reduce_zero_label is False: train id 0 is a real class (road), not "unlabelled".
// metainfo also holds label_sets (mmengine keeps extra metainfo keys): set id -> (name, kind,
// member train ids). Pixels with a set id need a partial-label loss (the python export's);
// mmseg's CrossEntropyLoss accepts only class indices and ignore_index.
import type { Bundle } from '../taxonomy/types.js';
import { hashComment, labelSlots, pythonLabelSetEntries, quoted, rgb, unusedName } from './common.js';
import { isUnusedPlaceholder, refuseReservedNames } from './escape.js';
import type { ExportFormat } from './types.js';

/** `metainfo = dict(classes=(...), palette=[...])`, one class per line, and more keys if given. */
export function metainfoPython(classes: readonly { name: string; color: [number, number, number] }[], more: string[] = []): string[] {
  return [
    'metainfo = dict(',
    '    classes=(',
    ...classes.map((c) => `        ${quoted(c.name)},`),
    '    ),',
    '    palette=[',
    ...classes.map((c) => `        [${c.color.join(', ')}],`),
    '    ],',
    ...more,
    ')',
  ];
}

function render(bundle: Bundle): string {
  refuseReservedNames(bundle.labels.map((l) => l.name), 'mmseg', isUnusedPlaceholder);
  const classes = labelSlots(bundle).map((l, i) => ({ name: l?.name ?? unusedName(i), color: l ? rgb(l.color) : ([0, 0, 0] as [number, number, number]) }));
  const sets = pythonLabelSetEntries(bundle);
  return [
    hashComment(bundle, 'mmseg'),
    '# Class index = train id. label_sets: set id -> (name, kind, member train ids); a pixel with a set',
    '# id is one of the members (train it with a partial-label loss, not CrossEntropyLoss).',
    ...metainfoPython(classes, sets.length ? ['    label_sets={', ...sets.map(([k, v]) => `        ${k}: ${v},`), '    },'] : ['    label_sets={},']),
    '',
    '# For the dataset (reduce_zero_label, ignore_index) and the decode head (ignore_index).',
    `ignore_index = ${bundle.ignore_id}`,
    'reduce_zero_label = False',
    '',
  ].join('\n');
}

export const mmseg: ExportFormat<'mmseg'> = {
  id: 'mmseg',
  title: 'MMSegmentation metainfo dict (classes, palette, label_sets), ignore_index, reduce_zero_label, as Python',
  audience: 'training',
  file: 'metainfo_mmseg.py',
  extension: 'py',
  render,
};
