// An Ultralytics data YAML (data.yaml) for a detector: the thing labels only (stuff such as road
// and sky has no boxes), `names` as a map class index -> name, `nc`, and the `path`/`train`/`val`
// keys that Ultralytics requires in every data YAML, as placeholders to fill in:
//   path: path/to/dataset
//   train: images/train
//   val: images/val
//   nc: 2
//   names:
//     0: pedestrian
//     1: "yes"      <- quoted: YAML 1.1 (PyYAML, which Ultralytics uses) reads a bare yes as true
// The class index is the position among the things in train-id order, not the train id.
import type { Bundle } from '../taxonomy/types.js';
import { hashComment, noThingsError, quoted, thingLabels } from './common.js';
import type { ExportFormat } from './types.js';

// Words YAML 1.1 or 1.2 resolve to booleans or null when bare.
const SPECIAL = new Set(['y', 'n', 'yes', 'no', 'on', 'off', 'true', 'false', 'null']);

/** A YAML scalar for a name: bare when it is plainly a string in every YAML version, else double-quoted. */
export function yamlString(name: string): string {
  return /^[A-Za-z_][A-Za-z0-9_.-]*$/.test(name) && !SPECIAL.has(name.toLowerCase()) ? name : quoted(name);
}

function render(bundle: Bundle): string {
  const things = thingLabels(bundle);
  if (things.length === 0) throw noThingsError(bundle, 'yolo');
  return [
    hashComment(bundle, 'yolo'),
    '# Fill in path, train and val before training: they are placeholders. path is the dataset root;',
    '# train and val are image folders (or .txt lists of images) relative to it.',
    'path: path/to/dataset',
    'train: images/train',
    'val: images/val',
    '',
    '# The thing labels in train-id order (stuff labels are left out); class index = position here.',
    `nc: ${things.length}`,
    'names:',
    ...things.map((l, i) => `  ${i}: ${yamlString(l.name)}`),
    '',
  ].join('\n');
}

export const yolo: ExportFormat<'yolo'> = {
  id: 'yolo',
  title: 'Ultralytics YOLO data YAML (thing labels, names map, nc, path/train/val placeholders)',
  audience: 'training',
  file: 'data.yaml',
  extension: 'yaml',
  render,
};
