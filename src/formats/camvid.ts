// CamVid: label_colors.txt of the Cambridge-driving Labeled Video Database, one class a line,
// its mask colour first (CamVid masks are RGB images: the colour is the label):
//
//   64 128 64	Animal
//   192 0 128	Archway
//   0 0 0	Void
//
// The file gives no ids: they are line positions, from --first-id (0 unless told). The colour
// is the class's identity in the masks, so two classes with one colour are an error.
import path from 'node:path';
import { LabelmapError } from '../findings.js';
import { rejectedBy } from './lib/detection.js';
import type { DatasetClass } from '../sheets/schema.js';
import { readHeadLines, readTextFile, splitLines } from './lib/text-lines.js';
import { checkUniqueLabels } from './python-labels.js';
import { datasetClass, rgbToHex, type Detection, type ExtractOptions, type Extraction, type Extractor } from './types.js';

const LINE_RE = /^\s*(\d{1,3})\s+(\d{1,3})\s+(\d{1,3})\s+(\S.*?)\s*$/;

/** The classes of a label_colors.txt text. Pure: `file` names the place in errors. */
export function parseLabelColors(text: string, file: string, options: { firstId?: number } = {}): DatasetClass[] {
  const rows: DatasetClass[] = [];
  const lines: number[] = [];
  const colorLine = new Map<string, number>();
  for (const line of splitLines(text)) {
    if (line.text.trim() === '' || line.text.trim().startsWith('#')) continue;
    const m = LINE_RE.exec(line.text);
    if (!m) throw new LabelmapError('class-list-line', { file, line: line.line }, { expected: '"R G B<tab>Name" (three numbers 0..255, then the class name)', found: JSON.stringify(line.text.slice(0, 80)) });
    const rgb = [m[1], m[2], m[3]].map(Number);
    const bad = rgb.findIndex((v) => v > 255);
    if (bad >= 0) throw new LabelmapError('class-list-line', { file, line: line.line, column: bad + 1 }, { expected: 'a colour value 0..255', found: String(rgb[bad]) });
    const color = rgbToHex(rgb);
    const same = colorLine.get(color);
    if (same !== undefined) {
      throw new LabelmapError('class-list-line', { file, line: line.line }, { expected: `a colour of its own (the colour is the label in CamVid masks)`, found: `${color}, the colour of line ${same}` });
    }
    colorLine.set(color, line.line);
    rows.push(datasetClass((options.firstId ?? 0) + rows.length, m[4]!, { color }));
    lines.push(line.line);
  }
  if (rows.length === 0) throw new LabelmapError('class-list-empty', { file, line: 1 }, { what: 'classes ("R G B<tab>Name" lines)', fix: 'pass CamVid label_colors.txt' });
  checkUniqueLabels(rows, lines, file);
  return rows;
}

export const camvid: Extractor = {
  id: 'camvid',
  title: 'CamVid',
  input: 'CamVid label_colors.txt ("R G B<tab>Name" lines; ids are line positions, --first-id 0|1)',

  async detect(input: string): Promise<Detection> {
    if (!/\.txt$/i.test(input)) return { ok: false, reason: 'not a .txt file' };
    try {
      const first = readHeadLines(input, 'CamVid label_colors.txt').find((l) => l.text.trim() !== '');
      return first && LINE_RE.test(first.text)
        ? { ok: true, reason: `"R G B Name" lines (${JSON.stringify(first.text.trim())})` }
        : { ok: false, reason: 'its first line is no "R G B Name" line' };
    } catch (error) {
      return rejectedBy(error);
    }
  },

  async extract(input: string, options: ExtractOptions): Promise<Extraction> {
    const rows = parseLabelColors(readTextFile(input, 'CamVid label_colors.txt'), input, { firstId: options.firstId });
    const notes = [`read ${rows.length} classes from ${path.basename(input)}; ids are line positions from ${options.firstId ?? 0} (CamVid masks carry the colour, not an id)`];
    if (options.stats) notes.push('--stats: label_colors.txt has no counts');
    return { name: 'camvid', rows, notes };
  },
};
