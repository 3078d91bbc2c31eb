// The Annotation Label API, as the package exports it: open a labelmap.json bundle and ask it
// what a dataset's class becomes, what an output label is made of, and how to filter a model's
// predictions; render it for training code and annotation tools.
import { compileSheets, type CompileOptions } from '../compile.js';
import { FindingsError } from '../findings.js';
import { decodeText, readBytes } from '../io/index.js';
import { parseAttributeTable, type AttributeTable } from './attributes.js';
import { readBundle } from './bundle.js';
import { LabelSpace } from './label-api.js';

export { AttributeTable, parseAttributeTable, type ImageAttributes } from './attributes.js';

export { BUNDLE_FILE, BUNDLE_FORMAT_VERSION, parseBundle, readBundle, validateBundle } from './bundle.js';
export { LabelSpace, MAX_LUT_ID, type KeptClass, type Lookup, type PredictionFilter, type Reverse, type SetClass, type SwitchedOffClass } from './label-api.js';
export { EXPORTS, exportById, SHAPES, type ExportFormat, type ExportOptions, type Shape } from '../export/index.js';
export { renderExport } from '../export/render.js';

/** Reads and checks a labelmap.json (or the folder `labelmap merge` wrote) and opens its label space. */
export function openBundle(file: string): LabelSpace {
  return new LabelSpace(readBundle(file), file);
}

/**
 * Reads a table `labelmap attributes` wrote (CSV or JSONL) for per-image questions:
 * `openAttributeTable('attributes.csv', space).attributesOf('a.jpg')` -> `{weather: 'rain', ...}`.
 * With a label space, the table's keys and values must be in its bundle's attribute vocabulary.
 */
export function openAttributeTable(file: string, space?: LabelSpace): AttributeTable {
  const text = decodeText(readBytes(file, 'attribute table'), file, 'attribute table');
  return parseAttributeTable(text, file, space?.attributes());
}

/**
 * Compiles a label set from a sheets folder, exactly as `labelmap merge` does, and opens it:
 * `openSheets('sheets', { vertical: 'self-driving' })`; without a vertical, the unified taxonomy.
 * Its warnings are in `space.warnings` (findings with codes; `formatFinding` words them).
 * Throws a FindingsError (a LabelmapError for the first error finding, with every finding of the
 * run in `.findings`) when the sheets do not pass the rules.
 */
export function openSheets(dir: string, options: CompileOptions = {}): LabelSpace {
  const { bundle, findings } = compileSheets(dir, options);
  if (findings.some((f) => f.severity === 'error')) throw new FindingsError(findings);
  return new LabelSpace(bundle!, dir, findings.filter((f) => f.severity === 'warning'));
}
