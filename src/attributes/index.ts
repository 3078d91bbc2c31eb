// `labelmap attributes`: per-image attributes of one input in the unified vocabulary, with counts
// per value. The run streams: each image is mapped as it is read and handed to `onRow`.
import { LabelmapError, type Finding } from '../findings.js';
import { addCounts, attributesOfFrame, type AttributeCounts } from './compute.js';
import { loadAttributeModel, readBdd100kFrames, readGenericFrames, type AttributeInputFormat } from './read.js';

export { attributesOfFrame, compileAttributeModel, type AttributeModel, type Frame, type FrameInstance } from './compute.js';
export { loadAttributeModel, type AttributeInputFormat } from './read.js';

export interface AttributeRunOptions {
  /** The sheets folder. */
  sheets: string;
  /** Attribute mapping name (`bdd100k`, `generic`). */
  dataset: string;
  /** Input format; default by extension: .json BDD100K, .csv generic. */
  inputFormat?: AttributeInputFormat;
  /** Image height in pixels for box-height-share rules (BDD100K: 720). */
  imageHeight?: number;
  onRow?: (image: string, values: Readonly<Record<string, string>>) => void;
  onProgress?: (done: number, total: number) => void;
}

export interface AttributeRunResult {
  /** The table's columns after `image`. */
  keys: string[];
  images: number;
  counts: AttributeCounts;
  vocabulary: string;
  mapping: string;
  rules: string[];
  /** Unmapped source values (each once, with the first image). */
  findings: Finding[];
}

export async function runAttributes(input: string, options: AttributeRunOptions): Promise<AttributeRunResult> {
  const loaded = loadAttributeModel(options.sheets, options.dataset);
  const format = options.inputFormat ?? (input.toLowerCase().endsWith('.csv') ? 'generic' : 'bdd100k');
  const counts: AttributeCounts = new Map(loaded.model.keys.map((k) => [k, new Map()]));
  const findings = new Map<string, Finding>();
  const mappingName = loaded.mapping.rel;
  let images = 0;
  const onFrame = (frame: Parameters<typeof attributesOfFrame>[1]) => {
    const r = attributesOfFrame(loaded.model, frame, mappingName);
    for (const f of r.findings) {
      const key = `${String(f.args.sourceKey)}\u0000${String(f.args.sourceValue)}`;
      if (!findings.has(key)) findings.set(key, f);
    }
    images++;
    addCounts(counts, r.values);
    options.onRow?.(frame.image, r.values);
  };
  if (format === 'generic') readGenericFrames(input, onFrame);
  else await readBdd100kFrames(input, loaded.classOf, { imageHeight: options.imageHeight ?? 720, onProgress: options.onProgress }, onFrame);
  if (images === 0) throw new LabelmapError('attribute-input-empty', { file: input }, {});
  return {
    keys: loaded.model.keys,
    images,
    counts,
    vocabulary: `${loaded.vocabulary.name}@${loaded.vocabulary.version}`,
    mapping: `${loaded.mapping.name}@${loaded.mapping.version}`,
    rules: loaded.rules.map((r) => `${r.name}@${r.version}`),
    findings: [...findings.values()],
  };
}
