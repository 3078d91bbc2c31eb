// Composition: dataset sheet --mapping--> taxonomy --vertical--> output labels, into the Bundle
// that labelmap.json holds. Pure: parsed sheets in, data and findings out.
import type { Sheet } from '../sheets/types.js';
import { SHEET_KINDS, type SheetKind } from '../sheets/schema.js';
import { BUNDLE_FORMAT_VERSION } from './bundle-schema.js';
import { buildHierarchy, compareText } from './hierarchy.js';
import { coverageOf, resolveTarget, unifiedLabelSet, verticalLabelSet, type LabelSet, type Resolution } from './resolve.js';
import type { Bundle, BundleInput, DatasetOutput, DatasetSheets, LutEntry } from './types.js';

export interface MergeInput {
  taxonomy: Sheet<'taxonomy'>;
  /** Null for the unified label set (every taxonomy class an output label). */
  vertical: Sheet<'vertical'> | null;
  datasets: readonly DatasetSheets[];
}

/**
 * Builds the bundle. The sheets must pass the rules of the set stages without errors
 * (src/compile.ts runs both); a source class that the vertical splits is the rules' warning
 * `merge-coarser-than-vertical` (src/rules/mappings.ts), here it only goes to ignore.
 */
export function buildBundle(input: MergeInput): { bundle: Bundle } {
  const hierarchy = buildHierarchy(input.taxonomy.rows);
  const labelSet = input.vertical ? verticalLabelSet(hierarchy, input.vertical.rows, input.vertical.name) : unifiedLabelSet(hierarchy);
  // Many source classes (of many datasets) share a target: resolve each target once.
  const resolved = new Map<string, ReturnType<typeof resolveTarget>>();
  const resolve = (target: string) => {
    let r = resolved.get(target);
    if (!r) resolved.set(target, (r = resolveTarget(labelSet, hierarchy, target)));
    return r;
  };
  const datasets = [...input.datasets]
    .sort((a, b) => compareText(a.dataset.name, b.dataset.name))
    .map((d) => datasetOutput(d, labelSet, resolve));

  const sheets: Sheet[] = [input.taxonomy, ...(input.vertical ? [input.vertical] : []), ...input.datasets.flatMap((d) => [d.dataset, d.mapping])];
  const inputs: BundleInput[] = sheets
    .map((s) => ({ kind: s.kind, name: s.name, version: s.version, file: s.rel, sha256: s.sha256 }))
    .sort((a, b) => kindRank(a.kind) - kindRank(b.kind) || compareText(a.name, b.name));

  const bundle: Bundle = {
    format: 'labelmap-bundle',
    format_version: BUNDLE_FORMAT_VERSION,
    vertical: labelSet.vertical,
    id_bits: labelSet.id_bits,
    ignore_id: labelSet.ignore_id,
    coarse: 'ignore',
    inputs,
    labels: labelSet.labels,
    label_sets: [],
    other: null,
    datasets,
  };
  return { bundle };
}

function datasetOutput(
  { dataset, mapping }: DatasetSheets,
  labelSet: LabelSet,
  resolve: (target: string) => Resolution,
): DatasetOutput {
  const rowOf = new Map<string, number>();
  mapping.rows.forEach((r, i) => {
    if (!rowOf.has(r.source)) rowOf.set(r.source, i);
  });
  const resolutions: Resolution[] = [];
  const lut: LutEntry[] = [...dataset.rows]
    .sort((a, b) => a.id - b.id)
    .map((cls) => {
      const i = rowOf.get(cls.name);
      if (i === undefined) throw new Error(`buildBundle: ${cls.name} has no mapping row; run the rules first`);
      const target = mapping.rows[i]!.target;
      const r = resolve(target);
      resolutions.push(r);
      return {
        id: cls.id,
        name: cls.name,
        target: r.reason === 'ignored by mapping' ? null : target,
        kind: r.label ? 'label' : 'ignore',
        train_id: r.label ? r.label.train_id : labelSet.ignore_id,
        label: r.label ? r.label.name : null,
        set: null,
        reason: r.reason,
      };
    });
  const statuses = coverageOf(labelSet.labels, resolutions);
  const coverage = labelSet.labels.map((label, i) => ({ label: label.name, train_id: label.train_id, status: statuses[i]! }));
  return { name: dataset.name, version: dataset.version, lut, coverage };
}

function kindRank(kind: SheetKind): number {
  return SHEET_KINDS.indexOf(kind);
}
