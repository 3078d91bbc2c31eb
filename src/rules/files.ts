// Rules over the names of sheet files. A file in a kind's folder that is not
// `<name>@<semver>.csv` is read by no command: `COCO@1.0.0.csv` (upper case),
// `coco@1.0.0-rc.1+build.csv` (build metadata, which semver orders as equal to its release),
// `coco.csv` (no version). Skipping it without a word hides a sheet its author thinks is in use, so
// every command that reads the folder says so: validate (the CI gate) as an error for a `.csv`
// file, list, merge, export and the library as a warning (they go on without it).
import { finding, type Finding } from '../findings.js';
import { isSafeSheetName } from '../sheets/kinds.js';
import type { UnlistedFile } from '../sheets/types.js';
import { isExactSemver } from '../versioning/semver-lite.js';
import type { Rule } from './types.js';

/**
 * The name the file most likely should have: the name lower-cased (other characters to `-`), the
 * version without build metadata, `1.0.0` where there is none; undefined when no safe name is left.
 */
export function expectedSheetFileName(base: string): string | undefined {
  const stem = base.replace(/\.csv$/i, '');
  const at = stem.lastIndexOf('@');
  const rawName = at >= 0 ? stem.slice(0, at) : stem;
  let version = at >= 0 ? stem.slice(at + 1).replace(/\+.*$/, '').replace(/^v(?=\d)/, '') : '';
  if (!isExactSemver(version)) version = '1.0.0';
  const name = rawName
    .toLowerCase()
    .replace(/[^a-z0-9._-]+/g, '-')
    .replace(/\.{2,}/g, '.')
    .replace(/^[^a-z0-9]+|[^a-z0-9]+$/g, '');
  const expected = `${name}@${version}.csv`;
  return isSafeSheetName(name) && expected !== base ? expected : undefined;
}

/**
 * One `sheet-file-name` per misnamed file. `reader`: a command that reads the folder and goes on
 * without the file (a warning for each `.csv` file); otherwise validate's gate (an error for a
 * `.csv` file, a warning for any other file).
 */
export function checkSheetFileNames(files: readonly UnlistedFile[], reader: boolean): Finding[] {
  const isCsv = (f: UnlistedFile) => f.name.toLowerCase().endsWith('.csv');
  // A reader warns for CSV files only: a README or notes file in a kind's folder is no sheet.
  return files.filter((f) => !reader || isCsv(f)).map((f) => {
    const csv = isCsv(f);
    return finding('sheet-file-name', !reader && csv ? 'error' : 'warning', { file: f.file }, {
      name: f.name,
      expected: expectedSheetFileName(f.name),
      skipped: reader,
    });
  });
}

export const FILE_RULES: readonly Rule[] = [
  {
    codes: ['sheet-file-name'],
    stage: 'files',
    check: ({ unlisted }) => checkSheetFileNames(unlisted ?? [], false),
  },
];
