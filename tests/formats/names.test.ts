import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { formatById } from '../../src/formats/index.js';
import { names, parseClassList } from '../../src/formats/names.js';
import { selectFormat } from '../../src/formats/lib/select.js';
import { FIXTURES, REAL, runCli, tempDir } from '../helpers/cli.js';
import { errorOf } from './city-helpers.js';

const DIR = path.join(FIXTURES, 'names');
const at = (f: string) => path.join(DIR, f);
const idsAndNames = async (file: string, firstId?: number) =>
  (await names.extract(at(file), { stats: false, firstId })).rows.map((r) => [r.id, r.name]);

describe('names: plain class lists', () => {
  it('one name per line: ids are positions from 0, or from --first-id 1', async () => {
    expect(formatById('names')).toBe(names);
    expect(await idsAndNames('obj.names')).toEqual([[0, 'person'], [1, 'bicycle'], [2, 'car']]);
    expect(await idsAndNames('obj.names', 1)).toEqual([[1, 'person'], [2, 'bicycle'], [3, 'car']]);
    const got = await names.extract(at('obj.names'), { stats: false });
    expect(got.name).toBe('obj');
    expect(got.notes).toContain('ids are line positions from 0 (pass --first-id 1 to count from 1)');
  });

  it('a BOM, CRLF, a # comment and a blank line; CR-only line ends', async () => {
    expect(await idsAndNames('predefined_classes.txt')).toEqual([[0, 'dog'], [1, 'cat']]);
    expect(await idsAndNames('cr-only.txt')).toEqual([[0, 'dog'], [1, 'cat'], [2, 'bird']]);
    expect(parseClassList('a\r\nb\r\n', 'x').lines).toEqual([1, 2]);
  });

  it('"id: name" lines keep their ids; --first-id is then not used, and says so', async () => {
    expect(await idsAndNames('labels.txt', 1)).toEqual([[0, 'unlabeled'], [1, 'person'], [2, 'bicycle'], [12, 'street sign']]);
    const got = await names.extract(at('labels.txt'), { stats: false, firstId: 1 });
    expect(got.notes).toContain('--first-id is not used: the file gives its ids');
  });

  it('Open Images MID,Name without a header: positions as ids, the MID as x_mid, quoted cells', async () => {
    const { rows } = await names.extract(at('class-descriptions-boxable.csv'), { stats: false });
    expect(rows.map((r) => [r.id, r.name, r.extra.x_mid])).toEqual([
      [0, 'Tortoise', '/m/011k07'],
      [1, 'Container', '/m/011q46kg'],
      [2, 'Magpie', '/m/012074'],
      [3, 'Sea turtle', '/m/0120dh'],
    ]);
  });

  it('id,name and id;name tables with a header, a quoted separator inside a name', async () => {
    expect(await idsAndNames('id-name.csv')).toEqual([[3, 'car'], [7, 'truck']]);
    expect(await idsAndNames('semicolon-header.csv')).toEqual([[1, 'road'], [2, 'side; walk']]);
  });

  it('detects lists with reasons, and leaves other CSV files to other formats', async () => {
    expect(await names.detect(at('labels.txt'))).toEqual({ ok: true, reason: 'a class list, "<id>: <name>" lines' });
    expect(await names.detect(at('semicolon-header.csv'))).toEqual({ ok: true, reason: 'a class list, a two-column table separated by ";"' });
    expect(await names.detect(path.join(FIXTURES, 'ade20k', 'objectInfo150.csv'))).toMatchObject({ ok: false, reason: expect.stringContaining('more than two columns') });
    expect(await names.detect(path.join(FIXTURES, 'coco'))).toMatchObject({ ok: false });
    expect((await selectFormat('auto', at('obj.names'))).format.id).toBe('names');
    expect((await selectFormat('auto', path.join(FIXTURES, 'ade20k', 'objectInfo150.csv'))).format.id).toBe('ade20k');
  });

  it.each([
    ['empty.txt', 'class-list-empty', 1, undefined],
    ['comments-only.txt', 'class-list-empty', 1, undefined],
    ['duplicate-id.txt', 'labels-duplicate', 3, undefined],
    ['duplicate-name.names', 'labels-duplicate', 3, undefined],
    ['missing-colon.txt', 'class-list-line', 3, undefined],
    ['wrong-delimiter.csv', 'class-list-line', 3, undefined],
    ['truncated.csv', 'class-list-line', 3, 2],
    ['latin1.txt', 'file-encoding', 1, undefined],
    ['bad-id.csv', 'class-list-line', 3, 1],
  ])('%s: one located error %s', async (file, code, line, column) => {
    const f = await errorOf(() => names.extract(at(file), { stats: false }));
    expect(f).toMatchObject({ code, file: at(file), line });
    if (column !== undefined) expect(f.column).toBe(column);
  });
});

const COCOSTUFF = path.join(REAL, 'coco', 'cocostuff_labels.txt');
describe.skipIf(!existsSync(COCOSTUFF))('the real COCO-Stuff labels.txt', () => {
  it('183 classes, ids 0..182 as written, 0 unlabeled, with the ids COCO never used', async () => {
    const { rows } = await names.extract(COCOSTUFF, { stats: false });
    expect(rows).toHaveLength(183);
    expect(rows.map((r) => r.id)).toEqual(Array.from({ length: 183 }, (_, i) => i));
    const lines = readFileSync(COCOSTUFF, 'utf8').trim().split('\n');
    expect(rows.map((r) => `${r.id}: ${r.name}`)).toEqual(lines.map((l) => l.trim()));
    const byId = new Map(rows.map((r) => [r.id, r.name]));
    expect([0, 1, 12, 26, 182].map((id) => byId.get(id))).toEqual(['unlabeled', 'person', 'street sign', 'hat', 'wood']);
  });

  it('end to end: extract auto --first-id 1 prints the sheet and says why ids are kept', () => {
    const r = runCli(['extract', 'auto', COCOSTUFF, '--stdout', '--first-id', '1']);
    expect(r.code).toBe(0);
    expect(r.stdout.split('\n').slice(0, 3)).toEqual(['id,name,display_name,category,train_id,color,is_thing,evaluate', '0,unlabeled,,,,,,', '1,person,,,,,,']);
    expect(r.stderr).toContain('labelmap: names: a class list, "<id>: <name>" lines');
    expect(r.stderr).toContain('--first-id is not used');
  });
});

describe('names: detection of plain lines', () => {
  it('takes plain lines only where the file name says class list, and says how to read any other', async () => {
    const dir = tempDir({ 'notes.txt': 'hello\n', 'classes.txt': 'a\nb\n', 'notes.csv': 'a\n' });
    expect(await names.detect(path.join(dir, 'classes.txt'))).toEqual({ ok: true, reason: 'a class list, one name per line' });
    expect(await names.detect(path.join(dir, 'notes.txt'))).toMatchObject({ ok: false, reason: expect.stringContaining('`labelmap extract names` reads it as one') });
    expect(await names.detect(path.join(dir, 'notes.csv'))).toMatchObject({ ok: false, reason: 'a .csv file whose first line is no id,name or MID,Name row' });
    expect((await names.extract(path.join(dir, 'notes.txt'), { stats: false })).rows.map((r) => r.name)).toEqual(['hello']);
  });
});
