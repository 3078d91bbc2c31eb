// extract voc counts files into a tally (src/formats/voc.ts: VocByteCounter on the byte scanner's
// events, saxes for what it leaves) instead of keeping every object, and splits large folders
// over a worker thread. Both must give exactly what one thread reading every file with saxes
// gives: the counts, the first-seen order of names and their places, the first error.
import { copyFileSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { LabelmapError } from '../../src/findings.js';
import {
  autoThreads,
  buildVocSheet,
  buildVocSheetFromTally,
  findAnnotationFiles,
  PARALLEL_FROM,
  parseVocBytes,
  readAnnotations,
  scanVocBytes,
  tallyAnnotationFiles,
  tallyAnnotations,
  tallyVocBytes,
  type VocTally,
  type VocTallyOptions,
} from '../../src/formats/voc.js';
import { formatSheet } from '../../src/sheets/csv.js';
import { FIXTURES, tempDir } from '../helpers/cli.js';
import { findingOf } from '../helpers/finding-of.js';

const VOC = path.join(FIXTURES, 'voc');
const DEVKIT = path.join(VOC, 'VOCdevkit', 'VOC2012', 'Annotations');
const LABELIMG = path.join(VOC, 'labelimg', 'annotations');
const BROKEN = path.join(VOC, 'broken');

type Outcome = { ok: true; tally: VocTally } | { ok: false; error: unknown };

function outcome(read: () => VocTally): Outcome {
  try {
    return { ok: true, tally: read() };
  } catch (error) {
    if (error instanceof LabelmapError) return { ok: false, error: error.finding };
    throw error;
  }
}

/** The reference: every file parsed to objects (the byte scanner, else saxes), then tallied. */
const reference = (docs: { file: string; bytes: Buffer }[]): Outcome => outcome(() => tallyAnnotations(docs.map((d) => parseVocBytes(d.bytes, d.file))));

// --- documents that exercise the counter's own reading of names and flags --------------------------

const pad = fc.constantFrom('', ' ', '\n', '\t', '\r\n', '  \n\t');
const nameText = fc.constantFrom(
  'cat', 'dog', 'person', 'dining table', 'caf\u00e9', '\u6771\u4eac', '\u00a0cat\u00a0', 'cat\u2003', 'a &amp; b', '&lt;x&gt;', 'it&apos;s',
  '<![CDATA[cat]]>', '<![CDATA[ a&b ]]>', 'ca<!-- x -->t', 'c<![CDATA[a]]>t', 'do\r\ng', '', '   ', '<b>cat</b>', 'cat<b/>', '&#233;',
);
const flagText = fc.constantFrom('0', '1', ' 1 ', 'true', 'TRUE', 'False', '', 'yes', '2', ' maybe ', '<![CDATA[1]]>', '1<!-- c -->', '&#49;', '\u00a01');
const flag = fc.tuple(fc.constantFrom('difficult', 'truncated'), flagText, pad).map(([tag, text, s]) => `<${tag}>${s}${text}${s}</${tag}>`);
const other = fc.constantFrom('<pose>Unspecified</pose>', '<pose>\u00e9t\u00e9 \u{1F600}</pose>', '<bndbox><xmin>1</xmin></bndbox>', '<part><name>head</name></part>', '<!-- note -->', '<occluded>0</occluded>', '<name/>');
const object = fc
  .tuple(
    // Mostly one <name> (an object without one, or with two, is left to saxes).
    fc.oneof({ weight: 6, arbitrary: fc.array(fc.tuple(nameText, pad), { minLength: 1, maxLength: 1 }) }, { weight: 1, arbitrary: fc.array(fc.tuple(nameText, pad), { maxLength: 2 }) }),
    fc.array(fc.oneof(flag, other), { maxLength: 4 }),
    pad,
    fc.nat(),
  )
  .map(([names, rest, s, at]) => {
    const parts = [...rest];
    names.forEach(([n, p], i) => parts.splice((at + i) % (parts.length + 1), 0, `<name>${p}${n}${p}</name>`));
    return `<object>${s}${parts.join(s)}${s}</object>`;
  });
const document = fc
  .tuple(
    fc.constantFrom('', '<?xml version="1.0" encoding="utf-8"?>\n', '\ufeff', '<!DOCTYPE annotation>\n'),
    fc.constantFrom('annotation', 'annotation', 'annotation', 'svg'),
    fc.array(fc.oneof({ weight: 4, arbitrary: object }, { weight: 1, arbitrary: fc.constantFrom('<owner><name>M\u00fcller</name></owner>', '<filename>\u6771.jpg</filename>') }), { maxLength: 5 }),
    pad,
  )
  .map(([head, root, body, s]) => Buffer.from(`${head}<${root}>${s}${body.join(s)}${s}</${root}>\n`));

describe('the VOC tally: byte counter == saxes', () => {
  it('on random documents, one at a time, and the counter answers for most', () => {
    let fast = 0;
    let readable = 0;
    fc.assert(
      fc.property(document, (bytes) => {
        const docs = [{ file: 'a.xml', bytes }];
        let answered = 0;
        const got = outcome(() => {
          const r = tallyVocBytes(docs);
          answered = r.fast;
          return r.tally;
        });
        const want = reference(docs);
        expect(got, JSON.stringify(bytes.toString('utf8'))).toEqual(want);
        if (want.ok) {
          readable++;
          fast += answered;
        }
      }),
      { numRuns: 3000 },
    );
    // Not a test that cannot fail: the byte path must read most of the documents saxes reads.
    expect(fast / readable).toBeGreaterThan(0.5);
  });

  it('on runs of documents: first-seen order, images per file, the first bad flag, the first error', () => {
    fc.assert(
      fc.property(fc.array(document, { minLength: 1, maxLength: 6 }), (docs) => {
        const named = docs.map((bytes, i) => ({ file: `${i}.xml`, bytes }));
        expect(outcome(() => tallyVocBytes(named).tally)).toEqual(reference(named));
      }),
      { numRuns: 1000 },
    );
  });

  it('on the fixture files, with their places', () => {
    const docs = [DEVKIT, LABELIMG, BROKEN].flatMap((dir) => readdirSync(dir).sort().map((n) => ({ file: path.join(dir, n), bytes: readFileSync(path.join(dir, n)) })));
    for (const d of docs) expect(outcome(() => tallyVocBytes([d]).tally), d.file).toEqual(reference([d]));
    const plain = docs.filter((d) => !d.file.startsWith(BROKEN));
    const { tally, fast } = tallyVocBytes(plain);
    expect(fast).toBe(plain.length);
    expect(tally).toEqual(tallyAnnotations(plain.map((d) => parseVocBytes(d.bytes, d.file))));
    // The first place of a name is its first <name> element (2007_000027.xml: person, line 15).
    expect(tally.names[0]).toMatchObject({ name: 'person', file: path.join(DEVKIT, '2007_000027.xml') });
  });

  it('places a name first seen after non-ASCII text on its line in code points, as saxes does', () => {
    const docs = [
      { file: 'a.xml', bytes: Buffer.from('<annotation><owner><name>M\u00fcller \u{1F600}</name></owner><object><name>caf\u00e9</name></object><object><difficult>x</difficult><name>dog</name></object></annotation>') },
    ];
    const want = reference(docs);
    expect(want).toMatchObject({ ok: true, tally: { names: [{ name: 'caf\u00e9', line: 1, column: 57 }, { name: 'dog', column: 115 }], badFlag: { column: 91 } } });
    expect(tallyVocBytes(docs)).toEqual({ tally: (want as { tally: VocTally }).tally, fast: 1 });
  });

  it('keeps the first invalid flag and throws it only when counting', () => {
    const bytes = readFileSync(path.join(BROKEN, 'bad-flag.xml'));
    const { tally } = tallyVocBytes([{ file: 'x.xml', bytes }]);
    expect(tally.badFlag).toMatchObject({ file: 'x.xml', line: 6, column: 3, tag: 'difficult', found: 'yes' });
    expect(() => buildVocSheetFromTally(tally, { stats: false })).not.toThrow();
    expect(() => buildVocSheetFromTally(tally, { stats: true })).toThrow(/difficult/);
  });
});

describe('the byte scanner at the edges of its byte classes', () => {
  const scan = (text: string) => scanVocBytes(Buffer.from(text), 0, Buffer.byteLength(text), 'a.xml');
  const doc = (inner: string) => `<annotation><object><name>cat</name>${inner}</object></annotation>`;

  it('takes what saxes takes the same way', () => {
    for (const inner of ['', '<pose>\t\n\u00e9\u{1F600}</pose>', '<pose a="\u00e9 \u{10FFFF}"/>', '<x></x >', '<x-1.y_z></x-1.y_z>', '<!-- \u00e9 -->']) {
      expect(scan(doc(inner)), inner).toEqual(parseVocBytes(Buffer.from(doc(inner)), 'a.xml'));
    }
  });

  it('leaves to saxes a close tag that only starts with the open name, U+FFFE/U+FFFF and C1 controls', () => {
    for (const inner of ['<pose>a</posex>', '<pose>a</pos>', '<pose>\ufffe</pose>', '<pose a="\uffff"/>', '<!-- \ufffe -->', '<pose>\u0085</pose>', '<pose a="\u009f"/>', '<pose>\u007f</pose>', '<pose>a\rb</pose>']) {
      expect(scan(doc(inner)), JSON.stringify(inner)).toBeNull();
    }
  });
});

// --- one thread or two -------------------------------------------------------------------------------

/** A folder of `n` annotation files: the fixture files over and over, names padded to sort in order. */
function folder(n: number, broken: Record<number, string> = {}): string {
  const sources = [...readdirSync(DEVKIT).map((f) => path.join(DEVKIT, f)), ...readdirSync(LABELIMG).map((f) => path.join(LABELIMG, f))];
  const dir = tempDir();
  for (let i = 0; i < n; i++) {
    const target = path.join(dir, `${String(i).padStart(5, '0')}.xml`);
    const bad = broken[i];
    if (bad !== undefined) copyFileSync(path.join(BROKEN, bad), target);
    else copyFileSync(sources[i % sources.length]!, target);
  }
  // A name only this file has, late in the run: first seen in the second half.
  writeFileSync(path.join(dir, `${String(n - 1).padStart(5, '0')}.xml`), '<annotation><object><name>zebra</name><difficult>1</difficult></object></annotation>');
  return dir;
}

async function run(dir: string, options: VocTallyOptions): Promise<Outcome> {
  const input = await findAnnotationFiles(dir);
  try {
    return { ok: true, tally: await tallyAnnotationFiles(input, options) };
  } catch (error) {
    if (error instanceof LabelmapError) return { ok: false, error: error.finding };
    throw error;
  }
}

const ONE: VocTallyOptions = { threads: 1 };
const TWO: VocTallyOptions = { threads: 2, chunkFiles: 7 };
const WORKER: VocTallyOptions = { threads: 2, chunkFiles: 7, workerFirst: true };
/** The automatic choice with the threshold lowered to just above the folder: one thread. */
const BELOW: VocTallyOptions = { parallelFrom: 61, chunkFiles: 7 };

describe('the automatic thread count', () => {
  it('takes a worker from the threshold on, with two cores and one of them free', () => {
    expect(autoThreads(PARALLEL_FROM, 2, 0.3)).toBe(2);
    expect(autoThreads(PARALLEL_FROM - 1, 2, 0.3)).toBe(1);
    expect(autoThreads(100_000, 1, 0)).toBe(1);
    // A busy machine: the worker would get no core of its own.
    expect(autoThreads(100_000, 2, 1.6)).toBe(1);
    expect(autoThreads(100_000, 4, 2.9)).toBe(2);
    expect(autoThreads(60, 2, 0, 61)).toBe(1);
    expect(autoThreads(61, 2, 0, 61)).toBe(2);
  });
});

describe('reading a folder on one thread or two', () => {
  it('gives the same tally and a byte-identical sheet, above and below the threshold', async () => {
    const dir = folder(60);
    const one = await run(dir, ONE);
    expect(one.ok).toBe(true);
    const sheet = (o: Outcome) => (o.ok ? formatSheet('dataset', buildVocSheetFromTally(o.tally, { stats: true, source: dir }).rows) : null);
    for (const options of [TWO, WORKER, BELOW]) {
      const other = await run(dir, options);
      expect(other, JSON.stringify(options)).toEqual(one);
      expect(sheet(other)).toBe(sheet(one));
    }
    // And what the library's path (every object kept, then counted) gives.
    const { files } = await findAnnotationFiles(dir);
    const annotations = await readAnnotations(files);
    expect(sheet(one)).toBe(formatSheet('dataset', buildVocSheet(annotations, { stats: true, source: dir }).rows));
    if (one.ok) {
      expect(one.tally.files).toBe(60);
      expect(one.tally.names.at(-1)).toMatchObject({ name: 'zebra', instances: 1, images: 1, difficult: 1, file: path.join(dir, '00059.xml'), line: 1, column: 21 });
    }
  });

  it('reports the first error in file order, as one thread does, wherever the threads are', async () => {
    // 00012 is malformed (a chunk the worker may read), 00040 has no <annotation> root.
    const dir = folder(60, { 12: 'malformed.xml', 40: 'svg-root.xml', 44: 'xxe.xml' });
    const one = await run(dir, ONE);
    expect(one).toMatchObject({ ok: false, error: { code: 'voc-xml-malformed', file: path.join(dir, '00012.xml') } });
    for (const options of [TWO, WORKER, BELOW, { ...WORKER, chunkFiles: 1 }]) expect(await run(dir, options), JSON.stringify(options)).toEqual(one);
    const { files } = await findAnnotationFiles(dir);
    expect(await findingOf(() => readAnnotations(files))).toEqual((one as { error: unknown }).error);
  });

  it('keeps the first invalid flag of the whole run, after every read error', async () => {
    const flags = folder(30, { 3: 'bad-flag.xml', 20: 'bad-flag.xml' });
    const one = await run(flags, ONE);
    expect(one.ok && one.tally.badFlag).toMatchObject({ file: path.join(flags, '00003.xml'), tag: 'difficult' });
    expect(await run(flags, WORKER)).toEqual(one);
    // A read error anywhere wins over a bad flag (the files are all read before anything is counted).
    const both = folder(30, { 3: 'bad-flag.xml', 25: 'object-without-name.xml' });
    expect(await run(both, WORKER)).toMatchObject({ ok: false, error: { code: 'voc-object-name-missing', file: path.join(both, '00025.xml') } });
    expect(await run(both, WORKER)).toEqual(await run(both, ONE));
  });

  it('has the worker read every chunk when the main thread waits for it (so the tests above merge its tallies)', async () => {
    const dir = folder(30);
    const seen: number[] = [];
    const got = await run(dir, { ...WORKER, onProgress: (done) => void seen.push(done) });
    expect(seen).toEqual([0, 30]); // no file reported by the main thread: the worker read them all
    expect(got).toEqual(await run(dir, ONE));
  });

  it('reports progress up to the total on two threads', async () => {
    const dir = folder(30);
    const seen: number[] = [];
    await run(dir, { ...TWO, onProgress: (done, total) => void (total === 30 && seen.push(done)) });
    expect(seen[0]).toBe(0);
    expect(seen.at(-1)).toBe(30);
    expect([...seen].sort((a, b) => a - b)).toEqual(seen);
  });
});
