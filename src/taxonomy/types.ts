// The compiled output of `labelmap merge`: the Annotation Label API's data. This is a contract:
// training code (Python) and `labelmap export` read it, so a change is a format_version bump.
import type { z } from 'zod/v3';
import type { Sheet } from '../sheets/types.js';
import type {
  bundleInputSchema,
  bundleSchema,
  coverageEntrySchema,
  datasetOutputSchema,
  attributeVocabularySchema,
  encodingSchema,
  labelSetSchema,
  lutEntrySchema,
  outputLabelSchema,
} from './bundle-schema.js';

// The types are inferred from the zod schema in ./bundle-schema.ts: one source for both.
export type Bundle = z.infer<typeof bundleSchema>;
export type BundleInput = z.infer<typeof bundleInputSchema>;
export type OutputLabel = z.infer<typeof outputLabelSchema>;
export type LabelSetDef = z.infer<typeof labelSetSchema>;
export type LutEntry = z.infer<typeof lutEntrySchema>;
export type CoverageEntry = z.infer<typeof coverageEntrySchema>;
export type Encoding = z.infer<typeof encodingSchema>;
export type AttributeVocabulary = z.infer<typeof attributeVocabularySchema>;
export type DatasetOutput = z.infer<typeof datasetOutputSchema>;
export type LutReason = LutEntry['reason'];
export type LutKind = LutEntry['kind'];
export type CoverageStatus = CoverageEntry['status'];
export type LabelSetKind = LabelSetDef['kind'];
export type CoarseMode = Bundle['coarse'];

// --- the input side: a loaded sheet set (src/sheets/set.ts loads it; the rules and merge read it) --

export interface DatasetSheets {
  dataset: Sheet<'dataset'>;
  mapping: Sheet<'mapping'>;
}

/** The sheets the whole-set rules and merge work on (already parsed; no file access beyond this). */
export interface SheetSet {
  taxonomy: Sheet<'taxonomy'>;
  /** Earlier versions of the same taxonomy, oldest first: the ids are checked for stability against them. */
  taxonomyHistory: Sheet<'taxonomy'>[];
  verticals: Sheet<'vertical'>[];
  /** Datasets that have a mapping, sorted by name. */
  datasets: DatasetSheets[];
  /** The image-attribute vocabulary (the only one, or `unified`), when the folder has one. */
  attributes?: Sheet<'attributes'> | null;
}
