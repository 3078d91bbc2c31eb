import fc from 'fast-check';
import { readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { LabelmapError } from '../../src/findings.js';
import { JsonScanner, PICKED_ARRAY, PICKED_OBJECT, scanJson, type PickedElement, type ScanHandlers, type ScanResult } from '../../src/formats/lib/json-scan.js';
import { FIXTURES, tempDir } from '../helpers/cli.js';

const enc = new TextEncoder();

interface Recorded {
  result: ScanResult;
  elements: { key: string; index: number; offset: number; line: number; kind: string; values: unknown[]; arrays: unknown; value: unknown }[];
}

/** Scans `bytes` in chunks of `chunk` bytes, recording every streamed element (copied). */
function scanBytes(bytes: Uint8Array, handlers: (record: (key: string) => (el: PickedElement) => void) => ScanHandlers, chunk = bytes.length || 1): Recorded {
  const elements: Recorded['elements'] = [];
  const record = (key: string) => (el: PickedElement) =>
    elements.push({ key, index: el.index, offset: el.offset, line: el.line, kind: el.kind, values: [...el.values], arrays: structuredClone(el.arrays), value: el.value });
  const scanner = new JsonScanner(handlers(record), { file: 'test.json' });
  for (let at = 0; at < bytes.length; at += chunk) scanner.push(bytes.subarray(at, Math.min(bytes.length, at + chunk)));
  return { result: scanner.end(), elements };
}

const scanText = (text: string, handlers: ScanHandlers = {}, chunk?: number): ScanResult => scanBytes(enc.encode(text), () => handlers, chunk).result;

function errorOf(fn: () => unknown): LabelmapError {
  try {
    fn();
  } catch (error) {
    if (error instanceof LabelmapError) return error;
    throw error;
  }
  throw new Error('expected a LabelmapError');
}

const cocoHandlers = (record: (key: string) => (el: PickedElement) => void): ScanHandlers => ({
  collect: ['info'],
  stream: {
    categories: { whole: true, onElement: record('categories') },
    annotations: { pick: { fields: ['category_id', 'image_id'], arrays: { segments_info: ['category_id', 'id'] } }, onElement: record('annotations') },
  },
  root: { whole: true, onElement: record('$') },
});

describe('JsonScanner: top-level keys, collecting and picking', () => {
  it('lists top-level keys with kinds, offsets and element counts, and collects chosen keys', () => {
    const text = '{"info": {"year": 2017}, "images": [{"id": 1}, {"id": 2}], "n": 3, "categories": []}';
    const r = scanText(text, { collect: ['info'] });
    expect(r.rootKind).toBe('object');
    expect(r.keys).toEqual([
      { key: 'info', kind: 'object', offset: 9 },
      { key: 'images', kind: 'array', offset: text.indexOf('[{'), count: 2 },
      { key: 'n', kind: 'number', offset: text.indexOf('3') },
      { key: 'categories', kind: 'array', offset: text.lastIndexOf('[]'), count: 0 },
    ]);
    expect(r.collected.get('info')).toEqual({ year: 2017 });
    expect(r.complete).toBe(true);
  });

  it('picks only the element-level fields, in any key order, ignoring same-named keys deeper down', () => {
    const text = JSON.stringify({
      annotations: [
        { segmentation: [[1, 2, 3]], image_id: 9, category_id: 18 },
        { category_id: 1, attributes: { category_id: 99, image_id: 77 }, image_id: 'img-2' },
        { image_id: 3 },
        { category_id: { nested: true }, image_id: [1] },
        42,
      ],
    });
    const { elements } = scanBytes(enc.encode(text), cocoHandlers);
    expect(elements.map((e) => [e.index, e.kind, e.values])).toEqual([
      [0, 'object', [18, 9]],
      [1, 'object', [1, 'img-2']],
      [2, 'object', [undefined, 3]],
      [3, 'object', [PICKED_OBJECT, PICKED_ARRAY]],
      [4, 'number', [undefined, undefined]],
    ]);
  });

  it('picks fields of nested arrays of objects (panoptic segments_info), also when they come first', () => {
    const text =
      '{"annotations": [{"segments_info": [{"id": 5, "category_id": 1, "bbox": [1, 2]}, {"category_id": 149, "x": {"category_id": 0}}, 7], "image_id": 10},' +
      ' {"image_id": 11, "segments_info": []}, {"image_id": 12, "segments_info": null}]}';
    const { elements } = scanBytes(enc.encode(text), cocoHandlers);
    expect(elements.map((e) => [e.values, e.arrays])).toEqual([
      [[undefined, 10], { segments_info: [[1, 5], [149, undefined], [undefined, undefined]] }],
      [[undefined, 11], { segments_info: [] }],
      [[undefined, 12], { segments_info: undefined }],
    ]);
  });

  it('picks the items of nested lists of scalars (COCO bbox) with the other fields, at any chunk size', () => {
    const text =
      '{"annotations": [{"bbox": [473.07, 395.93, 38.65, 28.67], "category_id": 18, "segmentation": [[1, 2, 3]]},' +
      ' {"category_id": 1, "bbox": []}, {"bbox": [1e2, -0.5, "x", null, {"a": [1]}, [2]]}, {"bbox": 7}, {"x": {"bbox": [9]}}]}';
    const handlers = (record: (key: string) => (el: PickedElement) => void): ScanHandlers => ({
      stream: { annotations: { pick: { fields: ['category_id'], lists: ['bbox'] }, onElement: record('annotations') } },
    });
    for (const chunk of [1, 2, 5, 1000]) {
      const { elements } = scanBytes(enc.encode(text), handlers, chunk);
      expect(elements.map((e) => [e.values, e.arrays])).toEqual([
        [[18], { bbox: [[473.07], [395.93], [38.65], [28.67]] }],
        [[1], { bbox: [] }],
        [[undefined], { bbox: [[100], [-0.5], ['x'], [null], [PICKED_OBJECT], [PICKED_ARRAY]] }],
        [[undefined], { bbox: undefined }],
        [[undefined], { bbox: undefined }],
      ]);
    }
  });

  it('picks dotted fields one object deeper, in the element and in nested items (BDD100K attributes, box2d)', () => {
    const text =
      '[{"name": "a.jpg", "attributes": {"weather": "rainy", "x": {"weather": "no"}, "scene": "highway"}, "labels": [' +
      '{"category": "car", "box2d": {"x1": 1, "y1": 10.5, "x2": 3, "y2": 20}, "attributes": {"y1": 99}}, {"box2d": null, "category": "bus"}, {"category": "sign", "box2d": {"y2": [1], "y1": {"a": 1}}}, 7]},' +
      ' {"attributes": "sunny", "labels": null, "name": "b.jpg"}, {"attributes": {"weather": "foggy"}, "box2d": {"y1": 5}}, {"name": "d.jpg", "weather": "top"}]';
    const handlers = (record: (key: string) => (el: PickedElement) => void): ScanHandlers => ({
      root: { pick: { fields: ['name', 'attributes.weather', 'attributes.scene'], arrays: { labels: ['category', 'box2d.y1', 'box2d.y2'] } }, onElement: record('$') },
    });
    const expected = [
      [['a.jpg', 'rainy', 'highway'], { labels: [['car', 10.5, 20], ['bus', undefined, undefined], ['sign', PICKED_OBJECT, PICKED_ARRAY], [undefined, undefined, undefined]] }],
      [['b.jpg', undefined, undefined], { labels: undefined }],
      [[undefined, 'foggy', undefined], { labels: undefined }],
      [['d.jpg', undefined, undefined], { labels: undefined }],
    ];
    for (const chunk of [1, 2, 3, 7, 1000]) {
      const { elements } = scanBytes(enc.encode(text), handlers, chunk);
      expect(elements.map((e) => [e.values, e.arrays])).toEqual(expected);
    }
    // The kind of the object a dotted field reaches into, for "expected an object" messages.
    const kinds: unknown[] = [];
    const scanner = new JsonScanner({ root: { pick: { fields: ['attributes.weather'] }, onElement: (el) => kinds.push(el.objectKinds.attributes) } });
    scanner.push(enc.encode(text));
    scanner.end();
    expect(kinds).toEqual(['object', 'string', 'object', undefined]);
  });

  it('dotted picks give what JSON.parse gives, for random frames at any chunk size', () => {
    const scalar = fc.oneof(fc.string({ maxLength: 4 }), fc.integer(), fc.double({ noNaN: true, noDefaultInfinity: true }), fc.boolean(), fc.constant(null));
    const value = fc.oneof(scalar, fc.array(scalar, { maxLength: 2 }), fc.dictionary(fc.constantFrom('y1', 'a', 'weather'), scalar, { maxKeys: 2 }));
    const maybe = <T,>(arb: fc.Arbitrary<T>) => fc.option(arb, { nil: undefined });
    const object = (keys: string[]) => fc.oneof(fc.record(Object.fromEntries(keys.map((k) => [k, maybe(value)])), { requiredKeys: [] }), value);
    const label = fc.oneof(fc.record({ category: maybe(value), box2d: maybe(object(['y1', 'y2', 'x1'])), id: maybe(value) }, { requiredKeys: [] }), scalar);
    const frame = fc.record({ name: maybe(value), attributes: maybe(object(['weather', 'scene', 'y1'])), labels: maybe(fc.oneof(fc.array(label, { maxLength: 4 }), scalar)), other: maybe(value) }, { requiredKeys: [] });
    const pickOf = (o: unknown, key: string): unknown => {
      if (typeof o !== 'object' || o === null || Array.isArray(o)) return undefined;
      const v = (o as Record<string, unknown>)[key];
      return Array.isArray(v) ? PICKED_ARRAY : typeof v === 'object' && v !== null ? PICKED_OBJECT : v;
    };
    const deeper = (o: unknown, a: string, b: string): unknown => {
      if (typeof o !== 'object' || o === null || Array.isArray(o)) return undefined;
      return pickOf((o as Record<string, unknown>)[a], b);
    };
    fc.assert(
      fc.property(fc.array(frame, { maxLength: 4 }), fc.integer({ min: 1, max: 9 }), (frames, chunk) => {
        const text = JSON.stringify(frames);
        const handlers = (record: (key: string) => (el: PickedElement) => void): ScanHandlers => ({
          root: { pick: { fields: ['name', 'attributes.weather', 'attributes.scene'], arrays: { labels: ['category', 'box2d.y1', 'box2d.y2'] } }, onElement: record('$') },
        });
        const got = scanBytes(enc.encode(text), handlers, chunk).elements.map((e) => [e.values, e.arrays]);
        const want = (JSON.parse(text) as unknown[]).map((f) => {
          const labels = typeof f === 'object' && f !== null ? (f as { labels?: unknown }).labels : undefined;
          return [
            [pickOf(f, 'name'), deeper(f, 'attributes', 'weather'), deeper(f, 'attributes', 'scene')],
            { labels: Array.isArray(labels) ? labels.map((l) => [pickOf(l, 'category'), deeper(l, 'box2d', 'y1'), deeper(l, 'box2d', 'y2')]) : undefined },
          ];
        });
        expect(got).toEqual(want);
      }),
      { numRuns: 300 },
    );
  });

  it('reads keys written with escapes, and strings with brackets, quotes and non-ASCII', () => {
    const text = '{"annotations": [{"category\\u005fid": 4, "na\\"me": "a]}\\"[{", "image_id": "東京\\u00e9"}]}';
    const { elements } = scanBytes(enc.encode(text), cocoHandlers);
    expect(elements[0]!.values).toEqual([4, '東京é']);
    // Escapes in the first two bytes of a key, and a key that only looks like a picked one.
    const tricky = '{"annotations": [{"\\u0063ategory_id": 5, "i\\u006dage_id": 6, "imageid": 7, "c": 8}]}';
    for (const chunk of [1, 2, 3, 1000]) expect(scanBytes(enc.encode(tricky), cocoHandlers, chunk).elements[0]!.values).toEqual([5, 6]);
  });

  it('parses whole elements with their offset and line', () => {
    const text = '{"categories": [\n  {"id": 1, "name": "a"},\n  {"id": 2, "name": "caf\\u00e9 [x]"}\n]}';
    const { elements } = scanBytes(enc.encode(text), cocoHandlers);
    expect(elements.map((e) => [e.index, e.line, e.value])).toEqual([
      [0, 2, { id: 1, name: 'a' }],
      [1, 3, { id: 2, name: 'café [x]' }],
    ]);
    expect(elements[1]!.offset).toBe(enc.encode(text).indexOf(enc.encode('{"id": 2')[0]!, text.indexOf('{"id": 2')));
  });

  it('streams the elements of a root array', () => {
    const { result, elements } = scanBytes(enc.encode('[{"id": 1, "name": "a"}, {"id": 2, "name": "b"}]'), cocoHandlers);
    expect(result.rootKind).toBe('array');
    expect(elements.map((e) => [e.key, e.value])).toEqual([
      ['$', { id: 1, name: 'a' }],
      ['$', { id: 2, name: 'b' }],
    ]);
  });

  it('reads numbers of every JSON shape when picked', () => {
    const values = [0, 7, -12, 3.25, 1e3, 2.5e-3, -1.5E+2, 123456789012345, 12345678901234567890];
    const text = `{"annotations": [${values.map((v) => `{"image_id": ${JSON.stringify(v)}}`).join(', ')}, {"image_id": 1E2}]}`;
    const { elements } = scanBytes(enc.encode(text), cocoHandlers);
    expect(elements.map((e) => e.values[1])).toEqual([...values, 100]);
    expect(Object.is(scanBytes(enc.encode('{"annotations": [{"image_id": -0}]}'), cocoHandlers).elements[0]!.values[1], -0)).toBe(true);
  });

  it('skips a UTF-8 byte order mark', () => {
    const bytes = new Uint8Array([0xef, 0xbb, 0xbf, ...enc.encode('{"info": 1}')]);
    for (const chunk of [1, 2, 64]) expect(scanBytes(bytes, () => ({ collect: ['info'] }), chunk).result.collected.get('info')).toBe(1);
  });
});

describe('JsonScanner: chunk boundaries', () => {
  const files = ['instances-categories-last.json', 'instances-categories-first.json', 'panoptic.json', 'panoptic-categories.json', 'stuff.json'];
  for (const name of files) {
    it(`gives identical results for chunks of 1, 2, 3, 7, 64 bytes and whole: ${name}`, () => {
      const bytes = readFileSync(path.join(FIXTURES, 'coco', name));
      const whole = scanBytes(bytes, cocoHandlers);
      expect(whole.elements.length).toBeGreaterThan(0);
      for (const chunk of [1, 2, 3, 7, 64]) {
        const split = scanBytes(bytes, cocoHandlers, chunk);
        expect(split.elements).toEqual(whole.elements);
        expect(split.result).toEqual(whole.result);
      }
    });
  }
});

describe('JsonScanner: the JSON grammar', () => {
  it('accepts exactly what JSON.parse accepts (random JSON texts and their corruptions)', () => {
    // Small alphabets make near-miss texts likely: missing commas, bad escapes, leading zeros...
    const token = fc.constantFrom('{', '}', '[', ']', ',', ':', '"', '"a"', '"k"', '1', '0', '-', '.', 'e', '+', '2', 'true', 'false', 'null', 'tru', ' ', '\n', '\\', '\\u00e9', '\\x', '\t', 'é', '\u0001');
    fc.assert(
      fc.property(fc.array(token, { maxLength: 14 }), (tokens) => {
        const text = tokens.join('');
        let parses = true;
        try {
          JSON.parse(text);
        } catch {
          parses = false;
        }
        let scans = true;
        try {
          scanText(text, {}, 3);
        } catch (error) {
          if (!(error instanceof LabelmapError)) throw error;
          scans = false;
        }
        expect(scans).toBe(parses);
      }),
      { numRuns: 3000 },
    );
  });

  it('validates skipped number arrays (the number-run fast path) exactly as JSON.parse, at any chunk size', () => {
    // Polygon-shaped runs ("510.66, 423.01, ...") deep enough to be skipped, with near misses:
    // leading zeros, '1.', exponents, signs, tabs and line breaks, doubled or trailing commas.
    const part = fc.constantFrom('510', '.', '66', ', ', ',', ' ', '  ', '0', '07', '-', '1e5', 'E', '+', '\t', '\n', '9', ']', '[', ',,', '.5');
    fc.assert(
      fc.property(fc.array(part, { maxLength: 16 }), fc.integer({ min: 1, max: 7 }), (parts, chunk) => {
        const text = `{"annotations": [{"segmentation": [[1.5, ${parts.join('')}]], "id": 1}]}`;
        let parses = true;
        try {
          JSON.parse(text);
        } catch {
          parses = false;
        }
        const offsets = [chunk, text.length].map((size) => {
          try {
            scanText(text, {}, size);
            return -1;
          } catch (error) {
            if (!(error instanceof LabelmapError)) throw error;
            return error.finding.offset ?? -2;
          }
        });
        expect(offsets[0] === -1).toBe(parses);
        expect(offsets[0]).toBe(offsets[1]);
      }),
      { numRuns: 4000 },
    );
  });

  it('collects random JSON values exactly as JSON.parse reads them', () => {
    fc.assert(
      fc.property(fc.jsonValue(), fc.integer({ min: 1, max: 9 }), (value, chunk) => {
        const text = JSON.stringify({ info: value, pad: [value] }, null, chunk % 2 ? 1 : undefined);
        expect(scanText(text, { collect: ['info'] }, chunk).collected.get('info')).toEqual(JSON.parse(text).info);
      }),
      { numRuns: 300 },
    );
  });

  it('reports malformed JSON with the byte offset, line, column and path', () => {
    const file = path.join(FIXTURES, 'coco', 'malformed.json');
    const text = readFileSync(file, 'utf8');
    const e = errorOf(() => scanText(text));
    const offset = text.indexOf('\n  {"image_id": 1, "category_id": 1, "bbox": [0, 0, 1, 1], "id": 2}') + 3;
    expect(e.finding).toMatchObject({ code: 'json-malformed', offset, line: 4, column: 3, path: '$.annotations[0]' });
    expect(e.finding.args).toMatchObject({ expected: "',' or ']'", found: "'{'" });
    expect(e.message).toContain(`malformed JSON at byte ${offset}: expected ',' or ']', found '{'`);
  });

  it.each([
    ['{"a": 01}', 7, 'no leading zeros'],
    ['{"a": 1.}', 8, 'a digit'],
    ['{"a": "x\\q"}', 9, 'an escape'],
    ['{"a": "x\u0001"}', 8, 'control characters'],
    ['{"a" 1}', 5, "':'"],
    ['{a: 1}', 1, 'a key'],
    ['[1, 2,]', 6, 'a value'],
    ['{"a": 1,}', 8, 'a key'],
    ['[1] x', 4, 'the end of the file'],
    ['[nul]', 4, 'the literal null'],
    ['{"a": [1}', 8, "',' or ']'"],
  ])('rejects %j at byte %i', (text, offset, expected) => {
    const e = errorOf(() => scanText(text));
    expect(e.finding.code).toBe('json-malformed');
    expect(e.finding.offset).toBe(offset);
    expect(String(e.finding.args.expected)).toContain(expected);
  });

  it('reports every proper prefix of a file as truncated (or empty), never as malformed', () => {
    const bytes = readFileSync(path.join(FIXTURES, 'coco', 'panoptic.json'));
    const end = bytes.length - 1; // the file ends with "}\n"
    for (let cut = 0; cut < end; cut++) {
      const e = errorOf(() => scanBytes(bytes.subarray(0, cut), cocoHandlers, 5));
      expect(e.finding.code, `cut at ${cut}`).toBe(cut === 0 ? 'json-empty' : 'json-truncated');
      if (cut > 0) expect(e.finding.offset).toBe(cut);
    }
  });

  it('names what the file ends inside', () => {
    const cut = '{"annotations": [{"segmentation": "abc';
    expect(errorOf(() => scanText(cut)).finding).toMatchObject({
      code: 'json-truncated',
      offset: cut.length,
      path: '$.annotations[0]',
      args: { inside: 'a string', open: 3 },
    });
    expect(errorOf(() => scanText('{"a": [1, 2')).finding.args).toMatchObject({ inside: 'a number', open: 2 });
    expect(errorOf(() => scanText('   ')).finding.code).toBe('json-empty');
  });

  it('survives 100,000 levels of nesting (no recursion), inside skipped and collected values', () => {
    const deep = '['.repeat(100_000) + ']'.repeat(100_000);
    const r = scanText(`{"annotations": [{"segmentation": ${deep}, "category_id": 1}], "info": ${deep}}`, { collect: ['info'] }, 4096);
    expect(r.keys.map((k) => k.key)).toEqual(['annotations', 'info']);
    let v = r.collected.get('info');
    let levels = 0;
    while (Array.isArray(v) && v.length > 0) {
      v = v[0];
      levels++;
    }
    expect(levels).toBe(99_999);
    expect(errorOf(() => scanText(`{"a": ${'{"b": '.repeat(100_000)}1`, {}, 4096)).finding.args).toMatchObject({ open: 100_001 });
  });

  it('refuses to collect a value larger than the limit', () => {
    const scanner = new JsonScanner({ collect: ['categories'] }, { file: 'big.json', maxCollect: 100 });
    const text = `{"categories": [${'"xxxxxxxxxx", '.repeat(20)}"y"]}`;
    const e = errorOf(() => {
      for (let at = 0; at < text.length; at += 16) scanner.push(enc.encode(text.slice(at, at + 16)));
    });
    expect(e.finding).toMatchObject({ code: 'json-value-too-long', offset: 15, args: { limit: '100 bytes' } });
  });
});

describe('scanJson over a file', () => {
  it('reads in chunks, reports progress, and stops early at maxBytes', async () => {
    const file = path.join(FIXTURES, 'coco', 'instances-categories-last.json');
    const calls: [number, number][] = [];
    const r = await scanJson(file, { collect: ['info'] }, { chunkSize: 64, onProgress: (d, t) => calls.push([d, t]) });
    const size = readFileSync(file).length;
    expect(calls.at(-1)).toEqual([size, size]);
    expect(r.bytes).toBe(size);
    const partial = await scanJson(file, {}, { maxBytes: readFileSync(file, 'latin1').indexOf('"images"') });
    expect(partial.complete).toBe(false);
    expect(partial.keys.map((k) => k.key)).toEqual(['info', 'licenses']);
  });

  it('names a missing file', async () => {
    await expect(scanJson('/nonexistent/x.json', {})).rejects.toMatchObject({ finding: { code: 'file-not-found', file: '/nonexistent/x.json' } });
  });

  it('reads a file with very long lines and values it does not keep', async () => {
    const dir = tempDir();
    const file = path.join(dir, 'long.json');
    const long = 'x'.repeat(5_000_000);
    writeFileSync(file, `{"images": [{"file_name": "${long}", "id": 1}], "annotations": [{"category_id": 1, "image_id": 1, "caption": "${long}"}]}`);
    const picked: unknown[] = [];
    const r = await scanJson(file, { stream: { annotations: { pick: { fields: ['category_id'] }, onElement: (el) => picked.push(el.values[0]) } } });
    expect(r.keys.map((k) => [k.key, k.count])).toEqual([
      ['images', 1],
      ['annotations', 1],
    ]);
    expect(picked).toEqual([1]);
  });
});
