// Mapillary Vistas: the dataset's config.json, and folders of v2.0 polygon files.
//
// config_v1.2.json / config_v2.0.json (key order and the type of "version" differ by release):
//   {"labels": [{"name": "construction--flat--road", "readable": "Road", "instances": false,
//                "evaluate": true, "color": [128, 64, 128]}, ...],
//    "version": "2.0", "mapping": "mvd20", "folder_structure": "..."}
// Ids are list positions. The name's prefix path is the category (`construction--flat`).
//
// v2.0 polygons (training/v2.0/polygons/<key>.json), one file per image; ids from a config:
//   {"width": 4000, "height": 3000, "objects": [{"id": 7, "label": "construction--flat--road",
//                                                "polygon": [[x, y], ...]}, ...]}
import { statSync } from 'node:fs';
import path from 'node:path';
import { LabelmapError } from '../findings.js';
import { isDirectory } from '../io/index.js';
import { isSafeSheetName } from '../sheets/discover.js';
import type { DatasetClass } from '../sheets/schema.js';
import { extractPolygonFolder, findFiles, isRecord, jsonKind, objectsArray, readJsonFile } from './lib/polygon-folders.js';
import { checkUniqueLabels, snakeCase } from './python-labels.js';
import { datasetClass, rgbToHex, type Detection, type ExtractOptions, type Extraction, type Extractor } from './types.js';

/** The published label sets: v1.1 and v1.2 share one (66 labels); v2.0 has 124. */
const RELEASES = {
  v1: { sheet: 'mapillary-vistas-v1.2', labels: 66, marker: 'human--person' },
  v2: { sheet: 'mapillary-vistas-v2.0', labels: 124, marker: 'human--person--individual' },
} as const;

const KNOWN_KEYS = new Set(['name', 'readable', 'instances', 'evaluate', 'color']);

export interface MapillaryConfig {
  name: string;
  rows: DatasetClass[];
  /** The config's "version" as text (`1.1`, `2.0`), or undefined when it has none. */
  version?: string;
  notes: string[];
}

function versionText(v: unknown): string | undefined {
  if (typeof v === 'number' && Number.isFinite(v)) return Number.isInteger(v) ? v.toFixed(1) : String(v);
  if (typeof v === 'string' && v.trim() !== '') return v.trim();
  return undefined;
}

/** `construction--flat--road` -> `construction--flat`. */
export function mapillaryCategory(name: string): string {
  const i = name.lastIndexOf('--');
  return i > 0 ? name.slice(0, i) : '';
}

function configRows(json: unknown, file: string): DatasetClass[] {
  if (!isRecord(json) || !Array.isArray(json.labels)) {
    throw new LabelmapError('mapillary-no-labels', { file, path: isRecord(json) ? 'labels' : '$' }, {
      found: isRecord(json) ? (json.labels === undefined ? jsonKind(json) : `"labels" is ${jsonKind(json.labels)}`) : jsonKind(json),
    });
  }
  const rows = json.labels.map((label: unknown, i: number) => {
    const at = `labels[${i}]`;
    if (!isRecord(label)) {
      throw new LabelmapError('label-json-shape', { file, path: at }, { expected: 'a label object {"name", "readable", ...}', found: jsonKind(label) });
    }
    if (typeof label.name !== 'string' || label.name.trim() === '') {
      throw new LabelmapError('mapillary-label-no-name', { file, path: `${at}.name` }, {
        index: i,
        found: label.name === undefined ? jsonKind(label) : `"name" is ${jsonKind(label.name)}`,
      });
    }
    const flag = (key: string): boolean | null => {
      const v = label[key];
      if (v === undefined || v === null) return null;
      if (typeof v === 'boolean') return v;
      throw new LabelmapError('label-json-shape', { file, path: `${at}.${key}` }, { expected: 'true or false', found: jsonKind(v) });
    };
    let color = '';
    if (label.color !== undefined) {
      const c = label.color;
      if (!Array.isArray(c) || c.length !== 3 || !c.every((v) => Number.isInteger(v) && v >= 0 && v <= 255)) {
        throw new LabelmapError('label-json-shape', { file, path: `${at}.color` }, { expected: 'a colour [r, g, b] with 0..255', found: jsonKind(c) });
      }
      color = rgbToHex(c as number[]);
    }
    const extra: Record<string, string> = {};
    for (const [k, v] of Object.entries(label)) {
      if (KNOWN_KEYS.has(k)) continue;
      const snake = snakeCase(k);
      extra[`x_${/^[a-z]/.test(snake) ? snake : `f_${snake}`}`] = typeof v === 'string' ? v : v === null ? '' : JSON.stringify(v);
    }
    const name = label.name.trim();
    return datasetClass(i, name, {
      display_name: typeof label.readable === 'string' ? label.readable : '',
      category: mapillaryCategory(name),
      is_thing: flag('instances'),
      evaluate: flag('evaluate'),
      color,
      extra,
    });
  });
  checkUniqueLabels(rows, [], file, (i) => `labels[${i}].name`);
  return rows;
}

/** Reads a Vistas config: its classes, the sheet name its release calls for, and notes. */
export function readMapillaryConfig(file: string): MapillaryConfig {
  const json = readJsonFile(file, 'Mapillary config');
  const rows = configRows(json, file);
  const version = versionText((json as Record<string, unknown>).version);
  const names = new Set(rows.map((r) => r.name));
  const notes = [`read ${rows.length} labels from ${path.basename(file)}; ids are list positions (0..${rows.length - 1})`];
  let release: (typeof RELEASES)[keyof typeof RELEASES] | undefined;
  let name: string;
  if (version !== undefined) {
    notes.push(`config version ${version}`);
    if (/^1(\.\d+)?$/.test(version)) {
      release = RELEASES.v1;
      if (version !== '1.2') notes.push(`v1.1 and v1.2 share one 66-label set, so a version ${version} config names the sheet ${RELEASES.v1.sheet}`);
    } else if (/^2(\.0)?$/.test(version)) release = RELEASES.v2;
    name = release?.sheet ?? `mapillary-vistas-v${version}`;
    if (!release) notes.push(`version ${version} is not a release labelmap knows (1.1, 1.2, 2.0)`);
    if (!isSafeSheetName(name)) name = 'mapillary-vistas';
  } else {
    if (names.has(RELEASES.v1.marker) || rows.length === RELEASES.v1.labels) release = RELEASES.v1;
    else if (names.has(RELEASES.v2.marker) || rows.length === RELEASES.v2.labels) release = RELEASES.v2;
    name = release?.sheet ?? 'mapillary-vistas';
    notes.push(
      release
        ? `no "version" in the config: inferred ${release.sheet} from its ${rows.length} labels${names.has(release.marker) ? ` and the name ${release.marker}` : ''}`
        : `no "version" in the config, and neither its ${rows.length} labels nor its names tell the release: named ${name}`,
    );
  }
  if (release && rows.length < release.labels) {
    name = `${release.sheet}-subset`;
    notes.push(
      `warning: only ${rows.length} of the ${release.labels} labels of ${release.sheet}: this looks like a partial config (a subset). ` +
        `Its ids are positions in this list, not the official ids, so the sheet is named ${name}`,
    );
  } else if (release && rows.length > release.labels) {
    notes.push(`warning: ${rows.length} labels where ${release.sheet} has ${release.labels}: a modified config`);
  }
  return { name, rows, version, notes };
}

// --- polygon folders ----------------------------------------------------------------------------

/** JSON files in `polygons` folders below `dir`, or else the JSON files in `dir` itself. */
export function polygonFiles(dir: string, limit?: number): string[] {
  const nested = findFiles(dir, (rel) => rel.endsWith('.json') && rel.split('/').slice(0, -1).includes('polygons'), { limit });
  if (nested.length) return nested;
  return findFiles(dir, (rel) => rel.endsWith('.json') && !rel.includes('/') && !/^config/i.test(rel), { limit });
}

export const SHAPE = 'a Vistas v2.0 polygon file {"width", "height", "objects": [{"id", "label", "polygon"}]}';

async function extractFolder(dir: string, options: ExtractOptions): Promise<Extraction> {
  const files = polygonFiles(dir);
  if (files.length === 0) {
    throw new LabelmapError('polygons-none', { file: dir }, {
      pattern: 'polygons/*.json',
      fix: 'pass the v2.0 polygons folder (training/v2.0/polygons), or the config.json for the label list',
    });
  }
  let configName: string | undefined;
  const extraction = await extractPolygonFolder({
    files,
    options,
    defaultRef: RELEASES.v2.sheet,
    readFileTable: (file) => {
      if (!/\.json$/i.test(file)) return null;
      const config = readMapillaryConfig(file);
      configName = config.name;
      return config.rows;
    },
    example: 'config_v2.0.json (or a mapillary-vistas-v2.0 sheet)',
    flag: '--labels <config.json or sheet>',
    shape: SHAPE,
    name: RELEASES.v2.sheet,
  });
  return { ...extraction, name: configName ?? extraction.name };
}

function sizeOf(file: string): number {
  try {
    return statSync(file).size;
  } catch {
    return -1;
  }
}

export const mapillary: Extractor = {
  id: 'mapillary',
  title: 'Mapillary Vistas',
  input: 'a Vistas config.json (v1.1, v1.2, v2.0), or a folder of v2.0 polygons/*.json (ids via --labels)',

  async detect(input: string): Promise<Detection> {
    try {
      if (isDirectory(input)) {
        const first = polygonFiles(input, 1)[0];
        if (!first) return { ok: false, reason: 'no polygons/*.json files in the folder' };
        if (sizeOf(first) > 64 * 1024 * 1024) return { ok: false, reason: `${first} is too large for a polygon file` };
        const objects = objectsArray(readJsonFile(first, 'polygon file'), first, SHAPE);
        const label = objects.map((o) => (isRecord(o) ? o.label : undefined)).find((l) => typeof l === 'string');
        if (typeof label !== 'string') return { ok: false, reason: `${path.relative(input, first)} has no labelled objects` };
        return label.includes('--')
          ? { ok: true, reason: `a folder of Vistas polygon files (${path.relative(input, first)}: "${label}")` }
          : { ok: false, reason: `the labels in ${path.relative(input, first)} have no "--" path ("${label}"): not Vistas names` };
      }
      if (!/\.json$/i.test(input)) return { ok: false, reason: 'not a JSON file or a folder' };
      const size = sizeOf(input);
      if (size > 8 * 1024 * 1024) return { ok: false, reason: `${size} bytes is too large for a Vistas config` };
      const json = readJsonFile(input, 'Mapillary config');
      if (!isRecord(json) || !Array.isArray(json.labels)) return { ok: false, reason: 'a JSON file without a "labels" array' };
      const first = json.labels[0];
      if (!isRecord(first) || typeof first.name !== 'string' || !('readable' in first)) {
        return { ok: false, reason: 'its "labels" are not {name, readable, ...} objects' };
      }
      const version = versionText(json.version);
      return { ok: true, reason: `a Vistas config (${json.labels.length} labels${version ? `, version ${version}` : ', no version'})` };
    } catch (error) {
      return { ok: false, reason: error instanceof Error ? error.message.split('\n')[0]! : String(error) };
    }
  },

  async extract(input: string, options: ExtractOptions): Promise<Extraction> {
    if (isDirectory(input)) return extractFolder(input, options);
    const config = readMapillaryConfig(input);
    const notes = [...config.notes];
    if (options.stats) notes.push('--stats counts objects in a polygons folder; a config has no counts');
    return { name: config.name, rows: config.rows, notes };
  },
};
