// Traffic sign benchmarks: GTSRB (German Traffic Sign Recognition Benchmark), GTSDB (its detection
// benchmark) and BTSD/BelgiumTSC, which publish the same annotation files. GTSRB and BelgiumTSC
// keep one `;`-separated GT file per class folder (Final_Training/Images/00014/GT-00014.csv), and
// the GTSRB test set one GT-final_test.csv:
//
//   Filename;Width;Height;Roi.X1;Roi.Y1;Roi.X2;Roi.Y2;ClassId
//   00000_00000.ppm;29;30;5;6;24;25;14
//
// GTSDB's gt.txt has no header: `00000.ppm;774;411;815;446;11` (x1;y1;x2;y2;ClassId).
// The files carry ids only; names come from a sign names table (`ClassId,SignName`, as in the
// common signnames.csv), by --labels or found beside the folder. The table is the label space:
// a class without annotations stays (0 with --stats); a ClassId the table lacks is an error.
import { existsSync, statSync } from 'node:fs';
import path from 'node:path';
import { LabelmapError } from '../findings.js';
import type { DatasetClass } from '../sheets/schema.js';
import { rejectedBy } from './lib/detection.js';
import { findFiles } from './lib/polygon-folders.js';
import { readHeadLines, readTextFile, splitLines, type TextLine } from './lib/text-lines.js';
import { readClassList } from './names.js';
import type { Detection, ExtractOptions, Extraction, Extractor } from './types.js';

type GtKind = 'gtsrb' | 'gtsdb';

const GT_CSV_RE = /(^|[\\/])GT-[^\\/]*\.csv$/i;
const GT_TXT_RE = /(^|[\\/])gt\.txt$/i;
const GTSDB_LINE_RE = /^[^;]+;\d+;\d+;\d+;\d+;\d+$/;
const INTEGER_RE = /^\d+$/;
const SIGN_NAMES = 'signnames.csv';
/** GTSRB training has 43 class folders, BelgiumTSC 62; a folder walk stops far beyond that. */
const MAX_VISITS = 1_000_000;

/** One annotated sign: its class, its image (folder + file name) and where it was read. */
export interface SignAnnotation {
  classId: number;
  image: string;
  line: number;
}

function gtKindOf(file: string): GtKind | undefined {
  return GT_CSV_RE.test(file) ? 'gtsrb' : GT_TXT_RE.test(file) ? 'gtsdb' : undefined;
}

function cellsOf(line: TextLine): string[] {
  return line.text.split(';').map((c) => c.trim());
}

/** The signs of one GT file's text. Pure: `file` names the place in errors and the image folder. */
export function parseGtText(text: string, file: string, kind: GtKind): SignAnnotation[] {
  const lines = splitLines(text).filter((l) => l.text.trim() !== '');
  const first = lines[0];
  if (!first) throw new LabelmapError('class-list-empty', { file, line: 1 }, { what: 'annotation lines', fix: kind === 'gtsrb' ? 'pass the GT-*.csv files as published' : 'pass gt.txt as published' });
  let width = 6;
  let classColumn = 5;
  let fileColumn = 0;
  let body = lines;
  if (kind === 'gtsrb') {
    const header = cellsOf(first);
    classColumn = header.indexOf('ClassId');
    fileColumn = header.indexOf('Filename');
    if (classColumn < 0 || fileColumn < 0) {
      throw new LabelmapError('class-list-header', { file, line: first.line }, {
        expected: 'a ";"-separated header with Filename and ClassId (Filename;Width;Height;Roi.X1;Roi.Y1;Roi.X2;Roi.Y2;ClassId)',
        found: first.text.slice(0, 80),
        fix: first.text.includes(',') && !first.text.includes(';') ? 'the file is separated by ",": GT files use ";" (as published), convert it back' : 'pass the GT-*.csv files as published',
      });
    }
    width = header.length;
    body = lines.slice(1);
  }
  const dir = path.dirname(file);
  return body.map((line) => {
    const cells = cellsOf(line);
    if (cells.length !== width) {
      throw new LabelmapError('class-list-line', { file, line: line.line }, {
        expected: `${width} cells separated by ";"${kind === 'gtsrb' ? `, as in the header (line ${first.line})` : ' (file;x1;y1;x2;y2;ClassId)'}`,
        found: `${cells.length}: ${JSON.stringify(line.text.slice(0, 80))}`,
      });
    }
    const id = cells[classColumn]!;
    if (!INTEGER_RE.test(id) || !Number.isSafeInteger(Number(id))) {
      throw new LabelmapError('class-list-line', { file, line: line.line, column: classColumn + 1 }, { expected: 'a ClassId 0 or more', found: JSON.stringify(id) });
    }
    const image = cells[fileColumn]!;
    if (image === '') throw new LabelmapError('class-list-line', { file, line: line.line, column: fileColumn + 1 }, { expected: 'an image file name', found: 'an empty cell' });
    return { classId: Number(id), image: path.join(dir, image), line: line.line };
  });
}

/** The GT files of the input: itself, or every GT-*.csv and gt.txt under the folder. */
function gtFiles(input: string): string[] {
  if (!statSync(input).isDirectory()) return [input];
  const files = findFiles(input, (rel) => gtKindOf(rel) !== undefined, { maxVisits: MAX_VISITS });
  if (files.length === 0) throw new LabelmapError('class-list-empty', { file: input }, { what: 'GT-*.csv or gt.txt files', fix: 'pass a GTSRB/BelgiumTSC folder (class folders with GT-<class>.csv), a GT file, or GTSDB gt.txt' });
  return files;
}

/** The sign names table: --labels, else signnames.csv in the input's folder or up to three above (GTSRB/Final_Training/Images/00014). */
function signNamesFile(input: string, options: ExtractOptions): string {
  if (options.labels !== undefined) return options.labels;
  let dir = statSync(input).isDirectory() ? input : path.dirname(input);
  for (let i = 0; i < 4; i++) {
    if (existsSync(path.join(dir, SIGN_NAMES))) return path.join(dir, SIGN_NAMES);
    dir = path.dirname(dir);
  }
  throw new LabelmapError('labels-source-missing', { file: input }, { what: `the GT files carry ClassIds only, and no ${SIGN_NAMES} is beside them`, example: 'signnames.csv (ClassId,SignName)' });
}

/** The sign names table as rows (ids given by the table). */
export function readSignNames(file: string): DatasetClass[] {
  const list = readClassList(file);
  if (!list.givenIds) {
    throw new LabelmapError('class-list-line', { file, line: list.lines[0] }, { expected: '"ClassId,SignName" rows (14,Stop)', found: JSON.stringify(list.rows[0]?.name.slice(0, 60) ?? '') });
  }
  return list.rows;
}

export const gtsrb: Extractor = {
  id: 'gtsrb',
  title: 'GTSRB / GTSDB / BelgiumTS traffic signs',
  input: 'a folder of GT-*.csv files (GTSRB, BelgiumTSC), one GT file, or GTSDB gt.txt; names from signnames.csv (--labels, or beside it)',

  async detect(input: string): Promise<Detection> {
    try {
      let file = input;
      if (existsSync(input) && statSync(input).isDirectory()) {
        const first = findFiles(input, (rel) => gtKindOf(rel) !== undefined, { limit: 1, maxVisits: 10_000 })[0];
        if (!first) return { ok: false, reason: 'a folder with no GT-*.csv or gt.txt files' };
        file = first;
      }
      const kind = gtKindOf(file);
      if (!kind) return { ok: false, reason: 'neither a GT-*.csv nor a gt.txt file, nor a folder of them' };
      const head = readHeadLines(file, 'GT file').find((l) => l.text.trim() !== '');
      if (kind === 'gtsrb') {
        return head && cellsOf(head).includes('ClassId') && cellsOf(head).includes('Filename')
          ? { ok: true, reason: `${path.basename(file)} has the GTSRB header (Filename;...;ClassId)` }
          : { ok: false, reason: `${path.basename(file)} has no ";"-separated header with Filename and ClassId` };
      }
      return head && GTSDB_LINE_RE.test(head.text.trim())
        ? { ok: true, reason: `${path.basename(file)} has GTSDB lines (file;x1;y1;x2;y2;ClassId)` }
        : { ok: false, reason: `${path.basename(file)} has no GTSDB line (file;x1;y1;x2;y2;ClassId) first` };
    } catch (error) {
      return rejectedBy(error);
    }
  },

  async extract(input: string, options: ExtractOptions): Promise<Extraction> {
    const files = gtFiles(input);
    const namesFile = signNamesFile(input, options);
    const table = readSignNames(namesFile);
    const known = new Set(table.map((r) => r.id));
    const instances = new Map<number, number>();
    const images = new Map<number, Set<string>>();
    const kinds = new Set<GtKind>();
    let signs = 0;
    files.forEach((file, i) => {
      options.onProgress?.(i, files.length);
      const kind = gtKindOf(file) ?? 'gtsrb';
      kinds.add(kind);
      for (const sign of parseGtText(readTextFile(file, 'GT file'), file, kind)) {
        if (!known.has(sign.classId)) {
          throw new LabelmapError('unknown-label', { file, line: sign.line }, { label: `ClassId ${sign.classId}`, source: path.basename(namesFile), flag: '--labels signnames.csv' });
        }
        signs++;
        instances.set(sign.classId, (instances.get(sign.classId) ?? 0) + 1);
        const set = images.get(sign.classId) ?? new Set<string>();
        set.add(sign.image);
        images.set(sign.classId, set);
      }
    });
    const rows = table.map((r) => (options.stats ? { ...r, instances: instances.get(r.id) ?? 0, images: images.get(r.id)?.size ?? 0 } : { ...r }));
    const kind: GtKind = kinds.has('gtsdb') && !kinds.has('gtsrb') ? 'gtsdb' : 'gtsrb';
    const unused = table.filter((r) => !instances.has(r.id)).map((r) => r.id);
    const notes = [
      `read ${signs} signs from ${files.length} GT file${files.length === 1 ? '' : 's'}; ids are the ClassIds, names from ${path.basename(namesFile)} (${table.length} classes)`,
    ];
    if (unused.length > 0) notes.push(`${unused.length} classes of the names table have no signs in these files (ids ${unused.slice(0, 10).join(', ')}${unused.length > 10 ? ', ...' : ''}); kept`);
    if (kind === 'gtsrb') notes.push('BelgiumTSC publishes the same GT files: pass --name btsd for it');
    return { name: kind, rows, notes };
  },
};
