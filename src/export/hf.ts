// A Hugging Face model config fragment (config.json): `id2label` / `label2id`, the ignore index
// and the label sets. JSON keys are strings, so id2label has "0", "1", ... (transformers turns
// them back into ints), label2id has int values.
//   {"id2label": {"0": "road", "1": "sidewalk"}, "label2id": {"road": 0, "sidewalk": 1},
//    "semantic_loss_ignore_index": 255,
//    "label_sets": {"36": {"name": "road|lane_marking", "kind": "coarse", "members": [0, 1]}}}
// num_labels = len(id2label), so a train id that no label has gets a placeholder name.
// semantic_loss_ignore_index is the key the segmentation models read (Segformer, BEiT, DPT,
// MobileViT, Data2VecVision). label_sets is an extra key: PretrainedConfig keeps unknown keys as
// attributes and writes them back; no model's loss reads it (the python export has the loss).
import type { Bundle } from '../taxonomy/types.js';
import { compactJson, jsonObject, labelSets, slotNames } from './common.js';
import { isUnusedPlaceholder, refuseReservedNames } from './escape.js';
import type { ExportFormat } from './types.js';

function render(bundle: Bundle): string {
  refuseReservedNames(bundle.labels.map((l) => l.name), 'hf', isUnusedPlaceholder);
  const names = slotNames(bundle);
  const id2label = jsonObject(names.map((n, i) => [String(i), n]), '  ');
  const label2id = jsonObject(names.map((n, i) => [n, i]), '  ');
  const sets = jsonObject(labelSets(bundle).map((s) => [String(s.id), { name: s.name, kind: s.kind, members: s.member_ids }]), '  ');
  return [
    '{',
    `  "id2label": ${id2label},`,
    `  "label2id": ${label2id},`,
    `  "semantic_loss_ignore_index": ${compactJson(bundle.ignore_id)},`,
    `  "label_sets": ${sets}`,
    '}',
    '',
  ].join('\n');
}

export const hf: ExportFormat<'hf'> = {
  id: 'hf',
  title: 'Hugging Face config id2label / label2id, semantic_loss_ignore_index, label_sets (JSON)',
  audience: 'training',
  file: 'id2label.json',
  extension: 'json',
  render,
};
