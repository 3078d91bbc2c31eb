// The files merge writes, as text: labels.csv, label_sets.csv, lut/<dataset>.csv, coverage.csv,
// labelmap.json.
// Pure and deterministic: the same bundle gives the same bytes (LF, fixed column order, sorted
// rows, no timestamps).
import { formatTable } from '../sheets/csv.js';
import type { Bundle, DatasetOutput } from './types.js';

export const LABELS_COLUMNS = ['train_id', 'name', 'color', 'is_thing', 'covers'] as const;
export const LABEL_SETS_COLUMNS = ['id', 'name', 'kind', 'members'] as const;
export const LUT_COLUMNS = ['id', 'name', 'target', 'kind', 'train_id', 'label', 'set', 'reason'] as const;
export const COVERAGE_COLUMNS = ['dataset', 'train_id', 'label', 'status', 'because', 'count_unit', 'count_exact', 'count_partial'] as const;

/** One row per output label in train-id order; `covers` lists taxonomy classes, space-separated. */
export function formatLabelsCsv(bundle: Bundle): string {
  return formatTable(
    LABELS_COLUMNS,
    bundle.labels.map((l) => ({ train_id: l.train_id, name: l.name, color: l.color, is_thing: l.is_thing, covers: l.covers.join(' ') })),
  );
}

/** One row per label set, by id; `members` lists output label names in train-id order, space-separated. */
export function formatLabelSetsCsv(bundle: Bundle): string {
  return formatTable(
    LABEL_SETS_COLUMNS,
    bundle.label_sets.map((s) => ({ id: s.id, name: s.name, kind: s.kind, members: s.members.join(' ') })),
  );
}

/** One row per native id of the dataset, by id: a label, a label set, or ignore (the bundle's ignore_id). */
export function formatLutCsv(dataset: DatasetOutput): string {
  return formatTable(
    LUT_COLUMNS,
    dataset.lut.map((e) => ({ id: e.id, name: e.name, target: e.target ?? 'ignore', kind: e.kind, train_id: e.train_id, label: e.label ?? '', set: e.set ?? '', reason: e.reason })),
  );
}

/**
 * One row per dataset and output label: full, partial or none; `because`: the coarse source classes,
 * space-separated; `count_*`: where the dataset sheet has counts, the instances (or images) of the
 * classes that give the label exactly and partly (empty without counts).
 */
export function formatCoverageCsv(bundle: Bundle): string {
  return formatTable(
    COVERAGE_COLUMNS,
    bundle.datasets.flatMap((d) =>
      d.coverage.map((c) => ({
        dataset: d.name,
        train_id: c.train_id,
        label: c.label,
        status: c.status,
        because: (c.because ?? []).join(' '),
        count_unit: c.counts?.unit ?? '',
        count_exact: c.counts?.exact ?? '',
        count_partial: c.counts?.partial ?? '',
      })),
    ),
  );
}

export function formatBundleJson(bundle: Bundle): string {
  return `${JSON.stringify(bundle, null, 2)}\n`;
}

/** Every output file, relative to the output folder; labelmap.json last (it marks a complete set). */
export function bundleFiles(bundle: Bundle): { path: string; text: string }[] {
  return [
    { path: 'labels.csv', text: formatLabelsCsv(bundle) },
    { path: 'label_sets.csv', text: formatLabelSetsCsv(bundle) },
    ...bundle.datasets.map((d) => ({ path: `lut/${d.name}.csv`, text: formatLutCsv(d) })),
    { path: 'coverage.csv', text: formatCoverageCsv(bundle) },
    { path: 'labelmap.json', text: formatBundleJson(bundle) },
  ];
}

export interface DatasetSummary {
  dataset: string;
  version: string;
  classes: number;
  mapped: number;
  ignored: number;
  not_in_vertical: number;
  coarser: number;
  /** Classes that compile to a label set (coarse or background). */
  sets: number;
  full: number;
  partial: number;
  none: number;
}

/** Per dataset: how its classes resolved, and how many output labels it covers full/partial/none. */
export function summarizeBundle(bundle: Bundle): DatasetSummary[] {
  return bundle.datasets.map((d) => {
    const reasons = (r: string) => d.lut.filter((e) => e.reason === r).length;
    const status = (s: string) => d.coverage.filter((c) => c.status === s).length;
    return {
      dataset: d.name,
      version: d.version,
      classes: d.lut.length,
      // A class the vertical's catch-all takes (`other`) or an absorbing label takes (`absorbed`) is mapped to a label too.
      mapped: reasons('mapped') + reasons('other') + reasons('absorbed'),
      ignored: reasons('ignored by mapping'),
      not_in_vertical: reasons('not in vertical'),
      coarser: reasons('coarser than vertical'),
      sets: d.lut.filter((e) => e.kind === 'set').length,
      full: status('full'),
      partial: status('partial'),
      none: status('none'),
    };
  });
}
