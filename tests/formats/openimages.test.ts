import { copyFileSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { formatById } from '../../src/formats/index.js';
import { openImages } from '../../src/formats/openimages.js';
import { selectFormat } from '../../src/formats/lib/select.js';
import { FIXTURES } from '../helpers/cli.js';
import { errorOf } from './city-helpers.js';

const DIR = path.join(FIXTURES, 'openimages');
const at = (f: string) => path.join(DIR, f);
const HIERARCHY = at('bbox_labels_600_hierarchy.json');
const LIST = at('class-descriptions-boxable.csv');

describe('openimages: bbox_labels_600_hierarchy.json + class-descriptions-boxable.csv', () => {
  it('ids are the class list positions, the MID is x_mid, the hierarchy category / x_parent / x_part_of', async () => {
    expect(formatById('openimages')).toBe(openImages);
    const got = await openImages.extract(HIERARCHY, { stats: false, labels: LIST });
    expect(got.name).toBe('open-images');
    expect(got.rows.map((r) => [r.id, r.name, r.extra.x_mid, r.category, r.extra.x_parent, r.extra.x_part_of])).toEqual([
      [0, 'Tortoise', '/m/011k07', 'Turtle', '/m/09dzg', ''],
      [1, 'Person', '/m/01g317', '', '', ''],
      // Human head is a top-level class and a Part of Person: both kept.
      [2, 'Human head', '/m/04hgtk', 'Person', '', '/m/01g317'],
      [3, 'Human face', '/m/0dzct', 'Human head', '', '/m/04hgtk'],
      [4, 'Human eye', '/m/014sv8', 'Human face', '', '/m/0dzct'],
      [5, 'Toy', '/m/0138tl', '', '', ''],
      // Not in the hierarchy: kept, without a parent, and said so.
      [6, 'Shelf', '/m/0gjbg72', '', '', ''],
      // Two parents: both, the first names the category.
      [7, 'Teddy bear', '/m/0dv9c', 'Toy', '/m/0138tl;/m/09dzg', ''],
      [8, 'Turtle', '/m/09dzg', '', '', ''],
    ]);
    expect(got.notes.join('\n')).toMatch(/1 classes have more than one parent/);
    expect(got.notes.join('\n')).toMatch(/1 classes are not in the hierarchy \(Shelf\)/);
    const fromOne = await openImages.extract(HIERARCHY, { stats: false, labels: LIST, firstId: 1 });
    expect(fromOne.rows.map((r) => r.id)).toEqual([1, 2, 3, 4, 5, 6, 7, 8, 9]);
  });

  it('without --labels the class list beside the hierarchy is used', async () => {
    const got = await openImages.extract(HIERARCHY, { stats: true });
    expect(got.rows).toHaveLength(9);
    expect(got.notes.join('\n')).toMatch(/--stats: the hierarchy and class list have no counts/);
  });

  it('auto picks openimages for the hierarchy and names for the class list; others say why not', async () => {
    expect((await selectFormat('auto', HIERARCHY)).format.id).toBe('openimages');
    expect((await selectFormat('auto', LIST)).format.id).toBe('names');
    expect(await openImages.detect(LIST)).toEqual({ ok: false, reason: 'not a .json file' });
    expect(await openImages.detect(path.join(FIXTURES, 'datumaro', 'dataset_meta.json'))).toEqual({ ok: false, reason: 'no JSON object starting with "LabelName": "/m/..."' });
  });

  it.each([
    ['empty.json', 1, /the file is empty/],
    ['truncated.json', 4, /ends in the middle of the JSON/],
    ['latin1.json', 1, /not UTF-8 \(byte 0xe9 at offset 78\)/],
  ])('%s: one located label-json-invalid', async (file, line, reason) => {
    const f = await errorOf(() => openImages.extract(at(file), { stats: false, labels: LIST }));
    expect(f).toMatchObject({ code: 'label-json-invalid', file: at(file), line });
    expect(f.text).toMatch(reason);
  });

  it.each([
    ['duplicate-child.json', 'labels-duplicate', '$.Subcategory[0].Subcategory[1]'],
    ['unknown-mid.json', 'unknown-label', '$.Subcategory[1].LabelName'],
    ['cycle.json', 'label-json-shape', '$.Subcategory[0].Subcategory[0].LabelName'],
  ])('%s: %s at its JSON path', async (file, code, where) => {
    const f = await errorOf(() => openImages.extract(at(file), { stats: false, labels: LIST }));
    expect(f).toMatchObject({ code, file: at(file), path: where });
  });

  it.each([
    ['pipe.csv', 'class-list-line', 1],
    ['duplicate-mid.csv', 'labels-duplicate', 3],
  ])('class list %s: one located error %s', async (file, code, line) => {
    const f = await errorOf(() => openImages.extract(HIERARCHY, { stats: false, labels: at(file) }));
    expect(f).toMatchObject({ code, file: at(file), line });
  });

  it('no class list given and none beside the hierarchy: labels-source-missing', async () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'labelmap-oi-'));
    const lone = path.join(dir, 'bbox_labels_600_hierarchy.json');
    copyFileSync(HIERARCHY, lone);
    const f = await errorOf(() => openImages.extract(lone, { stats: false }));
    expect(f).toMatchObject({ code: 'labels-source-missing', file: lone });
    rmSync(dir, { recursive: true });
  });
});
