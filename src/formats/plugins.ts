// Formats a user adds without forking: a sheets repository (the folder that holds sheets/, or the
// sheets folder itself) may hold `labelmap.config.mjs` (or `.js`, an ES module):
//
//   export default { formats: [{ id: 'mytool', title: '...', input: '...', detect, extract }] };
//
// each an `Extractor` (src/formats/types.ts, exported from the package). The config is the user's
// own code and runs as such; what labelmap guards is its results: a plugin that throws gets a
// located `plugin-failed` (a LabelmapError it throws passes through as it is), and rows of the
// wrong shape a located `plugin-result`, before the sheet gate that every format's rows pass
// (unique ids and names, types) in `extract`.
import { existsSync } from 'node:fs';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { LabelmapError } from '../findings.js';
import { importModule } from '../io/import.js';
import type { DatasetClass } from '../sheets/schema.js';
import { FORMAT_IDS } from './registry.js';
import { datasetClass, type Detection, type ExtractOptions, type Extraction, type Extractor } from './types.js';

export const PLUGIN_FILES = ['labelmap.config.mjs', 'labelmap.config.js'] as const;

const ID_RE = /^[a-z0-9][a-z0-9-]{0,63}$/;

/** An extractor from a plugin, with the config it came from. */
export interface PluginFormat extends Extractor {
  plugin: string;
}

/** The plugin config of a sheets folder: in its parent (the repository) or in the folder itself. */
export function findPluginConfig(sheetsDir: string): string | undefined {
  for (const dir of [path.dirname(sheetsDir), sheetsDir]) {
    for (const name of PLUGIN_FILES) {
      const file = path.join(dir, name);
      if (existsSync(file)) return file;
    }
  }
  return undefined;
}

const isRecord = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);
const kind = (v: unknown): string => (v === null ? 'null' : Array.isArray(v) ? 'an array' : typeof v === 'string' ? JSON.stringify(v.slice(0, 40)) : typeof v);
const reasonOf = (error: unknown): string => (error instanceof Error ? error.message.split('\n')[0]! : String(error));

/** Loads the formats of a plugin config; every problem is a LabelmapError naming the file. */
export async function loadPluginFormats(file: string): Promise<PluginFormat[]> {
  let module: Record<string, unknown>;
  try {
    module = await importModule(pathToFileURL(file).href);
  } catch (error) {
    throw new LabelmapError('plugin-load', { file }, { reason: reasonOf(error) });
  }
  const config = module.default;
  const list = isRecord(config) ? config.formats : undefined;
  if (!Array.isArray(list)) throw new LabelmapError('plugin-invalid', { file, path: 'default.formats' }, { what: 'the default export', expected: '{ formats: [...] }', found: isRecord(config) ? `formats: ${kind(list)}` : kind(config) });
  const seen = new Set<string>(FORMAT_IDS);
  return list.map((f: unknown, i) => {
    const at = { file, path: `formats[${i}]` };
    if (!isRecord(f)) throw new LabelmapError('plugin-invalid', at, { what: `format ${i + 1}`, expected: 'an Extractor object', found: kind(f) });
    if (typeof f.id !== 'string' || !ID_RE.test(f.id)) throw new LabelmapError('plugin-invalid', { ...at, path: `formats[${i}].id` }, { what: `format ${i + 1}`, expected: 'an id of lowercase letters, digits and -', found: kind(f.id) });
    if (seen.has(f.id)) throw new LabelmapError('plugin-invalid', { ...at, path: `formats[${i}].id` }, { what: `format "${f.id}"`, expected: 'an id no other format has', found: FORMAT_IDS.includes(f.id) ? 'the id of a built-in format' : 'an id given twice' });
    seen.add(f.id);
    for (const key of ['title', 'input'] as const) {
      if (typeof f[key] !== 'string') throw new LabelmapError('plugin-invalid', { ...at, path: `formats[${i}].${key}` }, { what: `format "${f.id}"`, expected: `${key}: a string`, found: kind(f[key]) });
    }
    for (const key of ['detect', 'extract'] as const) {
      if (typeof f[key] !== 'function') throw new LabelmapError('plugin-invalid', { ...at, path: `formats[${i}].${key}` }, { what: `format "${f.id}"`, expected: `${key}: a function`, found: kind(f[key]) });
    }
    return guarded(f as unknown as Extractor, file);
  });
}

/** The plugin's extractor with its answers checked and its throws located. */
function guarded(format: Extractor, plugin: string): PluginFormat {
  const id = format.id;
  const result = (what: string, expected: string, found: unknown, place: { file: string; path?: string }) =>
    new LabelmapError('plugin-result', place, { format: id, what, expected, found: kind(found) });
  return {
    id,
    title: format.title,
    input: format.input,
    plugin,
    async detect(input: string): Promise<Detection> {
      let d: unknown;
      try {
        d = await format.detect(input);
      } catch (error) {
        return { ok: false, reason: `the plugin threw: ${reasonOf(error)}` };
      }
      if (!isRecord(d) || typeof d.ok !== 'boolean') return { ok: false, reason: `the plugin's detect returned ${kind(d)}, not { ok, reason }` };
      return { ok: d.ok, reason: typeof d.reason === 'string' ? d.reason : '(no reason given)' };
    },
    async extract(input: string, options: ExtractOptions): Promise<Extraction> {
      let got: unknown;
      try {
        got = await format.extract(input, options);
      } catch (error) {
        if (error instanceof LabelmapError) throw error;
        throw new LabelmapError('plugin-failed', { file: input }, { format: id, plugin, reason: reasonOf(error) });
      }
      const place = { file: input };
      if (!isRecord(got)) throw result('an extraction', '{ name, rows, notes }', got, place);
      if (typeof got.name !== 'string') throw result('a name', 'a sheet name (a string)', got.name, { ...place, path: 'name' });
      if (!Array.isArray(got.rows)) throw result('rows', 'an array of { id, name, ... }', got.rows, { ...place, path: 'rows' });
      const notes = got.notes === undefined ? [] : got.notes;
      if (!Array.isArray(notes) || !notes.every((n) => typeof n === 'string')) throw result('notes', 'an array of strings', got.notes, { ...place, path: 'notes' });
      const rows: DatasetClass[] = got.rows.map((row: unknown, i) => {
        if (!isRecord(row)) throw result(`row ${i + 1}`, 'an object { id, name, ... }', row, { ...place, path: `rows[${i}]` });
        if (typeof row.id !== 'number' || !Number.isSafeInteger(row.id) || row.id < 0) throw result(`row ${i + 1}`, 'an id: an integer 0 or more', row.id, { ...place, path: `rows[${i}].id` });
        if (typeof row.name !== 'string' || row.name.trim() === '') throw result(`row ${i + 1}`, 'a name: a non-empty string', row.name, { ...place, path: `rows[${i}].name` });
        if (row.extra !== undefined && (!isRecord(row.extra) || !Object.values(row.extra).every((v) => typeof v === 'string'))) throw result(`row ${i + 1}`, 'extra: an object of x_ column -> string', row.extra, { ...place, path: `rows[${i}].extra` });
        const { id: rowId, name, ...fields } = row as unknown as DatasetClass;
        return datasetClass(rowId, name, { ...fields, extra: { ...(row.extra as Record<string, string> | undefined) } });
      });
      return { name: got.name, rows, notes: notes as string[] };
    },
  };
}

/** Every format for a sheets folder: the built-ins, then its plugins (undefined when it has none). */
export async function formatsWithPlugins(sheetsDir: string | null, loadBuiltins: () => Promise<Extractor[]>): Promise<Extractor[] | undefined> {
  const file = sheetsDir ? findPluginConfig(sheetsDir) : undefined;
  if (!file) return undefined;
  const plugins = await loadPluginFormats(file);
  return [...(await loadBuiltins()), ...plugins];
}
