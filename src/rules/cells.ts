// Rules over the cells of one sheet: its header fits its kind, ids and names are unique, and no
// cell is one a spreadsheet would run as a formula. The readers (sheets/csv.ts) run the first two
// on every read, since a sheet with a broken header cannot be typed at all.
import { formulaStart } from '../text/index.js';
import { finding, type Finding } from '../findings.js';
import { COLUMNS, KIND_DIRS, SHEET_KINDS, isExtraColumn, type SheetKind } from '../sheets/schema.js';
import type { ParsedSheet, Sheet } from '../sheets/types.js';
import type { Rule } from './types.js';

/** Checks the header of a sheet against its kind. */
export function checkHeader(kind: SheetKind, header: string[], file: string): Finding[] {
  const spec = COLUMNS[kind];
  const seen = new Set<string>(header);
  if (spec.required.some((c) => !seen.has(c))) {
    // A sheet of another kind in the wrong folder: one finding instead of a column-by-column list.
    const other = SHEET_KINDS.find((k) => k !== kind && COLUMNS[k].required.every((c) => seen.has(c)));
    if (other) {
      return [finding('header-wrong-kind', 'error', { file, line: 1 }, { kind, found: other, dir: KIND_DIRS[kind], foundDir: KIND_DIRS[other] })];
    }
  }
  seen.clear();
  const out: Finding[] = [];
  header.forEach((column, i) => {
    if (seen.has(column)) out.push(finding('header-duplicate-column', 'error', { file, line: 1, column: i + 1 }, { column }));
    seen.add(column);
    if (!spec.required.includes(column) && !spec.optional.includes(column) && !isExtraColumn(column)) {
      out.push(finding('header-unknown-column', 'error', { file, line: 1, column: i + 1 }, { column, kind }));
    }
  });
  for (const column of spec.required) {
    if (!seen.has(column)) {
      out.push(
        finding('header-missing-column', 'error', { file, line: 1 }, { column, kind, required: spec.required.join(',') }),
      );
    }
  }
  return out;
}

/** Unique ids and names per sheet (the rule every reader needs, not only validate). */
export function checkUnique(sheet: ParsedSheet, file: string): Finding[] {
  const keys: Record<SheetKind, { column: string; code: 'duplicate-id' | 'duplicate-name' }[]> = {
    dataset: [
      { column: 'id', code: 'duplicate-id' },
      { column: 'name', code: 'duplicate-name' },
    ],
    taxonomy: [
      { column: 'id', code: 'duplicate-id' },
      { column: 'name', code: 'duplicate-name' },
    ],
    mapping: [{ column: 'source', code: 'duplicate-name' }],
    vertical: [],
    // Pairs (key, value; source_key, source_value) are unique: rules/attributes.ts checks them.
    attributes: [],
    'attribute-mapping': [],
    'attribute-rule': [],
  };
  const out: Finding[] = [];
  for (const { column, code } of keys[sheet.kind]) {
    const first = new Map<string, number>();
    sheet.rows.forEach((row, i) => {
      const value = String((row as unknown as Record<string, unknown>)[column]);
      const line = sheet.lines[i]!;
      const seen = first.get(value);
      if (seen !== undefined) {
        out.push(finding(code, 'error', { file, line, column: sheet.columns.indexOf(column) + 1 }, { column, value, firstLine: seen }));
      } else first.set(value, line);
    });
  }
  return out;
}

// --- formulas ------------------------------------------------------------------------------------

// One reading of "a formula cell" for the sheets (this rule) and the build outputs (taxonomy/outputs.ts).
export { formulaStart } from '../text/index.js';

/**
 * Columns whose text must match the dataset's annotations to the letter: a formula-like cell
 * there is a warning (it cannot be reworded), elsewhere an error.
 */
const VERBATIM_COLUMNS: Partial<Record<SheetKind, readonly string[]>> = { dataset: ['name'], mapping: ['source'] };

/** Every cell of a sheet (also rows that did not type) that a spreadsheet would run as a formula. */
export function checkFormulaCells(sheet: Sheet): Finding[] {
  const out: Finding[] = [];
  // The reader saw no cell that starts like a formula (most sheets): nothing to look at.
  if (sheet.table.formulaFree) return out;
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

export const CELL_RULES: readonly Rule[] = [
  {
    codes: ['cell-formula'],
    stage: 'cells',
    check: ({ sheets }) => sheets.flatMap(checkFormulaCells),
  },
];
