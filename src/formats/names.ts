// Plain class lists, the way most training code and annotation tools keep them:
//
//   obj.names / predefined_classes.txt     COCO-Stuff labels.txt      Open Images class-descriptions-boxable.csv
//   person                                 0: unlabeled               /m/011k07,Tortoise
//   bicycle                                1: person                  /m/011q46kg,Container
//   car                                    2: bicycle                 ...
//
// and `id,name` / `id;name` / `id<TAB>name` tables with or without a header (`id,name`,
// `MID,Name`, `LabelName,DisplayName`). Any of LF, CRLF or CR ends lines; a BOM and `#` comment
// lines are skipped, and so are blank lines. Ids are given (`3: car`, `3,car`) or else the
// position among the class lines, from `--first-id` (0 unless told). An Open Images MID is kept
// as x_mid. The layout is chosen from the first class line; every later line must follow it.
import path from 'node:path';
import { LabelmapError } from '../findings.js';
import { rejectedBy } from './lib/detection.js';
import { isSafeSheetName } from '../sheets/discover.js';
import type { DatasetClass } from '../sheets/schema.js';
import { readHeadLines, readTextFile, splitDelimited, splitLines, type TextLine } from './lib/text-lines.js';
import { checkUniqueLabels } from './python-labels.js';
import { datasetClass, type Detection, type ExtractOptions, type Extraction, type Extractor } from './types.js';

export type ClassListLayout = 'lines' | 'id-colon' | 'table';

export interface ClassList {
  layout: ClassListLayout;
  /** The table's separator (`,`, `;` or a tab), for layout `table`. */
  delimiter?: string;
  /** Whether ids came from the file (else from line positions). */
  givenIds: boolean;
  hasHeader: boolean;
  rows: DatasetClass[];
  lines: number[];
}

const ID_COLON_RE = /^\s*(-?\d+)\s*:\s*(.*)$/;
const INTEGER_RE = /^-?\d+$/;
/** Open Images machine ids: `/m/011k07`, `/g/11b6xpl0s`. */
const MID_RE = /^\/[mg]\/[0-9a-z_]+$/i;
const HEADER_WORDS = new Set(['id', 'idx', 'index', 'class_id', 'classid', 'label_id', 'mid', 'labelname', 'label_name', 'label', 'name', 'class', 'class_name', 'classname', 'displayname', 'display_name']);
const DELIMITERS = [',', ';', '\t'] as const;
/** File names that say "class list" (predefined_classes.txt, coco-labels-2014.txt, obj.names). */
const LIST_FILE_RE = /class|label|name|categor/i;

const describe = (d: string): string => (d === '\t' ? 'tab' : JSON.stringify(d));

function classLines(text: string): TextLine[] {
  return splitLines(text).filter((l) => {
    const t = l.text.trim();
    return t !== '' && !t.startsWith('#');
  });
}

/** The separator of a table line, when its first cell is an id, a MID or a header word. */
function tableDelimiter(line: TextLine): string | undefined {
  for (const d of DELIMITERS) {
    if (!line.text.includes(d)) continue;
    const first = line.text.split(d)[0]!.trim().replace(/^"|"$/g, '');
    if (INTEGER_RE.test(first) || MID_RE.test(first) || HEADER_WORDS.has(first.toLowerCase())) return d;
  }
  return undefined;
}

function layoutOf(first: TextLine): { layout: ClassListLayout; delimiter?: string } {
  if (ID_COLON_RE.test(first.text)) return { layout: 'id-colon' };
  const delimiter = tableDelimiter(first);
  return delimiter ? { layout: 'table', delimiter } : { layout: 'lines' };
}

function idOf(text: string, line: TextLine, file: string, column?: number): number {
  const id = Number(text);
  if (!INTEGER_RE.test(text) || !Number.isSafeInteger(id) || id < 0) {
    throw new LabelmapError('class-list-line', { file, line: line.line, column }, { expected: 'an id 0 or more', found: JSON.stringify(text) });
  }
  return id;
}

/** The classes of a class-list text. Pure: `file` names the place in errors. */
export function parseClassList(text: string, file: string, options: { firstId?: number } = {}): ClassList {
  const firstId = options.firstId ?? 0;
  const lines = classLines(text);
  const first = lines[0];
  if (!first) throw new LabelmapError('class-list-empty', { file, line: 1 }, { what: 'class names (only blank or # comment lines)', fix: 'write one class name per line' });
  const { layout, delimiter } = layoutOf(first);
  const rows: DatasetClass[] = [];
  const rowLines: number[] = [];
  let hasHeader = false;
  let givenIds = layout === 'id-colon';
  let idColumn = -1;
  let midColumn = -1;
  let nameColumn = 0;
  let width = 1;

  if (layout === 'table') {
    const cells = splitDelimited(first, delimiter!, file).map((c) => c.trim());
    width = cells.length;
    if (width !== 2) {
      throw new LabelmapError('class-list-line', { file, line: first.line }, {
        expected: `two cells separated by ${describe(delimiter!)} (id and name, or MID and name)`,
        found: `${width} cells: ${JSON.stringify(first.text.slice(0, 80))}`,
      });
    }
    hasHeader = HEADER_WORDS.has(cells[0]!.toLowerCase()) && !INTEGER_RE.test(cells[0]!);
    const sample = hasHeader ? lines[1] : first;
    const key = sample ? (splitDelimited(sample, delimiter!, file)[0] ?? '').trim() : '';
    if (MID_RE.test(key)) midColumn = 0;
    else idColumn = 0;
    givenIds = idColumn === 0;
    nameColumn = 1;
  }

  for (const line of hasHeader ? lines.slice(1) : lines) {
    const position = firstId + rows.length;
    if (layout === 'lines') {
      rows.push(datasetClass(position, line.text.trim()));
    } else if (layout === 'id-colon') {
      const m = ID_COLON_RE.exec(line.text);
      if (!m) throw new LabelmapError('class-list-line', { file, line: line.line }, { expected: '"<id>: <name>", as on the first class line', found: JSON.stringify(line.text.slice(0, 80)) });
      const name = m[2]!.trim();
      if (name === '') throw new LabelmapError('class-list-line', { file, line: line.line }, { expected: 'a name after the id', found: JSON.stringify(line.text) });
      rows.push(datasetClass(idOf(m[1]!, line, file), name));
    } else {
      const cells = splitDelimited(line, delimiter!, file).map((c) => c.trim());
      if (cells.length !== width) {
        throw new LabelmapError('class-list-line', { file, line: line.line }, {
          expected: `${width} cells separated by ${describe(delimiter!)}, as on line ${first.line}`,
          found: `${cells.length}: ${JSON.stringify(line.text.slice(0, 80))}`,
          fix: 'quote a name that holds the separator ("a, b"), or correct the separator on that line',
        });
      }
      const name = cells[nameColumn]!;
      if (name === '') throw new LabelmapError('class-list-line', { file, line: line.line, column: nameColumn + 1 }, { expected: 'a class name', found: 'an empty cell' });
      if (midColumn >= 0) {
        const mid = cells[midColumn]!;
        if (!MID_RE.test(mid)) throw new LabelmapError('class-list-line', { file, line: line.line, column: 1 }, { expected: 'an Open Images MID such as /m/011k07', found: JSON.stringify(mid) });
        rows.push(datasetClass(position, name, { extra: { x_mid: mid } }));
      } else {
        rows.push(datasetClass(idOf(cells[idColumn]!, line, file, idColumn + 1), name));
      }
    }
    rowLines.push(line.line);
  }
  if (rows.length === 0) throw new LabelmapError('class-list-empty', { file, line: first.line + 1 }, { what: 'class rows below the header' });
  checkUniqueLabels(rows, rowLines, file);
  return { layout, delimiter, givenIds, hasHeader, rows, lines: rowLines };
}

export function readClassList(file: string, options: { firstId?: number } = {}): ClassList {
  return parseClassList(readTextFile(file, 'class list'), file, options);
}

/** `obj.names` -> `obj`, `class-descriptions-boxable.csv` -> `class-descriptions-boxable`. */
function sheetNameOf(file: string): string {
  const slug = path.basename(file).replace(/\.[^.]*$/, '').toLowerCase().replace(/[^a-z0-9._-]+/g, '-').replace(/^[^a-z0-9]+|[^a-z0-9]+$/g, '');
  return isSafeSheetName(slug) ? slug : 'classes';
}

const LAYOUT_WORDS: Record<ClassListLayout, string> = {
  lines: 'one name per line',
  'id-colon': '"<id>: <name>" lines',
  table: 'a two-column table',
};

export const names: Extractor = {
  id: 'names',
  title: 'Plain class list',
  input: 'a class list: one name per line (obj.names, labels.txt), "id: name" lines, or id,name / MID,Name CSV (--first-id 0|1)',

  async detect(input: string): Promise<Detection> {
    if (!/\.(names|txt|csv|tsv|labels)$/i.test(input)) return { ok: false, reason: 'not a .names, .txt, .csv, .tsv or .labels file' };
    try {
      const first = classLines(readHeadLines(input, 'class list').map((l) => l.text).join('\n'))[0];
      if (!first) return { ok: false, reason: 'no class lines at its start' };
      if (first.text.trim() === '__ignore__') return { ok: false, reason: 'a labelme labels.txt (__ignore__ first): use labelme' };
      const { layout, delimiter } = layoutOf(first);
      if (layout === 'table' && splitDelimited(first, delimiter!, input).length !== 2) return { ok: false, reason: `a table of more than two columns (${JSON.stringify(first.text.slice(0, 40))})` };
      if (layout === 'lines' && /\.csv$/i.test(input)) return { ok: false, reason: 'a .csv file whose first line is no id,name or MID,Name row' };
      if (layout === 'lines' && /^\s*\d{1,3}\s+\d{1,3}\s+\d{1,3}\s+\S/.test(first.text)) return { ok: false, reason: 'lines of "R G B Name" (a colour table): use camvid' };
      // Any text file is a list of lines: without a layout of its own, only the name can tell.
      if (layout === 'lines' && !/\.names$/i.test(input) && !LIST_FILE_RE.test(path.basename(input))) {
        return { ok: false, reason: 'plain lines in a file whose name does not say class list (obj.names, classes.txt, labels.txt): `labelmap extract names` reads it as one' };
      }
      return { ok: true, reason: `a class list, ${LAYOUT_WORDS[layout]}${delimiter ? ` separated by ${describe(delimiter)}` : ''}` };
    } catch (error) {
      return rejectedBy(error);
    }
  },

  async extract(input: string, options: ExtractOptions): Promise<Extraction> {
    const list = readClassList(input, { firstId: options.firstId });
    const notes = [`read ${list.rows.length} classes from ${path.basename(input)} (${LAYOUT_WORDS[list.layout]}${list.delimiter ? ` separated by ${describe(list.delimiter)}` : ''}${list.hasHeader ? ', with a header' : ''})`];
    if (list.givenIds) {
      notes.push('ids are the ones the file gives');
      if (options.firstId !== undefined) notes.push('--first-id is not used: the file gives its ids');
    } else {
      notes.push(`ids are line positions from ${options.firstId ?? 0}${options.firstId === undefined ? ' (pass --first-id 1 to count from 1)' : ''}`);
    }
    if (list.rows.some((r) => r.extra.x_mid)) notes.push('the Open Images MIDs are kept as x_mid');
    if (options.stats) notes.push('--stats: a class list has no counts');
    return { name: sheetNameOf(input), rows: list.rows, notes };
  },
};
