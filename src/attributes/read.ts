// The file edge of `labelmap attributes`: the attribute sheets of a sheets folder, and the inputs
// streamed frame by frame.
//
// BDD100K label JSON (bdd100k_labels_images_<split>.json, det_<split>.json), a list of frames:
//   [{"name": "b1c66a42-6f7d68ca.jpg",
//     "attributes": {"weather": "overcast", "scene": "city street", "timeofday": "daytime"},
//     "labels": [{"category": "car", "box2d": {"x1": 45.2, "y1": 254.5, "x2": 357.8, "y2": 487.9}}]}]
// BDD100K images are 1280 x 720 and the file does not say so: --image-height (default 720).
//
// Generic per-image CSV that a team writes itself, one attribute a row:
//   image,key,value
//   0001.jpg,weather,rain
import { LabelmapError, finding, type Finding } from '../findings.js';
import { scanJson } from '../formats/lib/json-scan.js';
import { BDD100K_ATTRIBUTE_KEYS, readPickedFrameAttributes } from '../formats/lib/bdd100k-attributes.js';
import { decodeText, readBytes } from '../io/index.js';
import { parseCsvTable } from '../sheets/csv.js';
import { latestOf, latestSheets, scanSheetsDir } from '../sheets/discover.js';
import { readSheet } from '../sheets/io.js';
import { pickAttributeVocabulary } from '../sheets/set.js';
import type { Sheet } from '../sheets/types.js';
import { runRules } from '../rules/index.js';
import { compileAttributeModel, type AttributeModel, type Frame, type FrameInstance } from './compute.js';

export type AttributeInputFormat = 'bdd100k' | 'generic' | 'coco' | 'cityscapes' | 'mapillary';

/** Inputs with instances but no dataset attributes: an attribute mapping is optional for them. */
export const ANNOTATION_ONLY_FORMATS: readonly AttributeInputFormat[] = ['coco', 'cityscapes', 'mapillary'];

export interface LoadedAttributeModel {
  model: AttributeModel;
  /** null for an annotation-only input whose dataset has a class mapping but no attribute mapping. */
  mapping: Sheet<'attribute-mapping'> | null;
  /** `mappings/<dataset>` (native classes -> taxonomy), when the sheets have one. */
  classMapping: Sheet<'mapping'> | null;
  vocabulary: Sheet<'attributes'>;
  rules: Sheet<'attribute-rule'>[];
  taxonomy: Sheet<'taxonomy'> | null;
  /** Native class name -> taxonomy class (the dataset's class mapping, or names equal to taxonomy names). */
  classOf: (native: string) => string | null;
  findings: Finding[];
}

/**
 * The vocabulary, `attribute-mappings/<dataset>`, every attribute-rule sheet and the taxonomy (latest
 * versions). With `annotationsOnly` (COCO, polygon folders: no dataset attributes to map) the
 * attribute mapping may be absent when the dataset has a class mapping.
 */
export function loadAttributeModel(dir: string, dataset: string, options: { annotationsOnly?: boolean } = {}): LoadedAttributeModel {
  const { files } = scanSheetsDir(dir);
  const latest = latestSheets(files);
  const mappingFile = latestOf(files, 'attribute-mapping', dataset);
  const classMappingFile = latestOf(files, 'mapping', dataset);
  if (!mappingFile && !(options.annotationsOnly && classMappingFile)) {
    const known = latest.filter((f) => f.kind === 'attribute-mapping').map((f) => f.name);
    if (options.annotationsOnly) {
      const classes = latest.filter((f) => f.kind === 'mapping').map((f) => f.name);
      throw new LabelmapError('attribute-dataset-unmapped', {}, { dataset, known: [...new Set([...known, ...classes])].join(', ') || '(none)' });
    }
    throw new LabelmapError('attribute-dataset-unknown', {}, { dataset, known: known.join(', ') || '(none)' });
  }
  const vocabularyFile = pickAttributeVocabulary(files);
  const user = (mappingFile ?? classMappingFile)!;
  if (!vocabularyFile) throw new LabelmapError('attribute-vocabulary-missing', { file: user.rel }, { sheet: user.rel });
  const taxonomies = latest.filter((f) => f.kind === 'taxonomy');
  const taxonomyFile = taxonomies.length === 1 ? taxonomies[0] : taxonomies.find((f) => f.name === 'unified');
  const mapping = mappingFile ? readSheet({ ...mappingFile, kind: 'attribute-mapping' }) : null;
  const vocabulary = readSheet({ ...vocabularyFile, kind: 'attributes' });
  const rules = latest.filter((f) => f.kind === 'attribute-rule').map((f) => readSheet({ ...f, kind: 'attribute-rule' }));
  const taxonomy = taxonomyFile ? readSheet({ ...taxonomyFile, kind: 'taxonomy' }) : null;
  // The same rules validate runs over these sheets: a broken mapping stops the run (exit 2).
  const sheets = [vocabulary, ...(mapping ? [mapping] : []), ...rules];
  const set = taxonomy ? { taxonomy, taxonomyHistory: [], verticals: [], datasets: [] } : null;
  const findings = runRules({ files: [], sheets, set }, ['mappings']);
  const error = findings.find((f) => f.severity === 'error');
  if (error) throw new LabelmapError(error.code, error, error.args);

  const classMappingSheet = classMappingFile ? readSheet({ ...classMappingFile, kind: 'mapping' }) : null;
  const classMapping = classMappingSheet ? new Map(classMappingSheet.rows.map((r) => [r.source, r.target])) : null;
  const names = new Set(taxonomy?.rows.map((c) => c.name) ?? []);
  const classOf = (native: string): string | null => {
    const target = classMapping?.get(native) ?? native.trim().toLowerCase().replace(/[^a-z0-9]+/g, '_');
    return names.has(target) ? target : null;
  };
  const model = compileAttributeModel(vocabulary.rows, mapping?.rows ?? [], rules.flatMap((r) => r.rows), taxonomy?.rows ?? []);
  return { model, mapping, classMapping: classMappingSheet, vocabulary, rules, taxonomy, classOf, findings };
}

export interface ReadOptions {
  imageHeight: number;
  onProgress?: (done: number, total: number) => void;
}

/** The fields of a frame the picker reads: the name, then attributes.<key> in BDD100K_ATTRIBUTE_KEYS order. */
const FRAME_FIELDS = ['name', ...BDD100K_ATTRIBUTE_KEYS.map((k) => `attributes.${k}`)];

/**
 * Streams the frames of a BDD100K label file through the scanner's field picker: of each frame
 * only the name, the three attributes and each label's category and box2d.y1 / y2 are read (no
 * frame is built), never the whole file.
 */
export async function readBdd100kFrames(file: string, classOf: (native: string) => string | null, options: ReadOptions, onFrame: (frame: Frame) => void): Promise<number> {
  let count = 0;
  const result = await scanJson(
    file,
    {
      root: {
        pick: { fields: FRAME_FIELDS, arrays: { labels: ['category', 'box2d.y1', 'box2d.y2'] } },
        onElement: (element) => {
          const place = { file, line: element.line, offset: element.offset, path: `[${element.index}]` };
          if (element.kind !== 'object') throw new LabelmapError('label-json-shape', place, { expected: 'a frame {"name", "attributes", "labels"}', found: `a JSON ${element.kind}` });
          const [name, ...values] = element.values;
          const attrs = readPickedFrameAttributes(name, element.objectKinds.attributes, values, place);
          const labels = element.arrays.labels;
          const labelsKind = element.arrayKinds.labels;
          if (labels === undefined && labelsKind !== undefined && labelsKind !== 'null') {
            throw new LabelmapError('label-json-shape', { ...place, path: `${place.path}.labels` }, { expected: 'a list of labels', found: `a JSON ${labelsKind}` });
          }
          const instances: FrameInstance[] = [];
          (labels ?? []).forEach(([category, y1, y2], k) => {
            if (typeof category !== 'string') {
              throw new LabelmapError('label-json-shape', { ...place, path: `${place.path}.labels[${k}].category` }, {
                expected: 'a category name',
                found: category === undefined ? 'nothing' : typeof category === 'object' && category !== null ? 'a JSON compound' : JSON.stringify(category),
              });
            }
            instances.push({ taxonomyClass: classOf(category), boxHeight: boxHeightOf(y1, y2) });
          });
          count++;
          onFrame({
            image: attrs.image,
            source: { weather: attrs.weather, scene: attrs.scene, timeofday: attrs.timeofday },
            instances,
            imageHeight: options.imageHeight,
          });
        },
      },
    },
    { onProgress: options.onProgress },
  );
  if (result.rootKind !== 'array') {
    throw new LabelmapError('label-json-shape', { file, line: 1 }, { expected: 'a BDD100K label file: a list of frames', found: `a JSON ${result.rootKind ?? 'nothing'}`, fix: 'pass bdd100k_labels_images_<split>.json or det_<split>.json' });
  }
  return count;
}

/** `box2d: {"x1", "y1", "x2", "y2"}` -> y2 - y1; null for a label without a box (a polygon, a lane). */
function boxHeightOf(y1: unknown, y2: unknown): number | null {
  if (typeof y1 !== 'number' || typeof y2 !== 'number' || !Number.isFinite(y1) || !Number.isFinite(y2) || y2 < y1) return null;
  return y2 - y1;
}

/** The frames of a generic `image,key,value` CSV, in the order images first appear. No annotations: derived keys stay missing. */
export function readGenericFrames(file: string, onFrame: (frame: Frame) => void): number {
  const text = decodeText(readBytes(file, 'attribute table'), file, 'attribute table');
  const { table, findings } = parseCsvTable(text, file);
  if (!table) throw new LabelmapError(findings[0]!.code, findings[0]!, findings[0]!.args);
  const col = (name: string) => table.header.indexOf(name);
  const [image, key, value] = [col('image'), col('key'), col('value')];
  if (image < 0 || key < 0 || value < 0) {
    const f = finding('header-missing-column', 'error', { file, line: 1 }, { column: ['image', 'key', 'value'][[image, key, value].indexOf(-1)], kind: 'generic attribute table', required: 'image,key,value' });
    throw new LabelmapError(f.code, f, f.args);
  }
  const frames = new Map<string, Record<string, string>>();
  for (const row of table.rows) {
    const name = (row.cells[image] ?? '').trim();
    const k = (row.cells[key] ?? '').trim();
    if (name === '' || k === '') {
      throw new LabelmapError('cell-invalid', { file, line: row.line, column: (name === '' ? image : key) + 1 }, { column: name === '' ? 'image' : 'key', expected: 'a non-empty cell', found: '', fix: 'fill in the cell' });
    }
    let source = frames.get(name);
    if (!source) frames.set(name, (source = {}));
    source[k] = (row.cells[value] ?? '').trim();
  }
  for (const [name, source] of frames) onFrame({ image: name, source, instances: null, imageHeight: null });
  return frames.size;
}
