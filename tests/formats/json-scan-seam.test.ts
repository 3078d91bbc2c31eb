// The pieces of a scan in two parts (json-scan.ts inArray / atSeam / joinPart, json-seam.ts, and
// feedFile's stopAt): a prefix fed up to a seam, a part scanned from it, joined, and the rest fed
// give the serial scan's result, element places (index, offset, line) and error places.
import { writeFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { LabelmapError } from '../../src/findings.js';
import { feedFile, JsonScanner, type PickedElement, type ScanHandlers } from '../../src/formats/lib/json-scan.js';
import { findElementSeam, firstKeyAt } from '../../src/formats/lib/json-seam.js';
import { tempDir } from '../helpers/cli.js';

const enc = new TextEncoder();

type Seen = { key: string; index: number; offset: number; line: number; values: unknown[] };
const handlers = (seen: Seen[], shift = { index: 0, line: 0 }): ScanHandlers => {
  const record = (key: string) => (el: PickedElement) => void seen.push({ key, index: el.index + shift.index, offset: el.offset, line: el.line + shift.line, values: [...el.values] });
  return {
    stream: {
      annotations: { pick: { fields: ['category_id', 'image_id'] }, onElement: record('annotations') },
      categories: { whole: true, onElement: record('categories') },
    },
  };
};

const TEXT = [
  '{"info": {"note": "é ], {\\"category_id\\": 1}"},',
  ' "annotations": [',
  '  {"segmentation": [[1.5, 2, 3e2]], "image_id": 1, "category_id": 3},',
  '  {"segmentation": {"counts": "x}, {y", "size": [2, 3]}, "image_id": 2, "category_id": 4},',
  '  {"image_id": 3, "category_id": 3, "parts": [{"category_id": 9}, {"category_id": 8}]},',
  '  {"image_id": 4,',
  '   "category_id": 5}',
  ' ],',
  ' "categories": [{"id": 3, "name": "a"},',
  '  {"id": 4, "name": "b"}]}',
  '',
].join('\n');
const BYTES = enc.encode(TEXT);

function serial(bytes: Uint8Array): { seen: Seen[]; result: unknown } {
  const seen: Seen[] = [];
  const s = new JsonScanner(handlers(seen), { file: 't.json' });
  s.push(bytes);
  return { seen, result: s.end() };
}

/** The prefix up to `seam`, the part from it, joined when the prefix confirms the seam; else the prefix reads on. */
function split(bytes: Uint8Array, seam: number, chunk = 7): { seen: Seen[]; result: unknown; joined: boolean } {
  const seen: Seen[] = [];
  const first = new JsonScanner(handlers(seen), { file: 't.json' });
  for (let at = 0; at < seam; at += chunk) first.push(bytes.subarray(at, Math.min(seam, at + chunk)));
  let from = seam;
  let joined = false;
  if (first.atSeam('annotations')) {
    const index = first.result(false).keys.find((k) => k.key === 'annotations')!.count!;
    const line = (first as unknown as { line: number }).line - 1;
    const partSeen: Seen[] = [];
    const part = JsonScanner.inArray(handlers(partSeen, { index, line }), 'annotations', seam, { file: 't.json' });
    for (let at = seam; at < bytes.length && !part.halted; at += chunk) part.push(bytes.subarray(at, Math.min(bytes.length, at + chunk)));
    expect(part.halted).toBe(true);
    first.joinPart(part.part(), 'annotations');
    seen.push(...partSeen);
    from = part.part().closedAt;
    joined = true;
  }
  for (let at = from; at < bytes.length; at += chunk) first.push(bytes.subarray(at, Math.min(bytes.length, at + chunk)));
  return { seen, result: first.end(), joined };
}

describe('JsonScanner in two parts', () => {
  it('joined at each element boundary: the serial result, element indexes, offsets and lines', () => {
    const want = serial(BYTES);
    const boundaries = [...TEXT.matchAll(/\},\n  \{/g)].filter((m) => m.index < TEXT.indexOf('\n ],')).map((m) => Buffer.byteLength(TEXT.slice(0, m.index)) + 1);
    expect(boundaries).toHaveLength(3);
    for (const comma of boundaries) {
      // After the ',', in the blanks, or at the '{': the prefix expects a value there.
      for (const seam of [comma + 1, comma + 2, comma + 4]) {
        const got = split(BYTES, seam);
        expect(got.joined, `seam ${seam}`).toBe(true);
        expect(got.seen).toEqual(want.seen);
        expect(got.result).toEqual(want.result);
      }
      expect(split(BYTES, comma).joined).toBe(false); // before the ',' the prefix expects ',' or ']'
      expect(split(BYTES, comma + 5).joined).toBe(false); // inside the element
    }
  });

  it('every other seam is refused, and the prefix reading on gives the serial result', () => {
    const want = serial(BYTES);
    let refused = 0;
    for (let seam = 0; seam <= BYTES.length; seam++) {
      const got = split(BYTES, seam, 1 + (seam % 11));
      if (!got.joined) refused++;
      expect(got.seen, `seam ${seam}`).toEqual(want.seen);
      expect(got.result, `seam ${seam}`).toEqual(want.result);
    }
    expect(refused).toBe(BYTES.length + 1 - 3 * 4); // 3 boundaries: ',' '\n' ' ' ' ' '{' joinable after each of the first four
  });

  it('an error after the close has the serial line and column', () => {
    const bad = enc.encode(TEXT.replace('"name": "b"', '"name": b'));
    const error = (fn: () => unknown): LabelmapError => {
      try {
        fn();
      } catch (e) {
        if (e instanceof LabelmapError) return e;
      }
      throw new Error('expected a LabelmapError');
    };
    const want = error(() => serial(bad));
    const seam = Buffer.byteLength(TEXT.slice(0, TEXT.indexOf('{"image_id": 3')));
    expect(error(() => split(bad, seam)).finding).toEqual(want.finding);
    expect(want.finding.line).toBe(10);
  });

  it('a part stops at the bracket that closes its array, not at a nested one', () => {
    const part = JsonScanner.inArray({}, 'annotations', 100);
    part.push(enc.encode('{"a": [1, [2]]}, [3], "x"]'));
    expect(part.halted).toBe(true);
    expect(part.part()).toEqual({ closedAt: 125, elements: 3, lines: 0, lineStart: 100 });
    expect(() => JsonScanner.inArray({}, 'annotations', 0).part()).toThrow(/not halted/);
  });
});

describe('json-seam: where to split', () => {
  it('firstKeyAt reads the first key of an object, raw', () => {
    expect(Buffer.from(firstKeyAt(enc.encode('{ "segmentation": [1]}'), 0)!).toString()).toBe('segmentation');
    expect(firstKeyAt(enc.encode('{}'), 0)).toBeUndefined();
    expect(firstKeyAt(enc.encode('[1]'), 0)).toBeUndefined();
    expect(firstKeyAt(enc.encode('{"a\\"b": 1}'), 0)).toBeUndefined();
    expect(firstKeyAt(enc.encode('{"abc'), 0)).toBeUndefined();
  });

  it('findElementSeam finds the boundary before an object with that first key, skipping other objects', () => {
    const window = enc.encode('1]], "id": 5}, {"id": 7}], "x": 1}, \n {"segmentation": [[');
    const key = enc.encode('segmentation');
    expect(findElementSeam(window, 1000, key)).toBe(1000 + window.indexOf(0x7b, 30));
    expect(findElementSeam(window, 0, enc.encode('id'))).toBe(15);
    expect(findElementSeam(enc.encode('}, {"segm'), 0, key)).toBe(-1);
    expect(findElementSeam(enc.encode('no boundary here'), 0, key)).toBe(-1);
  });
});

describe('feedFile: a stop decided during the feed', () => {
  it('pushes nothing at or after it, even from a read already in flight', async () => {
    const file = path.join(tempDir(), 'a.json');
    writeFileSync(file, BYTES);
    const seam = Buffer.byteLength(TEXT.slice(0, TEXT.indexOf('{"image_id": 3')));
    let stop: number | undefined;
    const pushed: number[] = [];
    const scanner = new JsonScanner({ stream: { annotations: { pick: { fields: [] }, onElement: (el) => void (el.index === 0 && (stop = seam)) } } });
    const push = scanner.push.bind(scanner);
    scanner.push = (buf) => {
      pushed.push(buf.length);
      push(buf);
    };
    const fed = await feedFile(scanner, file, { chunkSize: 16, stopAt: () => stop });
    expect(fed.end).toBe(seam);
    expect(pushed.reduce((a, b) => a + b, 0)).toBe(seam);
    expect(scanner.atSeam('annotations')).toBe(true);
  });
});
