// A COCO file scanned on two threads (coco-split.ts) says exactly what one thread says: counts,
// keys, the sheet, the first error and its place, wherever the seam falls. The second part runs
// in-process here (the same scanAnnotationsPart the worker runs), so that hundreds of seams stay
// fast; a few tests run the real worker thread.
import fc from 'fast-check';
import { writeFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { LabelmapError } from '../../src/findings.js';
import { CategoryImageCounter, CocoAnnotationTally, cocoExtraction, readCoco, type CocoFile, type ReadCocoOptions } from '../../src/formats/coco.js';
import { PARALLEL_BYTES, scanAnnotationsPart, type PartOutcome, type PartRun } from '../../src/formats/coco-split.js';
import { formatSheet } from '../../src/sheets/csv.js';
import { tempDir } from '../helpers/cli.js';
import { generateCoco as generate, prng, type GeneratedCoco as Generated } from '../helpers/coco-gen.js';

/** The second part scanned in this process; each started part's outcome is kept. */
function inProcess(file: string, stats: boolean, started: Promise<PartOutcome>[], chunkSize?: number): () => PartRun {
  return () => {
    let resolve!: (o: PartOutcome) => void;
    const outcome = new Promise<PartOutcome>((r) => (resolve = r));
    return {
      start: (seam) => {
        if (seam === null) return resolve({ ok: false, reason: 'no seam' });
        const scan = scanAnnotationsPart(file, seam, new CocoAnnotationTally(file, stats), chunkSize);
        started.push(scan);
        void scan.then(resolve);
      },
      outcome,
      cancel: () => {},
    };
  };
}

const sheetOf = (c: CocoFile): string => {
  const e = cocoExtraction(c, true);
  return `${formatSheet('dataset', e.rows)}${e.notes.join('\n')}`;
};

async function outcomeOf(promise: Promise<CocoFile>): Promise<CocoFile | LabelmapError> {
  try {
    return await promise;
  } catch (error) {
    if (error instanceof LabelmapError) return error;
    throw error;
  }
}

/** The serial read and a split read at `seam`, compared whole: the same file, or the same error. */
async function expectSameAtSeam(file: string, seam: number, options: Partial<ReadCocoOptions> = {}): Promise<{ split: CocoFile | LabelmapError; parts: PartOutcome[] }> {
  const stats = options.stats ?? true;
  const serial = await outcomeOf(readCoco(file, { stats, jobs: 1, chunkSize: options.chunkSize }));
  const started: Promise<PartOutcome>[] = [];
  const split = await outcomeOf(readCoco(file, { stats, jobs: 2, seamAt: seam, part: inProcess(file, stats, started, options.chunkSize), ...options }));
  const parts = await Promise.all(started);
  if (serial instanceof LabelmapError) {
    expect(split, `seam ${seam}`).toBeInstanceOf(LabelmapError);
    expect((split as LabelmapError).finding, `seam ${seam}`).toEqual(serial.finding);
  } else {
    expect(split, `seam ${seam}`).not.toBeInstanceOf(LabelmapError);
    const c = split as CocoFile;
    expect(c.split, `seam ${seam}`).toBeDefined();
    expect({ ...c, split: undefined }, `seam ${seam}`).toEqual({ ...serial, split: undefined });
    expect(sheetOf(c), `seam ${seam}`).toBe(sheetOf(serial));
  }
  return { split, parts };
}

const write = (g: Generated): string => {
  const dir = tempDir();
  const file = path.join(dir, 'instances.json');
  writeFileSync(file, g.text);
  return file;
};

/** Whether a split at `seam` must be joined: after an annotation's ',' and up to its '{' (blanks between). */
const joinable = (g: Generated, seam: number): boolean => g.commas.some((comma, k) => seam > comma && seam <= g.starts[k + 1]!);

describe('coco split scan: the same result wherever the seam falls', () => {
  const g = generate(1);
  const file = write(g);

  it('joins at every annotation boundary, with the serial counts, keys and sheet', async () => {
    for (let k = 1; k < g.starts.length; k += 7) {
      const { split, parts } = await expectSameAtSeam(file, g.starts[k]!, { chunkSize: 61 + k });
      expect((split as CocoFile).split, `element ${k}`).toBe('joined');
      expect(parts[0]?.ok).toBe(true);
    }
  });

  it('at random seams (in strings, numbers, nested arrays, escapes, other keys): joined exactly at a boundary, else refused; the same result', async () => {
    const rnd = prng(7);
    const size = Buffer.byteLength(g.text);
    const outcomes = new Map<string, number>();
    // Chunk sizes from 1 KiB: chunk boundaries anywhere are json-scan's tests; here each read is an fs call.
    for (let n = 0; n < 150; n++) {
      const seam = Math.floor(rnd() * size);
      const { split } = await expectSameAtSeam(file, seam, { chunkSize: 1024 + Math.floor(rnd() * 8192) });
      const outcome = (split as CocoFile).split!;
      outcomes.set(outcome, (outcomes.get(outcome) ?? 0) + 1);
      expect(outcome, `seam ${seam}: ${JSON.stringify(Buffer.from(g.text).subarray(seam - 20, seam + 20).toString())}`).toBe(joinable(g, seam) ? 'joined' : 'seam-refused');
    }
    expect(outcomes.get('seam-refused')).toBeGreaterThan(100);
    expect(outcomes.get('joined')).toBeGreaterThan(0);
  });

  it('refuses seams that look like a boundary but are not one (a string, a nested object with the picked keys)', async () => {
    const bytes = Buffer.from(g.text);
    const inString = bytes.indexOf('{\\"segmentation\\"', g.starts[1]);
    const nested = bytes.indexOf('{"image_id": 901');
    const inRle = bytes.indexOf('"size": [480, 640]}') + '"size": ['.length;
    const inPolygon = bytes.indexOf(', ', bytes.indexOf('[[', g.starts[2])) + 2;
    for (const seam of [nested, inString, inRle, inPolygon]) {
      expect(seam).toBeGreaterThan(g.starts[0]!);
      const { split, parts } = await expectSameAtSeam(file, seam, { chunkSize: 113 });
      expect((split as CocoFile).split, bytes.subarray(seam - 10, seam + 20).toString()).toBe('seam-refused');
      expect(parts.length).toBeLessThanOrEqual(1);
    }
    // The nested object's part does scan (its ']' looks like the array's close): only the check refuses it.
    const { parts } = await expectSameAtSeam(file, nested, { chunkSize: 113 });
    expect(parts[0]).toMatchObject({ ok: true, part: { elements: 1 } });
  });

  it('without --stats, and with whole-file reads (one chunk)', async () => {
    const seam = g.starts[60]!;
    expect(((await expectSameAtSeam(file, seam, { stats: false })).split as CocoFile).split).toBe('joined');
    expect(((await expectSameAtSeam(file, seam, { chunkSize: 1 << 20 })).split as CocoFile).split).toBe('joined');
  });
});

describe('coco split scan: errors on either side of the seam are the serial scan\'s', () => {
  it('an error before the seam is reported, with its place', async () => {
    const g = generate(2, 120, { errorAt: 10, error: '01' });
    const file = write(g);
    const { split } = await expectSameAtSeam(file, g.starts[80]!, { chunkSize: 97 });
    expect((split as LabelmapError).finding.code).toBe('json-malformed');
  });

  it('a grammar error after the seam: the part fails, the first part reads on and reports it as the serial scan does', async () => {
    for (const error of ['01', '-', '1.e', '1.', 'tru', '"\\x"', '"a\tb"', '[1,]', '{"a" 1}', '']) {
      const g = generate(3, 120, { errorAt: 90, error });
      const file = write(g);
      const { split, parts } = await expectSameAtSeam(file, g.starts[50]!, { chunkSize: 89 });
      expect((split as LabelmapError).finding.code, error).toBe('json-malformed');
      expect(parts[0]?.ok).toBe(false);
    }
  });

  it('a COCO error after the seam (a category id given as a string) names the same element, path and line', async () => {
    const g = generate(4, 120);
    const k = 95;
    const bytes = Buffer.from(g.text);
    const at = bytes.lastIndexOf('"category_id": ', g.starts[k + 1]) + '"category_id": '.length;
    const text = `${bytes.subarray(0, at).toString()}"7"${bytes.subarray(at).toString().replace(/^\d+/, '')}`;
    const file = write({ ...g, text });
    const { split, parts } = await expectSameAtSeam(file, g.starts[40]!, { chunkSize: 211 });
    const f = (split as LabelmapError).finding;
    expect(f.code).toBe('coco-annotation-field');
    expect(f.path).toBe(`$.annotations[${k}].category_id`);
    expect(parts[0]?.ok).toBe(false);
  });

  it('an error after the close of annotations (in categories) has the serial line and column', async () => {
    const g = generate(5, 120);
    const text = g.text.replace('"name": "dog"', '"name": "dog\tx"');
    const file = write({ ...g, text });
    const { split, parts } = await expectSameAtSeam(file, g.starts[60]!, { chunkSize: 300 });
    expect((split as LabelmapError).finding.code).toBe('json-malformed');
    expect((split as LabelmapError).finding.line).toBeGreaterThan(3);
    expect(parts[0]?.ok).toBe(true);
  });

  it('a file that ends inside annotations: the part never sees the close; the truncation is reported as serially', async () => {
    const g = generate(6, 120, { truncate: true });
    const file = write(g);
    const { split, parts } = await expectSameAtSeam(file, g.starts[60]!, { chunkSize: 128 });
    expect((split as LabelmapError).finding.code).toBe('json-truncated');
    expect(parts[0]).toEqual({ ok: false, reason: 'the array does not close' });
  });
});

describe('coco split scan: the seam found by itself, and the worker thread', () => {
  const g = generate(8, 400);
  const file = write(g);

  it('finds a seam at an annotation boundary once annotations begin (a small file, the threshold lowered)', async () => {
    const started: Promise<PartOutcome>[] = [];
    const c = await readCoco(file, { stats: true, jobs: 2, chunkSize: 256, part: inProcess(file, true, started, 256) });
    const parts = await Promise.all(started);
    const serial = await readCoco(file, { stats: true, jobs: 1, chunkSize: 256 });
    expect(c.split).toBe('joined');
    expect({ ...c, split: undefined }).toEqual({ ...serial, split: undefined });
    expect(parts).toHaveLength(1);
  });

  it('--jobs 1, files under PARALLEL_BYTES, and files without room for a seam are read on one thread', async () => {
    expect((await readCoco(file, { stats: true, jobs: 1, parallelFrom: 0 })).split).toBeUndefined();
    expect((await readCoco(file, { stats: true })).split).toBeUndefined();
    expect(PARALLEL_BYTES).toBeGreaterThan(g.text.length);
    // --jobs 2 on a file of four chunks or fewer starts no worker (the part would be asked for).
    const part = (): PartRun => {
      throw new Error('no second part expected');
    };
    const size = Buffer.byteLength(g.text);
    expect((await readCoco(file, { stats: true, jobs: 2, part })).split).toBeUndefined();
    expect((await readCoco(file, { stats: true, jobs: 2, part, chunkSize: Math.ceil(size / 4) })).split).toBeUndefined();
    expect((await readCoco(file, { stats: true, jobs: 2, chunkSize: Math.floor(size / 5), part: inProcess(file, true, [], Math.floor(size / 5)) })).split).toBeDefined();
  });

  it('the progress bar counts the second part\'s bytes while the first thread waits at the seam', async () => {
    const seamAt = g.starts[200]!;
    const size = Buffer.byteLength(g.text);
    let closedAt = 0;
    // The part scans in this process, then reports a third, two thirds and all of its bytes,
    // 150 ms apart (more than the bar's 100 ms), before its outcome.
    const slowPart = (): PartRun => {
      let resolve!: (o: PartOutcome) => void;
      const outcome = new Promise<PartOutcome>((r) => (resolve = r));
      return {
        start: (seam, onProgress) => {
          void scanAnnotationsPart(file, seam!, new CocoAnnotationTally(file, true)).then(async (o) => {
            const bytes = o.ok ? o.part.closedAt - seam! : 0;
            closedAt = o.ok ? o.part.closedAt : 0;
            for (const k of [1, 2, 3]) {
              await new Promise((r) => setTimeout(r, 150));
              onProgress?.(Math.round((bytes * k) / 3));
            }
            resolve(o);
          });
        },
        outcome,
        cancel: () => {},
      };
    };
    const seen: [number, number][] = [];
    const c = await readCoco(file, { stats: true, jobs: 2, seamAt, part: slowPart, onProgress: (done, total) => void seen.push([done, total]) });
    expect(c.split).toBe('joined');
    expect(closedAt).toBeGreaterThan(seamAt);
    // While this thread waited at the seam, the bar moved past it on the part's bytes, up to where the part closed.
    expect(seen.some(([done]) => done > seamAt && done <= closedAt)).toBe(true);
    expect(seen.map(([done]) => done)).toEqual([...seen.map(([done]) => done)].sort((a, b) => a - b));
    expect(seen.at(-1)).toEqual([size, size]);
  });

  it('the worker thread: joined at a boundary, and a failing part read again by the first thread', async () => {
    const serial = await readCoco(file, { stats: true, jobs: 1 });
    const c = await readCoco(file, { stats: true, jobs: 2, seamAt: g.starts[200]!, chunkSize: 4096 });
    expect(c.split).toBe('joined');
    expect({ ...c, split: undefined }).toEqual({ ...serial, split: undefined });

    const bad = generate(8, 400, { errorAt: 300, error: '1.e' });
    const badFile = write(bad);
    const serialError = await outcomeOf(readCoco(badFile, { stats: true, jobs: 1 }));
    const splitError = await outcomeOf(readCoco(badFile, { stats: true, jobs: 2, seamAt: bad.starts[200]!, chunkSize: 4096 }));
    expect(serialError).toBeInstanceOf(LabelmapError);
    expect((splitError as LabelmapError).finding).toEqual((serialError as LabelmapError).finding);
  });
});

describe('CategoryImageCounter.merge: a second part\'s counts', () => {
  it('one counter fed the pairs split at any point, merged, counts as one counter fed them all (order of the results too)', () => {
    const image = fc.oneof(fc.integer({ min: 0, max: 3000 }), fc.integer({ min: 0, max: 5_000_000 }), fc.integer({ min: -50, max: -1 }), fc.constantFrom('a', 'b', '000000000139.jpg', '7'));
    const category = fc.oneof(fc.integer({ min: 1, max: 90 }), fc.constantFrom(70_000, 80_000, -3, 0));
    fc.assert(
      fc.property(fc.array(fc.tuple(category, image), { maxLength: 400 }), fc.nat(), fc.boolean(), (pairs, cut, roundTrip) => {
        const at = pairs.length === 0 ? 0 : cut % (pairs.length + 1);
        const whole = new CategoryImageCounter();
        for (const [c, i] of pairs) whole.add(c, i);
        const first = new CategoryImageCounter();
        const second = new CategoryImageCounter();
        pairs.slice(0, at).forEach(([c, i]) => first.add(c, i));
        pairs.slice(at).forEach(([c, i]) => second.add(c, i));
        // As a worker posts it: through the structured clone.
        const part = roundTrip ? structuredClone(second.part()) : second.part();
        first.merge(part);
        expect([...first.instances()]).toEqual([...whole.instances()]);
        expect([...first.images()]).toEqual([...whole.images()]);
        expect(first.distinctImages).toBe(whole.distinctImages);
      }),
      { numRuns: 300 },
    );
  });

  it('across batches (more than 65,536 pairs on either side)', () => {
    const whole = new CategoryImageCounter();
    const first = new CategoryImageCounter();
    const second = new CategoryImageCounter();
    for (let k = 0; k < 200_000; k++) {
      const c = (k * 7) % 83;
      const i = (k * 7919) % 150_000;
      whole.add(c, i);
      (k < 90_000 ? first : second).add(c, i);
    }
    first.merge(second.part());
    expect([...first.images()]).toEqual([...whole.images()]);
    expect([...first.instances()]).toEqual([...whole.instances()]);
    expect(first.distinctImages).toBe(whole.distinctImages);
  });
});
