// The registry of dataset formats: one entry per file in this folder.
import { coco } from './coco.js';
import type { Extractor } from './types.js';

export const FORMATS: readonly Extractor[] = [coco];

export function formatById(id: string): Extractor | undefined {
  return FORMATS.find((f) => f.id === id);
}
