// The `names` section of an Ultralytics data YAML: class index -> name, every index 0..N-1.
//   names:
//     0: road
//     1: "yes"      <- quoted: YAML 1.1 (PyYAML, which Ultralytics uses) reads a bare yes as true
import type { Bundle } from '../taxonomy/types.js';
import { hashComment, quoted, slotNames } from './common.js';
import type { ExportFormat } from './types.js';

// Words YAML 1.1 or 1.2 resolve to booleans or null when bare.
const SPECIAL = new Set(['y', 'n', 'yes', 'no', 'on', 'off', 'true', 'false', 'null']);

/** A YAML scalar for a name: bare when it is plainly a string in every YAML version, else double-quoted. */
export function yamlString(name: string): string {
  return /^[A-Za-z_][A-Za-z0-9_.-]*$/.test(name) && !SPECIAL.has(name.toLowerCase()) ? name : quoted(name);
}

function render(bundle: Bundle): string {
  const names = slotNames(bundle);
  return [hashComment(bundle, 'yolo'), `nc: ${names.length}`, 'names:', ...names.map((n, i) => `  ${i}: ${yamlString(n)}`), ''].join('\n');
}

export const yolo: ExportFormat<'yolo'> = {
  id: 'yolo',
  title: 'Ultralytics YOLO data YAML names section',
  audience: 'training',
  file: 'names.yaml',
  extension: 'yaml',
  render,
};
