// MMSegmentation 1.x dataset metainfo, as a config snippet: class index = train id (mmseg reads
// the label PNG's pixel values as class indices), so every train id has a class (placeholders in
// the gaps). Use it as `train_dataloader = dict(dataset=dict(metainfo=metainfo, ...))`.
import type { Bundle } from '../taxonomy/types.js';
import { hashComment, labelSlots, quoted, rgb, unusedName } from './common.js';
import type { ExportFormat } from './types.js';

/** `metainfo = dict(classes=(...), palette=[...])`, one class per line. */
export function metainfoPython(classes: readonly { name: string; color: [number, number, number] }[]): string[] {
  return [
    'metainfo = dict(',
    '    classes=(',
    ...classes.map((c) => `        ${quoted(c.name)},`),
    '    ),',
    '    palette=[',
    ...classes.map((c) => `        [${c.color.join(', ')}],  # ${c.name}`),
    '    ],',
    ')',
  ];
}

function render(bundle: Bundle): string {
  const classes = labelSlots(bundle).map((l, i) => ({ name: l?.name ?? unusedName(i), color: l ? rgb(l.color) : ([0, 0, 0] as [number, number, number]) }));
  return [
    hashComment(bundle, 'mmseg'),
    `# Class index = train id; pixels with ${bundle.ignore_id} are ignored: set ignore_index=${bundle.ignore_id} in the decode head's loss.`,
    ...metainfoPython(classes),
    '',
  ].join('\n');
}

export const mmseg: ExportFormat<'mmseg'> = {
  id: 'mmseg',
  title: 'MMSegmentation metainfo dict (classes, palette) as Python',
  audience: 'training',
  file: 'metainfo_mmseg.py',
  extension: 'py',
  render,
};
