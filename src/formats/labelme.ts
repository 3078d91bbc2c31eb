// labelme, in the two forms its users keep classes in:
//
//   labels.txt, as `labelme --labels` and labelme2voc.py / labelme2coco.py read it (what
//   `labelmap export --format labelme` writes): `__ignore__` first (class id -1), `_background_`
//   second (class id 0), then one label a line, numbered from 1 in file order;
//
//   a folder of labelme JSON files, one per image:
//     {"version": "5.2.1", "shapes": [{"label": "car", "points": [[1, 2], ...], "shape_type": "polygon"}], "imagePath": "a.jpg", ...}
//
// The folder's classes are its labels.txt when it has one (ids as labelme2voc gives them), else
// the label names of its shapes sorted, ids from --first-id. __ignore__ (-1) is no class of a
// sheet: it is left out and said so. --stats counts the shapes of the folder's JSON files.
import { existsSync } from 'node:fs';
import path from 'node:path';
import { LabelmapError } from '../findings.js';
import { isDirectory, readHead } from '../io/index.js';
import { isRecord, LabelCounts, readToolJson, shapeError, toolRows, type ToolLabel } from './lib/annotation-tools.js';
import { rejectedBy } from './lib/detection.js';
import { findFiles } from './lib/polygon-folders.js';
import { readTextFile, splitLines } from './lib/text-lines.js';
import type { DatasetClass } from '../sheets/schema.js';
import type { Detection, ExtractOptions, Extraction, Extractor } from './types.js';

export const LABELME_IGNORE = '__ignore__';
export const LABELME_BACKGROUND = '_background_';

/** A folder is walked up to this many entries for its JSON files. */
const MAX_VISITS = 2_000_000;

/** The labels of a labels.txt: labelme2voc's ids (__ignore__ -1 left out, then 0, 1, ...). */
export function labelmeLabelsTxt(text: string, file: string): { rows: DatasetClass[]; ignored: boolean } {
  const lines = splitLines(text).filter((l) => l.text.trim() !== '');
  const ignored = lines[0]?.text.trim() === LABELME_IGNORE;
  const labels: ToolLabel[] = (ignored ? lines.slice(1) : lines).map((l) => ({ name: l.text.trim(), place: { file, line: l.line } }));
  if (labels.length === 0) throw new LabelmapError('class-list-empty', { file, line: 1 }, { what: 'labels (one a line, __ignore__ and _background_ first)' });
  // labelme2voc: class_id = line index - 1, so __ignore__ is -1 and the next line 0.
  return { rows: toolRows(labels, file, 0), ignored };
}

/** The shape labels of one labelme JSON file, checked. */
function shapeLabels(json: unknown, file: string): string[] {
  if (!isRecord(json) || !Array.isArray(json.shapes)) throw shapeError({ file, path: isRecord(json) ? 'shapes' : '$' }, 'a labelme file: an object with a "shapes" array', isRecord(json) ? json.shapes : json);
  return json.shapes.map((s, i) => {
    if (!isRecord(s) || typeof s.label !== 'string') throw shapeError({ file, path: `shapes[${i}].label` }, 'a shape with a "label" string', isRecord(s) ? s.label : s);
    return s.label;
  });
}

function isLabelsTxt(input: string): boolean {
  return /\.txt$/i.test(input);
}

function startsWithIgnore(file: string): boolean {
  const first = readHead(file, 'labels.txt', 256).toString('utf8').replace(/^\uFEFF/, '').split(/\r\n|\n|\r/)[0];
  return first?.trim() === LABELME_IGNORE;
}

export const labelme: Extractor = {
  id: 'labelme',
  title: 'labelme',
  input: 'a labelme labels.txt (__ignore__, _background_, ...) or a folder of labelme JSON files (--stats counts their shapes)',

  async detect(input: string): Promise<Detection> {
    try {
      if (isLabelsTxt(input)) {
        return startsWithIgnore(input) ? { ok: true, reason: 'a labels.txt whose first line is __ignore__ (labelme --labels)' } : { ok: false, reason: 'a .txt file whose first line is not __ignore__' };
      }
      if (!isDirectory(input)) return { ok: false, reason: 'neither a labels.txt nor a folder' };
      const first = findFiles(input, (rel) => rel.toLowerCase().endsWith('.json'), { limit: 1, maxVisits: 10_000 })[0];
      if (!first) return { ok: false, reason: 'a folder with no .json files' };
      const json = readToolJson(first, 'labelme JSON');
      if (!isRecord(json) || !Array.isArray(json.shapes) || !('imagePath' in json)) return { ok: false, reason: `its first JSON (${path.basename(first)}) has no "shapes" and "imagePath"` };
      return { ok: true, reason: `a folder of labelme JSON files (${path.basename(first)} has "shapes" and "imagePath")` };
    } catch (error) {
      return rejectedBy(error);
    }
  },

  async extract(input: string, options: ExtractOptions): Promise<Extraction> {
    const notes: string[] = [];
    if (isLabelsTxt(input)) {
      const { rows, ignored } = labelmeLabelsTxt(readTextFile(input, 'labels.txt'), input);
      notes.push(`read ${rows.length} labels from ${path.basename(input)}; ids as labelme2voc gives them (line order, ${rows[0]!.name} = 0)`);
      if (ignored) notes.push('__ignore__ (class id -1 in labelme) is left out');
      if (options.stats) notes.push('--stats: labels.txt has no shapes (pass the folder of labelme JSON files)');
      return { name: 'labelme', rows, notes };
    }
    const files = findFiles(input, (rel) => rel.toLowerCase().endsWith('.json'), { maxVisits: MAX_VISITS });
    if (files.length === 0) throw new LabelmapError('class-list-empty', { file: input }, { what: 'labelme .json files', fix: 'pass the folder that holds the labelme JSON files' });
    const counts = new LabelCounts();
    for (const file of files) {
      counts.image();
      for (const label of shapeLabels(readToolJson(file, 'labelme JSON'), file)) counts.add(label);
    }
    const listFile = path.join(input, 'labels.txt');
    let rows: DatasetClass[];
    if (existsSync(listFile)) {
      rows = labelmeLabelsTxt(readTextFile(listFile, 'labels.txt'), listFile).rows;
      notes.push(`classes and ids from the folder's labels.txt (${rows.length} labels, ids as labelme2voc gives them)`);
    } else {
      const names = [...counts.instances.keys()].sort();
      rows = toolRows(names.map((name) => ({ name, place: { file: input } })), input, options.firstId);
      notes.push(`no labels.txt: the ${rows.length} label names of the shapes, sorted, ids from ${options.firstId ?? 0}${options.firstId === undefined ? ' (pass --first-id 1 to count from 1)' : ''}`);
    }
    notes.push(`read ${files.length} labelme file${files.length === 1 ? '' : 's'}`);
    if (options.stats) notes.push(...counts.apply(rows));
    return { name: 'labelme', rows, notes };
  },
};
