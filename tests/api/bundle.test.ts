import { describe, expect, it } from 'vitest';
import { readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { parseBundle, readBundle, validateBundle } from '../../src/api/bundle.js';
import { LabelmapError, type Finding } from '../../src/findings.js';
import { tempDir } from '../helpers/cli.js';
import { BUNDLES, fixturePath } from '../export/helpers.js';

const text = readFileSync(fixturePath('self-driving'), 'utf8');

function failure(fn: () => unknown): Finding & { message: string } {
  try {
    fn();
  } catch (error) {
    if (error instanceof LabelmapError) return { ...error.finding, message: error.message };
    throw error;
  }
  throw new Error('expected a LabelmapError');
}

/** The fixture, changed by `edit`, through validateBundle. */
function edited(edit: (b: any) => void): Finding & { message: string } {
  const b = JSON.parse(text);
  edit(b);
  return failure(() => validateBundle(b, 'b.json'));
}

describe('parseBundle / validateBundle', () => {
  it.each(BUNDLES)('reads the fixture %s as it is', (name) => {
    const json = readFileSync(fixturePath(name), 'utf8');
    expect(parseBundle(json, name)).toEqual(JSON.parse(json));
  });

  it('keeps only the contract keys, in the contract order', () => {
    const b = JSON.parse(text);
    const reordered = { datasets: b.datasets, labels: b.labels, extra: 1, ...b };
    const parsed = validateBundle(reordered);
    expect(Object.keys(parsed)).toEqual(['format', 'format_version', 'vertical', 'id_bits', 'ignore_id', 'coarse', 'inputs', 'labels', 'label_sets', 'other', 'datasets']);
    expect(`${JSON.stringify(parsed, null, 2)}\n`).toBe(text);
  });

  it('accepts a UTF-8 byte order mark', () => {
    expect(parseBundle(`\uFEFF${text}`).vertical).toBe('self-driving');
  });

  it('malformed JSON: bundle-json at line and column', () => {
    const cut = text.slice(0, 200);
    const f = failure(() => parseBundle(cut, 'cut.json'));
    expect(f.code).toBe('bundle-json');
    expect(f.file).toBe('cut.json');
    expect(f.line).toBe(cut.split('\n').length);
    const bad = failure(() => parseBundle('{\n  "format": "labelmap-bundle",\n  "format_version": 1,,\n}', 'bad.json'));
    expect([bad.line, bad.column]).toEqual([3, 23]);
    expect(bad.message).toMatch(/^bad\.json:3:23: error bundle-json: not valid JSON: /);
  });

  it('not a bundle: bundle-format with what was found', () => {
    expect(failure(() => parseBundle('[1, 2]', 'x.json')).message).toContain('x.json $.format: error bundle-format: not a labelmap bundle: expected a JSON object with "format": "labelmap-bundle", found an array of 2');
    expect(failure(() => parseBundle('{"format": "coco"}', 'x.json')).args.found).toBe('"format": "coco"');
    expect(failure(() => parseBundle('{"categories": []}', 'x.json')).args.found).toBe('"format": nothing');
  });

  it('another format_version: bundle-version, checked before the shape', () => {
    const newer = edited((b) => {
      b.format_version = 3;
      b.labels = 'changed in version 3';
    });
    expect(newer.code).toBe('bundle-version');
    expect(newer.path).toBe('$.format_version');
    expect(newer.message).toContain('the bundle has format_version 3; this labelmap reads format_version 2');
    expect(newer.message).toContain('written by a newer labelmap: upgrade labelmap');
    expect(edited((b) => delete b.format_version).message).toContain('format_version nothing');
  });

  it.each([
    // JSON path, what is changed, expected, found
    ['$.labels[0].train_id', (b: any) => (b.labels[0].train_id = '0'), 'a number', '"0"'],
    ['$.datasets', (b: any) => delete b.datasets, 'an array', 'nothing'],
    ['$.id_bits', (b: any) => (b.id_bits = 32), 'one of 8, 16', '32'],
    ['$.datasets[0].lut[3].reason', (b: any) => (b.datasets[0].lut[3].reason = 'renamed'), 'one of "mapped", "ignored by mapping", "background", "not in vertical", "coarser than vertical", "absorbed", "other"', '"renamed"'],
    ['$.labels[4].color', (b: any) => (b.labels[4].color = 'red'), 'a colour #rrggbb', '"red"'],
    ['$.inputs[1].sha256', (b: any) => (b.inputs[1].sha256 = 'abc'), 'a SHA-256 digest (64 lower-case hex digits)', '"abc"'],
    ['$.labels[1].name', (b: any) => (b.labels[1].name = 'side\nwalk'), 'a name without control characters', '"side\\nwalk"'],
    ['$.datasets[1].lut[0].id', (b: any) => (b.datasets[1].lut[0].id = 1.5), 'an integer', '1.5'],
    ['$.vertical', (b: any) => (b.vertical = ''), 'a non-empty string', '""'],
  ])('shape error at %s', (at, edit, expected, found) => {
    const f = edited(edit);
    expect(f.code).toBe('bundle-invalid');
    expect([f.file, f.path, f.args.expected, f.args.found]).toEqual(['b.json', at, expected, found]);
  });

  it('a missing key says so', () => {
    expect(edited((b) => delete b.labels[3].covers).message).toContain('b.json $.labels[3].covers: error bundle-invalid: missing value: expected an array, found nothing');
  });

  it.each([
    ['$.ignore_id', (b: any) => (b.ignore_id = 65535), 'ignore id of 8-bit ids'],
    ['$.labels[8].train_id', (b: any) => (b.labels[8].train_id = 255), 'train id out of range for 8-bit ids'],
    ['$.labels[8].train_id', (b: any) => (b.labels[8].train_id = 7), 'labels out of train-id order'],
    ['$.labels[8].name', (b: any) => (b.labels[8].name = 'road'), 'duplicate label name'],
    ['$.datasets[1].name', (b: any) => (b.datasets[1].name = 'cityscapes'), 'duplicate dataset'],
    ['$.datasets[0].lut[4].id', (b: any) => (b.datasets[0].lut[4].id = 7), 'duplicate native id in cityscapes'],
    ['$.datasets[0].lut[3].train_id', (b: any) => (b.datasets[0].lut[3].train_id = 3), 'train id of the label "road"'],
    ['$.datasets[0].lut[3].label', (b: any) => (b.datasets[0].lut[3].label = 'asphalt'), 'unknown label'],
    ['$.datasets[0].lut[3].reason', (b: any) => (b.datasets[0].lut[3].reason = 'not in vertical'), 'reason of a "label" entry'],
    ['$.datasets[0].lut[5].train_id', (b: any) => (b.datasets[0].lut[5].train_id = 0), 'an ignored entry'],
    ['$.datasets[0].lut[5].label', (b: any) => (b.datasets[0].lut[5].label = 'road'), 'label of a "ignore" entry'],
    ['$.datasets[0].lut[5].set', (b: any) => Object.assign(b.datasets[0].lut[5], { kind: 'set', set: 'road|sky', reason: 'coarser than vertical' }), 'unknown label set'],
    ['$.other', (b: any) => (b.other = 'rest'), 'unknown label'],
    ['$.datasets[0].lut[0].target', (b: any) => (b.datasets[0].lut[0].target = 'license_plate'), 'target of a "ignored by mapping" entry'],
    ['$.datasets[1].coverage', (b: any) => b.datasets[1].coverage.pop(), 'coverage'],
    ['$.datasets[1].coverage[0]', (b: any) => b.datasets[1].coverage.reverse(), 'coverage out of label order'],
  ])('rule broken at %s', (at, edit, message) => {
    const f = edited(edit);
    expect(f.code).toBe('bundle-invalid');
    expect([f.path, f.args.message]).toEqual([at, message]);
  });

  it('a 16-bit set allows train ids above 255', () => {
    const b = JSON.parse(readFileSync(fixturePath('unified-16'), 'utf8'));
    b.labels.at(-1).train_id = 65534;
    b.datasets[0].coverage.at(-1).train_id = 65534;
    b.datasets[0].lut.find((e: any) => e.label === 'sky').train_id = 65534;
    expect(validateBundle(b).labels.at(-1)!.train_id).toBe(65534);
    b.id_bits = 8;
    b.ignore_id = 255;
    expect(failure(() => validateBundle(b)).args.message).toBe('train id out of range for 8-bit ids');
  });
});

describe('readBundle', () => {
  it('reads a file, or labelmap.json inside the folder merge wrote', () => {
    const dir = tempDir({ 'out/labelmap.json': text });
    expect(readBundle(path.join(dir, 'out')).vertical).toBe('self-driving');
    expect(readBundle(path.join(dir, 'out', 'labelmap.json')).datasets).toHaveLength(2);
  });

  it('a missing file, or bytes that are not UTF-8, are errors that name the file', () => {
    const dir = tempDir();
    const missing = failure(() => readBundle(path.join(dir, 'nope.json')));
    expect([missing.code, missing.message]).toEqual(['file-not-found', `${path.join(dir, 'nope.json')}: error file-not-found: bundle not found\n  fix: check the path`]);
    const latin1 = path.join(dir, 'latin1.json');
    writeFileSync(latin1, Buffer.from([0x7b, 0xe9, 0x7d]));
    const f = failure(() => readBundle(latin1));
    expect([f.code, f.file, f.args.reason]).toEqual(['bundle-json', latin1, 'the file is not UTF-8 text']);
  });
});
