// labelImg's data/predefined_classes.txt: one name per line. labelImg writes YOLO class ids as
// line positions, so every train id 0..N-1 has a line (placeholders in the gaps): its YOLO
// files then hold train ids.
import { slotNames } from './common.js';
import { isUnusedPlaceholder, lineListEntry, refuseReservedNames } from './escape.js';
import type { ExportFormat } from './types.js';

export const labelimg: ExportFormat<'labelimg'> = {
  id: 'labelimg',
  title: 'labelImg predefined_classes.txt (line = train id)',
  audience: 'annotation',
  file: 'predefined_classes.txt',
  extension: 'txt',
  render: (bundle) => {
    refuseReservedNames(bundle.labels.map((l) => l.name), 'labelimg', isUnusedPlaceholder);
    return [...slotNames(bundle).map((name) => lineListEntry(name, 'labelimg')), ''].join('\n');
  },
};
