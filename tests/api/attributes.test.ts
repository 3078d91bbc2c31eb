// The attribute vocabulary in the bundle (merge writes it, older bundles without it still read)
// and per-image questions on a `labelmap attributes` table, checked against that vocabulary.
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { openAttributeTable, openBundle, openSheets, parseAttributeTable } from '../../src/index.js';
import { validateBundle } from '../../src/api/bundle.js';
import { FIXTURES, ROOT, runInProcess, tempDir } from '../helpers/cli.js';
import { codeOf, fixturePath } from '../export/helpers.js';

const SHEETS = path.join(ROOT, 'sheets');
const BDD = path.join(FIXTURES, 'attributes', 'bdd100k-labels.json');

describe('the attribute vocabulary in the bundle', () => {
  it('merge writes the sheets\' vocabulary into labelmap.json; openBundle gives it back', async () => {
    const dir = tempDir();
    const r = await runInProcess(['--sheets', SHEETS, 'merge', '--vertical', 'self-driving', '--out', path.join(dir, 'b')]);
    expect(r.code, r.stderr).toBe(0);
    const json = JSON.parse(readFileSync(path.join(dir, 'b', 'labelmap.json'), 'utf8'));
    expect(Object.keys(json).at(-1)).toBe('attributes');
    const sheet = readFileSync(path.join(SHEETS, 'attributes', 'unified@1.0.0.csv'));
    const { createHash } = await import('node:crypto');
    expect(json.attributes).toMatchObject({ name: 'unified', version: '1.0.0', file: 'attributes/unified@1.0.0.csv', sha256: createHash('sha256').update(sheet).digest('hex') });
    const space = openBundle(path.join(dir, 'b'));
    const vocabulary = space.attributes()!;
    expect(vocabulary.keys.map((k) => k.key)).toEqual(['weather', 'time_of_day', 'scene', 'roadworks', 'traffic_near', 'traffic_far', 'crowded']);
    expect(vocabulary.keys[0]!.values.map((v) => v.value)).toEqual(['clear', 'cloudy', 'rain', 'snow', 'fog']);
    expect(vocabulary.keys[0]!.values[2]!.display_name).toBe('Rain');
    // The same as openSheets compiles.
    expect(openSheets(SHEETS, { vertical: 'self-driving' }).attributes()).toEqual(vocabulary);
  });

  it('an older bundle without attributes still reads: attributes() is null', () => {
    const old = JSON.parse(readFileSync(fixturePath('self-driving'), 'utf8'));
    expect('attributes' in old).toBe(false);
    expect(openBundle(fixturePath('self-driving')).attributes()).toBeNull();
  });

  it('sheets without attributes/ give a bundle without the field', () => {
    const dir = tempDir({}, { taxonomy: path.join(SHEETS, 'taxonomy'), verticals: path.join(SHEETS, 'verticals') });
    const space = openSheets(dir, { vertical: 'self-driving' });
    expect(space.attributes()).toBeNull();
    expect('attributes' in space.bundle).toBe(false);
  });

  it('a bundle with a key or a value twice is invalid', () => {
    const bundle = structuredClone(openSheets(SHEETS, { vertical: 'self-driving' }).bundle) as any;
    const twiceValue = structuredClone(bundle);
    twiceValue.attributes.keys[0].values.push({ value: 'rain', display_name: '', description: '' });
    expect(codeOf(() => validateBundle(twiceValue, 'b.json'))).toMatch(/^bundle-invalid: .*duplicate value of weather/);
    const twiceKey = structuredClone(bundle);
    twiceKey.attributes.keys.push(twiceKey.attributes.keys[0]);
    expect(codeOf(() => validateBundle(twiceKey, 'b.json'))).toContain('$.attributes.keys[7].key');
  });
});

describe('per-image attributes from a labelmap attributes table', () => {
  const space = openSheets(SHEETS, { vertical: 'self-driving' });

  it.each(['csv', 'jsonl'])('reads the %s table and answers per image', async (format) => {
    const dir = tempDir();
    const out = path.join(dir, `a.${format}`);
    const r = await runInProcess(['--sheets', SHEETS, 'attributes', BDD, '--dataset', 'bdd100k', '--format', format, '--out', out]);
    expect(r.code, r.stderr).toBe(0);
    const table = openAttributeTable(out, space);
    expect(table.images()).toEqual(['a.jpg', 'b.jpg', 'c.jpg', 'd.jpg', 'e.jpg']);
    expect(table.keys).toEqual(['weather', 'time_of_day', 'scene', 'roadworks', 'traffic_near', 'traffic_far', 'crowded']);
    expect(table.attributesOf('b.jpg')).toEqual({ weather: null, time_of_day: 'night', scene: 'highway', roadworks: 'yes', traffic_near: 'no', traffic_far: 'no', crowded: 'no' });
    expect(table.imagesWith('weather', null)).toEqual(['b.jpg', 'c.jpg']);
    expect(table.imagesWith('traffic_near', 'yes')).toEqual(['a.jpg', 'e.jpg']);
    expect(Object.fromEntries(table.counts('time_of_day'))).toEqual({ day: 2, night: 1, null: 1, twilight: 1 });
    expect(codeOf(() => table.attributesOf('z.jpg'))).toMatch(/^attribute-image-unknown: .*no image "z.jpg" \(5 images\)/);
    expect(codeOf(() => table.imagesWith('lighting', 'dark'))).toMatch(/^attribute-key-unknown/);
  });

  it('a key or a value outside the bundle\'s vocabulary is an error naming the line', () => {
    expect(codeOf(() => space.attributeTable('image,weather\na.jpg,rain\nb.jpg,drizzle\n', 't.csv'))).toMatch(/^attribute-table-value-unknown: .*weather = "drizzle" \(image "b.jpg"\) is not in the bundle's attribute vocabulary unified@1.0.0/);
    expect(codeOf(() => space.attributeTable('image,lighting\na.jpg,dark\n', 't.csv'))).toContain('the column "lighting"');
    // Without a vocabulary any words are read.
    expect(parseAttributeTable('image,lighting\na.jpg,dark\n', 't.csv').attributesOf('a.jpg')).toEqual({ lighting: 'dark' });
  });

  it('a table that is not one is attribute-table-invalid', () => {
    for (const [text, words] of [
      ['name,weather\na.jpg,rain\n', 'the first column is "name"'],
      ['image,weather\na.jpg,rain,extra\n', 'the row has 3 cells'],
      ['image,weather\na.jpg,rain\na.jpg,clear\n', 'in the table twice'],
      ['{"image": "a.jpg"}\n[1]\n', 'not a JSON object'],
      ['{"image": "a.jpg", "weather": 3}\n', '"weather" is 3'],
      ['{"weather": "rain"}\n', 'no "image"'],
    ] as const) {
      expect(codeOf(() => parseAttributeTable(text, 't'))).toMatch(new RegExp(`^attribute-table-invalid: .*${words.replace(/[[\]()]/g, '\\$&')}`));
    }
    // JSONL: a key one object leaves out is missing there.
    const t = parseAttributeTable('{"image": "a.jpg", "weather": "rain"}\n{"image": "b.jpg", "scene": "city", "weather": ""}\n', 't');
    expect(t.attributesOf('a.jpg')).toEqual({ weather: 'rain', scene: null });
    expect(t.attributesOf('b.jpg')).toEqual({ weather: null, scene: 'city' });
  });
});
