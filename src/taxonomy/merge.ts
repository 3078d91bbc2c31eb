// Composition: dataset sheet --mapping--> taxonomy --vertical--> output labels, into the Bundle
// that labelmap.json holds. Pure: parsed sheets in, data and findings out.
import { finding, type Finding } from '../findings.js';
import type { Sheet } from '../sheets/io.js';
import { SHEET_KINDS, type SheetKind } from '../sheets/schema.js';
import { BUNDLE_FORMAT_VERSION } from './bundle-schema.js';
import { buildHierarchy, compareText } from './hierarchy.js';
import { coverageOf, resolveTarget, unifiedLabelSet, verticalLabelSet, type LabelSet, type Resolution } from './resolve.js';
import { checkSheetSet } from './rules.js';
import type { Bundle, BundleInput, DatasetOutput, DatasetSheets, LutEntry, SheetSet } from './types.js';

export interface MergeInput {
  taxonomy: Sheet<'taxonomy'>;
  /** Null for the unified label set (every taxonomy class an output label). */
  vertical: Sheet<'vertical'> | null;
  datasets: readonly DatasetSheets[];
}

/**
 * Builds the bundle. The sheets must pass checkSheetSet without errors (mergeSheetSet does both);
 * the findings returned are the `merge-coarser-than-vertical` warnings, one per source class
 * that falls to ignore only because the vertical splits its target.
 */
export function buildBundle(input: MergeInput): { bundle: Bundle; findings: Finding[] } {
  const hierarchy = buildHierarchy(input.taxonomy.rows);
  const labelSet = input.vertical ? verticalLabelSet(hierarchy, input.vertical.rows, input.vertical.name) : unifiedLabelSet(hierarchy);
  const findings: Finding[] = [];
  // Many source classes (of many datasets) share a target: resolve each target once.
  const resolved = new Map<string, ReturnType<typeof resolveTarget>>();
  const resolve = (target: string) => {
    let r = resolved.get(target);
    if (!r) resolved.set(target, (r = resolveTarget(labelSet, hierarchy, target)));
    return r;
  };
  const datasets = [...input.datasets]
    .sort((a, b) => compareText(a.dataset.name, b.dataset.name))
    .map((d) => datasetOutput(d, labelSet, resolve, findings));

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
  return { bundle, findings };
}

/**
 * The one entry for merge: the whole-set rules over `set`, then (when they found no error) the
 * bundle of `vertical` (a name in set.verticals, or null for the unified set). `prior` are the
 * findings of loading the set (loadSheetSet), so that one list holds everything in order. The
 * caller reports the warnings and stops on the first error (exit 2).
 */
export function mergeSheetSet(
  set: SheetSet | null,
  vertical: string | null,
  prior: readonly Finding[] = [],
): { bundle: Bundle | null; findings: Finding[] } {
  const findings = [...prior, ...(set ? checkSheetSet(set) : [])];
  if (!set || findings.some((f) => f.severity === 'error')) return { bundle: null, findings };
  const sheet = vertical === null ? null : set.verticals.find((v) => v.name === vertical);
  if (sheet === undefined) throw new Error(`mergeSheetSet: vertical ${vertical} is not in the set`);
  const built = buildBundle({ taxonomy: set.taxonomy, vertical: sheet, datasets: set.datasets });
  return { bundle: built.bundle, findings: [...findings, ...built.findings] };
}

function datasetOutput(
  { dataset, mapping }: DatasetSheets,
  labelSet: LabelSet,
  resolve: (target: string) => Resolution,
  findings: Finding[],
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
      if (i === undefined) throw new Error(`buildBundle: ${cls.name} has no mapping row; run checkSheetSet first`);
      const target = mapping.rows[i]!.target;
      const r = resolve(target);
      resolutions.push(r);
      if (r.reason === 'coarser than vertical') {
        const column = mapping.columns.indexOf('target');
        findings.push(
          finding('merge-coarser-than-vertical', 'warning', { file: mapping.rel, line: mapping.lines[i], column: column >= 0 ? column + 1 : undefined }, {
            dataset: dataset.name,
            source: cls.name,
            target,
            labels: listSome(r.partial.map((l) => l.name), 8),
            left_out: r.leftOut.length ? listSome(r.leftOut, 5) : undefined,
          }),
        );
      }
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

/** `a, b, c and 4 more`. */
function listSome(names: readonly string[], most: number): string {
  return names.length <= most ? names.join(', ') : `${names.slice(0, most).join(', ')} and ${names.length - most} more`;
}

function kindRank(kind: SheetKind): number {
  return SHEET_KINDS.indexOf(kind);
}
