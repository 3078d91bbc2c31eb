// The registry of dataset formats: one entry per file in this folder.
import { apolloscape } from './apolloscape.js';
import { cityscapes } from './cityscapes.js';
import { mapillary } from './mapillary.js';
import type { Extractor } from './types.js';

export const FORMATS: readonly Extractor[] = [cityscapes, mapillary, apolloscape];

export function formatById(id: string): Extractor | undefined {
  return FORMATS.find((f) => f.id === id);
}
