// The core's sheet types, in a module without file access: taxonomy/, versioning/ and rules/
// import these, never the readers (sheets/io.ts, sheets/discover.ts).
import type { RowOf, SheetKind } from './schema.js';

export interface RawRow {
  /** 1-based line on which the row starts. */
  line: number;
  cells: string[];
}

export interface RawTable {
  header: string[];
  rows: RawRow[];
  /**
   * Set by the reader when no cell starts with a character that can start a spreadsheet formula
   * (`=`, `+`, `-`, `@`, tab, CR): the rule cell-formula then has nothing to look at. Absent: not
   * known (a table made in memory), every cell is looked at.
   */
  formulaFree?: true;
}

export interface ParsedSheet<K extends SheetKind = SheetKind> {
  kind: K;
  columns: string[];
  rows: RowOf[K][];
  /** Line of each row, index-aligned with rows. */
  lines: number[];
  /** Every row as read, also those that did not type (for rules over the text of every cell). */
  table: RawTable;
}

/** A sheet file in a sheets folder: `<kind dir>/<name>@<version>.csv`. */
export interface SheetFile {
  kind: SheetKind;
  name: string;
  version: string;
  /** Absolute path. */
  file: string;
  /** Path relative to the sheets folder, with `/` (`datasets/coco@1.0.0.csv`). */
  rel: string;
}

/** A read sheet: its typed rows, where it came from, and the sha256 of its bytes. */
export interface Sheet<K extends SheetKind = SheetKind> extends ParsedSheet<K> {
  name: string;
  version: string;
  /** Path as given (absolute for discovered sheets). */
  file: string;
  rel: string;
  sha256: string;
}

/** A file in a kind's folder whose name is not `<name>@<semver>.csv`: no command reads it. */
export interface UnlistedFile {
  kind: SheetKind;
  /** The file's own name (`COCO@1.0.0.csv`). */
  name: string;
  /** How messages name it: `datasets/COCO@1.0.0.csv`, or `v1:sheets/datasets/...` in git. */
  file: string;
}
