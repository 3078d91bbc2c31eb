// Cityscapes: the label table of cityscapesScripts (`cityscapesscripts/helpers/labels.py`, read
// as text, see ./python-labels.ts) and folders of gtFine polygon files:
//
//   gtFine/train/aachen/aachen_000000_000019_gtFine_polygons.json
//   {"imgHeight": 1024, "imgWidth": 2048,
//    "objects": [{"label": "road", "polygon": [[0, 769], [290, 574], ...]},
//                {"label": "cargroup", "polygon": [...]}, ...]}
//
// Polygon files carry only names; ids come from a label table (`--labels`, default: the sheet
// `cityscapes`). A crowd label such as `cargroup` is not in the table: as cityscapesScripts does
// (json2labelImg / assureSingleInstanceName), the `group` suffix is dropped when the name is
// unknown and the remaining name is a class with instances, and the object counts toward it.
import path from 'node:path';
import { LabelmapError } from '../findings.js';
import { isDirectory } from '../io/index.js';
import type { DatasetClass } from '../sheets/schema.js';
import { extractPolygonFolder, findFiles, objectsArray, readJsonFile } from './lib/polygon-folders.js';
// apolloscape.ts imports this file too, at call time only (see there).
import { apolloscapeFamilyOf } from './apolloscape.js';
import { firstRowArity, hasField, labelTableOf, sniffLabelFile, type FamilyGuess, type LabelFileFamily } from './python-labels.js';
import { readPythonLabelsFile, type KnownLayout, type PythonLabels } from './lib/python-literals.js';
import type { Detection, ExtractOptions, Extraction, Extractor } from './types.js';

/** cityscapesScripts' `Label` namedtuple fields (helpers/labels.py). */
export const CITYSCAPES_LAYOUT: KnownLayout = {
  title: 'Cityscapes',
  fields: ['name', 'id', 'trainId', 'category', 'categoryId', 'hasInstances', 'ignoreInEval', 'color'],
};

/** KITTI-360's fork of the table (kitti360scripts/helpers/labels.py): adds kittiId and ignoreInInst. */
export const KITTI360_LAYOUT: KnownLayout = {
  title: 'KITTI-360',
  fields: ['name', 'id', 'kittiId', 'trainId', 'category', 'categoryId', 'hasInstances', 'ignoreInEval', 'ignoreInInst', 'color'],
};

/**
 * Which family a Python label table belongs to: one of ApolloScape's two (apolloscapeFamilyOf in
 * ./apolloscape.ts, asked first), KITTI-360 (it adds `kittiId`), or Cityscapes.
 */
export function guessLabelFamily(labels: PythonLabels): FamilyGuess {
  const apollo = apolloscapeFamilyOf(labels);
  if (apollo) return apollo;
  const { fields } = labels;
  if (hasField(fields, 'kittiId') || (!fields && firstRowArity(labels) === KITTI360_LAYOUT.fields.length)) {
    return { family: 'kitti-360', reason: 'its field list has kittiId (a KITTI-360 fork of the Cityscapes table)' };
  }
  return { family: 'cityscapes', reason: fields ? 'its field list is the Cityscapes one (name, id, trainId, ...) without clsId' : 'its rows have the Cityscapes layout' };
}

const POLYGON_FILE_RE = /_gt(?:Fine|Coarse)_polygons\.json$/;

const FAMILY_TITLES: Record<LabelFileFamily, string> = {
  cityscapes: 'a Cityscapes label file',
  'kitti-360': 'a KITTI-360 label file',
  apolloscape: "ApolloScape's scene-parsing label file",
  'apolloscape-lanemark': "ApolloScape's lane-marking label file",
};

/** A Cityscapes-family label table (`labels.py`, or a KITTI-360 fork) as dataset classes. */
export function readCityscapesLabels(file: string): { rows: DatasetClass[]; name: string; notes: string[] } {
  const labels = readPythonLabelsFile(file);
  const guess = guessLabelFamily(labels);
  if (guess.family === 'apolloscape' || guess.family === 'apolloscape-lanemark') {
    throw new LabelmapError('label-file-kind', { file }, {
      found: `${FAMILY_TITLES[guess.family]} (${guess.reason})`,
      expected: 'a Cityscapes label file',
      format: 'apolloscape',
      input: file,
    });
  }
  const table = labelTableOf(labels, file, [CITYSCAPES_LAYOUT, KITTI360_LAYOUT]);
  const notes = [
    `read ${table.rows.length} labels from ${path.basename(file)}` +
      (labels.fieldsLine ? ` (fields on line ${labels.fieldsLine}: ${table.fields.join(', ')})` : ` (no field list: the ${table.layout?.title} layout, by the number of values)`),
  ];
  const kept = [...table.extras].map(([field, column]) => `${field} -> ${column}`);
  if (kept.length) notes.push(`kept as extra columns: ${kept.join(', ')}`);
  return { rows: table.rows, name: guess.family === 'kitti-360' ? 'kitti-360' : 'cityscapes', notes };
}

/** The class a polygon label counts toward: itself, or `cargroup` -> `car` (see the top of the file). */
export function cityscapesClassOf(label: string, index: ReadonlyMap<string, number>, rows: readonly DatasetClass[]): number | undefined {
  const known = index.get(label);
  if (known !== undefined || !label.endsWith('group')) return known;
  const single = index.get(label.slice(0, -'group'.length));
  return single !== undefined && rows[single]!.is_thing === true ? single : undefined;
}

export const SHAPE = 'a Cityscapes polygon file {"imgHeight", "imgWidth", "objects": [{"label", "polygon"}]}';

async function extractFolder(files: string[], options: ExtractOptions, notes: string[] = []): Promise<Extraction> {
  let tableName: string | undefined;
  const extraction = await extractPolygonFolder({
    files,
    options,
    defaultRef: 'cityscapes',
    readFileTable: (file) => {
      if (!/\.py$/i.test(file)) return null;
      const table = readCityscapesLabels(file);
      tableName = table.name;
      return table.rows;
    },
    example: 'cityscapesscripts/helpers/labels.py (or a cityscapes sheet)',
    flag: '--labels <labels.py or sheet>',
    shape: SHAPE,
    classOf: cityscapesClassOf,
    name: 'cityscapes',
  });
  return { ...extraction, name: tableName ?? extraction.name, notes: [...notes, ...extraction.notes] };
}

/**
 * The polygon files of a folder: the gtFine ones; gtCoarse ones only when there are no gtFine
 * ones (the coarse set annotates other images, more roughly: counting both would mix them).
 */
export function polygonFilesOf(dir: string): { files: string[]; notes: string[] } {
  const all = findFiles(dir, (rel) => POLYGON_FILE_RE.test(rel));
  const fine = all.filter((f) => f.endsWith('_gtFine_polygons.json'));
  const coarse = all.length - fine.length;
  if (fine.length && coarse) return { files: fine, notes: [`counted the ${fine.length} gtFine files; left out ${coarse} gtCoarse files (pass the gtCoarse folder on its own to count them)`] };
  if (!fine.length && coarse) return { files: all, notes: [`no gtFine files: counted the ${coarse} gtCoarse files`] };
  return { files: fine, notes: [] };
}

export const cityscapes: Extractor = {
  id: 'cityscapes',
  title: 'Cityscapes',
  input: 'a cityscapesScripts labels.py, or a gtFine folder of *_gtFine_polygons.json files (ids via --labels)',

  async detect(input: string): Promise<Detection> {
    if (isDirectory(input)) {
      const hit = findFiles(input, (rel) => POLYGON_FILE_RE.test(rel), { limit: 1, maxVisits: 50_000 })[0];
      return hit
        ? { ok: true, reason: `a folder with Cityscapes polygon files (${path.relative(input, hit)})` }
        : { ok: false, reason: 'no *_gtFine_polygons.json files in the folder' };
    }
    if (/\.json$/i.test(input)) {
      if (!POLYGON_FILE_RE.test(input)) return { ok: false, reason: 'a JSON file not named *_gtFine_polygons.json' };
      try {
        objectsArray(readJsonFile(input, 'polygon file'), input, SHAPE);
        return { ok: true, reason: 'a Cityscapes polygon file' };
      } catch (error) {
        return { ok: false, reason: error instanceof Error ? error.message.split('\n')[0]! : String(error) };
      }
    }
    const sniffed = sniffLabelFile(input);
    if ('reason' in sniffed) return { ok: false, reason: sniffed.reason };
    const { family, reason } = guessLabelFamily(sniffed.labels);
    if (family === 'cityscapes' || family === 'kitti-360') return { ok: true, reason: `${FAMILY_TITLES[family]}: ${reason}` };
    return { ok: false, reason: `${FAMILY_TITLES[family]} (${reason}): use apolloscape` };
  },

  async extract(input: string, options: ExtractOptions): Promise<Extraction> {
    if (isDirectory(input)) {
      const { files, notes } = polygonFilesOf(input);
      if (files.length === 0) {
        throw new LabelmapError('polygons-none', { file: input }, {
          pattern: '*_gtFine_polygons.json',
          fix: 'pass the gtFine folder of the Cityscapes download (gtFine/train/aachen/..._gtFine_polygons.json), or a labels.py',
        });
      }
      return extractFolder(files, options, notes);
    }
    if (/\.json$/i.test(input)) return extractFolder([input], options);
    const { rows, name, notes } = readCityscapesLabels(input);
    if (options.stats) notes.push('--stats counts polygons in a gtFine folder; a label file has no counts');
    return { name, rows, notes };
  },
};
