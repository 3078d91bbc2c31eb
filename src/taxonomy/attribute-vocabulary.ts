// The image-attribute vocabulary as the bundle carries it (`attributes` in labelmap.json): keys in
// sheet order, each with its values in sheet order. Pure: a parsed sheet in, bundle data out.
//   "attributes": {"name": "unified", "version": "1.0.0", "file": "attributes/unified@1.0.0.csv",
//                  "sha256": "...", "keys": [{"key": "weather", "values": [{"value": "clear",
//                  "display_name": "Clear", "description": "..."}, ...]}, ...]}
import type { Sheet } from '../sheets/types.js';
import type { AttributeVocabulary } from './types.js';

export function attributeVocabularyOf(sheet: Sheet<'attributes'>): AttributeVocabulary {
  const keys: AttributeVocabulary['keys'] = [];
  const byKey = new Map<string, AttributeVocabulary['keys'][number]>();
  for (const row of sheet.rows) {
    let entry = byKey.get(row.key);
    if (!entry) {
      entry = { key: row.key, values: [] };
      byKey.set(row.key, entry);
      keys.push(entry);
    }
    entry.values.push({ value: row.value, display_name: row.display_name, description: row.description });
  }
  return { name: sheet.name, version: sheet.version, file: sheet.rel, sha256: sheet.sha256, keys };
}
