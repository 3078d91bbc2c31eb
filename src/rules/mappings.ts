// Rules over mapping sheets: every class of the dataset sheet appears exactly once, every target
// is a taxonomy class or `ignore`, every mapping has its dataset sheet, every dataset its mapping,
// and a source class that a vertical splits is said (it falls to ignore in that vertical).
import { finding, sortFindings, type Finding } from '../findings.js';
import { BACKGROUND_TARGET, IGNORE_TARGET, KIND_DIRS, containsOf } from '../sheets/schema.js';
import type { Sheet, SheetFile } from '../sheets/types.js';
import { buildHierarchy } from '../taxonomy/hierarchy.js';
import { becomesLabelSet, firstRowOfSource, resolverOf, verticalLabelSet } from '../taxonomy/resolve.js';
import { didYouMean } from '../text/index.js';
import { at, cellsOf, refOf, type Rule } from './types.js';

/**
 * Every class of the dataset sheet appears exactly once in its mapping (duplicates are the
 * reader's `duplicate-name`), every source is a class of the dataset, every target is a taxonomy
 * class or `ignore`. A class with no row is reported at its line in the dataset sheet.
 */
export function checkMapping(
  mapping: Sheet<'mapping'>,
  dataset: Sheet<'dataset'>,
  taxonomy: Sheet<'taxonomy'>,
  /** cellsOf(taxonomy, 'name'), passed in when many mappings share one taxonomy (it walks every taxonomy row). */
  targets = cellsOf(taxonomy, 'name'),
): Finding[] {
  const out: Finding[] = [];
  // Only a finding's suggestion reads these lists: made on the first one (a clean mapping needs neither).
  let classNames: string[] | undefined;
  let taxonomyNames: string[] | undefined;
  const classList = () => (classNames ??= dataset.rows.map((r) => r.name));
  const taxonomyList = () => (taxonomyNames ??= taxonomy.rows.map((r) => r.name));
  const known = cellsOf(dataset, 'name');
  // Sources of rows that did not type count as present: their own finding says what is wrong.
  const sources = cellsOf(mapping, 'source');
  mapping.rows.forEach((row, i) => {
    if (!known.has(row.source)) {
      out.push(
        finding('mapping-source-unknown', 'warning', at(mapping, i, 'source'), {
          source: row.source,
          dataset: refOf(dataset),
          suggestion: didYouMean(row.source, classList()),
        }),
      );
    }
    if (row.target !== IGNORE_TARGET && row.target !== BACKGROUND_TARGET && !targets.has(row.target)) {
      out.push(
        finding('mapping-target-unknown', 'error', at(mapping, i, 'target'), {
          source: row.source,
          target: row.target,
          taxonomy: refOf(taxonomy),
          suggestion: didYouMean(row.target, taxonomyList()),
        }),
      );
    }
    for (const name of containsOf(row)) {
      if (targets.has(name)) continue;
      out.push(
        finding('mapping-contains-unknown', 'error', at(mapping, i, 'contains'), {
          source: row.source,
          contains: name,
          taxonomy: refOf(taxonomy),
          suggestion: didYouMean(name, taxonomyList()),
        }),
      );
    }
  });
  dataset.rows.forEach((row, i) => {
    if (sources.has(row.name)) return;
    out.push(
      finding('mapping-source-missing', 'error', at(dataset, i, 'name'), {
        source: row.name,
        id: row.id,
        dataset: refOf(dataset),
        mapping: mapping.rel,
        example: `${csvCell(row.name)},<target>,`,
      }),
    );
  });
  return sortFindings(out);
}

/**
 * Which datasets and mappings pair up, as the sheet set is selected: a mapping sheet whose name is
 * no dataset sheet's name (the latest mapping file of each name: skipped, a warning, like its
 * twin), and a selected dataset sheet without a mapping (skipped: a warning; named on purpose
 * with --datasets: an error).
 */
export function checkMappingPairs(
  mappings: readonly SheetFile[],
  datasetNames: readonly string[],
  unmapped: readonly { dataset: SheetFile; required: boolean }[],
): Finding[] {
  const out: Finding[] = [];
  for (const mapping of mappings) {
    if (datasetNames.includes(mapping.name)) continue;
    out.push(
      finding('mapping-dataset-missing', 'warning', { file: mapping.rel }, {
        name: mapping.name,
        expected: `${KIND_DIRS.dataset}/${mapping.name}@<version>.csv`,
        suggestion: didYouMean(mapping.name, datasetNames),
      }),
    );
  }
  for (const { dataset, required } of unmapped) {
    out.push(
      finding('mapping-missing', required ? 'error' : 'warning', { file: dataset.rel }, {
        dataset: dataset.rel,
        name: dataset.name,
        expected: `${KIND_DIRS.mapping}/${dataset.name}@1.0.0.csv`,
        skipped: !required,
      }),
    );
  }
  return out;
}

/**
 * A source class whose target a vertical splits across several output labels (or keeps only in
 * part): it falls to ignore in that vertical, and the dataset counts as partial for the labels
 * the target reaches. One warning per mapping row and vertical.
 */
export function checkCoarserThanVertical(
  taxonomy: Sheet<'taxonomy'>,
  vertical: Sheet<'vertical'>,
  pairs: readonly { dataset: Sheet<'dataset'>; mapping: Sheet<'mapping'> }[],
): Finding[] {
  const hierarchy = buildHierarchy(taxonomy.rows);
  const labelSet = verticalLabelSet(hierarchy, vertical.rows, vertical.name);
  // The resolutions and first rows merge reads after the rules: worked out once (resolve.ts).
  const resolve = resolverOf(labelSet, hierarchy);
  const verticalRef = refOf(vertical);
  const out: Finding[] = [];
  for (const { dataset, mapping } of pairs) {
    const classes = new Set<string>();
    for (const r of dataset.rows) classes.add(r.name);
    const firstRow = firstRowOfSource(mapping.rows);
    mapping.rows.forEach((row, i) => {
      // The first row of each source of the dataset is the one merge uses; an unknown target is
      // mapping-target-unknown's.
      if (firstRow.get(row.source) !== i || !classes.has(row.source)) return;
      if (row.target !== IGNORE_TARGET && row.target !== BACKGROUND_TARGET && !hierarchy.has(row.target)) return;
      const r = resolve(row.target);
      // A coarse class that compiles to a label set (merge's default) keeps its pixels: no warning.
      // One that cannot (it reaches classes outside the vertical, or a single label) falls to ignore.
      if (r.reason !== 'coarser than vertical' || becomesLabelSet(r)) return;
      out.push(
        finding('merge-coarser-than-vertical', 'warning', at(mapping, i, 'target'), {
          dataset: dataset.name,
          source: row.source,
          target: row.target,
          vertical: verticalRef,
          labels: r.partial.map((l) => l.name),
          left_out: r.leftOut.length ? r.leftOut : undefined,
          left_out_count: r.leftOutCount > r.leftOut.length ? r.leftOutCount : undefined,
        }),
      );
    });
  }
  return out;
}

/** A mapping row that `labelmap suggest` drafted and nobody has reviewed yet (`x_review` set). */
export function checkUnreviewedRows(sheet: Sheet): Finding[] {
  if (sheet.kind !== 'mapping') return [];
  const { header, rows } = sheet.table;
  const at = header.indexOf('x_review');
  const source = header.indexOf('source');
  if (at < 0) return [];
  return rows
    .filter(({ cells }) => (cells[at] ?? '').trim() !== '')
    .map(({ line, cells }) =>
      finding('mapping-row-unreviewed', 'warning', { file: sheet.rel, line, column: at + 1 }, { source: cells[source] ?? '', review: (cells[at] ?? '').trim() }),
    );
}

/** The last-read version of each mapping sheet (sheets arrive oldest first). */
function latestMappings(sheets: readonly Sheet[]): Sheet[] {
  const byName = new Map<string, Sheet>();
  for (const s of sheets) if (s.kind === 'mapping') byName.set(s.name, s);
  return [...byName.values()];
}

function csvCell(text: string): string {
  return /[",\n\r]/.test(text) ? `"${text.replace(/"/g, '""')}"` : text;
}

export const MAPPING_RULES: readonly Rule[] = [
  {
    codes: ['mapping-source-unknown', 'mapping-target-unknown', 'mapping-source-missing'],
    stage: 'mappings',
    check: ({ set }) => {
      if (!set) return [];
      const targets = cellsOf(set.taxonomy, 'name');
      return set.datasets.flatMap((d) => checkMapping(d.mapping, d.dataset, set.taxonomy, targets));
    },
  },
  {
    codes: ['mapping-dataset-missing', 'mapping-missing'],
    stage: 'mappings',
    check: ({ pairing }) => (pairing ? checkMappingPairs(pairing.orphans, pairing.datasetNames, pairing.unmapped) : []),
  },
  {
    codes: ['mapping-row-unreviewed'],
    stage: 'mappings',
    check: ({ sheets }) => latestMappings(sheets).flatMap(checkUnreviewedRows),
  },
  {
    codes: ['merge-coarser-than-vertical'],
    stage: 'mappings',
    check: ({ set }) => (set ? set.verticals.flatMap((v) => (v.rows.length ? checkCoarserThanVertical(set.taxonomy, v, set.datasets) : [])) : []),
  },
];
