// MMDetection 3.x dataset metainfo, as a config snippet. Its COCO loader picks categories by name
// (`get_cat_ids(cat_names=classes)`), so classes are the thing labels (is_thing not false) in
// train-id order and mmdet's class index is the position in this tuple, not the train id.
import { LabelmapError } from '../findings.js';
import type { Bundle } from '../taxonomy/types.js';
import { hashComment, rgb, thingLabels } from './common.js';
import { metainfoPython } from './mmseg.js';
import type { ExportFormat } from './types.js';

function render(bundle: Bundle): string {
  const things = thingLabels(bundle);
  if (things.length === 0) {
    throw new LabelmapError('export-empty', {}, {
      format: 'mmdet',
      what: 'thing label (is_thing true or mixed)',
      set: bundle.vertical === null ? 'the unified taxonomy' : `the vertical "${bundle.vertical}"`,
      fix: 'a detector needs countable classes; for segmentation use --format mmseg',
    });
  }
  return [
    hashComment(bundle, 'mmdet'),
    `# The thing labels in train-id order; mmdet class index = position here. Train ids: ${things.map((l) => `${l.name}=${l.train_id}`).join(', ')}.`,
    ...metainfoPython(things.map((l) => ({ name: l.name, color: rgb(l.color) }))),
    '',
  ].join('\n');
}

export const mmdet: ExportFormat<'mmdet'> = {
  id: 'mmdet',
  title: 'MMDetection metainfo dict (classes, palette) of the thing labels, as Python',
  audience: 'training',
  file: 'metainfo_mmdet.py',
  extension: 'py',
  render,
};
