// Helpers shared by the Cityscapes, Mapillary, ApolloScape and python-labels tests.
import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { parse } from 'csv-parse/sync';
import { LabelmapError, formatFinding, type Finding } from '../../src/findings.js';
import type { DatasetClass } from '../../src/sheets/schema.js';
import { FIXTURES, REAL, ROOT } from '../helpers/cli.js';

export const CITY = path.join(FIXTURES, 'cityscapes');
export const APOLLO = path.join(FIXTURES, 'apolloscape');
export const VISTAS = path.join(FIXTURES, 'mapillary');
/** The real metadata: `REAL`, or from a git worktree two levels down (wt/<name>), ../../shared/real. */
const REAL_DIR = [REAL, path.resolve(ROOT, '..', '..', 'shared', 'real')].find((d) => existsSync(d)) ?? REAL;
export const REAL_CITY = path.join(REAL_DIR, 'cityscapes');
export const REAL_APOLLO = path.join(REAL_DIR, 'apolloscape');
export const REAL_VISTAS = path.join(REAL_DIR, 'mapillary');

/** The finding of the LabelmapError a call throws (fails the test when it does not throw one). */
export async function errorOf(run: () => unknown): Promise<Finding & { text: string }> {
  try {
    await run();
  } catch (error) {
    if (error instanceof LabelmapError) return { ...error.finding, text: formatFinding(error.finding) };
    throw error;
  }
  throw new Error('expected a LabelmapError, but the call succeeded');
}

/** A facts CSV as records of text. */
export function readFacts(file: string): Record<string, string>[] {
  return parse(readFileSync(file, 'utf8'), { columns: true }) as Record<string, string>[];
}

/** The 1-based line of the first line of `file` that contains `needle`. */
export function lineOf(file: string, needle: string): number {
  const i = readFileSync(file, 'utf8').split('\n').findIndex((l) => l.includes(needle));
  if (i < 0) throw new Error(`${needle} not in ${file}`);
  return i + 1;
}

/** Extracted rows in the columns of the *.facts.csv tables (cls_id only where the facts have it). */
export function asFacts(rows: readonly DatasetClass[], withClsId = false): Record<string, string>[] {
  return rows.map((r) => ({
    name: r.name,
    ...(withClsId ? { cls_id: r.extra.x_cls_id ?? '' } : {}),
    id: String(r.id),
    train_id: String(r.train_id),
    category: r.category,
    category_id: r.extra.x_category_id ?? '',
    has_instances: String(r.is_thing),
    ignore_in_eval: String(!r.evaluate),
    color: r.color,
  }));
}
