// `--datasets a,b` of the commands that compile from the sheets (merge, export): one reading.
import { LabelmapError } from '../findings.js';
import { parseRef } from '../sheets/discover.js';

/**
 * `coco,cityscapes@1.0.0,mappings/voc@1.1.0` -> the references, each checked; undefined (the flag
 * not given) -> 'all', every dataset with a mapping.
 */
export function parseDatasetsOption(text: string | undefined): string[] | 'all' {
  if (text === undefined) return 'all';
  const items = text.split(',').map((s) => s.trim()).filter((s) => s !== '');
  if (items.length === 0) throw new LabelmapError('datasets-list-invalid', {});
  for (const item of items) {
    if (!parseRef(item)) throw new LabelmapError('datasets-list-invalid', {}, { item });
  }
  return items;
}
