// BDD100K: the Scalabel TOML configs of bdd100k/configs (det.toml, sem_seg.toml, ...) and the
// label JSON (bdd100k_labels_images_*.json, det_*.json).
//
//   [name_mapping]            # a raw label read as another class
//   bike = "bicycle"
//   [ignored_mapping]         # a raw label counted as ignored, shown as another class
//   "other person" = "pedestrian"
//   [scalabel]
//       [[scalabel.categories]]
//       name = "human"
//           [[scalabel.categories.subcategories]]
//           name = "pedestrian"
//       [[scalabel.categories]]
//       name = "road"
//       color = [128, 64, 128]
//
// Class ids are positions among the leaf categories (det: 0..9; sem_seg: 0..18, which are
// Cityscapes' train ids, 255 unlabeled); a parent category is the leaf's `category`.
//
// Label JSON: a list of frames, streamed (train is ~1 GB):
//   [{"name": "b1c66a42-6f7d68ca.jpg", "attributes": {"weather": "overcast", "scene": "city street",
//     "timeofday": "daytime"}, "labels": [{"id": "0", "category": "traffic sign", "box2d": {...}}]}]
import path from 'node:path';
import { LabelmapError } from '../findings.js';
import { rejectedBy } from './lib/detection.js';
import type { DatasetClass } from '../sheets/schema.js';
import { scanJson } from './json-scan.js';
import { parseTomlConfig } from './lib/config-files.js';
import { readHeadLines, readTextFile } from './lib/text-lines.js';
import { isRecord, jsonKind } from './lib/polygon-folders.js';
import { checkUniqueLabels } from './python-labels.js';
import { datasetClass, rgbToHex, type Detection, type ExtractOptions, type Extraction, type Extractor } from './types.js';

/** Cityscapes' 19 evaluated classes in train-id order: BDD100K sem_seg uses exactly these ids. */
export const CITYSCAPES_TRAIN_NAMES = [
  'road', 'sidewalk', 'building', 'wall', 'fence', 'pole', 'traffic light', 'traffic sign', 'vegetation', 'terrain',
  'sky', 'person', 'rider', 'car', 'truck', 'bus', 'train', 'motorcycle', 'bicycle',
] as const;

export interface ScalabelConfig {
  rows: DatasetClass[];
  /** Raw label -> class (`name_mapping`). */
  nameMapping: Map<string, string>;
  /** Raw label -> class it is shown as, counted as ignored (`ignored_mapping`). */
  ignoredMapping: Map<string, string>;
  /** Whether the leaves are Cityscapes' 19 train classes in order (sem_seg). */
  cityscapesTrainIds: boolean;
}

function stringMap(value: unknown, key: string, file: string): Map<string, string> {
  if (value === undefined) return new Map();
  if (!isRecord(value)) throw new LabelmapError('config-shape', { file, path: key }, { key, expected: 'a table of "raw label" = "class"', found: jsonKind(value) });
  return new Map(
    Object.entries(value).map(([k, v]) => {
      if (typeof v !== 'string') throw new LabelmapError('config-shape', { file, path: `${key}.${k}` }, { key: `${key}.${k}`, expected: 'a class name', found: jsonKind(v) });
      return [k, v] as const;
    }),
  );
}

/** The classes of a parsed Scalabel config. Pure: `file` names the place in errors. */
export function scalabelConfigOf(toml: Record<string, unknown>, file: string, options: { firstId?: number } = {}): ScalabelConfig {
  const scalabel = toml.scalabel;
  const categories = isRecord(scalabel) ? scalabel.categories : undefined;
  if (!Array.isArray(categories) || categories.length === 0) {
    throw new LabelmapError('config-shape', { file, path: 'scalabel.categories' }, {
      key: 'scalabel.categories',
      expected: 'a list of [[scalabel.categories]] tables',
      found: !isRecord(scalabel) ? 'no [scalabel] table' : jsonKind(categories),
      fix: 'pass a BDD100K / Scalabel config such as configs/det.toml',
    });
  }
  const rows: DatasetClass[] = [];
  const paths: string[] = [];
  const walk = (list: unknown[], at: string, parent: string): void => {
    list.forEach((c, i) => {
      const here = `${at}[${i}]`;
      if (!isRecord(c) || typeof c.name !== 'string' || c.name.trim() === '') {
        throw new LabelmapError('config-shape', { file, path: `${here}.name` }, { key: `${here}.name`, expected: 'a category name', found: isRecord(c) ? jsonKind(c.name) : jsonKind(c) });
      }
      const name = c.name.trim();
      if (c.subcategories !== undefined) {
        if (!Array.isArray(c.subcategories)) throw new LabelmapError('config-shape', { file, path: `${here}.subcategories` }, { key: `${here}.subcategories`, expected: 'a list of categories', found: jsonKind(c.subcategories) });
        walk(c.subcategories, `${here}.subcategories`, parent ? `${parent}/${name}` : name);
        return;
      }
      let color = '';
      if (c.color !== undefined) {
        const v = c.color;
        if (!Array.isArray(v) || v.length !== 3 || !v.every((x) => Number.isInteger(x) && x >= 0 && x <= 255)) {
          throw new LabelmapError('config-shape', { file, path: `${here}.color` }, { key: `${here}.color`, expected: 'a colour [r, g, b] with 0..255', found: JSON.stringify(v) ?? jsonKind(v) });
        }
        color = rgbToHex(v as number[]);
      }
      rows.push(datasetClass((options.firstId ?? 0) + rows.length, name, { category: parent, color }));
      paths.push(`${here}.name`);
    });
  };
  walk(categories, 'scalabel.categories', '');
  checkUniqueLabels(rows, [], file, (i) => paths[i]!);
  const nameMapping = stringMap(toml.name_mapping, 'name_mapping', file);
  const ignoredMapping = stringMap(toml.ignored_mapping, 'ignored_mapping', file);
  const known = new Set(rows.map((r) => r.name));
  for (const [key, map] of [['name_mapping', nameMapping], ['ignored_mapping', ignoredMapping]] as const) {
    for (const [raw, target] of map) {
      if (!known.has(target)) throw new LabelmapError('config-shape', { file, path: `${key}.${raw}` }, { key: `${key}.${raw}`, expected: 'one of the categories', found: JSON.stringify(target) });
    }
  }
  // The mappings as data on the class they lead to (`bicycle`: x_aliases "bike").
  for (const row of rows) {
    const aliases = [...nameMapping].filter(([, t]) => t === row.name).map(([raw]) => raw);
    const ignored = [...ignoredMapping].filter(([, t]) => t === row.name).map(([raw]) => raw);
    if (nameMapping.size) row.extra.x_aliases = aliases.join(';');
    if (ignoredMapping.size) row.extra.x_ignored_aliases = ignored.join(';');
  }
  const cityscapesTrainIds = options.firstId === undefined && rows.length === CITYSCAPES_TRAIN_NAMES.length && rows.every((r, i) => r.name === CITYSCAPES_TRAIN_NAMES[i]);
  if (cityscapesTrainIds) {
    for (const row of rows) {
      row.train_id = row.id;
      row.extra.x_cityscapes_train_id = String(row.id);
    }
  }
  return { rows, nameMapping, ignoredMapping, cityscapesTrainIds };
}

export function readScalabelConfig(file: string, options: { firstId?: number } = {}): ScalabelConfig {
  return scalabelConfigOf(parseTomlConfig(readTextFile(file, 'Scalabel config'), file), file, options);
}

// --- label JSON -------------------------------------------------------------------------------

interface LabelCounts {
  frames: number;
  /** Per class (after name_mapping): labels, and frames with at least one. */
  instances: Map<string, number>;
  images: Map<string, number>;
  /** Labels left out by ignored_mapping, per raw name. */
  ignored: Map<string, number>;
  /** Line of the first frame with each class (for errors). */
  firstLine: Map<string, number>;
}

async function countLabels(file: string, options: ExtractOptions, config: ScalabelConfig | undefined): Promise<LabelCounts> {
  const counts: LabelCounts = { frames: 0, instances: new Map(), images: new Map(), ignored: new Map(), firstLine: new Map() };
  const result = await scanJson(
    file,
    {
      root: {
        pick: { fields: ['name'], arrays: { labels: ['category'] } },
        onElement: (frame) => {
          const where = { file, line: frame.line, offset: frame.offset, path: `[${frame.index}]` };
          if (frame.kind !== 'object') throw new LabelmapError('label-json-shape', where, { expected: 'a frame {"name", "labels": [...]}', found: `a JSON ${frame.kind}` });
          counts.frames++;
          const labels = frame.arrays.labels;
          if (labels === undefined) {
            const kind = frame.arrayKinds.labels;
            if (kind !== undefined && kind !== 'null') throw new LabelmapError('label-json-shape', { ...where, path: `[${frame.index}].labels` }, { expected: 'a list of labels', found: `a JSON ${kind}` });
            return; // a frame without labels (BDD100K writes `"labels": null` or leaves it out)
          }
          const seen = new Set<string>();
          labels.forEach(([category], k) => {
            if (typeof category !== 'string' || category.trim() === '') {
              throw new LabelmapError('label-json-shape', { ...where, path: `[${frame.index}].labels[${k}].category` }, {
                expected: 'a category name',
                found: category === undefined ? 'no "category"' : typeof category === 'object' ? 'a JSON compound' : JSON.stringify(category),
              });
            }
            if (config?.ignoredMapping.has(category)) {
              counts.ignored.set(category, (counts.ignored.get(category) ?? 0) + 1);
              return;
            }
            const target = config?.nameMapping.get(category) ?? category;
            counts.instances.set(target, (counts.instances.get(target) ?? 0) + 1);
            if (!counts.firstLine.has(target)) counts.firstLine.set(target, frame.line);
            seen.add(target);
          });
          for (const c of seen) counts.images.set(c, (counts.images.get(c) ?? 0) + 1);
        },
      },
    },
    { onProgress: options.onProgress },
  );
  if (result.rootKind !== 'array') {
    throw new LabelmapError('label-json-shape', { file, line: 1 }, {
      expected: 'a BDD100K label file: a list of frames',
      found: `a JSON ${result.rootKind ?? 'nothing'}`,
      fix: 'pass bdd100k_labels_images_<split>.json (or a det_<split>.json), or a configs/*.toml',
    });
  }
  return counts;
}

async function extractLabels(file: string, options: ExtractOptions): Promise<Extraction> {
  const config = options.labels ? readScalabelConfig(options.labels, { firstId: options.firstId }) : undefined;
  const counts = await countLabels(file, options, config);
  const notes = [`read ${counts.frames} frames of ${path.basename(file)}`];
  let table: DatasetClass[];
  if (config) {
    table = config.rows;
    notes.push(`ids from ${path.basename(options.labels!)}`);
    const known = new Set(table.map((r) => r.name));
    const unknown = [...counts.instances.keys()].filter((c) => !known.has(c));
    if (unknown.length) {
      throw new LabelmapError('unknown-label', { file, line: counts.firstLine.get(unknown[0]!) }, {
        label: unknown[0],
        source: path.basename(options.labels!),
        more: unknown.slice(1, 6).join(', ') || undefined,
        flag: '--labels <config.toml>',
      });
    }
  } else {
    const found = [...counts.instances.keys()].sort();
    table = found.map((name, i) => datasetClass((options.firstId ?? 0) + i, name));
    notes.push(`no config (--labels det.toml): the ${found.length} categories found, ids by alphabetical order from ${options.firstId ?? 0}; pass the config for the official ids`);
  }
  if (counts.ignored.size) notes.push(`left out (ignored_mapping): ${[...counts.ignored].map(([c, n]) => `${c} (${n})`).join(', ')}`);
  const rows = table.map((r) => ({
    ...r,
    extra: { ...r.extra },
    ...(options.stats ? { instances: counts.instances.get(r.name) ?? 0, images: counts.images.get(r.name) ?? 0 } : {}),
  }));
  return { name: config ? `bdd100k-${slug(options.labels!)}` : 'bdd100k', rows, notes };
}

const slug = (file: string): string => path.basename(file).replace(/\.toml$/i, '').toLowerCase().replace(/[^a-z0-9]+/g, '-').replace(/^-+|-+$/g, '') || 'config';

export const bdd100k: Extractor = {
  id: 'bdd100k',
  title: 'BDD100K (Scalabel)',
  input: 'a BDD100K / Scalabel config (configs/det.toml, sem_seg.toml, ...), or a label JSON list of frames (ids via --labels <config.toml>)',

  async detect(input: string): Promise<Detection> {
    try {
      if (/\.toml$/i.test(input)) {
        const head = readHeadLines(input, 'Scalabel config', 64 * 1024).map((l) => l.text);
        return head.some((l) => /^\s*\[\[scalabel\.categories\]\]/.test(l))
          ? { ok: true, reason: 'a Scalabel config with [[scalabel.categories]]' }
          : { ok: false, reason: 'a TOML file without [[scalabel.categories]]' };
      }
      if (!/\.json$/i.test(input)) return { ok: false, reason: 'not a .toml or .json file' };
      const head = readHeadLines(input, 'BDD100K label file', 64 * 1024).map((l) => l.text).join('\n');
      if (!/^\s*\[/.test(head)) return { ok: false, reason: 'a JSON file whose root is not a list of frames' };
      return /"labels"\s*:/.test(head) && /"category"\s*:/.test(head) && /"(box2d|poly2d|attributes)"\s*:/.test(head)
        ? { ok: true, reason: 'a BDD100K label file (a list of frames with labels[].category)' }
        : { ok: false, reason: 'a JSON list whose first frames have no labels[].category with box2d, poly2d or attributes' };
    } catch (error) {
      return rejectedBy(error);
    }
  },

  async extract(input: string, options: ExtractOptions): Promise<Extraction> {
    if (/\.json$/i.test(input)) return extractLabels(input, options);
    const config = readScalabelConfig(input, { firstId: options.firstId });
    const notes = [`read ${config.rows.length} categories from ${path.basename(input)}; ids are positions among the leaf categories from ${options.firstId ?? 0}`];
    if (config.cityscapesTrainIds) notes.push("these are Cityscapes' 19 train classes: BDD100K sem_seg ids equal Cityscapes train ids (train_id and x_cityscapes_train_id say so per row; 255 is unlabeled)");
    if (config.nameMapping.size) notes.push(`name_mapping kept as x_aliases: ${[...config.nameMapping].map(([a, b]) => `${a} -> ${b}`).join(', ')}`);
    if (config.ignoredMapping.size) notes.push(`ignored_mapping kept as x_ignored_aliases: ${[...config.ignoredMapping].map(([a, b]) => `${a} -> ${b}`).join(', ')}`);
    if (options.stats) notes.push('--stats counts labels in a label JSON; a config has no counts');
    return { name: `bdd100k-${slug(input)}`, rows: config.rows, notes };
  },
};
