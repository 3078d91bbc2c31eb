import { copyFileSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { formatById } from '../../src/formats/index.js';
import { gtsrb } from '../../src/formats/gtsrb.js';
import { selectFormat } from '../../src/formats/lib/select.js';
import { FIXTURES } from '../helpers/cli.js';
import { errorOf } from './city-helpers.js';

const DIR = path.join(FIXTURES, 'gtsrb');
const at = (...f: string[]) => path.join(DIR, ...f);
const TRAINING = at('Final_Training', 'Images');
const NAMES = at('signnames.csv');

describe('gtsrb: GT-*.csv folders, GTSDB gt.txt, names from signnames.csv', () => {
  it('a training folder: ids are the ClassIds, names from the table, --stats counts signs and images per class', async () => {
    expect(formatById('gtsrb')).toBe(gtsrb);
    const got = await gtsrb.extract(TRAINING, { stats: true, labels: NAMES });
    expect(got.name).toBe('gtsrb');
    expect(got.rows.map((r) => [r.id, r.name, r.instances, r.images])).toEqual([
      [0, 'Speed limit (20km/h)', 3, 3],
      [1, 'Speed limit (30km/h)', 0, 0],
      [13, 'Yield', 0, 0],
      // 00000_00000.ppm is in both class folders: two images, not one.
      [14, 'Stop', 2, 2],
    ]);
    expect(got.notes[0]).toBe('read 5 signs from 2 GT files; ids are the ClassIds, names from signnames.csv (4 classes)');
    expect(got.notes).toContain('2 classes of the names table have no signs in these files (ids 1, 13); kept');
    const plain = await gtsrb.extract(TRAINING, { stats: false, labels: NAMES });
    expect(plain.rows[0]!.instances).toBeUndefined();
  });

  it('signnames.csv is found above the folder without --labels; one GT file; GTSDB gt.txt counts signs per image', async () => {
    expect((await gtsrb.extract(at('Final_Training', 'Images', '00014'), { stats: false })).rows.map((r) => r.name)).toEqual(['Speed limit (20km/h)', 'Speed limit (30km/h)', 'Yield', 'Stop']);
    const test = await gtsrb.extract(at('Final_Test', 'Images', 'GT-final_test.csv'), { stats: true });
    expect(test.rows.filter((r) => r.instances! > 0).map((r) => [r.id, r.instances])).toEqual([[1, 1], [14, 1]]);
    const gtsdb = await gtsrb.extract(at('gtsdb'), { stats: true });
    expect(gtsdb.name).toBe('gtsdb');
    expect(gtsdb.rows.filter((r) => r.instances! > 0).map((r) => [r.id, r.instances, r.images])).toEqual([[1, 2, 2], [14, 1, 1]]);
  });

  it('auto picks gtsrb for the folders and files, names for signnames.csv', async () => {
    expect((await selectFormat('auto', TRAINING)).format.id).toBe('gtsrb');
    expect((await selectFormat('auto', at('gtsdb', 'gt.txt'))).format.id).toBe('gtsrb');
    expect((await selectFormat('auto', at('Final_Test', 'Images', 'GT-final_test.csv'))).format.id).toBe('gtsrb');
    expect((await selectFormat('auto', NAMES)).format.id).toBe('names');
    expect(await gtsrb.detect(NAMES)).toEqual({ ok: false, reason: 'neither a GT-*.csv nor a gt.txt file, nor a folder of them' });
    expect(await gtsrb.detect(at('hostile', 'GT-commas.csv'))).toEqual({ ok: false, reason: 'GT-commas.csv has no ";"-separated header with Filename and ClassId' });
    expect(await gtsrb.detect(path.join(FIXTURES, 'camvid'))).toEqual({ ok: false, reason: 'a folder with no GT-*.csv or gt.txt files' });
  });

  it.each([
    ['GT-empty.csv', 'class-list-empty', 1, undefined],
    ['GT-truncated.csv', 'class-list-line', 3, undefined],
    ['GT-commas.csv', 'class-list-header', 1, undefined],
    ['GT-unknown-class.csv', 'unknown-label', 2, undefined],
    ['GT-bad-id.csv', 'class-list-line', 2, 8],
    ['GT-latin1.csv', 'file-encoding', 2, undefined],
  ])('%s: one located error %s', async (file, code, line, column) => {
    const f = await errorOf(() => gtsrb.extract(at('hostile', file), { stats: true, labels: NAMES }));
    expect(f).toMatchObject({ code, file: at('hostile', file), line });
    if (column !== undefined) expect(f.column).toBe(column);
  });

  it.each([
    ['signnames-duplicate-id.csv', 'labels-duplicate', 4],
    ['signnames-no-ids.csv', 'class-list-line', 1],
  ])('names table %s: one located error %s', async (file, code, line) => {
    const f = await errorOf(() => gtsrb.extract(TRAINING, { stats: false, labels: at('hostile', file) }));
    expect(f).toMatchObject({ code, file: at('hostile', file), line });
  });

  it('no names table anywhere: labels-source-missing', async () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'labelmap-gtsrb-'));
    copyFileSync(at('Final_Training', 'Images', '00014', 'GT-00014.csv'), path.join(dir, 'GT-00014.csv'));
    const f = await errorOf(() => gtsrb.extract(dir, { stats: false }));
    expect(f).toMatchObject({ code: 'labels-source-missing', file: dir });
    rmSync(dir, { recursive: true });
  });

  it('a folder without GT files: class-list-empty naming the folder', async () => {
    const f = await errorOf(() => gtsrb.extract(path.join(FIXTURES, 'camvid'), { stats: false, labels: NAMES }));
    expect(f).toMatchObject({ code: 'class-list-empty', file: path.join(FIXTURES, 'camvid') });
  });
});
