// labelme's labels.txt (`labelme --labels labels.txt`, and labelme2voc.py / labelme2coco.py):
// one name per line, `__ignore__` first (class id -1) and `_background_` second (class id 0).
// labelme numbers the rest from 1 in file order, so its ids are not train ids: map by name.
import type { ExportFormat } from './types.js';

export const labelme: ExportFormat<'labelme'> = {
  id: 'labelme',
  title: 'labelme labels.txt (__ignore__, _background_, then the labels)',
  audience: 'annotation',
  file: 'labels.txt',
  extension: 'txt',
  render: (bundle) => ['__ignore__', '_background_', ...bundle.labels.map((l) => l.name), ''].join('\n'),
};
