// Inline sheets for the taxonomy table tests: CSV text in, a parsed Sheet out (as loadSheet gives).
import type { Sheet } from '../../src/sheets/io.js';
import { KIND_DIRS, type SheetKind } from '../../src/sheets/schema.js';
import { sheetFromText } from '../../src/sheets/set.js';

export function sheet<K extends SheetKind>(kind: K, ref: string, text: string): Sheet<K> {
  const [name, version = '1.0.0'] = ref.split('@');
  const r = sheetFromText(kind, `${KIND_DIRS[kind]}/${name}@${version}.csv`, text.replace(/^\n/, ''));
  if (!r.sheet || r.findings.some((f) => f.severity === 'error')) throw new Error(`bad test sheet ${ref}: ${JSON.stringify(r.findings)}`);
  return r.sheet;
}

const TAXONOMY_HEADER = 'id,name,parent,display_name,color,is_thing,description\n';

/** A taxonomy from `id name parent` lines (parent optional), e.g. `13 bicyclist rider`. */
export function taxonomy(lines: string, ref = 'core@1.0.0'): Sheet<'taxonomy'> {
  const rows = lines
    .trim()
    .split('\n')
    .map((l) => l.trim().split(/\s+/))
    .map(([id, name, parent = '']) => `${id},${name},${parent},,,,`);
  return sheet('taxonomy', ref, TAXONOMY_HEADER + rows.join('\n') + '\n');
}

/** A vertical from `class include [train_id] [color]` lines. */
export function vertical(lines: string, ref = 'v@1.0.0'): Sheet<'vertical'> {
  const rows = lines
    .trim()
    .split('\n')
    .filter((l) => l.trim() !== '')
    .map((l) => l.trim().split(/\s+/))
    .map(([cls, include, trainId = '', color = '']) => `${cls},${include},${trainId === '-' ? '' : trainId},${color}`);
  return sheet('vertical', ref, `class,include,train_id,color\n${rows.join('\n')}\n`);
}

/** A dataset sheet from `id name` lines (names may not contain spaces here). */
export function dataset(lines: string, ref = 'ds@1.0.0'): Sheet<'dataset'> {
  const rows = lines
    .trim()
    .split('\n')
    .map((l) => l.trim().split(/\s+/))
    .map(([id, name]) => `${id},${name},,,,,,`);
  return sheet('dataset', ref, `id,name,display_name,category,train_id,color,is_thing,evaluate\n${rows.join('\n')}\n`);
}

/** A mapping from `source target` lines. */
export function mapping(lines: string, ref = 'ds@1.0.0'): Sheet<'mapping'> {
  const rows = lines
    .trim()
    .split('\n')
    .map((l) => l.trim().split(/\s+/))
    .map(([source, target]) => `${source},${target},`);
  return sheet('mapping', ref, `source,target,note\n${rows.join('\n')}\n`);
}
