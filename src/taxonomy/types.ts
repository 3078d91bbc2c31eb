// The compiled output of `labelmap merge`: the Annotation Label API's data. This is a contract:
// training code (Python) and `labelmap export` read it, so a change is a format_version bump.
import type { Sheet } from '../sheets/types.js';

export type LutReason = 'mapped' | 'ignored by mapping' | 'not in vertical' | 'coarser than vertical';
export type CoverageStatus = 'full' | 'partial' | 'none';

export interface BundleInput {
  kind: 'dataset' | 'taxonomy' | 'mapping' | 'vertical';
  name: string;
  version: string;
  /** Path inside the sheets folder, e.g. `datasets/coco@1.0.0.csv`. */
  file: string;
  sha256: string;
}

export interface OutputLabel {
  train_id: number;
  name: string;
  color: string;
  /** The taxonomy classes this output label covers (whole subtrees expanded), sorted by taxonomy id. */
  covers: string[];
  is_thing: boolean | null;
}

export interface LutEntry {
  /** Native id in the dataset. */
  id: number;
  /** Native class name. */
  name: string;
  /** The taxonomy class the mapping sends it to, or null when mapped to `ignore`. */
  target: string | null;
  /** Output train id, or the bundle's ignore_id. */
  train_id: number;
  /** Output label name, or null for ignore. */
  label: string | null;
  reason: LutReason;
}

export interface DatasetOutput {
  name: string;
  version: string;
  lut: LutEntry[];
  /** One entry per output label, in train-id order. */
  coverage: { label: string; train_id: number; status: CoverageStatus }[];
}

export interface Bundle {
  format: 'labelmap-bundle';
  format_version: 1;
  /** Vertical name, or null for the unified taxonomy (every taxonomy class an output label). */
  vertical: string | null;
  /** 8 for a vertical (ids 0..254, ignore 255); 16 when more than 255 labels (ignore 65535). */
  id_bits: 8 | 16;
  ignore_id: number;
  /** Every input sheet, sorted by kind then name. */
  inputs: BundleInput[];
  /** Output labels in train-id order. */
  labels: OutputLabel[];
  /** Datasets sorted by name. */
  datasets: DatasetOutput[];
}

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
}
