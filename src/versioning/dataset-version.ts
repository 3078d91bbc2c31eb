// Which version an extracted dataset sheet becomes, given the latest version of that name (pure:
// rows in, a plan out; src/sheets/dataset-write.ts reads and writes the files).
//   no earlier version                      -> 1.0.0
//   same bytes as the latest                -> nothing written ("unchanged")
//   otherwise                               -> the bump the change demands, every change listed
//   a large share of the classes gone       -> refused: that is another dataset, not a new version
import { LabelmapError } from '../findings.js';
import type { DatasetClass } from '../sheets/schema.js';
import { nextVersion, requiredBump, type Level } from './bump.js';
import { diffSheets, type Change } from './diff.js';

/**
 * More than this share of the latest version's classes removed or renamed (by name) means the
 * input is another dataset: `extract coco my-warehouse.json` must not turn the 80 COCO classes
 * into 8 warehouse classes under the name `coco`. A real new release of one dataset keeps most
 * of its names (COCO 2014 -> 2017 kept all 80).
 */
export const MAX_REMOVED_SHARE = 0.25;

export interface DatasetVersionOptions {
  /** The user says the input is the same dataset (`--same-dataset`): no supersede check. */
  sameDataset: boolean;
  /** The extraction counted (`--stats`): its counts replace the previous ones. */
  stats: boolean;
  /** Drop the previous version's counts when the extraction has none (`--drop-stats`). */
  dropStats: boolean;
}

export interface PreviousVersion {
  version: string;
  rel: string;
  rows: DatasetClass[];
  /** The file's text, to see "unchanged" byte for byte. */
  text: string;
}

export type DatasetVersionPlan =
  | { action: 'unchanged'; version: string; rows: DatasetClass[] }
  | { action: 'write'; version: string; rows: DatasetClass[]; level: Level | null; changes: Change[]; previous: string | null };

/**
 * Without `--stats`, a re-extraction keeps the previous version's counts of every class it still
 * has: `instances`, `images`, and the `x_` columns the extraction does not produce (VOC's
 * `x_difficult`, `x_truncated` come with --stats only). Counts are expensive to make (a pass over
 * every annotation) and a metadata re-read should not strip them. `--drop-stats` asks for a sheet
 * without them.
 */
export function carryCounts(rows: readonly DatasetClass[], previous: readonly DatasetClass[], options: DatasetVersionOptions): DatasetClass[] {
  const hadCounts = previous.some((r) => r.instances != null || r.images != null);
  if (options.stats || options.dropStats || !hadCounts) return [...rows];
  const produced = new Set(rows.flatMap((r) => Object.keys(r.extra)));
  const before = new Map(previous.map((r) => [r.name, r]));
  return rows.map((r) => {
    const old = before.get(r.name);
    const extra = { ...r.extra };
    for (const [column, value] of Object.entries(old?.extra ?? {})) if (!produced.has(column)) extra[column] = value;
    return { ...r, instances: r.instances ?? old?.instances ?? null, images: r.images ?? old?.images ?? null, extra };
  });
}

/**
 * The plan for one extraction. `format` turns rows into the sheet's text (the CSV writer), so that
 * "unchanged" compares what would be written.
 */
export function planDatasetVersion(
  name: string,
  rows: readonly DatasetClass[],
  previous: PreviousVersion | null,
  options: DatasetVersionOptions,
  format: (rows: readonly DatasetClass[]) => string,
): DatasetVersionPlan & { text: string } {
  if (!previous) return { action: 'write', version: '1.0.0', rows: [...rows], level: null, changes: [], previous: null, text: format(rows) };
  const kept = carryCounts(rows, previous.rows, options);
  const text = format(kept);
  if (text === previous.text) return { action: 'unchanged', version: previous.version, rows: kept, text };
  const changes = diffSheets('dataset', previous.rows, kept);
  // A change that no row shows (column order, quoting) still makes a new file: a patch.
  const level = requiredBump(changes) ?? 'patch';
  const version = nextVersion(previous.version, level);
  if (!options.sameDataset) checkSupersede(name, kept, previous, version);
  return { action: 'write', version, rows: kept, level, changes, previous: previous.version, text };
}

/** Refuses a new version that removes or renames more than MAX_REMOVED_SHARE of the classes. */
function checkSupersede(name: string, rows: readonly DatasetClass[], previous: PreviousVersion, version: string): void {
  const now = new Set(rows.map((r) => r.name));
  const gone = previous.rows.filter((r) => !now.has(r.name)).map((r) => r.name);
  if (gone.length === 0 || gone.length <= previous.rows.length * MAX_REMOVED_SHARE) return;
  throw new LabelmapError('extract-supersedes', { file: previous.rel }, {
    name,
    previous: previous.version,
    version,
    gone: gone.length,
    total: previous.rows.length,
    classes: rows.length,
    examples: gone.slice(0, 3).map((n) => JSON.stringify(n)).join(', '),
    suggest: `${name}-2`,
  });
}
