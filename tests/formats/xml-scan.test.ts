// The VOC byte scanner (src/formats/lib/xml-scan.ts via scanVocBytes) is a fast path: whenever it
// answers, its answer must be saxes' (parseVocXml's) exactly, objects, lines and columns included;
// when saxes refuses a document, the scanner must not answer. Held on random VOC-shaped documents
// (of both the plain shape and the constructs it leaves to saxes) and on corrupted ones.
import { isUtf8 } from 'node:buffer';
import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { LabelmapError } from '../../src/findings.js';
import { parseVocBytes, parseVocXml, scanVocBytes } from '../../src/formats/voc.js';
import { FIXTURES } from '../helpers/cli.js';

type Outcome = { ok: true; value: unknown } | { ok: false; code: string };

function bySaxes(bytes: Buffer): Outcome {
  try {
    const text = new TextDecoder('utf-8', { fatal: true, ignoreBOM: false }).decode(bytes);
    return { ok: true, value: parseVocXml(text, 'a.xml') };
  } catch (error) {
    if (error instanceof LabelmapError) return { ok: false, code: error.finding.code };
    if (error instanceof TypeError) return { ok: false, code: 'encoding' };
    throw error;
  }
}

/** The scanner as parseVocBytes calls it: on valid UTF-8 only (checked first with isUtf8). */
function byScanner(bytes: Buffer): unknown {
  if (!isUtf8(bytes)) return null;
  const start = bytes[0] === 0xef && bytes[1] === 0xbb && bytes[2] === 0xbf ? 3 : 0;
  return scanVocBytes(bytes, start, bytes.length, 'a.xml');
}

/** Checks one document; returns whether the scanner answered (to show the fast path is taken). */
function agrees(bytes: Buffer): boolean {
  const fast = byScanner(bytes);
  const slow = bySaxes(bytes);
  if (fast === null) return false;
  expect(slow, `saxes refused what the scanner took: ${JSON.stringify(bytes.toString('utf8'))}`).toMatchObject({ ok: true });
  expect(fast, JSON.stringify(bytes.toString('utf8'))).toEqual((slow as { value: unknown }).value);
  return true;
}

// --- VOC-shaped documents ----------------------------------------------------------------------

const space = fc.constantFrom('', ' ', '\n', '\t', '\r\n', '\n\t\t', '  ');
const word = fc.constantFrom('cat', 'dog', ' person ', 'dining table', 'caf\u00e9', '\u6771', '\u{1F600}', 'a &amp; b', '&lt;x&gt;', '&quot;', "it&apos;s", '1', '0', 'true', '');
const tagName = fc.constantFrom('name', 'difficult', 'truncated', 'pose', 'bndbox', 'part', 'xmin', 'object', 'owner', 'a-b.c_d', 'N1');
const attr = fc.tuple(fc.constantFrom('verified', 'x', 'y-z'), fc.constantFrom('"no"', "'1'", '" a b "', '"\u00e9"', '"&amp;"', '"a>b"'), space).map(([n, v, s]) => ` ${n}${s}=${s}${v}`);
const extra = fc.constantFrom('<!-- note -->', '<!---->', '<![CDATA[ cat ]]>', '<![CDATA[a]]b]]>', '<?pi x?>', '&#233;', '&#x41;', '&nbsp;', '<x:y/>', '<\u00e9/>', '\r', ']]>', '\u0001', '\u0085');

interface Node {
  name: string;
  attrs: string[];
  children: (Node | string)[];
}

const leaf: fc.Arbitrary<Node | string> = fc.oneof(word, extra, fc.record({ name: tagName, attrs: fc.array(attr, { maxLength: 2 }), children: fc.array(word, { maxLength: 2 }) }));
const node: fc.Arbitrary<Node> = fc.letrec<{ node: Node }>((tie) => ({
  node: fc.record({
    name: tagName,
    attrs: fc.array(attr, { maxLength: 2 }),
    children: fc.array(fc.oneof({ weight: 3, arbitrary: leaf }, { weight: 1, arbitrary: tie('node') }), { maxLength: 4 }),
  }),
})).node;

function render(n: Node | string, s: string): string {
  if (typeof n === 'string') return n;
  if (n.children.length === 0 && n.attrs.length % 2 === 1) return `<${n.name}${n.attrs.join('')}/>`;
  return `<${n.name}${n.attrs.join('')}>${s}${n.children.map((c) => render(c, s)).join(s)}${s}</${n.name}>`;
}

const object = fc.tuple(fc.array(node, { maxLength: 4 }), word, space).map(([children, name, s]) =>
  render({ name: 'object', attrs: [], children: [{ name: 'name', attrs: [], children: [name] }, ...children] }, s),
);

const document = fc
  .tuple(
    fc.constantFrom('', '<?xml version="1.0"?>\n', "<?xml version='1.0' encoding='UTF-8' standalone='yes' ?>", '\ufeff', '<!-- head -->\n', '<!DOCTYPE annotation>\n', ' '),
    fc.constantFrom('annotation', 'annotation', 'svg'),
    fc.array(fc.oneof({ weight: 3, arbitrary: object }, { weight: 1, arbitrary: node.map((n) => render(n, '\n')) }), { maxLength: 5 }),
    space,
    fc.constantFrom('', '\n', '<!-- tail -->', 'x', '<b/>'),
  )
  .map(([head, root, body, s, tail]) => Buffer.from(`${head}<${root}>${s}${body.join(s)}${s}</${root}>${tail}`));

/** A document with some bytes deleted, changed or duplicated. */
const corrupted = fc
  .tuple(document, fc.array(fc.tuple(fc.nat(), fc.constantFrom('delete', 'insert', 'dup'), fc.constantFrom(...'<>/&;"\'=!-[]? \nab\u00e9'.split(''))), { minLength: 1, maxLength: 3 }))
  .map(([doc, edits]) => {
    let b = doc;
    for (const [at, kind, ch] of edits) {
      const k = b.length === 0 ? 0 : at % b.length;
      const c = Buffer.from(ch);
      if (kind === 'delete') b = Buffer.concat([b.subarray(0, k), b.subarray(k + 1)]);
      else if (kind === 'insert') b = Buffer.concat([b.subarray(0, k), c, b.subarray(k)]);
      else b = Buffer.concat([b.subarray(0, k), b.subarray(k, k + 4), b.subarray(k)]);
    }
    return b;
  });

describe('the VOC byte scanner agrees with saxes', () => {
  it('on random VOC-shaped documents, and it answers for most plain ones', () => {
    let answered = 0;
    let runs = 0;
    fc.assert(
      fc.property(document, (doc) => {
        runs++;
        if (agrees(doc)) answered++;
      }),
      { numRuns: 3000 },
    );
    // Not a test that cannot fail: the scanner must take a fair share of these.
    expect(answered / runs).toBeGreaterThan(0.05);
  });

  it('on a field tag broken over two lines before its ">" (the "<" is on the first: found by the property below)', () => {
    expect(agrees(Buffer.from('\ufeff<annotation>\n<object>  <name\n>  cat  </name>  </object>\n</annotation><!-- tail -->'))).toBe(true);
    expect(agrees(Buffer.from('<annotation>\r\n<object><name\r\n>caf\u00e9</name><difficult\n>1</difficult></object></annotation>'))).toBe(true);
    expect(byScanner(Buffer.from('<annotation>\n<object>  <name\n>cat</name></object></annotation>'))).toMatchObject({ objects: [{ name: 'cat', line: 2, column: 11 }] });
  });

  it('on corrupted documents', () => {
    fc.assert(fc.property(corrupted, (doc) => void agrees(doc)), { numRuns: 5000 });
  });

  it('answers for every well-formed fixture file, with saxes\' objects and places', () => {
    const dirs = [path.join(FIXTURES, 'voc', 'VOCdevkit', 'VOC2012', 'Annotations'), path.join(FIXTURES, 'voc', 'labelimg', 'annotations')];
    let n = 0;
    for (const dir of dirs) {
      for (const name of readdirSync(dir).filter((f) => f.endsWith('.xml'))) {
        const bytes = readFileSync(path.join(dir, name));
        expect(agrees(bytes), name).toBe(true);
        n++;
      }
    }
    expect(n).toBeGreaterThan(2);
  });

  it('leaves every file in fixtures/voc/broken and the hostile ones to saxes, which reports the error', () => {
    const dir = path.join(FIXTURES, 'voc', 'broken');
    for (const name of readdirSync(dir)) {
      const bytes = readFileSync(path.join(dir, name));
      const slow = bySaxes(bytes);
      if (!slow.ok) expect(byScanner(bytes), name).toBeNull();
      else agrees(bytes);
    }
  });

  it('parseVocBytes falls back to saxes: a CRLF file with a DOCTYPE and an entity still fails on the entity', () => {
    const bytes = Buffer.from('<?xml version="1.0"?>\r\n<!DOCTYPE a [<!ENTITY x "y">]>\r\n<annotation><object><name>&x;</name></object></annotation>');
    expect(byScanner(bytes)).toBeNull();
    expect(() => parseVocBytes(bytes, 'a.xml')).toThrow(LabelmapError);
  });
});
