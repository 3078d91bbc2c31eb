// The diff on real label sets: Mapillary Vistas v1.1 -> v2.0 (ids are list positions, five names
// split into finer classes) and properties that hold for any pair of sheets.
import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { DatasetClass } from '../../src/sheets/schema.js';
import { requiredBump } from '../../src/versioning/bump.js';
import { diffSheets, type Change } from '../../src/versioning/diff.js';
import { REAL } from '../helpers/cli.js';

interface VistasLabel {
  name: string;
  readable: string;
  color: [number, number, number];
  instances: boolean;
  evaluate: boolean;
}

/** The rows a Mapillary config means: id = position in `labels`. */
function vistasRows(file: string): DatasetClass[] {
  const { labels } = JSON.parse(readFileSync(path.join(REAL, 'mapillary', file), 'utf8')) as { labels: VistasLabel[] };
  return labels.map((l, id) => ({
    id,
    name: l.name,
    display_name: l.readable,
    category: l.name.split('--')[0]!,
    train_id: null,
    color: `#${l.color.map((c) => c.toString(16).padStart(2, '0')).join('')}`,
    is_thing: l.instances,
    evaluate: l.evaluate,
    extra: {},
  }));
}

describe.skipIf(!existsSync(REAL))('diff of real label sets', () => {
  it('Mapillary Vistas v1.1 -> v2.0: the five split classes are removed (not renamed into the new class on their position), ids moved, major', () => {
    const before = vistasRows('config_v1.1_public.json');
    const after = vistasRows('config_v2.0.json');
    const changes = diffSheets('dataset', before, after, 'datasets/mapillary-vistas');
    const of = (rule: string) => changes.filter((c) => c.rule === rule);
    expect(of('class-removed').map((c) => c.key).sort()).toEqual([
      'human--person',
      'marking--crosswalk-zebra',
      'marking--general',
      'object--billboard',
      'object--traffic-light',
    ]);
    expect(of('class-added')).toHaveLength(124 - (66 - 5));
    // Every surviving class whose position moved is a renumbering, never a rename.
    const oldId = new Map(before.map((r) => [r.name, r.id]));
    const moved = after.filter((r) => oldId.has(r.name) && oldId.get(r.name) !== r.id).map((r) => r.name);
    expect(of('class-renumbered').map((c) => c.key).sort()).toEqual(moved.sort());
    expect(of('class-renamed')).toEqual([]);
    expect(requiredBump(changes)).toBe('major');
  });
});

describe('diff properties', () => {
  const row = fc.record({
    id: fc.integer({ min: 0, max: 30 }),
    name: fc.constantFrom('road', 'car', 'person', 'rider', 'sky', 'tree', 'bus', 'truck'),
    display_name: fc.constantFrom('', 'A', 'B'),
    category: fc.constantFrom('', 'flat', 'vehicle'),
    train_id: fc.option(fc.integer({ min: 0, max: 3 }), { nil: null }),
    color: fc.constantFrom('', '#000000', '#ffffff'),
    is_thing: fc.option(fc.boolean(), { nil: null }),
    evaluate: fc.option(fc.boolean(), { nil: null }),
  });
  // A valid dataset sheet: ids and names unique.
  const sheet = fc
    .array(row, { maxLength: 10 })
    .map((rows) => {
      const ids = new Set<number>();
      const names = new Set<string>();
      return rows.filter((r) => !ids.has(r.id) && !names.has(r.name) && ids.add(r.id) && names.add(r.name)).map((r) => ({ ...r, extra: {} }) as DatasetClass);
    });
  const count = (changes: Change[], rule: string) => changes.filter((c) => c.rule === rule).length;

  it('a sheet has no change from itself; reversing a diff swaps added and removed', () => {
    fc.assert(
      fc.property(sheet, sheet, (a, b) => {
        expect(diffSheets('dataset', a, a)).toEqual([]);
        const ab = diffSheets('dataset', a, b);
        const ba = diffSheets('dataset', b, a);
        expect(count(ab, 'class-added')).toBe(count(ba, 'class-removed'));
        expect(count(ab, 'class-renamed')).toBe(count(ba, 'class-renamed'));
        expect(count(ab, 'class-renumbered')).toBe(count(ba, 'class-renumbered'));
        expect(requiredBump(ab) === null).toBe(requiredBump(ba) === null);
      }),
    );
  });

  it('every row of either side is accounted for exactly once', () => {
    fc.assert(
      fc.property(sheet, sheet, (a, b) => {
        const changes = diffSheets('dataset', a, b);
        // Matched rows are those neither removed nor added; each side's rows = matched + own.
        const matched = a.length - count(changes, 'class-removed');
        expect(b.length - count(changes, 'class-added')).toBe(matched);
      }),
    );
  });
});
