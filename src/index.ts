// labelmap as a library: the control-sheet core, the format registry and the Annotation Label API.
export * from './sheets/index.js';
export { FORMATS, formatById } from './formats/index.js';
export type { Detection, ExtractOptions, Extraction, Extractor } from './formats/types.js';
// For format plugins (labelmap.config.mjs): a row with every optional column empty, and #rrggbb of [r, g, b].
export { datasetClass, rgbToHex } from './formats/types.js';
export { PLUGIN_FILES, type PluginFormat } from './formats/plugins.js';
export type * from './taxonomy/types.js';
export { FindingsError, LabelmapError, formatFinding, findingToJson, type Code, type Finding, type Severity } from './findings.js';
export * from './api/index.js';
export { compileSheets, type CompileOptions } from './compile.js';
