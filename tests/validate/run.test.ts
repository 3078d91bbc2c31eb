// validateSheets over the fixture sets: the clean set has no finding at all; each broken set has
// exactly the findings of the one rule it breaks (among the codes of the readers, of validate's
// own rules, and of the merge rules it shares: taxonomy ids reused, train id gaps).
import { cpSync, readdirSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import type { Finding } from '../../src/findings.js';
import type { Stage } from '../../src/rules/index.js';
import { validateSheets } from '../../src/validate/run.js';
import { BROKEN, CLEAN, fixtureSet } from './fixtures.js';

/** Codes that src/sheets (the readers) and src/validate/rules.ts produce. */
const OWN_CODES = new Set([
  'sheet-file-name', 'sheet-file-misplaced', 'csv-encoding', 'csv-delimiter', 'csv-parse', 'csv-empty',
  'header-missing-column', 'header-unknown-column', 'header-duplicate-column', 'header-wrong-kind',
  'cell-invalid', 'cell-formula', 'duplicate-id', 'duplicate-name', 'taxonomy-id-reused',
  'mapping-dataset-missing', 'vertical-train-id-gap', 'vertical-color-duplicate', 'vertical-include-conflict',
  'vertical-include-redundant',
]);

type Brief = [code: string, severity: string, file: string, line?: number, column?: number];
const brief = (f: Finding): Brief => {
  const out: Brief = [f.code, f.severity, f.file ?? ''];
  if (f.line !== undefined || f.column !== undefined) out.push(f.line);
  if (f.column !== undefined) out.push(f.column);
  return out;
};
const own = (dir: string) => validateSheets(dir).findings.filter((f) => OWN_CODES.has(f.code));

const EXPECTED: Record<string, Brief[]> = {
  'sheet-file-name': [['sheet-file-name', 'error', 'datasets/Toy_v2.csv']],
  'sheet-file-misplaced': [['sheet-file-misplaced', 'error', 'dataset/toy@1.1.0.csv']],
  'header-missing-column': [['header-missing-column', 'error', 'verticals/street@1.0.0.csv', 1]],
  'header-unknown-column': [['header-unknown-column', 'error', 'datasets/toy@1.0.0.csv', 1, 10]],
  'header-wrong-kind': [['header-wrong-kind', 'error', 'mappings/toy@1.0.0.csv', 1]],
  'csv-delimiter': [['csv-delimiter', 'error', 'datasets/toy@1.0.0.csv', 1]],
  'csv-encoding': [['csv-encoding', 'error', 'taxonomy/core@1.1.0.csv', 8, 7]],
  'csv-encoding-utf16': [['csv-encoding', 'error', 'mappings/toy@1.0.0.csv', 1, 1]],
  'csv-parse': [['csv-parse', 'error', 'datasets/toy@1.0.0.csv', 3, 3]],
  'cell-invalid': [
    ['cell-invalid', 'error', 'taxonomy/core@1.1.0.csv', 3, 1],
    ['cell-invalid', 'error', 'taxonomy/core@1.1.0.csv', 5, 2],
    ['cell-invalid', 'error', 'taxonomy/core@1.1.0.csv', 6, 5],
    ['cell-invalid', 'error', 'taxonomy/core@1.1.0.csv', 7, 2],
    ['cell-invalid', 'error', 'taxonomy/core@1.1.0.csv', 8, 6],
  ],
  duplicate: [
    ['duplicate-id', 'error', 'datasets/toy@1.0.0.csv', 7, 1],
    ['duplicate-name', 'error', 'datasets/toy@1.0.0.csv', 10, 2],
  ],
  'cell-formula': [
    ['cell-formula', 'error', 'datasets/toy@1.0.0.csv', 4, 3],
    ['cell-formula', 'warning', 'datasets/toy@1.0.0.csv', 6, 2],
    ['cell-formula', 'error', 'mappings/toy@1.0.0.csv', 4, 3],
    ['cell-formula', 'warning', 'mappings/toy@1.0.0.csv', 6, 1],
    ['cell-formula', 'error', 'mappings/toy@1.0.0.csv', 9, 3],
  ],
  'taxonomy-id-reused': [['taxonomy-id-reused', 'error', 'taxonomy/core@2.0.0.csv', 7, 1]],
  // merged with merge's mapping-orphan, whose severity (warning: the mapping is skipped) it keeps
  'mapping-dataset-missing': [['mapping-dataset-missing', 'warning', 'mappings/toyy@1.0.0.csv']],
  'vertical-train-id-gap': [['vertical-train-id-gap', 'warning', 'verticals/street@1.0.0.csv', 4, 3]],
  'vertical-color-duplicate': [['vertical-color-duplicate', 'error', 'verticals/street@1.0.0.csv', 4, 4]],
  'vertical-include-conflict': [['vertical-include-conflict', 'error', 'verticals/street@1.0.0.csv', 7, 2]],
  'vertical-include-redundant': [['vertical-include-redundant', 'warning', 'verticals/street@1.0.0.csv', 5, 2]],
};

describe('validateSheets', () => {
  it('finds nothing in the clean set, with every stage', () => {
    const result = validateSheets(CLEAN);
    expect(result.findings).toEqual([]);
    expect(result.files.map((f) => f.rel)).toEqual([
      'datasets/toy@1.0.0.csv',
      'taxonomy/core@1.0.0.csv',
      'taxonomy/core@1.1.0.csv',
      'mappings/toy@1.0.0.csv',
      'verticals/street@1.0.0.csv',
    ]);
  });

  it('has a fixture set for every expectation and an expectation for every set', () => {
    expect(readdirSync(BROKEN).sort()).toEqual(Object.keys(EXPECTED).sort());
  });

  for (const [name, expected] of Object.entries(EXPECTED)) {
    it(`broken/${name}: ${expected.map((e) => `${e[0]} at ${e[2]}:${e[3] ?? ''}`).join(', ')}`, () => {
      expect(own(fixtureSet(name)).map(brief)).toEqual(expected);
    });
  }

  it('reports every finding of every file, not just the first', () => {
    // Two broken sets at once: both files' findings come back, sorted by file and line.
    const merged = fixtureSet('cell-invalid');
    cpSync(`${BROKEN}/vertical-include-conflict`, merged, { recursive: true });
    expect(own(merged).map((f) => `${f.file}:${f.line}`)).toEqual([
      'taxonomy/core@1.1.0.csv:3',
      'taxonomy/core@1.1.0.csv:5',
      'taxonomy/core@1.1.0.csv:6',
      'taxonomy/core@1.1.0.csv:7',
      'taxonomy/core@1.1.0.csv:8',
      'verticals/street@1.0.0.csv:7',
    ]);
  });

  it('runs the stages it is given, after reading every file', () => {
    // The set with a layout finding (files), a reused taxonomy id (taxonomy) and a conflicting include (verticals).
    const dir = fixtureSet('sheet-file-name');
    cpSync(`${BROKEN}/taxonomy-id-reused`, dir, { recursive: true });
    cpSync(`${BROKEN}/vertical-include-conflict`, dir, { recursive: true });
    const codes = (stages?: Stage[]) => validateSheets(dir, stages).findings.filter((f) => OWN_CODES.has(f.code)).map((f) => f.code);
    expect(codes()).toEqual(['sheet-file-name', 'taxonomy-id-reused', 'vertical-include-conflict']);
    expect(codes(['verticals'])).toEqual(['vertical-include-conflict']);
    expect(codes(['files', 'taxonomy'])).toEqual(['sheet-file-name', 'taxonomy-id-reused']);
  });

  it('cannot run on a missing folder or one without sheet folders (exit 2)', () => {
    expect(() => validateSheets(`${CLEAN}/nope`)).toThrow(/sheets folder not found/);
    expect(() => validateSheets(BROKEN)).toThrow(/not a sheets folder/);
  });
});
