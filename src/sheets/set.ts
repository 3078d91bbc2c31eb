// Loading a whole sheet set: the taxonomy (and its earlier versions), the verticals, and every
// dataset sheet with its mapping. Latest versions unless a reference pins one. This is the I/O
// edge of merge and validate; the rules (src/taxonomy/rules.ts) and merge work on what it returns.
//
//   sheets/taxonomy/core@1.1.0.csv         -> set.taxonomy (core@1.0.0 -> set.taxonomyHistory)
//   sheets/verticals/self-driving@1.0.0.csv -> set.verticals
//   sheets/datasets/coco@1.0.0.csv  +  sheets/mappings/coco@1.2.0.csv -> set.datasets
//
// A dataset and its mapping share the sheet name; their versions are independent (a mapping is
// revised without a new dataset release and the other way round).
import semver from 'semver';
import { finding, LabelmapError, type Finding } from '../findings.js';
import type { Pairing } from '../rules/types.js';
import type { DatasetSheets, SheetSet } from '../taxonomy/types.js';
import { didYouMean } from '../text/index.js';
import { parseSheetText } from './csv.js';
import { latestOf, latestSheets, parseSheetFileName, resolveRef, scanSheetsDir, versionsOf, type SheetFile } from './discover.js';
import { loadSheet, sha256, type Sheet } from './io.js';
import { KIND_DIRS, type SheetKind } from './schema.js';
import { pushAll } from '../arrays.js';

export interface SheetSelection {
  /** A taxonomy reference (`core`, `core@1.1.0`); default: the only taxonomy, latest version. */
  taxonomy?: string;
  /** Vertical references (`self-driving@1.0.0`); default 'all' (latest of each). */
  verticals?: readonly string[] | 'all';
  /**
   * Dataset references; default 'all' (latest of each, with the latest mapping of its name). A
   * named dataset without a mapping is an error; under 'all' it is skipped with a warning. A
   * mapping reference (`mappings/coco@1.1.0`) pins the mapping of that dataset.
   */
  datasets?: readonly string[] | 'all';
}

export interface LoadedSheetSet {
  /** Null when the taxonomy is missing or cannot be read (the findings say why). */
  set: SheetSet | null;
  /** Which datasets and mappings pair up: the mapping rules (src/rules/mappings.ts) report what does not. */
  pairing: Pairing;
  /** Every selected sheet that could be read (taxonomy, verticals, datasets, mappings; not the taxonomy's history). */
  sheets: Sheet[];
  /**
   * What reading found: the readers' findings for every loaded sheet (CSV, header, cells,
   * duplicates) and a missing or ambiguous taxonomy (`taxonomy-missing`, `taxonomy-ambiguous`).
   * Not the rules: run them with runRules (src/rules/). Not file-name findings either
   * (scanSheetsDir reports those; validate shows them).
   */
  findings: Finding[];
}

/**
 * Reads one sheet file for buildSheetSet; `quiet`: its findings are not this set's to report (an
 * earlier taxonomy version, read only for the id-stability rule; validate reports every file).
 */
export type SheetReader = (file: SheetFile, quiet: boolean) => Sheet | null;

/**
 * Loads the sheets of `dir` that `selection` names. Throws LabelmapError (exit 2) for a reference
 * that names no sheet or a sheet of another kind.
 */
export function loadSheetSet(dir: string, selection: SheetSelection = {}): LoadedSheetSet {
  const { files } = scanSheetsDir(dir);
  const findings: Finding[] = [];
  const read: SheetReader = (file, quiet) => {
    const r = loadSheet(file);
    if (!quiet) pushAll(findings, r.findings);
    return r.sheet;
  };
  return buildSheetSet(files, read, dir, selection, findings);
}

/**
 * The one builder of the set merge composes, from the files of a sheets folder and a reader of one
 * file: loadSheetSet reads from disk, validate hands over the sheets it has read already.
 * `findings` collects the reader's and the selection's findings.
 */
export function buildSheetSet(
  files: readonly SheetFile[],
  read: SheetReader,
  dir: string,
  selection: SheetSelection,
  findings: Finding[],
): LoadedSheetSet {
  const sheets: Sheet[] = [];
  const load = <K extends SheetKind>(file: SheetFile & { kind: K }): Sheet<K> | null => {
    const sheet = read(file, false) as Sheet<K> | null;
    if (sheet) sheets.push(sheet);
    return sheet;
  };

  const taxonomyFile = pickTaxonomy(files, dir, selection.taxonomy, findings);
  const taxonomy = taxonomyFile ? load(taxonomyFile) : null;
  // Earlier versions only feed the id-stability rule; one that does not parse is validate's to
  // report (it checks every file), so its findings are not repeated here.
  const taxonomyHistory = taxonomyFile
    ? versionsOf(files, 'taxonomy', taxonomyFile.name)
        .filter((f) => semver.lt(f.version, taxonomyFile.version))
        .map((f) => read(f, true) as Sheet<'taxonomy'> | null)
        .filter((s): s is Sheet<'taxonomy'> => s !== null)
    : [];

  const verticalFiles =
    selection.verticals === undefined || selection.verticals === 'all'
      ? latestSheets(files).filter((f) => f.kind === 'vertical')
      : selection.verticals.map((r) => resolveOfKind(files, r, 'vertical'));
  const verticals = verticalFiles.map((f) => load(f as SheetFile & { kind: 'vertical' })).filter((s) => s !== null);

  const pairing: Pairing = { orphans: [], datasetNames: [...new Set(files.filter((f) => f.kind === 'dataset').map((f) => f.name))], unmapped: [] };
  const datasets: DatasetSheets[] = [];
  for (const pair of pickDatasets(files, selection.datasets, pairing)) {
    const dataset = load(pair.dataset);
    const mapping = load(pair.mapping);
    if (dataset && mapping) datasets.push({ dataset, mapping });
  }

  // The image-attribute vocabulary goes into the bundle too (docs/attributes.md).
  const vocabularyFile = pickAttributeVocabulary(files);
  const attributes = vocabularyFile ? load(vocabularyFile) : null;

  if (!taxonomy) return { set: null, pairing, sheets, findings };
  return { set: { taxonomy, taxonomyHistory, verticals, datasets, attributes }, pairing, sheets, findings };
}

/** The attribute vocabulary of a sheets folder: the only one (latest version), else `unified`, else none. */
export function pickAttributeVocabulary(files: readonly SheetFile[]): (SheetFile & { kind: 'attributes' }) | undefined {
  const vocabularies = latestSheets(files).filter((f): f is SheetFile & { kind: 'attributes' } => f.kind === 'attributes');
  return vocabularies.length === 1 ? vocabularies[0] : vocabularies.find((f) => f.name === 'unified');
}

function resolveOfKind<K extends SheetKind>(files: readonly SheetFile[], text: string, kind: K): SheetFile & { kind: K } {
  const file = resolveRef(files, text, kind);
  if (file.kind !== kind) {
    throw new LabelmapError('sheet-ref-kind', {}, { ref: text, kind: file.kind, file: file.rel, expected: kind, fix: `name a sheet in ${KIND_DIRS[kind]}/` });
  }
  return file as SheetFile & { kind: K };
}

function pickTaxonomy(
  files: readonly SheetFile[],
  dir: string,
  reference: string | undefined,
  findings: Finding[],
): (SheetFile & { kind: 'taxonomy' }) | null {
  if (reference !== undefined) return resolveOfKind(files, reference, 'taxonomy');
  const names = [...new Set(files.filter((f) => f.kind === 'taxonomy').map((f) => f.name))];
  if (names.length === 0) {
    findings.push(finding('taxonomy-missing', 'error', {}, { dir }));
    return null;
  }
  if (names.length > 1) {
    findings.push(finding('taxonomy-ambiguous', 'error', {}, { names: names.join(', '), example: names[0] }));
    return null;
  }
  return latestOf(files, 'taxonomy', names[0]!) as SheetFile & { kind: 'taxonomy' };
}

interface DatasetFiles {
  dataset: SheetFile & { kind: 'dataset' };
  mapping: SheetFile & { kind: 'mapping' };
}

function pickDatasets(files: readonly SheetFile[], references: readonly string[] | 'all' | undefined, pairing: Pairing): DatasetFiles[] {
  const explicit = references !== undefined && references !== 'all';
  const pinned = new Map<string, { dataset?: SheetFile; mapping?: SheetFile }>();
  if (explicit) {
    for (const text of references) {
      const file = resolveRef(files, text, 'dataset');
      if (file.kind !== 'dataset' && file.kind !== 'mapping') {
        throw new LabelmapError('sheet-ref-kind', {}, {
          ref: text,
          kind: file.kind,
          file: file.rel,
          expected: 'dataset or mapping',
          fix: 'name datasets as coco, coco@1.0.0 or mappings/coco@1.1.0',
        });
      }
      const entry = pinned.get(file.name) ?? {};
      const slot = file.kind;
      const before = entry[slot];
      if (before && before.version !== file.version) {
        throw new LabelmapError('datasets-twice', {}, { name: file.name, first: before.rel, second: file.rel });
      }
      entry[slot] = file;
      pinned.set(file.name, entry);
    }
  } else {
    for (const f of latestSheets(files)) if (f.kind === 'dataset') pinned.set(f.name, { dataset: f });
    const datasetNames = new Set(pinned.keys());
    for (const m of latestSheets(files)) if (m.kind === 'mapping' && !datasetNames.has(m.name)) pairing.orphans.push(m);
  }
  const out: DatasetFiles[] = [];
  for (const name of [...pinned.keys()].sort()) {
    const entry = pinned.get(name)!;
    const dataset = entry.dataset ?? latestOf(files, 'dataset', name);
    if (!dataset) {
      // Only a mapping was named: its dataset must exist.
      throw new LabelmapError('mapping-dataset-missing', { file: entry.mapping!.rel }, {
        name,
        expected: `${KIND_DIRS.dataset}/${name}@<version>.csv`,
        suggestion: didYouMean(name, pairing.datasetNames),
      });
    }
    const mapping = entry.mapping ?? latestOf(files, 'mapping', name);
    if (!mapping) {
      pairing.unmapped.push({ dataset, required: explicit });
      continue;
    }
    out.push({ dataset: dataset as DatasetFiles['dataset'], mapping: mapping as DatasetFiles['mapping'] });
  }
  return out;
}

/**
 * A sheet from text, for the library API and tests: `rel` is its path inside a sheets folder
 * (`taxonomy/core@1.0.0.csv`), which gives its name and version. Returns the readers' findings.
 */
export function sheetFromText<K extends SheetKind>(kind: K, rel: string, text: string): { sheet: Sheet<K> | null; findings: Finding[] } {
  const base = rel.slice(rel.lastIndexOf('/') + 1);
  const parsed = parseSheetFileName(base);
  if (!parsed) throw new LabelmapError('sheet-path-invalid', {}, { path: rel });
  const r = parseSheetText(kind, text, rel);
  if (!r.sheet) return { sheet: null, findings: r.findings };
  return { sheet: { ...r.sheet, ...parsed, file: rel, rel, sha256: sha256(text) }, findings: r.findings };
}
