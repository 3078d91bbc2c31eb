// `--out <file>` of the commands that write one file (export, report, suggest): the one rule for
// where that file may go, before anything is computed or written.
import path from 'node:path';
import { LabelmapError } from '../findings.js';
import { missingParentFolder } from '../io/folders.js';
import { shellWord } from '../text/index.js';
import type { Context } from './context.js';

/**
 * The absolute path of an `--out` file. Refuses (exit 2, `output-parent-missing`) a file whose
 * folder does not exist, naming the folder as the user wrote it and the `mkdir -p` that makes it.
 */
export function resolveOutFile(given: string, ctx: Context): string {
  const file = path.resolve(ctx.cwd, given);
  if (missingParentFolder(file) !== null) {
    throw new LabelmapError('output-parent-missing', { file: given }, { folder: shellWord(path.dirname(given)) });
  }
  return file;
}
