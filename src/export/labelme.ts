// labelme's labels.txt (`labelme --labels labels.txt`, and labelme2voc.py / labelme2coco.py):
// one name per line, `__ignore__` first (class id -1) and `_background_` second (class id 0).
// labelme numbers the rest from 1 in file order, so its ids are not train ids: map by name.
import { lineListEntry, refuseReservedNames } from './escape.js';
import type { ExportFormat } from './types.js';

/** labelme's own first two lines: class ids -1 and 0. */
const PLACEHOLDERS = new Set(['__ignore__', '_background_']);

export const labelme: ExportFormat<'labelme'> = {
  id: 'labelme',
  title: 'labelme labels.txt (__ignore__, _background_, then the labels)',
  audience: 'annotation',
  file: 'labels.txt',
  extension: 'txt',
  render: (bundle) => {
    const names = bundle.labels.map((l) => l.name);
    refuseReservedNames(names, 'labelme', (name) => PLACEHOLDERS.has(name));
    return [...PLACEHOLDERS, ...names.map((name) => lineListEntry(name, 'labelme')), ''].join('\n');
  },
};
