// One interface for every export format: a file in this folder, registered in ./index.ts.
import type { Bundle } from '../taxonomy/types.js';
import type { ExportId, Shape } from './ids.js';

export type { ExportId, Shape } from './ids.js';

export interface ExportOptions {
  /** For annotation tools that tie labels to a shape (cvat, label-studio, labelbox); others refuse it. */
  shape?: Shape;
}

export interface ExportFormat<Id extends ExportId = ExportId> {
  /** Registry key = file name = the word users type (`labelmap export --format python`). */
  id: Id;
  title: string;
  /** Who reads it: training/prediction code, or an annotation tool. */
  audience: 'training' | 'annotation';
  /** The file name to save it under, for --help and the docs (`labelmap_labels.py`). */
  file: string;
  /** File extension, without the dot. */
  extension: string;
  /** The shapes it accepts, first = default; absent when --shape does not apply. */
  shapes?: readonly Shape[];
  /** The output text (UTF-8, LF, ending in a newline). Deterministic: same bundle, same bytes. */
  render(bundle: Bundle, options: ExportOptions): string;
}
