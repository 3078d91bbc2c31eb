// One interface for every dataset format. A format is one file in this folder that exports an
// `Extractor`, registered in ./index.ts. Adding a dataset is that file plus fixtures/<id>/.
import type { DatasetClass } from '../sheets/schema.js';

/** Whether a format recognises an input, and why (not): shown by `extract auto`. */
export interface Detection {
  ok: boolean;
  reason: string;
  /**
   * Not this input, but one the format reads is right there: `extract auto` of the folder the COCO
   * download unpacked to names `annotations/instances_val2017.json` in its fix.
   */
  hint?: { format: string; input: string; why: string };
}

export interface ExtractOptions {
  /** Count instances and images per class (`--stats`). */
  stats: boolean;
  /** `--classes <file>`: class order for formats whose files carry only names (VOC, labelImg). */
  classes?: string;
  /** `--labels <file or sheet ref>`: where ids come from for formats whose files carry only names. */
  labels?: string;
  /** `--first-id 0|1`: the id of the first class, for lists whose ids are line positions. */
  firstId?: number;
  /** `--jobs 1|2`: threads for a folder of annotation files (VOC) or a large JSON file (COCO); undefined: the format decides. */
  jobs?: number;
  /** Progress of a long read, in bytes (or files) done of total. */
  onProgress?: (done: number, total: number) => void;
  /** Reads a dataset sheet by reference (`cityscapes`, `cityscapes@1.0.0`) from the sheets folder. */
  readDatasetSheet?: (ref: string) => DatasetClass[];
}

export interface Extraction {
  /** The sheet name to use when `--name` is not given (`coco`, `mapillary-vistas-v2.0`). */
  name: string;
  rows: DatasetClass[];
  /** One-line remarks for the user (which id rule was used, what was skipped, ...). */
  notes: string[];
}

export interface Extractor {
  /** Registry key = file name = the word users type (`labelmap extract coco`). */
  id: string;
  /** Human title for help and `extract auto` output. */
  title: string;
  /** What the input is, for --help (`a COCO annotation JSON file`). */
  input: string;
  detect(input: string): Promise<Detection>;
  extract(input: string, options: ExtractOptions): Promise<Extraction>;
}

/** A dataset class with every optional column empty; formats fill in what they know. */
export function datasetClass(id: number, name: string, fields: Partial<DatasetClass> = {}): DatasetClass {
  return {
    id,
    name,
    display_name: '',
    category: '',
    train_id: null,
    color: '',
    is_thing: null,
    evaluate: null,
    extra: {},
    ...fields,
  };
}

/** `[r, g, b]` -> `#rrggbb`. */
export function rgbToHex(rgb: readonly number[]): string {
  return `#${rgb.map((v) => Math.max(0, Math.min(255, Math.round(v))).toString(16).padStart(2, '0')).join('')}`;
}
