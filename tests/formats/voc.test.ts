import { existsSync, mkdirSync, readFileSync, symlinkSync, copyFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { formatFinding } from '../../src/findings.js';
import { formatById, FORMATS } from '../../src/formats/index.js';
import {
  buildVocSheet,
  detectVoc,
  extractVoc,
  parseClassList,
  parseVocXml,
  readAnnotations,
  rootElementOf,
  VOC_CLASSES,
  vocColor,
} from '../../src/formats/voc.js';
import { formatSheet, parseSheetText } from '../../src/sheets/csv.js';
import type { DatasetClass } from '../../src/sheets/schema.js';
import { FIXTURES, REAL, ROOT, tempDir } from '../helpers/cli.js';
import { findingOf } from '../helpers/finding-of.js';

const VOC = path.join(FIXTURES, 'voc');
const DEVKIT = path.join(VOC, 'VOCdevkit', 'VOC2012');
const LABELIMG = path.join(VOC, 'labelimg');
const BROKEN = path.join(VOC, 'broken');

const brief = (rows: DatasetClass[]) => rows.map((r) => `${r.id} ${r.name}`);
const counts = (rows: DatasetClass[]) =>
  Object.fromEntries(rows.map((r) => [r.name, [r.instances, r.images, r.extra.x_difficult, r.extra.x_truncated]]));

describe('the VOC label set', () => {
  it('has 20 distinct classes in alphabetical order', () => {
    expect([...VOC_CLASSES].sort()).toEqual([...VOC_CLASSES]);
    expect(new Set(VOC_CLASSES).size).toBe(20);
  });

  it('computes the VOC colour map', () => {
    expect(vocColor(0)).toEqual([0, 0, 0]);
    expect(vocColor(1)).toEqual([128, 0, 0]);
    expect(vocColor(15)).toEqual([192, 128, 128]); // person
    expect(vocColor(20)).toEqual([0, 64, 128]); // tvmonitor
    expect(vocColor(255)).toEqual([224, 224, 192]); // void
  });
});

describe.skipIf(!existsSync(REAL))('the VOC label set against the real files', () => {
  it('orders the 20 classes as labels 1..20 of Caffe labelmap_voc.prototxt', () => {
    const text = readFileSync(path.join(REAL, 'voc', 'labelmap_voc.prototxt'), 'utf8');
    const items = [...text.matchAll(/name:\s*"([^"]+)"\s*label:\s*(\d+)/g)].map((m) => ({ name: m[1], label: Number(m[2]) }));
    const classes = items.filter((i) => i.label >= 1).sort((a, b) => a.label - b.label);
    expect(classes.map((c) => c.label)).toEqual(Array.from({ length: 20 }, (_, i) => i + 1));
    expect(classes.map((c) => c.name)).toEqual([...VOC_CLASSES]);
  });

  it('matches the palette of a real VOC segmentation PNG', () => {
    const png = readFileSync(path.join(REAL, 'voc', 'segmentation_palette_example.png'));
    const at = png.indexOf('PLTE');
    const length = png.readUInt32BE(at - 4);
    const palette = png.subarray(at + 4, at + 4 + length);
    expect(palette.length / 3).toBe(255);
    for (let id = 0; id < palette.length / 3; id++) {
      expect(vocColor(id), `colour of id ${id}`).toEqual([...palette.subarray(id * 3, id * 3 + 3)]);
    }
  });

  it('extracts the real VOC2007 sample as the 22 rows of the VOC convention', async () => {
    const r = await extractVoc(path.join(REAL, 'voc', 'VOC2007-sample'), { stats: true });
    expect(r.name).toBe('voc');
    expect(brief(r.rows)).toEqual(['0 background', ...VOC_CLASSES.map((n, i) => `${i + 1} ${n}`), '255 void']);
    const train = r.rows.find((x) => x.name === 'train');
    expect([train?.instances, train?.images, train?.extra.x_truncated, train?.extra.x_difficult]).toEqual([1, 1, '0', '0']);
    expect(r.rows.filter((x) => x.instances === 0)).toHaveLength(19);
    // The owner's <name>Hiroyuki Mori</name> is not a class.
    expect(r.rows.some((x) => x.name.includes('Mori'))).toBe(false);
  });

  const shipped = path.join(ROOT, 'sheets', 'datasets', 'voc@1.0.0.csv');
  it.skipIf(!existsSync(shipped))('gives the rows of the shipped sheet voc@1.0.0', async () => {
    const { sheet } = parseSheetText('dataset', readFileSync(shipped, 'utf8'), shipped);
    const r = await extractVoc(path.join(REAL, 'voc', 'VOC2007-sample'), { stats: false });
    const pick = (rows: DatasetClass[]) => rows.map(({ id, name, display_name, category, train_id, color, is_thing, evaluate }) => ({ id, name, display_name, category, train_id, color, is_thing, evaluate }));
    expect(pick(r.rows)).toEqual(pick(sheet?.rows ?? []));
  });
});

describe('a VOCdevkit/VOC2012 folder', () => {
  it('lists all 22 VOC rows with ids, colours, categories and flags', async () => {
    const r = await extractVoc(DEVKIT, { stats: false });
    expect(r.name).toBe('voc');
    expect(r.rows).toHaveLength(22);
    expect(r.rows[0]).toMatchObject({ id: 0, name: 'background', color: '#000000', is_thing: false, evaluate: true, category: '' });
    expect(r.rows[21]).toMatchObject({ id: 255, name: 'void', color: '#e0e0c0', is_thing: false, evaluate: false });
    expect(r.rows.find((x) => x.name === 'diningtable')).toMatchObject({ id: 11, display_name: 'dining table', category: 'indoor', color: '#c08000', is_thing: true, evaluate: true });
    expect(r.rows.find((x) => x.name === 'tvmonitor')).toMatchObject({ id: 20, display_name: 'TV monitor', category: 'indoor' });
    expect(r.rows.find((x) => x.name === 'person')).toMatchObject({ id: 15, category: 'person', color: '#c08080' });
    expect(r.rows.find((x) => x.name === 'horse')).toMatchObject({ id: 13, category: 'animal' });
    // Without --stats: no count columns.
    expect(r.rows.every((x) => x.instances === undefined && Object.keys(x.extra).length === 0)).toBe(true);
    expect(r.notes[0]).toBe('ids: VOC segmentation convention (0 background, 1..20 the classes in alphabetical order, 255 void)');
    expect(r.notes).toContain(`read 5 annotation files in ${path.join(DEVKIT, 'Annotations')}: 11 objects of 4 classes`);
  });

  it('counts objects, images, difficult and truncated per class with --stats', async () => {
    const r = await extractVoc(DEVKIT, { stats: true });
    const c = counts(r.rows);
    // aeroplane: 2 in 2007_000032, 3 in 2007_000033 (one difficult, two truncated).
    expect(c.aeroplane).toEqual([5, 2, '1', '2']);
    // person: 2007_000027 (its head/hand/foot <part>s are not classes), 2 in 2007_000032, " person " in 2008_000008.
    expect(c.person).toEqual([4, 3, '0', '3']);
    expect(c.horse).toEqual([1, 1, '0', '0']); // "  horse  " trimmed
    expect(c.bottle).toEqual([1, 1, '1', '0']);
    expect(c.cat).toEqual([0, 0, '0', '0']);
    // background and void are not XML objects: not counted.
    expect(c.background).toEqual([null, null, '', '']);
    expect(c.void).toEqual([null, null, '', '']);
    expect(r.notes[1]).toMatch(/^16 of the 20 VOC classes do not occur in these files \(bicycle, bird, /);
  });

  it('writes a sheet that reads back to the same rows', async () => {
    const r = await extractVoc(DEVKIT, { stats: true });
    const csv = formatSheet('dataset', r.rows);
    expect(csv.split('\n')[0]).toBe('id,name,display_name,category,train_id,color,is_thing,evaluate,instances,images,x_difficult,x_truncated');
    expect(csv.split('\n')[2]).toBe('1,aeroplane,aeroplane,vehicle,,#800000,true,true,5,2,1,2');
    const back = parseSheetText('dataset', csv, 'voc.csv');
    expect(back.findings).toEqual([]);
    expect(back.sheet?.rows).toEqual(r.rows);
  });

  it('reads the same from the root, its Annotations/ and a single file', async () => {
    const fromRoot = await extractVoc(DEVKIT, { stats: true });
    const fromAnnotations = await extractVoc(path.join(DEVKIT, 'Annotations'), { stats: true });
    expect(fromAnnotations.rows).toEqual(fromRoot.rows);
    const one = await extractVoc(path.join(DEVKIT, 'Annotations', '2007_000033.xml'), { stats: true });
    expect(counts(one.rows).aeroplane).toEqual([3, 1, '1', '2']);
    expect(counts(one.rows).person).toEqual([0, 0, '0', '0']);
  });

  it('names the dataset folders when given a VOCdevkit with several years', async () => {
    const dir = tempDir();
    for (const year of ['VOC2012', 'VOC2007']) {
      mkdirSync(path.join(dir, year, 'Annotations'), { recursive: true });
      copyFileSync(path.join(DEVKIT, 'Annotations', '2007_000027.xml'), path.join(dir, year, 'Annotations', 'a.xml'));
    }
    const f = await findingOf(() => extractVoc(dir, { stats: false }));
    expect(f.code).toBe('voc-no-xml');
    expect(formatFinding(f)).toContain(`fix: pass one dataset folder: ${path.join(dir, 'VOC2007')} or ${path.join(dir, 'VOC2012')}`);
  });

  it('reports progress per file, ending at the total', async () => {
    const seen: [number, number][] = [];
    await extractVoc(DEVKIT, { stats: false, onProgress: (done, total) => seen.push([done, total]) });
    expect(seen).toEqual([[0, 5], [1, 5], [2, 5], [3, 5], [4, 5], [5, 5]]);
  });
});

describe('a labelImg folder (custom classes)', () => {
  it('numbers sorted names after 0 background without a class list', async () => {
    const r = await extractVoc(LABELIMG, { stats: true });
    expect(r.name).toBe('voc-custom');
    expect(brief(r.rows)).toEqual(['0 background', '1 helmet', '2 person', '3 vest']);
    expect(r.rows.map((x) => [x.color, x.is_thing])).toEqual([['#000000', false], ['#800000', true], ['#008000', true], ['#808000', true]]);
    expect(counts(r.rows)).toEqual({
      background: [null, null, '', ''],
      helmet: [2, 1, '0', '1'],
      person: [3, 3, '1', '1'],
      vest: [1, 1, '0', '0'], // written "vest " by the annotator
    });
    expect(r.notes[0]).toBe('ids: sorted names after 0 background (not the VOC convention: 2 names are not a VOC class: helmet, vest); pass --classes <file> to fix the order');
  });

  it('takes ids from predefined_classes.txt in line order', async () => {
    const classes = path.join(LABELIMG, 'predefined_classes.txt');
    const r = await extractVoc(LABELIMG, { stats: true, classes });
    expect(r.name).toBe('voc-custom');
    expect(brief(r.rows)).toEqual(['0 person', '1 helmet', '2 vest', '3 boots']);
    expect(counts(r.rows).boots).toEqual([0, 0, '0', '0']);
    expect(counts(r.rows).person).toEqual([3, 3, '1', '1']);
    expect(r.notes[0]).toBe('ids: from predefined_classes.txt (line order, the first name is id 0)');
  });

  it('uses a class list also for VOC names', async () => {
    const dir = tempDir({ 'classes.txt': 'person\nhorse\nbottle\naeroplane\n' });
    const r = await extractVoc(DEVKIT, { stats: false, classes: path.join(dir, 'classes.txt') });
    expect(brief(r.rows)).toEqual(['0 person', '1 horse', '2 bottle', '3 aeroplane']);
    expect(r.name).toBe('voc-custom');
  });

  it('names the XML file and line of an annotated name missing from the class list', async () => {
    const classes = path.join(LABELIMG, 'classes-without-vest.txt');
    const f = await findingOf(() => extractVoc(LABELIMG, { stats: false, classes }));
    expect(f).toMatchObject({ code: 'voc-class-not-listed', file: path.join(LABELIMG, 'annotations', 'site_002.xml'), line: 15, column: 3 });
    expect(f.args).toMatchObject({ name: 'vest', classes });
  });

  it('lists the other missing names too', async () => {
    const dir = tempDir({ 'classes.txt': 'person\n' });
    const f = await findingOf(() => extractVoc(LABELIMG, { stats: false, classes: path.join(dir, 'classes.txt') }));
    expect(f).toMatchObject({ code: 'voc-class-not-listed', file: path.join(LABELIMG, 'annotations', 'site_001.xml'), line: 15 });
    expect(formatFinding(f)).toContain('the class "helmet" is not in');
    expect(formatFinding(f)).toContain('(other annotated names missing from it: vest)');
  });

  it('rejects a class list with a duplicate, naming the line', async () => {
    const classes = path.join(LABELIMG, 'classes-duplicate.txt');
    const f = await findingOf(() => extractVoc(LABELIMG, { stats: false, classes }));
    expect(f).toMatchObject({ code: 'voc-classes-duplicate', file: classes, line: 4, args: { name: 'helmet', firstLine: 2 } });
  });

  it('reports a missing class list file', async () => {
    const f = await findingOf(() => extractVoc(LABELIMG, { stats: false, classes: path.join(LABELIMG, 'nope.txt') }));
    expect(f.code).toBe('file-not-found');
  });
});

describe('parseClassList', () => {
  it('ignores blank lines, spaces, CRLF and a BOM', () => {
    expect(parseClassList('\uFEFFdog\r\n\r\n  person \r\ncat\r\n', 'c.txt')).toEqual(['dog', 'person', 'cat']);
  });
  it('rejects an empty list', async () => {
    expect((await findingOf(() => parseClassList('\n \n', 'c.txt'))).code).toBe('voc-classes-empty');
  });
});

describe('parseVocXml', () => {
  it('reads only <object><name>, trimmed, with its place and flags', () => {
    const xml = '<annotation>\n<owner><name>Jo</name></owner>\n<object>\n  <name> dog\n</name><difficult>1</difficult>\n<part><name>head</name></part>\n</object>\n</annotation>';
    const a = parseVocXml(xml, 'a.xml');
    expect(a.objects).toEqual([{ name: 'dog', line: 4, column: 3, difficult: { text: '1', line: 5, column: 8 } }]);
  });

  it('reads CDATA and character references in names', () => {
    const a = parseVocXml('<annotation><object><name><![CDATA[traffic sign]]></name></object><object><name>caf&#233; &amp; bar</name></object></annotation>', 'a.xml');
    expect(a.objects.map((o) => o.name)).toEqual(['traffic sign', 'café & bar']);
  });

  it('rejects an object with two names', async () => {
    const f = await findingOf(() => parseVocXml('<annotation>\n<object>\n<name>a</name>\n<name>b</name>\n</object></annotation>', 'a.xml'));
    expect(f).toMatchObject({ code: 'voc-object-name-twice', line: 4, args: { first: 2 } });
  });

  it('finds the root element of a file head', () => {
    expect(rootElementOf('<?xml version="1.0"?>\n<!-- c -->\n<annotation>')).toBe('annotation');
    expect(rootElementOf('\uFEFF<svg xmlns="x">')).toBe('svg');
    expect(rootElementOf('{"id2label": {}}')).toBeNull();
  });
});

describe('broken VOC files', () => {
  const file = (name: string) => path.join(BROKEN, name);

  it('names file, line and column of malformed XML', async () => {
    const f = await findingOf(() => extractVoc(file('malformed.xml'), { stats: false }));
    expect(f).toMatchObject({ code: 'voc-xml-malformed', file: file('malformed.xml'), line: 7, column: 9 });
    expect(formatFinding(f)).toContain('malformed XML: found </objet> where </object> was expected');
  });

  it('rejects a document whose root is not <annotation>', async () => {
    const f = await findingOf(() => extractVoc(file('svg-root.xml'), { stats: false }));
    expect(f).toMatchObject({ code: 'voc-not-annotation', line: 2, column: 1, args: { found: 'svg' } });
    expect(formatFinding(f)).toContain('expected a VOC <annotation> document, found <svg>');
  });

  it('never reads an external entity (XXE)', async () => {
    const f = await findingOf(() => extractVoc(file('xxe.xml'), { stats: false }));
    expect(f).toMatchObject({ code: 'voc-xml-entity', line: 8, args: { entity: '&xxe;' } });
    expect(JSON.stringify(f)).not.toMatch(/root:|nologin|\/bin\/(ba)?sh/);
  });

  it('leaves a DTD with an external parameter entity unprocessed', async () => {
    const r = await extractVoc(file('xxe-parameter.xml'), { stats: true });
    expect(r.name).toBe('voc');
    expect(counts(r.rows).cat).toEqual([1, 1, '0', '0']);
  });

  it('fails on "billion laughs" instead of expanding it', async () => {
    const f = await findingOf(() => extractVoc(file('billion-laughs.xml'), { stats: false }));
    expect(f).toMatchObject({ code: 'voc-xml-entity', line: 16, args: { entity: '&lol9;' } });
  });

  it('rejects an object without a name', async () => {
    const f = await findingOf(() => extractVoc(file('object-without-name.xml'), { stats: false }));
    expect(f).toMatchObject({ code: 'voc-object-name-missing', line: 8, column: 3 });
  });

  it('checks the difficult flag only when counting', async () => {
    const r = await extractVoc(file('bad-flag.xml'), { stats: false });
    expect(r.rows.find((x) => x.name === 'car')).toBeDefined();
    const f = await findingOf(() => extractVoc(file('bad-flag.xml'), { stats: true }));
    expect(f).toMatchObject({ code: 'voc-flag-invalid', line: 6, column: 3, args: { tag: 'difficult', found: 'yes' } });
  });

  it('reports the first broken file in name order, whatever the concurrency', async () => {
    const dir = tempDir();
    for (let i = 0; i < 40; i++) copyFileSync(path.join(DEVKIT, 'Annotations', '2007_000032.xml'), path.join(dir, `${String(i).padStart(3, '0')}.xml`));
    copyFileSync(file('malformed.xml'), path.join(dir, '017.xml'));
    copyFileSync(file('svg-root.xml'), path.join(dir, '030.xml'));
    copyFileSync(file('xxe.xml'), path.join(dir, '005b.xml'));
    const files = (await import('node:fs')).readdirSync(dir).sort().map((n) => path.join(dir, n));
    for (const concurrency of [1, 3, 16, 64]) {
      const f = await findingOf(() => readAnnotations(files, { concurrency }));
      expect(f.file, `concurrency ${concurrency}`).toBe(path.join(dir, '005b.xml'));
    }
  });

  it('rejects a folder without annotations and one without objects', async () => {
    const empty = tempDir({ 'readme.txt': 'x' });
    expect((await findingOf(() => extractVoc(empty, { stats: false }))).code).toBe('voc-no-xml');
    const bare = tempDir({ 'a.xml': '<annotation><filename>a.jpg</filename></annotation>' });
    expect(await findingOf(() => extractVoc(bare, { stats: false }))).toMatchObject({ code: 'voc-no-objects', args: { files: 1 } });
    expect((await findingOf(() => extractVoc(path.join(bare, 'missing'), { stats: false }))).code).toBe('file-not-found');
  });
});

describe('symbolic links', () => {
  it('names a file that is a symbolic link loop', async () => {
    const dir = tempDir({ 'a.xml': '<annotation><object><name>cat</name></object></annotation>' });
    symlinkSync('loop.xml', path.join(dir, 'loop.xml'));
    const f = await findingOf(() => extractVoc(dir, { stats: false }));
    expect(f).toMatchObject({ code: 'file-unreadable', file: path.join(dir, 'loop.xml') });
    expect(formatFinding(f)).toContain('a symbolic link loop');
  });

  it('does not follow a folder link loop', async () => {
    const dir = tempDir({ 'a.xml': '<annotation><object><name>cat</name></object></annotation>' });
    symlinkSync('.', path.join(dir, 'again'));
    symlinkSync('.', path.join(dir, 'sub.xml'));
    const f = await findingOf(() => extractVoc(dir, { stats: false }));
    expect(f).toMatchObject({ code: 'file-unreadable', file: path.join(dir, 'sub.xml') });
    expect(formatFinding(f)).toContain('a directory');
  });

  it('reads through a link to a good file', async () => {
    const dir = tempDir({ 'real/a.xml': '<annotation><object><name>cat</name></object></annotation>', 'ann/.keep': '' });
    symlinkSync(path.join(dir, 'real', 'a.xml'), path.join(dir, 'ann', 'b.xml'));
    const r = await extractVoc(path.join(dir, 'ann'), { stats: true });
    expect(counts(r.rows).cat).toEqual([1, 1, '0', '0']);
  });
});

describe('buildVocSheet', () => {
  it('keeps an annotated "background" at id 0 instead of adding a second one', () => {
    const r = buildVocSheet(
      [{ file: 'a.xml', objects: [{ name: 'tree', line: 1, column: 1 }, { name: 'background', line: 2, column: 1 }] }],
      { stats: false },
    );
    expect(brief(r.rows)).toEqual(['0 background', '1 tree']);
  });

  it('lists a class list even when nothing is annotated', () => {
    const r = buildVocSheet([{ file: 'a.xml', objects: [] }], { stats: true, classes: { names: ['a', 'b'], file: 'c.txt' } });
    expect(brief(r.rows)).toEqual(['0 a', '1 b']);
    expect(counts(r.rows)).toEqual({ a: [0, 0, '0', '0'], b: [0, 0, '0', '0'] });
  });
});

describe('detect', () => {
  it('accepts VOC roots, annotation folders and files', async () => {
    expect(await detectVoc(DEVKIT)).toEqual({ ok: true, reason: 'a folder with Annotations/ of 5 .xml files with <annotation> roots' });
    expect(await detectVoc(path.join(DEVKIT, 'Annotations'))).toEqual({ ok: true, reason: 'a folder of 5 .xml files with <annotation> roots' });
    expect(await detectVoc(path.join(DEVKIT, 'Annotations', '2007_000027.xml'))).toEqual({ ok: true, reason: 'a VOC annotation XML file (root <annotation>)' });
    expect((await detectVoc(LABELIMG)).ok).toBe(true);
  });

  it('says why it rejects other inputs', async () => {
    expect(await detectVoc(path.join(BROKEN, 'svg-root.xml'))).toEqual({ ok: false, reason: 'an XML file whose root is not <annotation> (found <svg>)' });
    expect(await detectVoc(path.join(FIXTURES, 'hf'))).toEqual({ ok: false, reason: 'a folder without Annotations/ or .xml files' });
    expect(await detectVoc(path.join(FIXTURES, 'hf', 'segformer-ade-small.json'))).toEqual({ ok: false, reason: 'not an XML file (no root element in its first 4 KB)' });
    const svgs = tempDir({ 'a.xml': '<svg/>' });
    expect(await detectVoc(svgs)).toEqual({ ok: false, reason: 'a folder whose first .xml file (a.xml) is an XML file whose root is not <annotation> (found <svg>)' });
    expect((await detectVoc(path.join(VOC, 'missing'))).ok).toBe(false);
  });

  it('is registered as "voc"', () => {
    expect(formatById('voc')?.detect).toBe(detectVoc);
    expect(FORMATS.filter((f) => f.id === 'voc')).toHaveLength(1);
  });
});
