// Datumaro's dataset_meta.json (the "meta file" its formats read beside a dataset, and that
// `datum convert ... --save-dataset-meta` writes):
//
//   {"label_map": {"0": "background", "1": "car"},
//    "segmentation_colors": [[0, 0, 0], [255, 0, 0]],      optional, indexed like the ids
//    "background_label": "0"}                                optional
//
// The ids are label_map's keys; a colour is segmentation_colors[id]. The background label is
// kept (a mask has it), and said so.
import path from 'node:path';
import { LabelmapError } from '../findings.js';
import { describeJson, isRecord, readToolJson, shapeError } from './lib/annotation-tools.js';
import { rejectedBy } from './lib/detection.js';
import { checkUniqueLabels } from './python-labels.js';
import { datasetClass, rgbToHex, type Detection, type ExtractOptions, type Extraction, type Extractor } from './types.js';
import type { DatasetClass } from '../sheets/schema.js';

const ID_RE = /^(0|[1-9]\d*)$/;

export function datumaroRows(json: unknown, file: string): { rows: DatasetClass[]; background?: string } {
  if (!isRecord(json) || !isRecord(json.label_map)) throw shapeError({ file, path: isRecord(json) ? 'label_map' : '$' }, 'a dataset_meta.json object with "label_map": {"<id>": "<name>"}', isRecord(json) ? json.label_map : json);
  const colors = json.segmentation_colors;
  if (colors !== undefined && !Array.isArray(colors)) throw shapeError({ file, path: 'segmentation_colors' }, 'an array of [r, g, b]', colors);
  const rows = Object.entries(json.label_map).map(([key, name]) => {
    if (!ID_RE.test(key) || !Number.isSafeInteger(Number(key))) throw new LabelmapError('label-json-shape', { file, path: `label_map.${key}` }, { expected: 'an id 0 or more as the key', found: JSON.stringify(key) });
    if (typeof name !== 'string' || name.trim() === '') throw shapeError({ file, path: `label_map.${key}` }, 'a label name', name);
    const id = Number(key);
    const rgb = colors?.[id];
    let color = '';
    if (rgb !== undefined) {
      if (!Array.isArray(rgb) || rgb.length !== 3 || !rgb.every((v) => Number.isInteger(v) && v >= 0 && v <= 255)) throw shapeError({ file, path: `segmentation_colors[${id}]` }, '[r, g, b] of integers 0..255', rgb);
      color = rgbToHex(rgb as number[]);
    }
    return datasetClass(id, name.trim(), { color });
  });
  if (rows.length === 0) throw new LabelmapError('class-list-empty', { file, path: 'label_map' }, { what: 'labels (label_map is empty)' });
  rows.sort((a, b) => a.id - b.id);
  checkUniqueLabels(rows, [], file, (i) => `label_map.${rows[i]!.id}`);
  const bg = json.background_label;
  const background = typeof bg === 'string' || typeof bg === 'number' ? rows.find((r) => r.id === Number(bg))?.name : undefined;
  return { rows, background };
}

export const datumaro: Extractor = {
  id: 'datumaro',
  title: 'Datumaro dataset meta',
  input: 'a Datumaro dataset_meta.json ("label_map", optional "segmentation_colors")',

  async detect(input: string): Promise<Detection> {
    if (!/\.json$/i.test(input)) return { ok: false, reason: 'not a .json file' };
    try {
      const json = readToolJson(input, 'dataset meta');
      if (!isRecord(json) || !isRecord(json.label_map)) return { ok: false, reason: `JSON ${isRecord(json) ? 'without a "label_map" object' : describeJson(json)}` };
      return { ok: true, reason: 'a JSON object with "label_map" (Datumaro dataset_meta.json)' };
    } catch (error) {
      return rejectedBy(error);
    }
  },

  async extract(input: string, options: ExtractOptions): Promise<Extraction> {
    const { rows, background } = datumaroRows(readToolJson(input, 'dataset meta'), input);
    const notes = [`read ${rows.length} labels from ${path.basename(input)}; ids are the keys of label_map`];
    if (rows.some((r) => r.color)) notes.push('colours from segmentation_colors');
    if (background) notes.push(`the background label is "${background}" (kept: masks hold it)`);
    if (options.stats) notes.push('--stats: dataset_meta.json has no annotations');
    return { name: 'datumaro', rows, notes };
  },
};
