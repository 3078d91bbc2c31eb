// Hugging Face model configs (`config.json` of a transformers model): the class names a model
// was trained with, keyed by output index. A DETR config, shortened:
//
//   {
//     "_name_or_path": "facebook/detr-resnet-50",
//     "model_type": "detr",
//     "id2label": { "0": "N/A", "1": "person", ..., "12": "N/A", "13": "stop sign", ... },
//     "label2id": { "N/A": 83, "person": 1, ... }
//   }
//
// DETR keeps COCO's category ids as output indices and pads the unused ones with "N/A": those are
// placeholders, not classes. label2id is the inverse map; transformers reads id2label.
import { stat } from 'node:fs/promises';
import path from 'node:path';
import { LabelmapError } from '../findings.js';
import { readBytesAsync } from '../io/index.js';
import { parseJson, parseJsonBytes } from '../json.js';
import type { DatasetClass } from '../sheets/schema.js';
import { isSafeSheetName } from '../sheets/discover.js';
import { datasetClass, type Detection, type ExtractOptions, type Extraction, type Extractor } from './types.js';

/** Names transformers-based configs use for an output index that is not a class. */
export const HF_PLACEHOLDER = 'N/A';

const DEFAULT_LABEL_RE = /^LABEL_\d+$/;

type Json = null | boolean | number | string | Json[] | { [key: string]: Json };

/** A JSON object (not an array or null). */
function isObject(v: unknown): v is Record<string, Json> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

function describeJson(v: unknown): string {
  if (Array.isArray(v)) return 'an array';
  if (v === null) return 'null';
  if (typeof v === 'object') return 'an object';
  return `${typeof v === 'string' ? 'the string' : `the ${typeof v}`} ${JSON.stringify(v)}`;
}

/** Strict JSON (src/json.ts) with errors as `hf-json-malformed` at file:line:column. */
export function parseJsonText(text: string, file: string): unknown {
  return parseJson(text, file, 'hf-json-malformed');
}

/** `facebook/detr-resnet-50` -> `detr-resnet-50`; null when nothing usable is left. */
/** `models/warehouse-detr/config.json` -> `warehouse-detr`; `warehouse-detr.json` -> `warehouse-detr`. */
export function sheetNameOfFile(file: string): string | null {
  const base = path.basename(file).replace(/\.json$/i, '');
  return sheetNameFrom(base.toLowerCase() === 'config' ? path.basename(path.dirname(path.resolve(file))) : base);
}

export function sheetNameFrom(value: unknown): string | null {
  if (typeof value !== 'string') return null;
  const last = value.replace(/[\\/]+$/, '').split(/[\\/]/).pop() ?? '';
  const slug = last
    .toLowerCase()
    .replace(/[^a-z0-9._-]+/g, '-')
    .replace(/^[^a-z0-9]+|[^a-z0-9]+$/g, '');
  return slug !== '' && isSafeSheetName(slug) ? slug : null;
}

const pathOf = (map: string, key: string): string => `${map}[${JSON.stringify(key)}]`;

/** The dataset sheet of one parsed config. Pure: `file` only names the place in errors. */
export function hfConfigSheet(config: unknown, file: string, options: { stats?: boolean } = {}): Extraction {
  if (!isObject(config)) throw new LabelmapError('hf-not-config', { file }, { found: describeJson(config) });
  const id2label = config.id2label;
  if (!isObject(id2label)) {
    const found = id2label === undefined ? 'an object without "id2label"' : `"id2label" as ${describeJson(id2label)}`;
    throw new LabelmapError('hf-not-config', { file, path: id2label === undefined ? undefined : 'id2label' }, { found });
  }

  const rows: DatasetClass[] = [];
  const placeholders: number[] = [];
  const keyOfId = new Map<number, string>();
  const idOfName = new Map<string, number>();
  const idOfTrimmed = new Map<string, number>();
  const trimmed: string[] = [];
  for (const [key, value] of Object.entries(id2label)) {
    const p = pathOf('id2label', key);
    if (!/^\d+$/.test(key) || !Number.isSafeInteger(Number(key))) throw new LabelmapError('hf-id-invalid', { file, path: p }, { key });
    const id = Number(key);
    const sameId = keyOfId.get(id);
    if (sameId !== undefined) throw new LabelmapError('hf-id-duplicate', { file, path: p }, { first: sameId, second: key });
    keyOfId.set(id, key);
    if (typeof value !== 'string' || value.trim() === '') {
      throw new LabelmapError('hf-name-invalid', { file, path: p }, { found: describeJson(value) });
    }
    if (value === HF_PLACEHOLDER) {
      placeholders.push(id);
      continue;
    }
    // Sheets hold names trimmed (a CSV reader trims them); label2id is checked with the raw name.
    const name = value.trim();
    if (name !== value) trimmed.push(value);
    const first = idOfTrimmed.get(name);
    if (first !== undefined) throw new LabelmapError('hf-duplicate-name', { file, path: p }, { name, first, second: id });
    idOfTrimmed.set(name, id);
    idOfName.set(value, id);
    rows.push(datasetClass(id, name));
  }
  rows.sort((a, b) => a.id - b.id);
  placeholders.sort((a, b) => a - b);
  if (rows.length === 0) throw new LabelmapError('hf-not-config', { file, path: 'id2label' }, { found: '"id2label" without class names' });

  if (config.label2id !== undefined) checkLabel2id(config.label2id, idOfName, file);

  const notes = ['ids: the id2label keys (the model\'s output indices)'];
  if (placeholders.length > 0) {
    notes.push(
      `skipped ${placeholders.length} placeholder id${placeholders.length === 1 ? '' : 's'} named "${HF_PLACEHOLDER}" (${placeholders.join(', ')}): output indices the model keeps for no class`,
    );
  }
  if (trimmed.length > 0) {
    notes.push(`trimmed the spaces around ${trimmed.length} name${trimmed.length === 1 ? '' : 's'}: ${trimmed.map((n) => JSON.stringify(n)).join(', ')}`);
  }
  if (rows.every((r) => DEFAULT_LABEL_RE.test(r.name))) {
    notes.push('every name is a transformers default (LABEL_0, LABEL_1, ...): this config carries no real class names');
  }
  if (options.stats) notes.push('--stats: a model config has no annotations to count; the sheet has no counts');

  // The name comes from the file, not from `_name_or_path`: that names the base checkpoint a model
  // was fine-tuned from, so two fine-tunes of one base (with different labels) would collide.
  const name = sheetNameOfFile(file) ?? 'hf-model';
  return { name, rows, notes };
}

/** label2id must be the inverse of id2label (placeholders aside). */
function checkLabel2id(label2id: Json, idOfName: ReadonlyMap<string, number>, file: string): void {
  if (!isObject(label2id)) {
    throw new LabelmapError('hf-label2id-mismatch', { file, path: 'label2id' }, { left: 'id2label is an object', right: `label2id is ${describeJson(label2id)}` });
  }
  for (const [name, value] of Object.entries(label2id)) {
    if (name === HF_PLACEHOLDER) continue;
    const p = pathOf('label2id', name);
    const id = typeof value === 'number' ? value : typeof value === 'string' && /^\d+$/.test(value) ? Number(value) : NaN;
    const expected = idOfName.get(name);
    if (expected === undefined) {
      throw new LabelmapError('hf-label2id-mismatch', { file, path: p }, {
        left: `id2label has no class ${JSON.stringify(name)}`,
        right: `${p} is ${JSON.stringify(value)}`,
      });
    }
    if (id !== expected) {
      throw new LabelmapError('hf-label2id-mismatch', { file, path: p }, {
        left: `${pathOf('id2label', String(expected))} is ${JSON.stringify(name)}`,
        right: `${p} is ${JSON.stringify(value)}`,
      });
    }
  }
  for (const [name, id] of idOfName) {
    if (!Object.hasOwn(label2id, name)) {
      throw new LabelmapError('hf-label2id-mismatch', { file, path: 'label2id' }, {
        left: `${pathOf('id2label', String(id))} is ${JSON.stringify(name)}`,
        right: `label2id has no ${JSON.stringify(name)}`,
      });
    }
  }
}

/** A model folder (a snapshot with config.json) or the config file itself. */
async function configFile(input: string): Promise<string> {
  try {
    return (await stat(input)).isDirectory() ? path.join(input, 'config.json') : input;
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (code === 'ENOENT') throw new LabelmapError('file-not-found', { file: input }, { what: 'model config' });
    throw new LabelmapError('file-unreadable', { file: input }, { what: 'model config', reason: code ?? String(error) });
  }
}

async function readConfig(input: string): Promise<{ file: string; config: unknown }> {
  const file = await configFile(input);
  let bytes: Buffer;
  try {
    bytes = await readBytesAsync(file, 'model config', CONFIG_MAX_BYTES);
  } catch (error) {
    if (error instanceof LabelmapError && error.finding.code === 'file-not-found') {
      throw new LabelmapError('file-not-found', { file }, { what: 'model config', fix: 'a model folder holds its config.json; pass that file' });
    }
    throw error;
  }
  return { file, config: parseJsonBytes(bytes, file, 'hf-json-malformed') };
}

/** Model configs are kilobytes (an ImageNet-22k one about 1 MB); neither detect nor extract reads big files. */
const CONFIG_MAX_BYTES = 16 * 1024 * 1024;

export async function detectHf(input: string): Promise<Detection> {
  try {
    const file = await configFile(input);
    const size = (await stat(file).catch(() => null))?.size ?? 0;
    if (size > CONFIG_MAX_BYTES) return { ok: false, reason: `a ${Math.round(size / 1024 / 1024)} MB file, too large for a model config` };
    const { config } = await readConfig(input);
    if (!isObject(config)) return { ok: false, reason: `a JSON file that is ${describeJson(config)}, not a model config` };
    if (!isObject(config.id2label)) return { ok: false, reason: 'a JSON object without "id2label" (not a Hugging Face model config)' };
    return { ok: true, reason: `a Hugging Face model config with ${Object.keys(config.id2label).length} id2label entries` };
  } catch (error) {
    if (error instanceof LabelmapError) {
      const f = error.finding;
      if (f.code === 'hf-json-malformed') return { ok: false, reason: 'not a JSON file' };
      if (f.code === 'file-not-found') return { ok: false, reason: `no ${path.basename(f.file ?? 'config.json')} there` };
      return { ok: false, reason: error.message };
    }
    throw error;
  }
}

export async function extractHf(input: string, options: ExtractOptions): Promise<Extraction> {
  const { file, config } = await readConfig(input);
  return hfConfigSheet(config, file, { stats: options.stats });
}

export const hf: Extractor = {
  id: 'hf',
  title: 'Hugging Face model config (id2label)',
  input: 'a transformers model config.json (or the model folder that holds it)',
  detect: detectHf,
  extract: extractHf,
};
