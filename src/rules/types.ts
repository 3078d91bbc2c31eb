// What a rule is and what it gets. A rule is named by the codes it emits, belongs to one stage
// (the subject it checks), and is a pure function from the loaded sheets to findings.
import type { z } from 'zod/v3';
import type { Code, Finding } from '../findings.js';
import { rowSchemaOf } from '../sheets/schema.js';
import type { SheetFile, UnlistedFile } from '../sheets/types.js';
import type { Sheet } from '../sheets/types.js';
import type { SheetSet } from '../taxonomy/types.js';
import type { Lock } from '../versioning/lock.js';

/**
 * The subjects, in the order validate runs them. `files` (names and places of sheet files) and
 * `versions` (bumps, the lock) are about a sheets folder and its history: validate's alone. The
 * others are about the sheets a command reads, and every reader runs them.
 */
export type Stage = 'files' | 'cells' | 'taxonomy' | 'mappings' | 'verticals' | 'versions';
export const STAGES: readonly Stage[] = ['files', 'cells', 'taxonomy', 'mappings', 'verticals', 'versions'];
/** What merge, export and the library (openSheets) run over the sheets they compile. */
export const SET_STAGES: readonly Stage[] = ['cells', 'taxonomy', 'mappings', 'verticals'];

export interface RuleInput {
  /** Every sheet file found (validate), or the files of the selected sheets (merge). */
  files: readonly SheetFile[];
  /** Files in the kinds' folders whose names are not sheet names (the files stage). */
  unlisted?: readonly UnlistedFile[];
  /** The sheets to check cell by cell: every loaded file (validate), the selected sheets (merge). */
  sheets: readonly Sheet[];
  /** The set as merge composes it; null when there is no one taxonomy (then its rules do not run). */
  set: SheetSet | null;
  /** Which datasets and mappings pair up (the mappings stage); absent: not checked. */
  pairing?: Pairing;
  /** The versions stage: the sheets whose versions are compared (those that read cleanly) and the lock. */
  versions?: { sheets: readonly Sheet[]; lock: Lock | null; lockFile: string; /** The sheets folder, as fix texts name it (`git -C <dir> checkout -- <file>`). */ sheetsDir?: string };
}

export interface Pairing {
  /** The latest mapping file of each name that no dataset sheet has. */
  orphans: SheetFile[];
  /** Every dataset sheet name there is (for the suggestion). */
  datasetNames: string[];
  /** Selected dataset sheets without a mapping; `required` when named on purpose (--datasets). */
  unmapped: { dataset: SheetFile; required: boolean }[];
}

export interface Rule {
  /** The codes this rule emits (a rule that walks the rows once may emit several related codes). */
  codes: readonly Code[];
  stage: Stage;
  check: (input: RuleInput) => Finding[];
}

/**
 * Whether a name is in one column of a sheet, also in rows that did not type: a class whose row
 * has a bad cell is still there (its own finding says what is wrong), so rules across sheets do
 * not report it again as missing. When a row's cell in that very column is broken (an empty or
 * mis-cased name), nobody can tell which name it meant: then every name counts as present.
 */
export function cellsOf(sheet: Sheet, column: string): { has(name: string): boolean } {
  // The typed rows' values, plus the raw text of every row (a sheet made in memory may have no table).
  const cells = new Set<string>();
  const values: string[] = sheet.rows.map((r) => String((r as unknown as Record<string, unknown>)[column] ?? ''));
  for (const v of values) cells.add(v);
  const i = sheet.table.header.indexOf(column);
  if (i < 0) return cells;
  // Typed rows keep their table order: when every table row's line is a typed row's, all typed (the
  // common case, without a set of lines).
  const rows = sheet.table.rows;
  let allTyped = rows.length === sheet.lines.length;
  for (let k = 0; allTyped && k < rows.length; k++) allTyped = rows[k]!.line === sheet.lines[k];
  const typed = allTyped ? null : new Set(sheet.lines);
  // The column's cell schema, looked up only for a row that did not type (most sheets have none).
  let cell: z.ZodTypeAny | undefined;
  let blind = false;
  for (let k = 0; k < rows.length; k++) {
    const row = rows[k]!;
    const text = row.cells[i] ?? '';
    const trimmed = text.trim();
    // With every row typed, row k is typed row k: a cell read as it stands is in the set already.
    if (trimmed !== '' && (typed !== null || trimmed !== values[k])) cells.add(trimmed);
    if (typed === null || typed.has(row.line)) continue;
    cell ??= (rowSchemaOf(sheet.kind) as unknown as z.ZodObject<z.ZodRawShape>).shape[column];
    if (cell && !cell.safeParse(text).success) blind = true;
  }
  return blind ? { has: () => true } : cells;
}

/** The place of one typed row's cell: `file:line:column`. */
export function at(sheet: Sheet, index: number, column: string): { file: string; line?: number; column?: number } {
  const c = sheet.columns.indexOf(column);
  return { file: sheet.rel, line: sheet.lines[index], column: c >= 0 ? c + 1 : undefined };
}

/** `name@version`. */
export function refOf(sheet: Sheet): string {
  return `${sheet.name}@${sheet.version}`;
}
