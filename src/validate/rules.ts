// The rules validate adds to what every reader already checks (src/sheets/csv.ts: encoding,
// delimiter, quotes, header, cell types, unique ids and names). Pure: sheets in, findings out.
//   - cells a spreadsheet would run as a formula
//   - taxonomy ids reused for another class across the versions of a taxonomy sheet
//   - verticals: train ids contiguous from 0, distinct colours, a taxonomy class included twice
//   - a mapping sheet for a dataset that has no dataset sheet
// The taxonomy tree, mapping coverage and targets, and vertical includes / unique train ids / 255
// belong to src/taxonomy/rules.ts (merge); validate runs them through its integration point (run.ts).
import { finding, type Finding } from '../findings.js';
import type { SheetFile } from '../sheets/discover.js';
import type { Sheet } from '../sheets/io.js';
import { KIND_DIRS, type SheetKind } from '../sheets/schema.js';

// --- formulas ------------------------------------------------------------------------------------

const NUMBER_RE = /^[+-]?(?:\d+(?:\.\d*)?|\.\d+)(?:e[+-]?\d+)?$/i;

/**
 * The character that makes a spreadsheet run the cell as a formula (`=`, `+`, `-`, `@`, tab, CR),
 * or null. A number such as `-1` or `+3.5` is a number, not a formula.
 */
export function formulaStart(cell: string): string | null {
  const first = cell[0];
  if (first === undefined || !'=+-@\t\r'.includes(first)) return null;
  if ((first === '+' || first === '-') && NUMBER_RE.test(cell)) return null;
  if ((first === '\t' || first === '\r') && NUMBER_RE.test(cell.trim())) return null;
  return first;
}

/**
 * Columns whose text must match the dataset's annotations to the letter: a formula-like cell
 * there is a warning (it cannot be reworded), elsewhere an error.
 */
const VERBATIM_COLUMNS: Partial<Record<SheetKind, readonly string[]>> = { dataset: ['name'], mapping: ['source'] };

/** Every cell of a sheet (also rows that did not type) that a spreadsheet would run as a formula. */
export function checkFormulaCells(sheet: Sheet): Finding[] {
  const out: Finding[] = [];
  const { header, rows } = sheet.table;
  const verbatim = VERBATIM_COLUMNS[sheet.kind] ?? [];
  for (const { line, cells } of rows) {
    cells.forEach((cell, i) => {
      const start = formulaStart(cell);
      if (start === null) return;
      const column = header[i] ?? '(beyond the header)';
      const kept = verbatim.includes(column);
      out.push(
        finding('cell-formula', kept ? 'warning' : 'error', { file: sheet.rel, line, column: i + 1 }, {
          column,
          found: cell.length > 60 ? `${cell.slice(0, 57)}...` : cell,
          start,
          fix: kept
            ? 'kept: a native class name must match the annotations to the letter; import the sheet into a spreadsheet as text, never open it directly'
            : undefined,
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

// --- taxonomy ids across versions ----------------------------------------------------------------


// --- verticals -----------------------------------------------------------------------------------

interface OutputClass {
  name: string;
  /** Line of the class's first row. */
  line: number;
  /** The first train id given on one of its rows, and that row's line. */
  trainId: number | null;
  trainIdLine: number;
  color: string;
  colorLine: number;
}

/** The output classes of a vertical in order of first appearance, with their first train id and colour. */
function outputClasses(sheet: Sheet<'vertical'>): OutputClass[] {
  const byName = new Map<string, OutputClass>();
  sheet.rows.forEach((row, i) => {
    const line = sheet.lines[i]!;
    let c = byName.get(row.class);
    if (!c) {
      c = { name: row.class, line, trainId: null, trainIdLine: line, color: '', colorLine: line };
      byName.set(row.class, c);
    }
    if (c.trainId === null && row.train_id !== null) {
      c.trainId = row.train_id;
      c.trainIdLine = line;
    }
    if (c.color === '' && row.color !== '') {
      c.color = row.color;
      c.colorLine = line;
    }
  });
  return [...byName.values()];
}



/** Every output class of a vertical has its own colour (empty colours are not compared). */
export function checkVerticalColors(sheet: Sheet<'vertical'>): Finding[] {
  const out: Finding[] = [];
  const first = new Map<string, OutputClass>();
  const column = sheet.columns.indexOf('color') + 1;
  for (const c of outputClasses(sheet)) {
    if (c.color === '') continue;
    const other = first.get(c.color);
    if (other) {
      out.push(
        finding('vertical-color-duplicate', 'error', { file: sheet.rel, line: c.colorLine, column }, {
          color: c.color,
          class: c.name,
          otherClass: other.name,
          otherLine: other.colorLine,
        }),
      );
    } else first.set(c.color, c);
  }
  return out;
}

/** A taxonomy class in `include` on two rows (for one output class or for two). */
export function checkVerticalIncludesTwice(sheet: Sheet<'vertical'>): Finding[] {
  const out: Finding[] = [];
  const first = new Map<string, { line: number; class: string }>();
  const column = sheet.columns.indexOf('include') + 1;
  sheet.rows.forEach((row, i) => {
    const line = sheet.lines[i]!;
    const seen = first.get(row.include);
    if (seen) {
      out.push(
        finding('vertical-include-twice', 'error', { file: sheet.rel, line, column }, {
          include: row.include,
          class: row.class,
          firstLine: seen.line,
          firstClass: seen.class,
        }),
      );
    } else first.set(row.include, { line, class: row.class });
  });
  return out;
}

/**
 * A taxonomy class included both on its own row and through an ancestor's row (whose include
 * takes the whole subtree): a warning, since which row wins is merge's to define. Needs the
 * taxonomy's parent links (`parentOf`: class name -> parent name or '').
 */
export function checkVerticalIncludesNested(sheet: Sheet<'vertical'>, parentOf: ReadonlyMap<string, string>): Finding[] {
  const out: Finding[] = [];
  const includedAt = new Map<string, { line: number; class: string }>();
  sheet.rows.forEach((row, i) => {
    if (!includedAt.has(row.include)) includedAt.set(row.include, { line: sheet.lines[i]!, class: row.class });
  });
  const column = sheet.columns.indexOf('include') + 1;
  sheet.rows.forEach((row, i) => {
    const line = sheet.lines[i]!;
    if (includedAt.get(row.include)?.line !== line) return; // a repeated row: vertical-include-twice
    // Walk up; back at the start or past the bound is a cycle (the taxonomy rules report cycles).
    let name = parentOf.get(row.include) ?? '';
    for (let steps = 0; name !== '' && name !== row.include && steps <= parentOf.size; steps++) {
      const ancestor = includedAt.get(name);
      // In another output class, a descendant's include is the designed override (DESIGN.md: the
      // more specific include wins for its subtree). In the same class the row is redundant.
      if (ancestor && ancestor.class !== row.class) return;
      if (ancestor) {
        out.push(
          finding('vertical-include-nested', 'warning', { file: sheet.rel, line, column }, {
            include: row.include,
            class: row.class,
            ancestor: name,
            ancestorLine: ancestor.line,
            ancestorClass: ancestor.class,
          }),
        );
        return;
      }
      name = parentOf.get(name) ?? '';
    }
  });
  return out;
}

// --- mappings ------------------------------------------------------------------------------------

/** A mapping sheet whose name is no dataset sheet's name (checked on the latest mapping file). */
export function checkMappingsHaveDatasets(files: readonly SheetFile[]): Finding[] {
  const datasets = [...new Set(files.filter((f) => f.kind === 'dataset').map((f) => f.name))];
  const latestMapping = new Map<string, SheetFile>();
  for (const f of files) if (f.kind === 'mapping') latestMapping.set(f.name, f); // files are sorted oldest first
  const out: Finding[] = [];
  for (const mapping of latestMapping.values()) {
    if (datasets.includes(mapping.name)) continue;
    out.push(
      finding('mapping-dataset-missing', 'error', { file: mapping.rel }, {
        name: mapping.name,
        expected: `${KIND_DIRS.dataset}/${mapping.name}@<version>.csv`,
        suggestion: closestName(mapping.name, datasets),
      }),
    );
  }
  return out;
}

/** The known name a mistyped one most likely meant (edit distance of at most 2, or a prefix). */
export function closestName(name: string, known: readonly string[]): string | undefined {
  let best: { name: string; d: number } | undefined;
  for (const k of known) {
    const d = k.startsWith(name) || name.startsWith(k) ? 1 : editDistance(name, k);
    if (d <= 2 && (!best || d < best.d)) best = { name: k, d };
  }
  return best?.name;
}

function editDistance(a: string, b: string): number {
  let prev = Array.from({ length: b.length + 1 }, (_, j) => j);
  for (let i = 1; i <= a.length; i++) {
    const cur = [i];
    for (let j = 1; j <= b.length; j++) {
      cur[j] = Math.min(prev[j]! + 1, cur[j - 1]! + 1, prev[j - 1]! + (a[i - 1] === b[j - 1] ? 0 : 1));
    }
    prev = cur;
  }
  return prev[b.length]!;
}
