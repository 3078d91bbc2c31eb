// ADE20K SceneParsing (the 150-class challenge): objectInfo150.csv of CSAILVision/sceneparsing.
//
//   Idx,Ratio,Train,Val,Stuff,Name
//   1,0.1576,11664,1172,1,wall
//   2,0.1072,6046,612,1,building;edifice
//   45,0.0019,549,46,0,chest;of;drawers;chest;bureau;dresser
//
// Idx is the value in the annotation PNGs (1..150; 0 is "other", pixels of no listed class, which
// the benchmark ignores). Ratio is the class's share of all pixels, Train/Val the number of images
// it occurs in, Stuff 1 for stuff, 0 for things. Name holds WordNet-style synonyms separated by
// `;` — and, in this published CSV, the spaces inside a synonym are `;` too (`chest;of;drawers`),
// so the first `;` word is not always the whole first name (45 reads `chest`): every word is kept
// in x_synonyms, and the two rows whose first word is the same (`screen`: 59 screen door, 131
// projection screen) are named apart by their id.
import path from 'node:path';
import { LabelmapError } from '../findings.js';
import { rejectedBy } from './lib/detection.js';
import type { DatasetClass } from '../sheets/schema.js';
import { readHeadLines, readTextFile, splitDelimited, splitLines, type TextLine } from './lib/text-lines.js';
import { checkUniqueLabels } from './python-labels.js';
import { datasetClass, type Detection, type ExtractOptions, type Extraction, type Extractor } from './types.js';
import { maxOf } from '../arrays.js';

const HEADER = 'Idx,Ratio,Train,Val,Stuff,Name';
const REQUIRED = ['idx', 'name'] as const;
/** The id of the pixels that belong to no listed class. */
export const ADE20K_OTHER_ID = 0;

export interface Ade20kTable {
  rows: DatasetClass[];
  /** The names given as `<word>-<id>` because their first word was not unique. */
  renamed: string[];
}

function headerOf(first: TextLine, file: string): Map<string, number> {
  if (!first.text.includes(',')) {
    const sep = [';', '\t', '|'].find((c) => first.text.includes(c));
    if (sep) throw new LabelmapError('csv-delimiter', { file, line: first.line }, { found: sep === '\t' ? 'tab' : sep });
  }
  const columns = new Map(splitDelimited(first, ',', file).map((c, i) => [c.trim().toLowerCase(), i] as const));
  for (const need of REQUIRED) {
    if (!columns.has(need)) {
      throw new LabelmapError('class-list-header', { file, line: first.line }, {
        found: first.text.slice(0, 80),
        expected: `the objectInfo150.csv header ${HEADER} (no column "${need === 'idx' ? 'Idx' : 'Name'}")`,
      });
    }
  }
  return columns;
}

/** The rows of an objectInfo150.csv text, id 0 "other" first. Pure: `file` names the place in errors. */
export function parseObjectInfo(text: string, file: string): Ade20kTable {
  const lines = splitLines(text).filter((l) => l.text.trim() !== '');
  const first = lines.shift();
  if (!first) throw new LabelmapError('class-list-empty', { file, line: 1 }, { what: `header ${HEADER} or classes`, fix: `pass objectInfo150.csv, which starts with ${HEADER}` });
  const col = headerOf(first, file);
  if (lines.length === 0) throw new LabelmapError('class-list-empty', { file, line: first.line + 1 }, { what: 'class rows below the header' });
  const width = maxOf(col.values(), -1) + 1;
  const parsed: { line: number; id: number; words: string[]; cells: string[] }[] = [];
  for (const line of lines) {
    const cells = splitDelimited(line, ',', file).map((c) => c.trim());
    const bad = (column: string, expected: string, found: string): LabelmapError =>
      new LabelmapError('class-list-line', { file, line: line.line, column: (col.get(column) ?? 0) + 1, path: column }, { expected, found });
    if (cells.length !== width) {
      throw new LabelmapError('class-list-line', { file, line: line.line }, {
        expected: `${width} comma-separated cells (${HEADER})`,
        found: `${cells.length}: ${JSON.stringify(line.text.slice(0, 80))}`,
        fix: 'the file may be cut short or saved with another separator: download it again',
      });
    }
    const cell = (c: string): string => cells[col.get(c) ?? -1] ?? '';
    const idText = cell('idx');
    if (!/^\d+$/.test(idText) || Number(idText) < 1 || !Number.isSafeInteger(Number(idText))) throw bad('idx', 'an id 1 or more (0 is "other", not a row)', JSON.stringify(idText));
    const words = cell('name').split(';').map((w) => w.trim()).filter((w) => w !== '');
    if (words.length === 0) throw bad('name', 'a name (synonyms separated by ";")', JSON.stringify(cell('name')));
    if (col.has('stuff') && !/^[01]$/.test(cell('stuff'))) throw bad('stuff', '1 (stuff) or 0 (thing)', JSON.stringify(cell('stuff')));
    if (col.has('ratio') && !/^\d+(\.\d+)?(e-?\d+)?$/i.test(cell('ratio'))) throw bad('ratio', 'a pixel share such as 0.1576', JSON.stringify(cell('ratio')));
    for (const c of ['train', 'val']) if (col.has(c) && !/^\d+$/.test(cell(c))) throw bad(c, 'an image count', JSON.stringify(cell(c)));
    parsed.push({ line: line.line, id: Number(idText), words, cells });
  }
  const firstWordCount = new Map<string, number>();
  for (const p of parsed) firstWordCount.set(p.words[0]!, (firstWordCount.get(p.words[0]!) ?? 0) + 1);
  const renamed: string[] = [];
  const rows = parsed.map((p) => {
    const cell = (c: string): string => p.cells[col.get(c) ?? -1] ?? '';
    let name = p.words[0]!;
    if ((firstWordCount.get(name) ?? 0) > 1) {
      name = `${name}-${p.id}`;
      renamed.push(name);
    }
    const extra: Record<string, string> = { x_synonyms: p.words.join(';') };
    if (col.has('ratio')) extra.x_pixel_ratio = cell('ratio');
    if (col.has('train')) extra.x_train_images = cell('train');
    if (col.has('val')) extra.x_val_images = cell('val');
    return datasetClass(p.id, name, { is_thing: col.has('stuff') ? cell('stuff') === '0' : null, evaluate: true, extra });
  });
  const other = datasetClass(ADE20K_OTHER_ID, 'other', {
    display_name: 'other (no listed class)',
    evaluate: false,
    extra: { x_synonyms: '', ...(col.has('ratio') ? { x_pixel_ratio: '' } : {}), ...(col.has('train') ? { x_train_images: '' } : {}), ...(col.has('val') ? { x_val_images: '' } : {}) },
  });
  const all = [other, ...rows];
  checkUniqueLabels(all, [undefined, ...parsed.map((p) => p.line)], file);
  return { rows: all, renamed };
}

export function readObjectInfo(file: string): Ade20kTable {
  return parseObjectInfo(readTextFile(file, 'ADE20K objectInfo150.csv'), file);
}

export const ade20k: Extractor = {
  id: 'ade20k',
  title: 'ADE20K SceneParsing',
  input: `the SceneParsing objectInfo150.csv (${HEADER})`,

  async detect(input: string): Promise<Detection> {
    if (!/\.csv$/i.test(input)) return { ok: false, reason: 'not a .csv file' };
    try {
      const first = readHeadLines(input, 'ADE20K objectInfo150.csv')[0];
      const header = (first?.text ?? '').trim().toLowerCase().replace(/\s/g, '');
      if (header.startsWith('idx,ratio,train,val') && header.endsWith(',name')) return { ok: true, reason: `an ADE20K objectInfo csv (header ${first!.text.trim()})` };
      return { ok: false, reason: `its header is not ${HEADER}` };
    } catch (error) {
      return rejectedBy(error);
    }
  },

  async extract(input: string, options: ExtractOptions): Promise<Extraction> {
    const { rows, renamed } = readObjectInfo(input);
    const notes = [
      `read ${rows.length - 1} classes from ${path.basename(input)}; ids are the Idx column (the mask values); added id 0 "other" (pixels of no listed class, not evaluated)`,
      'the published CSV separates synonyms and the words of one synonym both by ";": name is the first word (45 "chest" is "chest of drawers"); every word is kept in x_synonyms',
    ];
    if (renamed.length) notes.push(`named ${renamed.join(', ')} by their id: their first word is the same`);
    if (options.stats) notes.push('--stats: objectInfo150.csv has per-class image counts, kept as x_train_images and x_val_images');
    return { name: 'ade20k', rows, notes };
  },
};
