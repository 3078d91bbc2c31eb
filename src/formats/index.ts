// The registry of dataset formats: one entry per file in this folder.
import { hf } from './hf.js';
import type { Extractor } from './types.js';
import { voc } from './voc.js';

export const FORMATS: readonly Extractor[] = [
  voc,
  hf,
];

export function formatById(id: string): Extractor | undefined {
  return FORMATS.find((f) => f.id === id);
}
