// The strict JSON reader (src/json.ts) that model configs, Vistas configs and polygon files,
// bundles and the lock file go through: it accepts exactly what JSON.parse accepts, except
// duplicate keys, nesting beyond MAX_JSON_DEPTH and numbers out of range, and places every
// problem at its line and column.
import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { writeFileSync } from 'node:fs';
import path from 'node:path';
import { parseBundle } from '../../src/api/bundle.js';
import { coco } from '../../src/formats/coco.js';
import { extractHf } from '../../src/formats/hf.js';
import { readMapillaryConfig } from '../../src/formats/mapillary.js';
import { checkJsonText, MAX_JSON_DEPTH, parseJson, parseJsonBytes } from '../../src/json.js';
import { parseLock } from '../../src/versioning/lock.js';
import { FIXTURES, tempDir } from '../helpers/cli.js';
import { readFileSync } from 'node:fs';
import { findingOf } from '../helpers/finding-of.js';

const parseOk = (text: string): boolean => {
  try {
    JSON.parse(text);
    return true;
  } catch {
    return false;
  }
};

/** The reasons for which the reader refuses what JSON.parse accepts. */
const STRICTER = /appears twice|nests deeper|out of range/;

describe('strict JSON', () => {
  it('reads every JSON value exactly as JSON.parse does', () => {
    fc.assert(
      fc.property(fc.jsonValue(), fc.boolean(), (value, pretty) => {
        const text = JSON.stringify(value, null, pretty ? 2 : undefined);
        expect(checkJsonText(text)).toBeNull();
        expect(parseJson(text, 'x.json', 'label-json-invalid')).toEqual(JSON.parse(text));
      }),
      { numRuns: 300 },
    );
  });

  it('refuses what JSON.parse refuses, and more only for duplicate keys, depth and overflow', () => {
    const alphabet = fc.constantFrom(...'{}[]":,0123456789eE.-+ \n\tabtrufalsn\\u'.split(''), '"a"', '"b"', '1e400', 'true', 'null');
    fc.assert(
      fc.property(fc.array(alphabet, { maxLength: 30 }).map((parts) => parts.join('')), (text) => {
        const problem = checkJsonText(text);
        if (!parseOk(text)) expect(problem).not.toBeNull();
        else if (problem) expect(problem.reason).toMatch(STRICTER);
      }),
      { numRuns: 2000 },
    );
  });

  it('a cut-short file is an error at its end, wherever it is cut', () => {
    const text = JSON.stringify({ labels: [{ name: 'construction--flat--road', color: [128, 64, 128], readable: 'Road' }] }, null, 2);
    for (let cut = 0; cut < text.length; cut++) {
      const prefix = text.slice(0, cut);
      if (parseOk(prefix)) continue; // "1" out of "128": a valid number
      const problem = checkJsonText(prefix);
      expect(problem, prefix).not.toBeNull();
    }
  });

  it('a duplicate key is an error at the second one, with its JSON path, also when escaped differently', async () => {
    const f = await findingOf(() => parseJson('{\n  "id2label": {\n    "0": "cat",\n    "\\u0030": "dog"\n  }\n}', 'config.json', 'hf-json-malformed'));
    expect(f).toMatchObject({ code: 'hf-json-malformed', file: 'config.json', line: 4, column: 5, path: '$.id2label["0"]' });
    expect(String(f.args.reason)).toContain('the key "0" appears twice');
    // The same key in two objects is no duplicate.
    expect(parseJson('[{"a": 1}, {"a": 2}]', 'x.json', 'bundle-json')).toEqual([{ a: 1 }, { a: 2 }]);
  });

  it(`nesting is refused beyond ${MAX_JSON_DEPTH} levels, at any depth of input, without recursion`, async () => {
    const nest = (n: number) => '['.repeat(n) + ']'.repeat(n);
    expect(checkJsonText(nest(MAX_JSON_DEPTH))).toBeNull();
    const f = await findingOf(() => parseJson(nest(MAX_JSON_DEPTH + 1), 'deep.json', 'bundle-json'));
    expect(f).toMatchObject({ line: 1, column: MAX_JSON_DEPTH + 1 });
    expect(String(f.args.reason)).toBe(`the JSON nests deeper than ${MAX_JSON_DEPTH} levels`);
    // 1,000,000 levels: JSON.stringify of what JSON.parse builds from it would overflow the stack.
    expect(checkJsonText(`{"a":${'{"a":'.repeat(1_000_000)}1${'}'.repeat(1_000_001)}`)?.reason).toBe(`the JSON nests deeper than ${MAX_JSON_DEPTH} levels`);
  });

  it('a number that overflows to Infinity is refused; big integers are left to the reader of the field', () => {
    expect(checkJsonText('{"a": [1, 1e400]}')).toMatchObject({ offset: 10, reason: 'the number 1e400 is out of range', path: '$.a[1]' });
    expect(checkJsonText(`[-${'9'.repeat(400)}]`)?.reason).toMatch(/^the number -9{36}\.\.\. is out of range$/);
    expect(checkJsonText('[1e308, -1e-400, 0.5e-10, 12345678901234567890]')).toBeNull();
  });

  it('syntax errors say what was expected and found, without dumping binary bytes', () => {
    const cases: [string, { offset: number; reason: string }][] = [
      ['', { offset: 0, reason: 'the file is empty: expected a JSON value' }],
      ['  \n ', { offset: 4, reason: 'the file is empty: expected a JSON value' }],
      ['{"a": 1,}', { offset: 8, reason: "expected a key in double quotes, found '}'" }],
      ['{"a" 1}', { offset: 5, reason: "expected ':' after the key \"a\", found '1'" }],
      ['[1 2]', { offset: 3, reason: "expected ',' or ']', found '2'" }],
      ['{"a": 1} x', { offset: 9, reason: "unexpected 'x' after the end of the JSON value" }],
      ['{"a": "b', { offset: 6, reason: 'the file ends in the middle of the JSON, in the string that starts here (a missing ")' }],
      ['{"a": [1, 2', { offset: 11, reason: 'the file ends in the middle of the JSON' }],
      ['["a\u0001"]', { offset: 3, reason: 'a control character (U+0001) inside a string: write it as an escape such as \\n' }],
      ['["\\x41"]', { offset: 2, reason: 'an invalid escape \\x in a string' }],
      ['["\\u12"]', { offset: 2, reason: 'a \\u escape without four hex digits' }],
      ['[01]', { offset: 2, reason: "expected ',' or ']', found '1'" }],
      ['[-]', { offset: 2, reason: "expected a digit, found ']'" }],
      ['[1.]', { offset: 3, reason: "expected a digit after the decimal point, found ']'" }],
      ['\u0000\u00ff', { offset: 0, reason: 'expected a value, found U+0000' }],
      ['[tru]', { offset: 1, reason: "expected a value, found 't'" }],
    ];
    for (const [text, expected] of cases) expect(checkJsonText(text), JSON.stringify(text)).toMatchObject(expected);
  });

  it('a BOM is dropped; invalid UTF-8 names the byte; a place is line and column', async () => {
    expect(parseJson('\uFEFF{"a": 1}', 'x.json', 'bundle-json')).toEqual({ a: 1 });
    expect(parseJsonBytes(Buffer.from('\uFEFF[1]'), 'x.json', 'bundle-json')).toEqual([1]);
    expect(await findingOf(() => parseJsonBytes(Buffer.from([0x5b, 0x22, 0xe9, 0x22, 0x5d]), 'x.json', 'label-json-invalid'))).toMatchObject({
      code: 'label-json-invalid',
      line: 1,
      args: { reason: 'not UTF-8 (byte 0xe9 at offset 2)' },
    });
    expect(await findingOf(() => parseJson('{\n  "a": 1,\n  "b": ]\n}', 'x.json', 'lock-invalid'))).toMatchObject({ line: 3, column: 8 });
  });
});

describe('every reader of JSON files goes through it', () => {
  const deep = (key: string) => `{${key} ${'['.repeat(100_000)}${']'.repeat(100_000)}}`;

  it('model configs, Vistas configs, bundles and lock files: duplicate keys and deep nesting are errors, not crashes', async () => {
    const dir = tempDir({});
    const file = (name: string, text: string) => {
      writeFileSync(path.join(dir, name), text);
      return path.join(dir, name);
    };
    expect(await findingOf(() => extractHf(file('dup.json', '{"id2label": {"0": "cat", "0": "dog"}}'), { stats: false }))).toMatchObject({
      code: 'hf-json-malformed',
      path: '$.id2label["0"]',
    });
    // Before: JSON.stringify of the nested extra field overflowed the stack (internal error).
    expect(await findingOf(() => readMapillaryConfig(file('deep.json', `{"labels": [{"name": "a--b", "readable": "B", "x": ${deep('"y":')}}]}`)))).toMatchObject({
      code: 'label-json-invalid',
      path: expect.stringMatching(/^\$\.labels\[0\]\.x\.y\[0\]/),
    });
    // Before: the bundle's error message JSON.stringify-ed the nested value and overflowed the stack.
    expect(await findingOf(() => parseBundle(`{"format": "labelmap-bundle", "format_version": 1, "vertical": ${deep('"a":')}}`, 'b.json'))).toMatchObject({
      code: 'bundle-json',
      path: expect.stringMatching(/^\$\.vertical\.a/),
    });
    expect(await findingOf(() => parseLock('{"format": "labelmap-lock", "format": "labelmap-lock", "format_version": 1, "sheets": []}', 'l.json'))).toMatchObject({
      code: 'lock-invalid',
      line: 1,
      column: 29,
      path: '$.format',
    });
  });
});

describe('ids beyond 2^53', () => {
  it('a bundle with a native id beyond 2^53 is refused (JSON.parse rounds it to another id)', async () => {
    const text = readFileSync(path.join(FIXTURES, 'export', 'self-driving.json'), 'utf8').replace(/"id": \d+/, '"id": 12345678901234567890');
    const f = await findingOf(() => parseBundle(text, 'b.json'));
    expect(f).toMatchObject({ code: 'bundle-invalid', path: expect.stringMatching(/^\$\.datasets\[0\]\.lut\[\d+\]\.id$/) });
    expect(f.args).toMatchObject({ expected: 'at most 9007199254740991', found: '12345678901234567000' });
  });
});

describe('the streaming COCO scanner applies the same checks to the values it parses whole', () => {
  it('a duplicate key (also 20,000 levels deep) or an overflowing number inside a category is json-not-strict at its byte', async () => {
    const dir = tempDir({});
    const cases: [string, string, RegExp][] = [
      ['{"categories": [{"id": 1, "name": "cat", "name": "dog"}]}', '$.categories[0].name', /the key "name" appears twice/],
      [`{"categories": [{"id": 1, "name": "cat", "x": [${'{"a": ['.repeat(10_000)}{"b": 1, "b": 2}${']}'.repeat(10_000)}]}]}`, '$.categories[0].x[0].a[0].a', /the key "b" appears twice/],
      ['{"categories": [{"id": 1, "name": "cat", "area": 1e400}]}', '$.categories[0].area', /1e400 is out of range/],
    ];
    for (const [text, at, reason] of cases) {
      const file = path.join(dir, 'instances.json');
      writeFileSync(file, text);
      const f = await findingOf(() => coco.extract(file, { stats: false }));
      expect(f).toMatchObject({ code: 'json-not-strict', file, line: 1, path: expect.stringContaining(at) });
      expect(String(f.args.reason)).toMatch(reason);
      expect(f.offset).toBe(f.column! - 1);
    }
  });
});
