// The skim (formats/lib/json-scan.ts skimValue, skimElement, runNumbers' two-byte table) may only
// decide how fast a valid value goes, never what is accepted or what is picked. Pushed one byte at
// a time the scanner never skims (a value must lie whole inside a chunk, and the two-byte table
// needs two bytes): that run is the general path, the reference. Every other chunk size, and the
// whole text at an even and at an odd address, must give the same outcome: the same picked
// elements, or the same error at the same offset, line, column and path; and accept exactly what
// JSON.parse accepts.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { LabelmapError } from '../../src/findings.js';
import { JsonScanner, type PickedElement, type ScanHandlers } from '../../src/formats/lib/json-scan.js';

const enc = new TextEncoder();

// COCO's pick spec with every kind of pick the skim reads or hands back: scalar fields, a list of
// scalars (bbox), a nested array of objects (segments_info) and a dotted field's object.
const handlers = (record: (key: string) => (el: PickedElement) => void): ScanHandlers => ({
  stream: {
    categories: { whole: true, onElement: record('categories') },
    annotations: {
      pick: { fields: ['category_id', 'image_id', 'attributes.occluded'], arrays: { segments_info: ['category_id'] }, lists: ['bbox'] },
      onElement: record('annotations'),
    },
    images: { pick: { fields: ['id', 'file_name'] }, onElement: record('images') },
  },
  root: { whole: true, onElement: record('$') },
});

type Outcome = { ok: true; elements: unknown[]; keys: unknown } | { ok: false; code: string; place: unknown; args: unknown };

/** Scans `bytes` pushed in chunks of `chunk` bytes (0: whole, copied to an odd address when `odd`). */
function outcomeOf(bytes: Uint8Array, chunk: number, odd = false): Outcome {
  const elements: unknown[] = [];
  const record = (key: string) => (el: PickedElement) =>
    elements.push({ key, index: el.index, offset: el.offset, line: el.line, kind: el.kind, values: [...el.values], arrays: structuredClone(el.arrays), arrayKinds: { ...el.arrayKinds }, objectKinds: { ...el.objectKinds }, value: el.value });
  const scanner = new JsonScanner(handlers(record), { file: 'skim.json' });
  try {
    if (chunk === 0) {
      const copy = new Uint8Array(bytes.length + 1).subarray(odd ? 1 : 0, bytes.length + (odd ? 1 : 0));
      copy.set(bytes);
      scanner.push(copy);
    } else {
      for (let at = 0; at < bytes.length; at += chunk) scanner.push(bytes.subarray(at, Math.min(bytes.length, at + chunk)));
    }
    const result = scanner.end();
    return { ok: true, elements, keys: result.keys };
  } catch (error) {
    if (!(error instanceof LabelmapError)) throw error;
    const { code, offset, line, column, path } = error.finding;
    return { ok: false, code, place: { offset, line, column, path }, args: error.finding.args };
  }
}

function parses(text: string): boolean {
  try {
    JSON.parse(text);
    return true;
  } catch {
    return false;
  }
}

// --- valid COCO-shaped texts, then one near miss --------------------------------------------------

const blank = fc.constantFrom('', ' ', ' ', ' ', '  ', '\n', '\t', '\r\n ');
const number = fc.constantFrom('0', '7', '18', '-3', '510.66', '0.65', '-0.5', '1e5', '2E-3', '12.5e+2', '90', '118287', '9007199254740993', '1.0');
const string = fc.constantFrom('""', '"a"', '"person"', '"000000000139.jpg"', '"é"', '"a\\"b"', '"\\u00e9"', '"\\n\\t\\/"', '"class \\"1\\""', '"]},"');
const literal = fc.constantFrom('true', 'false', 'null');
const scalar = fc.oneof(number, number, string, literal);

/** Joins items with ',' and random blanks, in brackets. */
const listOf = (items: fc.Arbitrary<string[]>, open: string, close: string) =>
  fc.tuple(items, fc.array(blank, { minLength: 12, maxLength: 12 })).map(([xs, bs]) => `${open}${bs[0]}${xs.map((x, k) => `${x}${bs[(k + 1) % 12]}`).join(`,${bs[(xs.length + 3) % 12] === '' ? '' : ' '}`)}${close}`);

const polygon = listOf(fc.array(fc.constantFrom('510.66', '423.01', '0.65', '7', '12.5', '99', '-1', '3e2', '100.0'), { minLength: 0, maxLength: 12 }), '[', ']');
const value: fc.Arbitrary<string> = fc.letrec<{ value: string }>((tie) => ({
  value: fc.oneof(
    { depthSize: 'small', withCrossShrink: true },
    scalar,
    polygon,
    listOf(fc.array(polygon, { maxLength: 3 }), '[', ']'),
    listOf(fc.array(tie('value'), { maxLength: 3 }), '[', ']'),
    listOf(fc.array(fc.tuple(fc.constantFrom('"counts"', '"size"', '"k"', '"a\\u0062"'), tie('value')).map(([k, v]) => `${k}: ${v}`), { maxLength: 3 }), '{', '}'),
  ),
})).value;

const key = fc.constantFrom('"segmentation"', '"area"', '"iscrowd"', '"image_id"', '"bbox"', '"category_id"', '"id"', '"segments_info"', '"attributes"', '"image\\u005fid"', '"file_name"', '"x"');
const pair = fc.tuple(key, blank, blank, fc.oneof(value, value, listOf(fc.array(scalar, { maxLength: 5 }), '[', ']'))).map(([k, b1, b2, v]) => `${k}${b1}:${b2}${v}`);
const element = fc.oneof(listOf(fc.array(pair, { maxLength: 8 }), '{', '}'), value);
const cocoText = fc
  .tuple(fc.array(element, { maxLength: 3 }), fc.array(element, { maxLength: 4 }), blank)
  .map(([images, annotations, b]) => `{"images": [${images.join(', ')}],${b}"annotations": [${annotations.join(`,${b}`)}], "categories": [{"id": 1, "name": "a"}]}`);

// Copies of one element: skimElement compares each key with the one at its position in the last
// element, so a near miss in a later copy ("image_ie", a key one byte longer) goes through that path.
const repeatedText = fc
  .tuple(listOf(fc.array(pair, { minLength: 1, maxLength: 8 }), '{', '}'), fc.integer({ min: 2, max: 5 }))
  .map(([el, copies]) => `{"annotations": [${Array.from({ length: copies }, () => el).join(', ')}]}`);

/** One near miss: a byte deleted, inserted or replaced (bytes the grammar is picky about). */
const nearMiss = fc
  .tuple(fc.oneof(cocoText, repeatedText), fc.nat(), fc.constantFrom('delete', 'insert', 'replace', 'none'), fc.constantFrom('0', '.', ',', '"', '\\', '\u0001', '\u001f', ' ', '\n', ']', '}', '[', '{', 'e', '-', '+', '1', ':', 'x', 'u', 't', 'é'))
  .map(([text, at, op, byte]) => {
    const p = at % (text.length + 1);
    if (op === 'delete') return text.slice(0, p) + text.slice(p + 1);
    if (op === 'insert') return text.slice(0, p) + byte + text.slice(p);
    if (op === 'replace') return text.slice(0, p) + byte + text.slice(p + 1);
    return text;
  });

describe('the skim: same outcome as the general path', () => {
  it('near-miss COCO texts: accepted exactly as JSON.parse, same elements or the same error as byte-by-byte, at any chunk size and address', () => {
    let accepted = 0;
    fc.assert(
      fc.property(nearMiss, fc.integer({ min: 2, max: 97 }), (text, chunk) => {
        const bytes = enc.encode(text);
        const reference = outcomeOf(bytes, 1);
        expect(reference.ok).toBe(parses(text));
        if (reference.ok) accepted++;
        expect(outcomeOf(bytes, chunk)).toEqual(reference);
        expect(outcomeOf(bytes, 0)).toEqual(reference);
        expect(outcomeOf(bytes, 0, true)).toEqual(reference);
      }),
      { numRuns: 2500 },
    );
    // The generator must give both sides a fair share.
    expect(accepted).toBeGreaterThan(500);
    expect(accepted).toBeLessThan(2000);
  });

  it('picks what JSON.parse reads from skimmed elements (scalars, lists of scalars)', () => {
    fc.assert(
      fc.property(fc.oneof(cocoText, repeatedText), (text) => {
        const outcome = outcomeOf(enc.encode(text), 0);
        expect(outcome.ok).toBe(true);
        if (!outcome.ok) return;
        const parsed = JSON.parse(text) as { annotations: unknown[] };
        const annotations = outcome.elements.filter((e) => (e as { key: string }).key === 'annotations') as { values: unknown[]; arrays: Record<string, unknown[][] | undefined>; kind: string }[];
        expect(annotations.length).toBe(parsed.annotations.length);
        annotations.forEach((el, k) => {
          const object = parsed.annotations[k];
          if (el.kind !== 'object') return;
          const o = object as Record<string, unknown>;
          for (const [slot, name] of ['category_id', 'image_id'].entries()) {
            const v = o[name];
            if (v === null || typeof v !== 'object') expect(el.values[slot]).toEqual(v);
          }
          if (Array.isArray(o.bbox) && o.bbox.every((x) => x === null || typeof x !== 'object')) expect(el.arrays.bbox).toEqual(o.bbox.map((x) => [x]));
        });
      }),
      { numRuns: 500 },
    );
  });

  it('takes number runs at either byte address, and stops them exactly where the grammar does', () => {
    // Runs whose pairs start at an even or an odd address, each ending in a different way.
    const ends = [']', ' ]', '\n]', ', 0.5]', ',-1]', ', 1e3]', ', 07]', ', 1.]', ', 1..2]', ',]', ', ,1]', ', 1 2]', '.5]', ', 12\u0001]'];
    for (const pad of ['', ' ']) {
      for (const end of ends) {
        for (const body of ['1', '510.66, 423.01', '12, 3.25, 99, 100.0, 7', '1,2,3,4,5,6,7,8,9,10']) {
          const text = `{"annotations": [{"segmentation": [${pad}[${pad}1.5, ${body}${end}]}]}`;
          const bytes = enc.encode(text);
          const reference = outcomeOf(bytes, 1);
          expect(reference.ok, text).toBe(parses(text));
          for (const chunk of [2, 3, 5, 8, 13, 0]) expect(outcomeOf(bytes, chunk), `${text} in chunks of ${chunk}`).toEqual(reference);
          expect(outcomeOf(bytes, 0, true), `${text} at an odd address`).toEqual(reference);
        }
      }
    }
  });

  it('matches each key whole when it differs from the last element\'s by one byte', () => {
    const text = '{"annotations": [{"image_id": 1, "category_id": 2}, {"image_ie": 3, "category_id": 4}, {"image_idx": 5, "category_i": 6}, {"image_id": 7, "category_id": 8}]}';
    const outcome = outcomeOf(enc.encode(text), 0);
    expect(outcome).toEqual(outcomeOf(enc.encode(text), 1));
    expect(outcome.ok && outcome.elements.map((e) => (e as { values: unknown[] }).values.slice(0, 2))).toEqual([
      [2, 1],
      [4, undefined],
      [undefined, undefined],
      [8, 7],
    ]);
  });

  it('reads number runs of a resizable buffer after it grew (the 16-bit view is made anew)', () => {
    const head = enc.encode('{"annotations": [{"segmentation": [[1.5, 2.5, 3.5]]}, ');
    const tail = enc.encode('{"segmentation": [[1.5, 2.5, 3.5, 4.5, 5.5, 6.5, 7.5, 8.5, 9.5, 1.5, 2.5, 3.5, 4.5, 5.5, 6..5]]}]}');
    // A resizable ArrayBuffer (ES2024; Node 20 has it, this project's TS lib does not yet).
    const Resizable = ArrayBuffer as unknown as new (length: number, options: { maxByteLength: number }) => ArrayBuffer & { resize(length: number): void };
    const memory = new Resizable(head.length + (head.length % 2), { maxByteLength: 4096 });
    const scanner = new JsonScanner({}, { file: 'grown.json' });
    new Uint8Array(memory).set(head);
    scanner.push(new Uint8Array(memory, 0, head.length));
    memory.resize(memory.byteLength + tail.length + 64);
    const at = memory.byteLength - tail.length;
    new Uint8Array(memory).set(tail, at);
    let error: unknown;
    try {
      scanner.push(new Uint8Array(memory, at, tail.length));
      scanner.end();
    } catch (e) {
      error = e;
    }
    const text = new TextDecoder().decode(head) + new TextDecoder().decode(tail);
    expect(error).toBeInstanceOf(LabelmapError);
    expect((error as LabelmapError).finding.offset).toBe(text.indexOf('6..5') + 2);
  });

  it('counts the line feeds inside skimmed values', () => {
    const text = '{"images": [{"id": 1,\n "file_name": "a"}, [1,\n2]],\n"annotations": [{"segmentation": [[1,\n 2]],\n "category_id": 1}, {"image_id": 01}]}';
    const whole = outcomeOf(enc.encode(text), 0);
    expect(whole).toEqual(outcomeOf(enc.encode(text), 1));
    expect(whole).toMatchObject({ ok: false, code: 'json-malformed', place: { line: 6, column: 35 } });
  });
});
