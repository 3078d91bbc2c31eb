// YOLO dataset configs (Ultralytics data.yaml, YOLOv5/v8/11): the class names by model index.
//
//   path: ../datasets/coco8        # dataset root
//   train: images/train
//   val: images/val
//   nc: 80                         # optional (older files); must equal the number of names
//   names:                         # a map of index -> name (Ultralytics today) ...
//     0: person
//     1: bicycle
//   names: ['person', 'bicycle']   # ... or a list (YOLOv5): ids are positions
//
// Read with the `yaml` library, core schema only: no tag is run or resolved, aliases are bounded.
import path from 'node:path';
import { LabelmapError } from '../findings.js';
import { rejectedBy } from './lib/detection.js';
import { isSafeSheetName } from '../sheets/discover.js';
import type { DatasetClass } from '../sheets/schema.js';
import { parseYamlConfig, placeOfKey, type YamlConfig } from './lib/config-files.js';
import { readTextFile } from './lib/text-lines.js';
import { isRecord, jsonKind } from './lib/polygon-folders.js';
import { checkUniqueLabels } from './python-labels.js';
import { datasetClass, type Detection, type ExtractOptions, type Extraction, type Extractor } from './types.js';

/** A data.yaml is a few kilobytes; Objects365's 365 names are 10 KB. */
const YAML_MAX_BYTES = 4 * 1024 * 1024;

export interface YoloConfig {
  rows: DatasetClass[];
  /** Whether `names` was a list (ids = positions) or a map (ids = keys). */
  shape: 'list' | 'map';
  nc?: number;
  /** The `path:` entry, the dataset root. */
  root?: string;
}

function nameOf(value: unknown, config: YamlConfig, keys: (string | number)[], file: string): string {
  if ((typeof value === 'string' && value.trim() !== '') || typeof value === 'number') return String(value).trim();
  throw new LabelmapError('config-shape', placeOfKey(config, keys, file), { key: keys.join('.'), expected: 'a class name', found: jsonKind(value) });
}

/** The classes of a parsed data.yaml. Pure: `file` names the place in errors. */
export function yoloConfigOf(config: YamlConfig, file: string): YoloConfig {
  const json = config.value;
  if (!isRecord(json)) throw new LabelmapError('config-shape', { file, line: 1 }, { expected: 'a YOLO data.yaml mapping with "names"', found: json === null || json === undefined ? 'an empty document' : jsonKind(json) });
  const names = json.names;
  const rows: DatasetClass[] = [];
  const lines: number[] = [];
  let shape: YoloConfig['shape'];
  if (Array.isArray(names)) {
    shape = 'list';
    names.forEach((v, i) => {
      rows.push(datasetClass(i, nameOf(v, config, ['names', i], file)));
      lines.push(placeOfKey(config, ['names', i], file).line);
    });
  } else if (isRecord(names)) {
    shape = 'map';
    for (const [key, v] of Object.entries(names)) {
      const keyPath = ['names', /^\d+$/.test(key) ? Number(key) : key];
      if (!/^\d+$/.test(key) || !Number.isSafeInteger(Number(key))) {
        throw new LabelmapError('config-shape', placeOfKey(config, ['names'], file), { key: `names.${key}`, expected: 'an index 0 or more as the key', found: JSON.stringify(key) });
      }
      rows.push(datasetClass(Number(key), nameOf(v, config, keyPath, file)));
      lines.push(placeOfKey(config, keyPath, file).line);
    }
  } else {
    throw new LabelmapError('config-shape', names === undefined ? { file, line: 1 } : placeOfKey(config, ['names'], file), {
      key: 'names',
      expected: 'a list of class names or a map of index: name',
      found: names === undefined ? 'no "names" key' : jsonKind(names),
      fix: names === undefined ? 'is this a YOLO data.yaml? It lists its classes under "names"' : undefined,
    });
  }
  if (rows.length === 0) throw new LabelmapError('config-shape', placeOfKey(config, ['names'], file), { key: 'names', expected: 'at least one class', found: 'none' });
  let nc: number | undefined;
  if (json.nc !== undefined) {
    if (typeof json.nc !== 'number' || !Number.isInteger(json.nc)) {
      throw new LabelmapError('config-shape', placeOfKey(config, ['nc'], file), { key: 'nc', expected: 'the number of classes', found: jsonKind(json.nc) });
    }
    nc = json.nc;
    if (nc !== rows.length) throw new LabelmapError('yolo-nc-mismatch', placeOfKey(config, ['nc'], file), { nc, count: rows.length });
  }
  checkUniqueLabels(rows, lines, file);
  rows.sort((a, b) => a.id - b.id);
  return { rows, shape, nc, root: typeof json.path === 'string' ? json.path : undefined };
}

export function readYoloConfig(file: string): YoloConfig {
  return yoloConfigOf(parseYamlConfig(readTextFile(file, 'YOLO data.yaml', YAML_MAX_BYTES), file), file);
}

/** `coco8.yaml` -> `coco8`; a `data.yaml` is named by its `path:` or its folder. */
function sheetNameOf(file: string, root: string | undefined): string {
  const slug = (s: string) => s.toLowerCase().replace(/[^a-z0-9._-]+/g, '-').replace(/^[^a-z0-9]+|[^a-z0-9]+$/g, '');
  const stem = path.basename(file).replace(/\.ya?ml$/i, '');
  const candidates = [stem !== 'data' ? stem : '', root ? path.basename(root.replace(/[\\/]+$/, '')) : '', path.basename(path.dirname(path.resolve(file)))];
  return candidates.map(slug).find((c) => c !== '' && c !== 'data' && isSafeSheetName(c)) ?? 'yolo';
}

export const yolo: Extractor = {
  id: 'yolo',
  title: 'YOLO data.yaml',
  input: 'an Ultralytics / YOLOv5 data.yaml (names as a list or an index map; nc checked)',

  async detect(input: string): Promise<Detection> {
    if (!/\.ya?ml$/i.test(input)) return { ok: false, reason: 'not a .yaml or .yml file' };
    try {
      const config = parseYamlConfig(readTextFile(input, 'YOLO data.yaml', YAML_MAX_BYTES), input);
      if (!isRecord(config.value) || !('names' in config.value)) return { ok: false, reason: 'a YAML file without a "names" key' };
      const n = config.value.names;
      const count = Array.isArray(n) ? n.length : isRecord(n) ? Object.keys(n).length : 0;
      return { ok: true, reason: `a YOLO data.yaml (${count} names${'nc' in config.value ? `, nc ${String(config.value.nc)}` : ''})` };
    } catch (error) {
      return rejectedBy(error);
    }
  },

  async extract(input: string, options: ExtractOptions): Promise<Extraction> {
    const config = readYoloConfig(input);
    const notes = [
      `read ${config.rows.length} classes from ${path.basename(input)}; ids are ${config.shape === 'list' ? 'list positions (YOLO counts from 0)' : 'the keys of "names"'}${config.nc !== undefined ? `; nc ${config.nc} agrees` : ''}`,
    ];
    const ids = config.rows.map((r) => r.id);
    if (config.shape === 'map' && ids.some((id, i) => id !== i)) notes.push(`warning: the ids are not 0..${ids.length - 1} in a row: YOLO training expects contiguous indices`);
    if (options.firstId !== undefined) notes.push('--first-id is not used: YOLO indices start at 0');
    if (options.stats) notes.push('--stats: a data.yaml has no counts');
    return { name: sheetNameOf(input, config.root), rows: config.rows, notes };
  },
};
