// MMDetection 3.x dataset metainfo, as a config snippet. Its COCO loader picks categories by name
// (`get_cat_ids(cat_names=classes)`), so classes are the thing labels only (a detection config:
// no road, no sky) in train-id order, and mmdet's class index is the position in this tuple, not
// the train id. The `coco` export's categories file works with it as it is.
import type { Bundle } from '../taxonomy/types.js';
import { hashComment, noThingsError, rgb, thingLabels } from './common.js';
import { metainfoPython } from './mmseg.js';
import type { ExportFormat } from './types.js';

function render(bundle: Bundle): string {
  const things = thingLabels(bundle);
  if (things.length === 0) throw noThingsError(bundle, 'mmdet');
  return [
    hashComment(bundle, 'mmdet'),
    '# The thing labels in train-id order (stuff labels are left out); mmdet class index = position in classes.',
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
