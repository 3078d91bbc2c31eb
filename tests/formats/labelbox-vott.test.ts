import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { formatById } from '../../src/formats/index.js';
import { labelbox } from '../../src/formats/labelbox.js';
import { vott } from '../../src/formats/vott.js';
import { selectFormat } from '../../src/formats/lib/select.js';
import { FIXTURES } from '../helpers/cli.js';
import { errorOf } from './city-helpers.js';

const LB = (f: string) => path.join(FIXTURES, 'labelbox', f);
const VOTT = (...f: string[]) => path.join(FIXTURES, 'vott', ...f);

describe('labelbox: ontology JSON', () => {
  it('the tools are the classes: positions as ids, colours lowercased, the tool kind as x_tool; nested classifications named as attributes', async () => {
    expect(formatById('labelbox')).toBe(labelbox);
    const got = await labelbox.extract(LB('ontology.json'), { stats: false });
    expect(got.name).toBe('labelbox');
    expect(got.rows.map((r) => [r.id, r.name, r.color, r.extra.x_tool])).toEqual([
      [0, 'car', '#ff0000', 'rectangle'], [1, 'pedestrian', '#1ce6ff', 'polygon'], [2, 'road', '#ff34ff', 'raster-segmentation'],
    ]);
    expect(got.notes).toContain("the tools' nested classifications are attributes, not classes: occluded");
    expect((await labelbox.extract(LB('ontology.json'), { stats: false, firstId: 1 })).rows.map((r) => r.id)).toEqual([1, 2, 3]);
  });

  it('no tools: the options of the global classifications, category = the classification, label as display_name', async () => {
    const got = await labelbox.extract(LB('classification-only.json'), { stats: false });
    expect(got.rows.map((r) => [r.id, r.name, r.display_name, r.category])).toEqual([
      [0, 'highway', 'Highway', 'scene'], [1, 'city street', '', 'scene'], [2, 'night', '', 'timeofday'],
    ]);
  });

  it('auto picks labelbox; others give reasons', async () => {
    expect((await selectFormat('auto', LB('ontology.json'))).format.id).toBe('labelbox');
    expect(await labelbox.detect(path.join(FIXTURES, 'datumaro', 'dataset_meta.json'))).toEqual({ ok: false, reason: 'no "tools" array of {name, tool, ...}' });
    expect(await labelbox.detect(VOTT('project', 'traffic.vott'))).toEqual({ ok: false, reason: 'not a .json file' });
  });

  it.each([
    ['empty.json', 'label-json-invalid', 1, undefined],
    ['truncated.json', 'label-json-invalid', 4, undefined],
    ['latin1.json', 'label-json-invalid', 1, undefined],
    ['duplicate-name.json', 'labels-duplicate', undefined, 'tools[1].name'],
    ['no-name.json', 'label-json-shape', undefined, 'tools[0].name'],
  ])('%s: one located error %s', async (file, code, line, where) => {
    const f = await errorOf(() => labelbox.extract(LB(file), { stats: false }));
    expect(f).toMatchObject({ code, file: LB(file) });
    if (line !== undefined) expect(f.line).toBe(line);
    if (where !== undefined) expect(f.path).toBe(where);
  });
});

describe('vott: .vott project', () => {
  it('the tags are the classes with their colours; --stats counts the *-asset.json regions beside it', async () => {
    expect(formatById('vott')).toBe(vott);
    const got = await vott.extract(VOTT('project', 'traffic.vott'), { stats: true });
    expect(got.name).toBe('vott');
    expect(got.rows.map((r) => [r.id, r.name, r.color, r.instances, r.images])).toEqual([
      [0, 'car', '#5db300', 3, 2], [1, 'truck', '#e81123', 0, 0], [2, 'traffic light', '#6917aa', 1, 1],
    ]);
    expect(got.notes).toContain('counted the regions of 2 *-asset.json files beside the project');
    expect(got.notes.some((n) => n.includes('"bus"'))).toBe(true);
    const plain = await vott.extract(VOTT('project', 'traffic.vott'), { stats: false });
    expect(plain.rows[0]!.instances).toBeUndefined();
  });

  it('auto picks vott; labelbox says not a .json file', async () => {
    expect((await selectFormat('auto', VOTT('project', 'traffic.vott'))).format.id).toBe('vott');
    expect(await vott.detect(LB('ontology.json'))).toEqual({ ok: false, reason: 'not a .vott file' });
  });

  it.each([
    ['empty.vott', 'label-json-invalid', 1, undefined],
    ['truncated.vott', 'label-json-invalid', 4, undefined],
    ['latin1.vott', 'label-json-invalid', 1, undefined],
    ['duplicate-tag.vott', 'labels-duplicate', undefined, 'tags[1].name'],
    ['tags-object.vott', 'label-json-shape', undefined, 'tags'],
  ])('%s: one located error %s', async (file, code, line, where) => {
    const f = await errorOf(() => vott.extract(VOTT('hostile', file), { stats: true }));
    expect(f).toMatchObject({ code, file: VOTT('hostile', file) });
    if (line !== undefined) expect(f.line).toBe(line);
    if (where !== undefined) expect(f.path).toBe(where);
  });
});
