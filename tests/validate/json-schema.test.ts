// The JSON Schema of a row must accept exactly the cells the reader (the zod row schemas) accepts.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { z } from 'zod';
import { CELL_TYPES } from '../../src/sheets/csv.js';
import { COLUMNS, SHEET_KINDS, rowSchemaOf, type SheetKind } from '../../src/sheets/schema.js';
import { allRowJsonSchemas, cellPattern, rowJsonSchema } from '../../src/validate/json-schema.js';

const cellSchema = (kind: SheetKind, column: string) =>
  (rowSchemaOf(kind) as unknown as z.ZodObject<Record<string, z.ZodType>>).shape[column]!;
const zodAccepts = (kind: SheetKind, column: string, cell: string) => cellSchema(kind, column).safeParse(cell).success;
const patternAccepts = (kind: SheetKind, column: string, cell: string) => {
  const p = cellPattern(kind, column);
  return p === undefined || new RegExp(p).test(cell);
};

// Values around every rule: types, signs, ranges, case, spaces, empty cells.
const SAMPLES = [
  '', ' ', '0', '7', '-1', '-0', '+1', '1.0', ' 12 ', '007', '65534', '65535', '99999', '000065534', 'abc', 'car',
  'traffic_light', 'Traffic Light', '_x', 'x__y', 'a1', '1a', 'ignore', 'true', 'FALSE', ' True ', 'yes', '#ff8800',
  '#FF8800', ' #abcdef ', '#abc', 'ff8800', '#ff88001', 'anything, with comma', '=1+1', '\t', 'line\nbreak',
];

describe('rowJsonSchema', () => {
  for (const kind of SHEET_KINDS) {
    for (const column of [...COLUMNS[kind].required, ...COLUMNS[kind].optional]) {
      it(`${kind}.${column}: the pattern accepts what the reader accepts`, () => {
        for (const cell of SAMPLES) expect([cell, patternAccepts(kind, column, cell)]).toEqual([cell, zodAccepts(kind, column, cell)]);
        fc.assert(
          fc.property(fc.stringMatching(/^[ 0-9a-fA-F#_\-+.x ]{0,10}$/), (cell) => patternAccepts(kind, column, cell) === zodAccepts(kind, column, cell)),
          { numRuns: 300 },
        );
      });
    }
  }

  it('describes a row: every column a string, required columns, x_ columns allowed, nothing else', () => {
    const schema = rowJsonSchema('vertical');
    expect(schema).toMatchObject({
      $schema: 'https://json-schema.org/draft/2020-12/schema',
      type: 'object',
      required: ['class', 'include', 'train_id', 'color'],
      patternProperties: { '^x_[a-z0-9_]+$': { type: 'string' } },
      additionalProperties: false,
    });
    const props = schema.properties as Record<string, { type: string; pattern?: string; description: string }>;
    expect(Object.keys(props)).toEqual(['class', 'include', 'train_id', 'color', 'is_thing', 'other', 'absorbs', 'note']);
    for (const p of Object.values(props)) {
      expect(p.type).toBe('string');
      expect(p.description).not.toBe('');
    }
    expect(Object.keys(rowJsonSchema('dataset').properties as object)).toContain('instances');
    expect(rowJsonSchema('dataset').required).not.toContain('instances');
  });

  it('knows the cell type of every column and of no other', () => {
    for (const kind of SHEET_KINDS) {
      expect(Object.keys(CELL_TYPES[kind]).sort()).toEqual([...COLUMNS[kind].required, ...COLUMNS[kind].optional].sort());
    }
  });

  it('all seven kinds', () => {
    expect(Object.keys(allRowJsonSchemas())).toEqual(['dataset', 'taxonomy', 'mapping', 'vertical', 'attributes', 'attribute-mapping', 'attribute-rule']);
  });
});
