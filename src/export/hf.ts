// `id2label` / `label2id` for a Hugging Face model config (config.json): JSON keys are strings,
// so id2label has "0", "1", ... (transformers turns them back into ints), label2id has int values.
//   {"id2label": {"0": "road", "1": "sidewalk"}, "label2id": {"road": 0, "sidewalk": 1}}
// num_labels = len(id2label), so a train id that no label has gets a placeholder name.
import type { Bundle } from '../taxonomy/types.js';
import { jsonObject, slotNames } from './common.js';
import type { ExportFormat } from './types.js';

function render(bundle: Bundle): string {
  const names = slotNames(bundle);
  const id2label = jsonObject(names.map((n, i) => [String(i), n]), '  ');
  const label2id = jsonObject(names.map((n, i) => [n, i]), '  ');
  return `{\n  "id2label": ${id2label},\n  "label2id": ${label2id}\n}\n`;
}

export const hf: ExportFormat<'hf'> = {
  id: 'hf',
  title: 'Hugging Face config id2label / label2id (JSON)',
  audience: 'training',
  file: 'id2label.json',
  extension: 'json',
  render,
};
