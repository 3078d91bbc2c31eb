// What the annotation-tool exports share about image attributes: the bundle's vocabulary
// (`attributes`, docs/attributes.md) as image-level questions, one per key with its values.
// A key must not take a name the format already uses (Label Studio's `image` and `label` tags,
// a CVAT output label): the consumer would read the two as one.
import { LabelmapError } from '../findings.js';
import type { AttributeVocabulary, Bundle } from '../taxonomy/types.js';

/** The vocabulary's keys, or none for a bundle without one; refuses a key named as one of `taken`. */
export function attributeKeysFor(bundle: Bundle, format: string, taken: Iterable<string>, what: string): AttributeVocabulary['keys'] {
  const keys = bundle.attributes?.keys ?? [];
  const names = new Set(taken);
  for (const k of keys) if (names.has(k.key)) throw new LabelmapError('export-attribute-key-taken', {}, { format, key: k.key, what });
  return keys;
}
