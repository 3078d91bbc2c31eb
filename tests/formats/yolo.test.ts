import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { formatById } from '../../src/formats/index.js';
import { selectFormat } from '../../src/formats/lib/select.js';
import { yolo } from '../../src/formats/yolo.js';
import { FIXTURES, tempDir } from '../helpers/cli.js';
import { errorOf } from './city-helpers.js';

const DIR = path.join(FIXTURES, 'yolo');
const at = (f: string) => path.join(DIR, f);

describe('yolo: data.yaml', () => {
  it('names as an index map: ids are the keys; the sheet is named by the file', async () => {
    expect(formatById('yolo')).toBe(yolo);
    const got = await yolo.extract(at('coco8.yaml'), { stats: false });
    expect(got.name).toBe('coco8');
    expect(got.rows.map((r) => [r.id, r.name])).toEqual([[0, 'person'], [1, 'bicycle'], [2, 'car'], [3, 'motorcycle']]);
    expect(got.notes[0]).toBe('read 4 classes from coco8.yaml; ids are the keys of "names"');
  });

  it('names as a list with nc: ids are positions, nc checked, a data.yaml named by its folder', async () => {
    const got = await yolo.extract(at('list/data.yaml'), { stats: false, firstId: 1 });
    expect(got.name).toBe('list');
    expect(got.rows.map((r) => [r.id, r.name])).toEqual([[0, 'hard-hat'], [1, 'vest'], [2, 'no hard-hat']]);
    expect(got.notes).toContain('--first-id is not used: YOLO indices start at 0');
  });

  it('a map with a gap warns, ids stay the keys', async () => {
    const dir = tempDir({ 'gap.yaml': 'names:\n  0: a\n  5: b\n' });
    const got = await yolo.extract(path.join(dir, 'gap.yaml'), { stats: false });
    expect(got.rows.map((r) => r.id)).toEqual([0, 5]);
    expect(got.notes.join('\n')).toContain('warning: the ids are not 0..1 in a row');
  });

  it('detects by the "names" key, with reasons', async () => {
    expect(await yolo.detect(at('coco8.yaml'))).toEqual({ ok: true, reason: 'a YOLO data.yaml (4 names)' });
    expect(await yolo.detect(at('list/data.yaml'))).toEqual({ ok: true, reason: 'a YOLO data.yaml (3 names, nc 3)' });
    const dir = tempDir({ 'ci.yaml': 'jobs:\n  test: {}\n' });
    expect(await yolo.detect(path.join(dir, 'ci.yaml'))).toEqual({ ok: false, reason: 'a YAML file without a "names" key' });
    expect(await yolo.detect(path.join(FIXTURES, 'names', 'obj.names'))).toEqual({ ok: false, reason: 'not a .yaml or .yml file' });
    expect((await yolo.detect(at('alias-bomb.yaml'))).reason).toContain('Excessive alias count');
    expect((await selectFormat('auto', at('coco8.yaml'))).format.id).toBe('yolo');
  });

  it.each([
    ['empty.yaml', 'config-shape', 1, undefined],
    ['truncated.yaml', 'config-syntax', 2, 1],
    ['duplicate-key.yaml', 'config-syntax', 3, 3],
    ['duplicate-name.yaml', 'labels-duplicate', 1, undefined],
    ['nc-mismatch.yaml', 'yolo-nc-mismatch', 2, 5],
    ['python-tag.yaml', 'config-syntax', 1, 8],
    ['alias-bomb.yaml', 'config-syntax', 1, undefined],
    ['latin1.yaml', 'file-encoding', 2, undefined],
    ['bad-key.yaml', 'config-shape', 2, 3],
    ['bad-name.yaml', 'config-shape', 4, 5],
  ])('%s: one located error %s', async (file, code, line, column) => {
    const f = await errorOf(() => yolo.extract(at(file), { stats: false }));
    expect(f).toMatchObject({ code, file: at(file), line });
    if (column !== undefined) expect(f.column).toBe(column);
  });

  it('a tag is refused, never resolved or run', async () => {
    const f = await errorOf(() => yolo.extract(at('python-tag.yaml'), { stats: false }));
    expect(f.text).toContain('python/object/apply:os.system is not plain YAML (labelmap runs no tags)');
  });
});
