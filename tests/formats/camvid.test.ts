import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { camvid } from '../../src/formats/camvid.js';
import { formatById } from '../../src/formats/index.js';
import { names } from '../../src/formats/names.js';
import { selectFormat } from '../../src/formats/lib/select.js';
import { FIXTURES } from '../helpers/cli.js';
import { errorOf } from './city-helpers.js';

const DIR = path.join(FIXTURES, 'camvid');
const at = (f: string) => path.join(DIR, f);

describe('camvid: label_colors.txt', () => {
  it('one class a line: ids are positions (or from --first-id 1), the colour as #rrggbb, the name as written', async () => {
    expect(formatById('camvid')).toBe(camvid);
    const got = await camvid.extract(at('label_colors.txt'), { stats: false });
    expect(got.name).toBe('camvid');
    expect(got.rows.map((r) => [r.id, r.name, r.color])).toEqual([
      [0, 'Animal', '#408040'], [1, 'Archway', '#c00080'], [2, 'Bicyclist', '#0080c0'], [3, 'Road', '#804080'], [4, 'Void', '#000000'],
    ]);
    expect((await camvid.extract(at('label_colors.txt'), { stats: false, firstId: 1 })).rows.map((r) => r.id)).toEqual([1, 2, 3, 4, 5]);
    expect((await camvid.extract(at('crlf.txt'), { stats: false })).rows.map((r) => r.name)).toEqual(['Animal', 'Archway']);
  });

  it('auto picks camvid, and names says why not', async () => {
    expect((await selectFormat('auto', at('label_colors.txt'))).format.id).toBe('camvid');
    expect(await names.detect(at('label_colors.txt'))).toEqual({ ok: false, reason: 'lines of "R G B Name" (a colour table): use camvid' });
    expect(await camvid.detect(path.join(FIXTURES, 'names', 'obj.names'))).toEqual({ ok: false, reason: 'not a .txt file' });
    expect(await camvid.detect(path.join(FIXTURES, 'names', 'labels.txt'))).toEqual({ ok: false, reason: 'its first line is no "R G B Name" line' });
  });

  it.each([
    ['empty.txt', 'class-list-empty', 1, undefined],
    ['commas.txt', 'class-list-line', 1, undefined],
    ['duplicate-color.txt', 'class-list-line', 3, undefined],
    ['duplicate-name.txt', 'labels-duplicate', 2, undefined],
    ['bad-value.txt', 'class-list-line', 2, 3],
    ['truncated.txt', 'class-list-line', 2, undefined],
    ['latin1.txt', 'file-encoding', 1, undefined],
  ])('%s: one located error %s', async (file, code, line, column) => {
    const f = await errorOf(() => camvid.extract(at(file), { stats: false }));
    expect(f).toMatchObject({ code, file: at(file), line });
    if (column !== undefined) expect(f.column).toBe(column);
  });
});
