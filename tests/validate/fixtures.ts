// Fixture sets for validate: `clean/`, and `broken/<code>/` copied over it (fixtures/validate/README.md).
import { cpSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { parseSheetText } from '../../src/sheets/csv.js';
import { parseSheetFileName } from '../../src/sheets/discover.js';
import type { Sheet } from '../../src/sheets/io.js';
import type { SheetKind } from '../../src/sheets/schema.js';
import { FIXTURES } from '../helpers/cli.js';

export const CLEAN = path.join(FIXTURES, 'validate', 'clean');
export const BROKEN = path.join(FIXTURES, 'validate', 'broken');

/** A temporary sheets folder: clean/ with broken/<name>/ over it (or clean/ alone). */
export function fixtureSet(name?: string): string {
  const dir = mkdtempSync(path.join(tmpdir(), 'labelmap-validate-'));
  cpSync(CLEAN, dir, { recursive: true });
  if (name) cpSync(path.join(BROKEN, name), dir, { recursive: true });
  return dir;
}

/** A sheet parsed from text, as validate's rules get it (`rel` like `verticals/street@1.0.0.csv`). */
export function sheetOf<K extends SheetKind>(kind: K, rel: string, text: string): Sheet<K> {
  const { sheet, findings } = parseSheetText(kind, text, rel);
  if (!sheet) throw new Error(`fixture does not parse: ${JSON.stringify(findings)}`);
  const { name, version } = parseSheetFileName(path.basename(rel))!;
  return { ...sheet, name, version, file: rel, rel, sha256: '' };
}
