// labelmap attributes over fixtures/attributes: a BDD100K-shaped label file in the documented
// layout, hand-counted (see the comments per frame), and a generic image,key,value CSV.
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { attributesOfFrame, compileAttributeModel } from '../../src/attributes/index.js';
import { sheetFromText } from '../../src/sheets/set.js';
import { diffSheets } from '../../src/versioning/diff.js';
import { FIXTURES, ROOT, runInProcess, tempDir } from '../helpers/cli.js';

const SHEETS = path.join(ROOT, 'sheets');
const BDD = path.join(FIXTURES, 'attributes', 'bdd100k-labels.json');
const GENERIC = path.join(FIXTURES, 'attributes', 'generic.csv');
const attributes = (args: string[], cwd?: string) => runInProcess(['--sheets', SHEETS, 'attributes', ...args], { cwd, env: { NO_COLOR: '1' } });

describe('labelmap attributes on a BDD100K label file', () => {
  it('maps each frame to the unified vocabulary and derives roadworks, near, far and crowded', async () => {
    const r = await attributes([BDD, '--dataset', 'bdd100k']);
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout.trim().split('\n')).toEqual([
      'image,weather,time_of_day,scene,roadworks,traffic_near,traffic_far,crowded',
      // partly cloudy -> clear; car box 180 px of 720 (0.25 >= 0.2: near); pedestrian 30 px (0.042 < 0.05: far); a sign is no road user
      'a.jpg,clear,day,city,no,yes,yes,no',
      // undefined -> missing; a traffic cone -> roadworks; truck 100 px (0.14) neither near nor far; the lane has no box
      'b.jpg,,night,highway,yes,no,no,no',
      // no attributes at all and "labels": null: every source key missing, derived keys no
      'c.jpg,,,,no,no,no,no',
      // 20 cars of 10 px: far, and crowded (at least 20)
      'd.jpg,rain,twilight,parking,no,no,yes,yes',
      // person 144 px = 0.2 exactly (min is inclusive): near; "bike" is no taxonomy name and there is no class mapping: not counted
      'e.jpg,snow,day,residential,no,yes,no,no',
    ]);
    expect(r.stderr).toContain('5 images, attributes by bdd100k@1.0.0 into unified@1.0.0, derived by derived@1.0.0');
    expect(r.stderr).toContain('weather: clear 1, rain 1, snow 1, (missing) 2');
    expect(r.stderr).toContain('traffic_near: no 3, yes 2');
  });

  it('--json prints the counts per value, --out writes the table as JSONL', async () => {
    const dir = tempDir();
    const r = await attributes([BDD, '--dataset', 'bdd100k', '--json', '--out', 'a.jsonl', '--format', 'jsonl'], dir);
    expect(r.code, r.stderr).toBe(0);
    const json = JSON.parse(r.stdout);
    expect(json.images).toBe(5);
    expect(json.counts.time_of_day).toEqual({ day: 2, night: 1, twilight: 1, '(missing)': 1 });
    expect(json.counts.crowded).toEqual({ no: 4, yes: 1 });
    const rows = readFileSync(path.join(dir, 'a.jsonl'), 'utf8').trim().split('\n').map((l) => JSON.parse(l));
    expect(rows[3]).toEqual({ image: 'd.jpg', weather: 'rain', time_of_day: 'twilight', scene: 'parking', roadworks: 'no', traffic_near: 'no', traffic_far: 'yes', crowded: 'yes' });
    // Never over an existing file.
    const again = await attributes([BDD, '--dataset', 'bdd100k', '--out', 'a.jsonl'], dir);
    expect(again.code).toBe(2);
    expect(again.stderr).toContain('output-not-ours');
  });

  it('a smaller --image-height makes the same boxes nearer', async () => {
    const r = await attributes([BDD, '--dataset', 'bdd100k', '--image-height', '400']);
    // b.jpg: truck 100 px of 400 = 0.25: near
    expect(r.stdout.split('\n')[2]).toBe('b.jpg,,night,highway,yes,yes,no,no');
  });
});

describe('labelmap attributes on a generic CSV', () => {
  it('maps image,key,value rows; unknown is missing; no annotations: derived keys missing', async () => {
    const r = await attributes([GENERIC, '--dataset', 'generic']);
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout.trim().split('\n')).toEqual([
      'image,weather,time_of_day,scene,roadworks,traffic_near,traffic_far,crowded',
      '0001.jpg,rain,night,,,,,',
      '0002.jpg,,,rural,yes,,,',
      '0003.jpg,,day,,,,,',
    ]);
  });

  it('a value without a mapping row is a finding (exit 1) and stays missing', async () => {
    const dir = tempDir({ 'in.csv': 'image,key,value\nx.jpg,weather,drizzle\ny.jpg,weather,drizzle\n' });
    const r = await attributes(['in.csv', '--dataset', 'generic'], dir);
    expect(r.code).toBe(1);
    expect(r.stdout.split('\n')[1]).toBe('x.jpg,,,,,,,');
    expect(r.stderr.match(/attribute-value-unmapped/g)).toHaveLength(1); // once per value, not per image
    expect(r.stderr).toContain('weather = "drizzle" has no row in attribute-mappings/generic@1.0.0.csv');
  });
});

describe('hostile inputs', () => {
  const run = async (json: string) => {
    const dir = tempDir({ 'in.json': json });
    return attributes(['in.json', '--dataset', 'bdd100k'], dir);
  };
  it.each([
    ['an object, not a list', '{"name": "a.jpg"}', 'a BDD100K label file: a list of frames'],
    ['a value BDD100K does not document', '[{"name": "a.jpg", "attributes": {"weather": "sunny"}}]', 'attributes.weather'],
    ['a frame without a name', '[{"attributes": {}}]', 'the image file name'],
    ['labels that are no list', '[{"name": "a.jpg", "labels": {"category": "car"}}]', 'a list of labels'],
    ['a label without a category', '[{"name": "a.jpg", "labels": [{"box2d": {"y1": 0, "y2": 9}}]}]', 'a category name'],
    ['truncated JSON', '[{"name": "a.jpg", "labels": [', ''],
    ['an empty list', '[]', 'no image'],
  ])('%s: exit 2, a message, no stack', async (_what, json, words) => {
    const r = await run(json);
    expect(r.code, r.stderr).toBe(2);
    expect(r.stderr).toContain(words);
    expect(r.stderr).not.toMatch(/\n\s+at /);
  });

  it('a box with NaN-like or upside-down coordinates has no height (not near, not far)', async () => {
    const r = await run('[{"name": "a.jpg", "labels": [{"category": "car", "box2d": {"x1": 0, "y1": 500, "x2": 9, "y2": 100}}, {"category": "car", "box2d": {"y1": "1", "y2": "700"}}]}]');
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout.split('\n')[1]).toBe('a.jpg,,,,no,no,no,no');
  });

  it('an unknown dataset names the known attribute mappings', async () => {
    const r = await attributes([BDD, '--dataset', 'kitti']);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('known: bdd100k, generic');
  });
});

describe('attribute sheets: rules and diff', () => {
  const folder = (files: Record<string, string>) =>
    tempDir(files, { 'taxonomy': path.join(SHEETS, 'taxonomy') });
  const VOCAB = 'key,value,display_name,description\nweather,clear,Clear,\nweather,rain,Rain,\nroadworks,yes,,\nroadworks,no,,\n';
  const validate = (dir: string) => runInProcess(['validate', dir, '--format', 'json'], { env: { NO_COLOR: '1' } });

  it('the shipped sheets pass validate (no error)', async () => {
    const r = await runInProcess(['validate', SHEETS, '--format', 'json']);
    const findings = JSON.parse(r.stdout).findings as { code: string; file: string }[];
    expect(findings.filter((f) => f.file?.includes('attribute'))).toEqual([]);
  });

  it('undefined mapped to a value, a value mapped twice, an unknown target, a bad rule: each its finding', async () => {
    const dir = folder({
      'attributes/unified@1.0.0.csv': VOCAB,
      'attribute-mappings/x@1.0.0.csv':
        'source_key,source_value,key,value,note\nw,undefined,weather,clear,\nw,sun,weather,clear,\nw,sun,weather,rain,\nw,wet,weather,rainy,\n',
      'attribute-rules/derived@1.0.0.csv':
        'key,value,when,classes,min,max,note\nroadworks,yes,any-class,traffic_cone|road_cone,,,\nroadworks,no,count,,0.5,3,\n',
    });
    const r = await validate(dir);
    const found = (JSON.parse(r.stdout).findings as { code: string; line: number; file: string; fix: string | null }[])
      .filter((f) => f.file.includes('attribute'))
      .map((f) => `${f.file.replace(/.*\/(attribute[^/]*\/)/, '$1')}:${f.line} ${f.code}`);
    expect(found).toEqual([
      'attribute-mappings/x@1.0.0.csv:2 attribute-mapping-unknown-as-value',
      'attribute-mappings/x@1.0.0.csv:4 attribute-mapping-duplicate',
      'attribute-mappings/x@1.0.0.csv:5 attribute-mapping-target-unknown',
      'attribute-rules/derived@1.0.0.csv:2 attribute-rule-class-unknown',
      'attribute-rules/derived@1.0.0.csv:3 attribute-rule-invalid',
      'attribute-rules/derived@1.0.0.csv:3 attribute-rule-invalid',
    ]);
    expect(r.code).toBe(1);
  });

  it('a cell of the wrong type is cell-invalid with a fix', async () => {
    const dir = folder({ 'attributes/unified@1.0.0.csv': VOCAB, 'attribute-rules/d@1.0.0.csv': 'key,value,when,classes,min,max,note\nroadworks,yes,sometimes,car,"0,2",,\n' });
    const r = await validate(dir);
    const bad = (JSON.parse(r.stdout).findings as { code: string; args: { column: string }; fix: string }[]).filter((f) => f.code === 'cell-invalid');
    expect(bad.map((f) => [f.args.column, f.fix])).toEqual([
      ['when', 'write one of any-class, box-height-share, count'],
      ['min', 'write 0.2 (a point, not a comma)'],
    ]);
  });

  it('diff levels: a value removed is major, added minor, a description patch', () => {
    const read = (text: string) => sheetFromText('attributes', 'attributes/u@1.0.0.csv', text).sheet!.rows;
    const before = read(VOCAB);
    const after = read('key,value,display_name,description\nweather,clear,Clear,Sunny\nweather,snow,Snow,\nroadworks,yes,,\nroadworks,no,,\n');
    expect(diffSheets('attributes', before, after).map((c) => `${c.key} ${c.field} ${c.level}`)).toEqual([
      'weather=clear description patch',
      'weather=snow value minor',
      'weather=rain value major',
    ]);
    const rules = (min: string) => sheetFromText('attribute-rule', 'attribute-rules/d@1.0.0.csv', `key,value,when,classes,min,max,note\ntraffic_near,yes,box-height-share,vehicle,${min},,\n`).sheet!.rows;
    expect(diffSheets('attribute-rule', rules('0.2'), rules('0.3')).map((c) => c.level)).toEqual(['major']);
  });

  it('attributesOfFrame: the dataset\'s own value wins over a derived one', () => {
    const vocab = sheetFromText('attributes', 'attributes/u@1.0.0.csv', VOCAB).sheet!.rows;
    const rules = sheetFromText('attribute-rule', 'attribute-rules/d@1.0.0.csv', 'key,value,when,classes,min,max,note\nroadworks,yes,any-class,car,,,\n').sheet!.rows;
    const mapping = sheetFromText('attribute-mapping', 'attribute-mappings/g@1.0.0.csv', 'source_key,source_value,key,value,note\nroadworks,no,roadworks,no,\n').sheet!.rows;
    const model = compileAttributeModel(vocab, mapping, rules, [{ id: 1, name: 'car', parent: '', display_name: '', color: '', is_thing: true, description: '' }]);
    const car = [{ taxonomyClass: 'car', boxHeight: 10 }];
    expect(attributesOfFrame(model, { image: 'a', source: { roadworks: 'no' }, instances: car, imageHeight: 100 }, 'g').values.roadworks).toBe('no');
    expect(attributesOfFrame(model, { image: 'a', source: {}, instances: car, imageHeight: 100 }, 'g').values.roadworks).toBe('yes');
    expect(attributesOfFrame(model, { image: 'a', source: {}, instances: [], imageHeight: 100 }, 'g').values.roadworks).toBe('no');
  });
});

