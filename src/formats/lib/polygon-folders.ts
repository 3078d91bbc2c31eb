// What the Cityscapes and Mapillary extractors share: walking a folder of per-image polygon JSON
// files, reading JSON with located errors, counting labels per file, and finding the label table
// (`--labels <file or sheet>`) that turns the names in those files into ids.
import { existsSync, readdirSync } from 'node:fs';
import path from 'node:path';
import { LabelmapError, type Place } from '../../findings.js';
import { readBytes, readBytesAsync } from '../../io/index.js';
import { parseJsonBytes } from '../../json.js';
import { decodeUtf8, parseSheetText } from '../../sheets/csv.js';
import { throwFirstError } from '../../sheets/io.js';
import type { DatasetClass } from '../../sheets/schema.js';
import type { ExtractOptions, Extraction } from '../types.js';

/**
 * Entries under `dir` that are not folders (recursively, sorted, dot-entries and linked folders skipped) for which
 * `accept(relativePath)` holds. Stops after `limit` hits or `maxVisits` folder entries.
 */
export function findFiles(
  dir: string,
  accept: (rel: string) => boolean,
  options: { limit?: number; maxVisits?: number } = {},
): string[] {
  const out: string[] = [];
  const limit = options.limit ?? Infinity;
  let visits = options.maxVisits ?? Infinity;
  const walk = (sub: string): boolean => {
    let entries: import('node:fs').Dirent[];
    try {
      entries = readdirSync(path.join(dir, sub), { withFileTypes: true });
    } catch {
      return true;
    }
    entries.sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
    for (const e of entries) {
      if (--visits < 0) return false;
      if (e.name.startsWith('.')) continue;
      const rel = sub ? `${sub}/${e.name}` : e.name;
      if (e.isDirectory()) {
        if (!walk(rel)) return false;
      } else if (accept(rel)) {
        // Files, links and also FIFOs or sockets with a polygon file's name: reading says what is
        // wrong with them, where skipping them would drop their objects from the counts unseen.
        out.push(path.join(dir, rel));
        if (out.length >= limit) return false;
      }
    }
    return true;
  };
  walk('');
  return out;
}

function decodeJson(bytes: Uint8Array, file: string): unknown {
  return parseJsonBytes(bytes, file, 'label-json-invalid');
}

export function readJsonFile(file: string, what: string): unknown {
  return decodeJson(readBytes(file, what), file);
}

/**
 * Reads files in order, keeping up to `ahead` reads in flight so that the disk works while the
 * previous file is parsed. A failed read reports as readBytes does (file-not-found, a FIFO, ...).
 */
function readAhead(files: readonly string[], what: string, ahead = 8): (i: number) => Promise<Uint8Array> {
  const reads = new Map<number, Promise<Uint8Array>>();
  const start = (i: number) => {
    if (i >= files.length || reads.has(i)) return;
    const file = files[i]!;
    const p = readBytesAsync(file, what);
    p.catch(() => undefined); // a read that is never awaited (the run stopped earlier) must not go unhandled
    reads.set(i, p);
  };
  return (i) => {
    for (let k = i; k < i + ahead; k++) start(k);
    const p = reads.get(i)!;
    reads.delete(i);
    return p;
  };
}

/**
 * Reads and parses each polygon file in order (reads ahead while the previous one is handled) and
 * hands it to `each`; the extractor's counts and labelmap attributes both read folders this way.
 */
export async function forEachJsonFile(
  files: readonly string[],
  each: (json: unknown, file: string) => void,
  onProgress?: (done: number, total: number) => void,
): Promise<void> {
  const read = readAhead(files, 'polygon file');
  let done = 0;
  for (const [i, file] of files.entries()) {
    each(decodeJson(await read(i), file), file);
    onProgress?.(++done, files.length);
  }
}

/** A short description of a JSON value for `found ...` in messages. */
export function jsonKind(v: unknown): string {
  if (v === null) return 'null';
  if (Array.isArray(v)) return `an array of ${v.length}`;
  if (typeof v === 'object') {
    const keys = Object.keys(v as object);
    return keys.length ? `an object with ${keys.slice(0, 6).map((k) => JSON.stringify(k)).join(', ')}${keys.length > 6 ? ', ...' : ''}` : 'an empty object';
  }
  return `${typeof v} ${JSON.stringify(v)}`.slice(0, 60);
}

export function isRecord(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

// --- label tables -------------------------------------------------------------------------------

export interface LabelSource {
  rows: DatasetClass[];
  /** Where the rows came from, for notes and errors (`labels.py`, `sheet cityscapes`). */
  source: string;
}

/**
 * The label table named by `--labels`: a file (read by `readFileTable` for the format's own label
 * files, or a dataset sheet CSV), or a sheet reference; without `--labels`, the shipped sheet
 * `defaultRef`.
 */
export function resolveLabelTable(
  options: ExtractOptions,
  defaultRef: string,
  readFileTable: (file: string) => DatasetClass[] | null,
  example: string,
): LabelSource {
  const given = options.labels;
  // A file when it exists or has a file extension; otherwise a sheet reference (datasets/cityscapes@1.0.0).
  if (given !== undefined && (existsSync(given) || /\.(?:py|csv|json)$/i.test(given))) {
    if (/\.csv$/i.test(given)) return { rows: readDatasetSheetFile(given), source: given };
    const rows = readFileTable(given);
    if (rows) return { rows, source: given };
    throw new LabelmapError('labels-file-invalid', { file: given }, { expected: example, found: path.extname(given) || 'a file without an extension' });
  }
  const ref = given ?? defaultRef;
  if (!options.readDatasetSheet) {
    throw new LabelmapError('labels-source-missing', {}, { what: `no sheets to read ${JSON.stringify(ref)} from`, example });
  }
  return { rows: options.readDatasetSheet(ref), source: `the sheet ${ref}` };
}

/** A dataset sheet CSV given as a file path. */
export function readDatasetSheetFile(file: string): DatasetClass[] {
  const { text, findings } = decodeUtf8(readBytes(file, 'label table'), file);
  throwFirstError(findings);
  const parsed = parseSheetText('dataset', text, file);
  throwFirstError(parsed.findings);
  return parsed.sheet!.rows;
}

// --- counting labels in polygon files -----------------------------------------------------------

export interface PolygonCounts {
  /** Objects per row of the label table. */
  instances: number[];
  /** Files in which each row occurs. */
  images: number[];
  files: number;
  /** Objects skipped because they are marked deleted. */
  deleted: number;
  /** Labels counted toward another class (`cargroup` -> `car`), with their object counts. */
  folded: Map<string, { into: string; count: number }>;
}

export interface PolygonScan {
  files: string[];
  /** The class index of a label as written, or undefined when the table does not know it. */
  resolve: (label: string) => number | undefined;
  /** How many classes the table has. */
  size: number;
  /** The file's objects array, or a `label-json-shape` error (`objects`). */
  objectsOf: (json: unknown, file: string) => unknown[];
  source: string;
  flag: string;
  onProgress?: (done: number, total: number) => void;
}

/**
 * Reads every polygon file and counts, per class, the objects and the files it occurs in.
 * Unknown labels are collected over all files and reported as one error naming the first place
 * (file and JSON path) and the other unknown names.
 */
export async function countPolygonLabels(scan: PolygonScan, names: readonly string[]): Promise<PolygonCounts> {
  const counts: PolygonCounts = {
    instances: new Array<number>(scan.size).fill(0),
    images: new Array<number>(scan.size).fill(0),
    files: scan.files.length,
    deleted: 0,
    folded: new Map(),
  };
  const unknown = new Map<string, { place: Place; files: number }>();
  await forEachJsonFile(scan.files, (json, file) => {
    const objects = scan.objectsOf(json, file);
    const seen = new Set<number>();
    const unknownHere = new Set<string>();
    objects.forEach((obj, k) => {
      if (!isRecord(obj)) {
        throw new LabelmapError('label-json-shape', { file, path: `objects[${k}]` }, { expected: 'an object with "label" and "polygon"', found: jsonKind(obj) });
      }
      if (obj.deleted === true || obj.deleted === 1) {
        counts.deleted++;
        return;
      }
      const label = obj.label;
      if (typeof label !== 'string') {
        throw new LabelmapError('label-json-shape', { file, path: `objects[${k}].label` }, { expected: 'a label name (a string)', found: jsonKind(label) });
      }
      const index = scan.resolve(label);
      if (index === undefined) {
        if (!unknownHere.has(label)) {
          unknownHere.add(label);
          const u = unknown.get(label);
          if (u) u.files++;
          else unknown.set(label, { place: { file, path: `objects[${k}].label` }, files: 1 });
        }
        return;
      }
      const into = names[index]!;
      if (into !== label) {
        const f = counts.folded.get(label);
        if (f) f.count++;
        else counts.folded.set(label, { into, count: 1 });
      }
      counts.instances[index]!++;
      seen.add(index);
    });
    for (const index of seen) counts.images[index]!++;
  }, scan.onProgress);
  const first = unknown.entries().next().value;
  if (first) {
    const [label, { place, files }] = first;
    const more = [...unknown.entries()]
      .slice(1, 8)
      .map(([l, u]) => `${JSON.stringify(l)} in ${u.files} file${u.files === 1 ? '' : 's'}`)
      .join(', ');
    throw new LabelmapError('unknown-label', place, {
      label,
      source: scan.source,
      more: [files > 1 ? `${JSON.stringify(label)} in ${files} files` : '', more, unknown.size > 8 ? `${unknown.size - 8} more` : '']
        .filter(Boolean)
        .join(', '),
      flag: scan.flag,
    });
  }
  return counts;
}

/**
 * Every class of the table, in table order; with stats, their counts (0 for a class that does not
 * occur). A folder is often a subset (one city, the val split): a class it happens not to contain
 * is still a class of the dataset, and dropping it would make bus or train ignore in every LUT.
 */
export function datasetRows(table: readonly DatasetClass[], counts: PolygonCounts, stats: boolean): DatasetClass[] {
  const out: DatasetClass[] = [];
  table.forEach((row, i) => {
    const copy: DatasetClass = { ...row, extra: { ...row.extra } };
    delete copy.instances;
    delete copy.images;
    if (stats) {
      copy.instances = counts.instances[i]!;
      copy.images = counts.images[i]!;
    }
    out.push(copy);
  });
  return out;
}

/** Notes every polygon-folder extraction gives. */
export function polygonNotes(table: readonly DatasetClass[], rows: readonly DatasetClass[], counts: PolygonCounts, source: string, stats: boolean): string[] {
  const notes = [
    `read ${counts.files} polygon file${counts.files === 1 ? '' : 's'}; ${counts.instances.filter((n) => n > 0).length} of the ${table.length} labels of ${source} occur (ids from there; the sheet keeps all ${rows.length}, the others with no objects in this folder)`,
  ];
  for (const [label, f] of counts.folded) notes.push(`counted ${f.count} "${label}" object${f.count === 1 ? '' : 's'} as "${f.into}" (a crowd of that class)`);
  if (counts.deleted) notes.push(`skipped ${counts.deleted} object${counts.deleted === 1 ? '' : 's'} marked deleted`);
  if (!stats) notes.push('no counts: add --stats for instances and images per label');
  return notes;
}

/** The `objects` array of a per-image polygon file, or an error naming what the format expects. */
export function objectsArray(json: unknown, file: string, expected: string): unknown[] {
  if (!isRecord(json) || !Array.isArray(json.objects)) {
    throw new LabelmapError('label-json-shape', { file, path: isRecord(json) ? 'objects' : '$' }, {
      expected,
      found: isRecord(json) ? `"objects" is ${jsonKind(json.objects)}` : jsonKind(json),
    });
  }
  return json.objects;
}

export interface PolygonFolderSpec {
  files: string[];
  options: ExtractOptions;
  /** The sheet to take ids from without --labels. */
  defaultRef: string;
  /** Reads one of the format's own label files given with --labels (null: not one of them). */
  readFileTable: (file: string) => DatasetClass[] | null;
  /** What to pass with --labels, for the error when there is no table. */
  example: string;
  /** The --labels flag as the fix shows it. */
  flag: string;
  /** What a polygon file of the format looks like, for shape errors. */
  shape: string;
  /** The class a label counts toward (default: the class of that name). */
  classOf?: (label: string, index: ReadonlyMap<string, number>, table: readonly DatasetClass[]) => number | undefined;
  name: string;
}

/** Labels that occur in a folder of polygon files, with ids (and counts) from a label table. */
export async function extractPolygonFolder(spec: PolygonFolderSpec): Promise<Extraction> {
  const { options } = spec;
  const { rows: table, source } = resolveLabelTable(options, spec.defaultRef, spec.readFileTable, spec.example);
  const index = new Map(table.map((r, i) => [r.name, i]));
  const counts = await countPolygonLabels(
    {
      files: spec.files,
      resolve: spec.classOf ? (label) => spec.classOf!(label, index, table) : (label) => index.get(label),
      size: table.length,
      objectsOf: (json, file) => objectsArray(json, file, spec.shape),
      source,
      flag: spec.flag,
      onProgress: options.onProgress,
    },
    table.map((r) => r.name),
  );
  const rows = datasetRows(table, counts, options.stats);
  return { name: spec.name, rows, notes: polygonNotes(table, rows, counts, source, options.stats) };
}
