// The compiled bundle (labelmap.json, format_version 2) as ONE zod schema: the TypeScript types in
// ./types.ts are inferred from it, and src/api/bundle.ts validates with it. Pure (zod only), so
// the taxonomy layer owns its own output contract. docs/merge.md describes every field.
//
// A bundle, abridged:
//   {"format": "labelmap-bundle", "format_version": 2, "vertical": "self-driving",
//    "id_bits": 8, "ignore_id": 255, "coarse": "set", "inputs": [...],
//    "labels": [{"train_id": 0, "name": "road", "color": "#804080", "covers": ["road"], "is_thing": false}],
//    "label_sets": [{"id": 19, "name": "road|lane_marking|crosswalk|bike_lane", "members": [...],
//                    "member_ids": [0, 1, 2, 3], "kind": "coarse"}],
//    "other": null,
//    "datasets": [{"name": "cityscapes", "version": "1.0.0",
//                  "lut": [{"id": 7, "name": "road", "target": "road", "kind": "set", "train_id": 19,
//                           "label": null, "set": "road|lane_marking|crosswalk|bike_lane",
//                           "reason": "coarser than vertical"}],
//                  "coverage": [{"label": "road", "train_id": 0, "status": "partial", "because": ["road"]}]}]}
import { z } from 'zod/v3';
import { BUNDLE_FORMAT_VERSION } from './bundle-version.js';

export { BUNDLE_FORMAT_VERSION };

const text = z.string().min(1);
// Label names end up in Python sources, XML attributes and one-name-per-line files: no control characters.
const labelName = text.refine((v) => !/[\u0000-\u001f\u007f]/.test(v), { message: 'a name without control characters' });
// safe(): an id beyond 2^53 has been rounded to another number when the JSON was read.
const integer = z.number().int().safe();
const trainId = integer.nonnegative();
const color = z.string().regex(/^#[0-9a-fA-F]{6}$/, { message: 'a colour #rrggbb' });

export const LUT_REASONS = [
  'mapped',
  'ignored by mapping',
  'background',
  'not in vertical',
  'coarser than vertical',
  'absorbed',
  'other',
] as const;
export const LUT_KINDS = ['label', 'set', 'ignore'] as const;
export const COVERAGE_STATUSES = ['full', 'partial', 'none'] as const;
export const LABEL_SET_KINDS = ['coarse', 'background'] as const;
export const COARSE_MODES = ['set', 'ignore'] as const;

export const bundleInputSchema = z.object({
  kind: z.enum(['dataset', 'taxonomy', 'mapping', 'vertical']),
  name: text,
  version: text,
  /** Path inside the sheets folder, e.g. `datasets/coco@1.0.0.csv`. */
  file: text,
  sha256: z.string().regex(/^[0-9a-f]{64}$/, { message: 'a SHA-256 digest (64 lower-case hex digits)' }),
});

export const outputLabelSchema = z.object({
  train_id: trainId,
  name: labelName,
  color,
  /** The taxonomy classes this output label covers (whole subtrees expanded), sorted by taxonomy id. */
  covers: z.array(text),
  /** Decided per label: the vertical's `is_thing` cell, else the rule in docs/merge.md. */
  is_thing: z.boolean(),
});

export const labelSetSchema = z.object({
  /** Follows the label ids (highest label id + 1, ...), below ignore_id. */
  id: trainId,
  /** Member names joined with `|`, e.g. `road|lane_marking|crosswalk|bike_lane`. */
  name: labelName,
  /** Output label names, in train-id order. */
  members: z.array(labelName).min(1),
  member_ids: z.array(trainId).min(1),
  /** coarse: a source class coarser than the vertical; background: none of a dataset's classes. */
  kind: z.enum(LABEL_SET_KINDS),
});

export const lutEntrySchema = z.object({
  /** Native id in the dataset. */
  id: integer,
  /** Native class name. */
  name: text,
  /** The taxonomy class the mapping sends it to; null for `ignore` (void); `background` for background. */
  target: text.nullable(),
  kind: z.enum(LUT_KINDS),
  /** The label id, the set id, or ignore_id. */
  train_id: trainId,
  /** Output label name when kind = label. */
  label: labelName.nullable(),
  /** Label set name when kind = set. */
  set: labelName.nullable(),
  reason: z.enum(LUT_REASONS),
});

export const coverageEntrySchema = z.object({
  label: labelName,
  train_id: trainId,
  status: z.enum(COVERAGE_STATUSES),
  /** What makes it partial: the coarse source classes (native names) that reach the label. */
  because: z.array(text).optional(),
  /**
   * Where the dataset sheet counts every class (`extract --stats`: `instances`, else `images`): how
   * many of the label's annotations the dataset gives exactly (classes that map to the label) and
   * how many only partly (coarse sources, label sets, declared impurities). The share behind the status.
   */
  counts: z.object({ unit: z.enum(['instances', 'images']), exact: z.number().int().nonnegative(), partial: z.number().int().nonnegative() }).optional(),
});

export const encodingSchema = z.object({
  name: text,
  description: text,
  /** [value in the mask file, native id] pairs; null native id = unlabelled (void). */
  values: z.array(z.tuple([integer.nonnegative(), integer.nullable()])),
});

export const datasetOutputSchema = z.object({
  name: text,
  version: text,
  /** One entry per native class, by id. */
  lut: z.array(lutEntrySchema),
  /** One entry per output label, in train-id order. */
  coverage: z.array(coverageEntrySchema),
  /** Other value spaces the dataset's annotation files use (derived from the dataset sheet). */
  encodings: z.array(encodingSchema).optional(),
});

/**
 * The image-attribute vocabulary of the sheets (attributes/<name>@<version>.csv, docs/attributes.md):
 * an optional part of format_version 2, so bundles written before it still read, and readers that
 * do not know it ignore it. Not in `inputs` (whose kinds older readers check): its sheet is named here.
 */
export const attributeVocabularySchema = z.object({
  name: text,
  version: text,
  file: text,
  sha256: z.string().regex(/^[0-9a-f]{64}$/, { message: 'a SHA-256 digest (64 lower-case hex digits)' }),
  /** The unified keys in sheet order, each with its values in sheet order. */
  keys: z.array(
    z.object({
      key: text,
      values: z.array(z.object({ value: text, display_name: z.string(), description: z.string() })).min(1),
    }),
  ),
});

// Keys in the order of the contract, so that a parsed bundle serializes as merge writes it.
export const bundleSchema = z.object({
  format: z.literal('labelmap-bundle'),
  format_version: z.literal(BUNDLE_FORMAT_VERSION),
  /** Vertical name, or null for the unified taxonomy (every taxonomy class an output label). */
  vertical: text.nullable(),
  /** 8 for a vertical (ids 0..254, ignore 255); 16 when more than 255 ids (ignore 65535). */
  id_bits: z.union([z.literal(8), z.literal(16)]),
  ignore_id: z.union([z.literal(255), z.literal(65535)]),
  /** How merge compiled source classes coarser than the vertical. */
  coarse: z.enum(COARSE_MODES),
  /** Every input sheet, sorted by kind then name. */
  inputs: z.array(bundleInputSchema),
  /** Output labels in train-id order. */
  labels: z.array(outputLabelSchema),
  /** Label sets by id. */
  label_sets: z.array(labelSetSchema),
  /** The vertical's catch-all output label, if it names one. */
  other: labelName.nullable(),
  /** Datasets sorted by name. */
  datasets: z.array(datasetOutputSchema),
  /** The attribute vocabulary, when the sheets have one (absent in older bundles). */
  attributes: attributeVocabularySchema.optional(),
});
