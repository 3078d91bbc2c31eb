// Writes an extracted dataset sheet as its next version in a sheets folder: reads the latest
// version of the name, lets the pure planner (versioning/dataset-version.ts) choose the version,
// and writes the new file without ever replacing one.
import path from 'node:path';
import { LabelmapError } from '../findings.js';
import { planDatasetVersion, type DatasetVersionOptions, type DatasetVersionPlan } from '../versioning/dataset-version.js';
import { formatSheet } from './csv.js';
import { latestOf, scanSheetsDir, sheetRelPath } from './discover.js';
import { refuseSheetFolderOutside, writeFileAtomic } from '../io/index.js';
import { readSheet, readSheetBytes } from './io.js';
import type { DatasetClass } from './schema.js';

export type DatasetWriteResult = DatasetVersionPlan & { name: string; file: string; written: boolean };

export function writeDatasetVersion(dir: string, name: string, rows: readonly DatasetClass[], options: DatasetVersionOptions): DatasetWriteResult {
  const latest = latestOf(scanSheetsDir(dir).files, 'dataset', name);
  const previous = latest
    ? { version: latest.version, rel: latest.rel, rows: readSheet({ ...latest, kind: 'dataset' }).rows, text: readSheetBytes(latest).toString('utf8') }
    : null;
  const plan = planDatasetVersion(name, rows, previous, options, (r) => formatSheet('dataset', r));
  if (plan.action === 'unchanged') return { ...plan, name, file: latest!.rel, written: false };
  const rel = sheetRelPath('dataset', name, plan.version);
  refuseSheetFolderOutside(dir, path.join(dir, rel), rel);
  try {
    writeFileAtomic(path.join(dir, rel), plan.text, { overwrite: false });
  } catch (error) {
    // The version was free when this run looked: another run (a parallel CI job) wrote it since.
    if (error instanceof LabelmapError && error.finding.code === 'sheet-exists') throw new LabelmapError('extract-raced', { file: rel }, { file: rel });
    throw error;
  }
  return { ...plan, name, file: rel, written: true };
}
