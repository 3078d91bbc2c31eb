// Hostile inputs for every reader, through the real CLI: each extractor (`labelmap extract`), the
// CSV sheet reader (`labelmap show`), the lock file (`labelmap release`) and the bundle loader
// (`labelmap export --bundle`). A rejected input must give exit 2 and one error that names the
// file (and the line/column or JSON path where there is one), no stack trace, no "internal
// error", nothing on stdout, and nothing written: the folder's fingerprint (every file's sha256)
// is the same before and after. Inputs the formats accept (a BOM, CRLF line ends) must give the
// same result as the clean file. Most cases run the program in-process (runInProcess: the same
// program, stdout, stderr and exit code without a Node start-up each); the built binary runs the
// cases that need a real process: the 100 MB inputs, with a 256 MB heap so that an unbounded read
// fails by running out of memory, and every case whose folder holds a FIFO, where a wrong read
// would block (each spawned run has a 60 s hang guard, not a performance limit).
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { execFileSync } from 'node:child_process';
import { chmodSync, copyFileSync, linkSync, mkdirSync, mkdtempSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { formatById } from '../../src/formats/index.js';
import { formatSheet } from '../../src/sheets/csv.js';
import { FIXTURES, ROOT, runInProcess } from '../helpers/cli.js';
import { fingerprint, HOSTILE, pool, runLabelmap, STACK_LINE, writeLongLine, type Run } from './helpers.js';

const MB100 = 100 * 1024 * 1024;
const DEEP = 100_000;
const IS_ROOT = process.getuid?.() === 0;

const CITYSCAPES_PY = path.join(FIXTURES, 'cityscapes', 'labels.py');
const APOLLO_PY = path.join(FIXTURES, 'apolloscape', 'labels_apollo.py');
const HF_CONFIG = path.join(FIXTURES, 'hf', 'detr-resnet-50', 'config.json');
const VISTAS_CONFIG = path.join(FIXTURES, 'mapillary', 'config-no-version.json');
const VOC_XML = path.join(FIXTURES, 'voc', 'VOCdevkit', 'VOC2012', 'Annotations', '2007_000027.xml');
const BUNDLE = path.join(FIXTURES, 'export', 'self-driving.json');
const SHEET = path.join(ROOT, 'sheets', 'datasets', 'cityscapes@1.0.0.csv');
const GARBAGE = path.join(HOSTILE, 'garbage.bin');

const half = (file: string): Buffer => {
  const bytes = readFileSync(file);
  return bytes.subarray(0, Math.floor(bytes.length / 2));
};
const text = (file: string): string => readFileSync(file, 'utf8');
const bomCrlf = (file: string): string => `\uFEFF${text(file).replace(/\r?\n/g, '\r\n')}`;
const deepJson = (open: string, close: string, inner = '1'): string => open.repeat(DEEP) + inner + close.repeat(DEEP);
/** The dataset sheet the library extracts from a file: what `extract --stdout` prints for it. */
const extractedSheet = async (format: string, file: string): Promise<string> => formatSheet('dataset', (await formatById(format)!.extract(file, { stats: false })).rows);
const fifo = (file: string): void => {
  execFileSync('mkfifo', [file]);
};

// Dataset folders with one good file and one hostile entry `b.*` that `make` creates.
const loopAt = (file: string): void => symlinkSync(path.basename(file), file);
const folderLinkAt = (file: string): void => {
  mkdirSync(path.join(path.dirname(file), 'sub'));
  symlinkSync('sub', file);
};
const folderWith = (good: string, content: string | (() => Buffer), bad: string, args: string[]) => (make: (file: string) => void) => (dir: string) => {
  mkdirSync(path.dirname(path.join(dir, good)), { recursive: true });
  writeFileSync(path.join(dir, good), typeof content === 'function' ? content() : content);
  make(path.join(dir, bad));
  return args;
};
const annotationsWith = folderWith('VOC/Annotations/a.xml', () => readFileSync(VOC_XML), 'VOC/Annotations/b.xml', ['extract', 'voc', 'VOC']);
const vistasWith = folderWith('vistas/polygons/a.json', '{"width": 1, "height": 1, "objects": [{"id": 1, "label": "construction--flat--road", "polygon": []}]}', 'vistas/polygons/b.json', ['extract', 'mapillary', 'vistas', '--labels', VISTAS_CONFIG]);
const gtFineWith = folderWith(
  'gtFine/train/aachen/aachen_000000_000019_gtFine_polygons.json',
  '{"imgHeight": 1, "imgWidth": 1, "objects": [{"label": "road", "polygon": []}]}',
  'gtFine/train/aachen/aachen_000001_000019_gtFine_polygons.json',
  ['extract', 'cityscapes', 'gtFine', '--labels', CITYSCAPES_PY],
);

// --- the big shared inputs (generated once, never committed) ----------------------------------

let big: { json: string; xml: string; py: string; csv: string; coco: string };
let bigDir: string;

beforeAll(() => {
  bigDir = mkdtempSync(path.join(tmpdir(), 'labelmap-hostile-big-'));
  big = {
    json: path.join(bigDir, 'long-line.json'),
    xml: path.join(bigDir, 'long-line.xml'),
    py: path.join(bigDir, 'long-line.py'),
    csv: path.join(bigDir, 'long-line.csv'),
    coco: path.join(bigDir, 'long-name.json'),
  };
  // One line of 100 MB each, shaped like the format: a huge string value, a huge text node, a
  // huge literal, a huge cell.
  writeLongLine(big.json, '{"id2label": {"0": "', 'aaaaaaaa', MB100, '"}, "labels": [], "format": "labelmap-bundle"}');
  writeLongLine(big.xml, '<annotation><object><name>', 'aaaaaaaa', MB100, '</name></object></annotation>');
  writeLongLine(big.py, "Label = namedtuple('Label', ['name', 'id'])\nlabels = [Label('", 'aaaaaaaa', MB100, "', 1)]\n");
  writeLongLine(big.csv, 'id,name,display_name,category,train_id,color,is_thing,evaluate\n1,', 'aaaaaaaa', MB100, ',,,,,,\n');
  // COCO is streamed (no size limit): a 100 MB category is more than the scanner keeps whole.
  writeLongLine(big.coco, '{"images": [], "categories": [{"id": 1, "name": "', 'aaaaaaaa', MB100, '"}]}');
});

afterAll(() => {
  rmSync(bigDir, { recursive: true, force: true });
});

// --- the cases --------------------------------------------------------------------------------

interface Case {
  /** What is fed to the reader. */
  name: string;
  /** Writes the input into `dir` (which has a sheets/ folder) and returns the CLI arguments. */
  setup: (dir: string) => string[];
  /** A part of the file name that the error must name. */
  names: string;
  /** The finding code expected (when one is certain). */
  code?: string;
  /** Where in the file, as the message writes it (`:3:7`, `$.id2label`). */
  place?: RegExp;
  /** The input is accepted: exit 0 with the same stdout as `same` gives. */
  same?: (dir: string) => string[];
  /** The input is accepted: exit 0 with this stdout (the sheet the library extracts from the clean file). */
  sameText?: () => Promise<string>;
  /** Accepted with exit 0 (checked by `check`). */
  accepted?: (run: Run) => void;
  /** Run with a 256 MB heap (the 100 MB inputs). */
  bounded?: boolean;
  /** Also run `labelmap validate` on the same folder: exit 1 with findings that name the file. */
  validate?: boolean;
  skip?: string;
}

interface Reader {
  reader: string;
  cases: Case[];
}

/** `labelmap extract <format> <file>` on a file written into the case folder (no --stdout: a write would show). */
const extractFile = (format: string, base: string, content: string | Buffer | (() => string | Buffer), extra: string[] = []) => (dir: string) => {
  writeFileSync(path.join(dir, base), typeof content === 'function' ? content() : content);
  return ['extract', format, base, ...extra];
};
const extractCopy = (format: string, base: string, from: string, extra: string[] = []) => (dir: string) => {
  copyFileSync(from, path.join(dir, base));
  return ['extract', format, base, ...extra];
};
const extractFifo = (format: string, base: string, extra: string[] = []) => (dir: string) => {
  fifo(path.join(dir, base));
  return ['extract', format, base, ...extra];
};
const extractLoop = (format: string, base: string, extra: string[] = []) => (dir: string) => {
  symlinkSync(base, path.join(dir, base));
  return ['extract', format, base, ...extra];
};
const extractBig = (format: string, kind: keyof typeof big, extra: string[] = []) => () => ['extract', format, big[kind], ...extra];
const stdoutOf = (format: string, base: string, content: string) => (dir: string) => {
  writeFileSync(path.join(dir, base), content);
  return ['extract', format, base, '--stdout'];
};

/** The common corpus for a reader of one file: what every reader must reject. */
function fileCases(format: string, ext: string, wrong: { name: string; from: string }, extra: string[] = []): Case[] {
  return [
    { name: 'an empty file', setup: extractFile(format, `empty.${ext}`, '', extra), names: `empty.${ext}` },
    { name: 'binary garbage', setup: extractCopy(format, `garbage.${ext}`, GARBAGE, extra), names: `garbage.${ext}` },
    { name: `a wrong format (${wrong.name})`, setup: extractCopy(format, `wrong.${ext}`, wrong.from, extra), names: `wrong.${ext}` },
    { name: 'a FIFO (reading it would block)', setup: extractFifo(format, `fifo.${ext}`, extra), names: `fifo.${ext}`, code: 'file-unreadable' },
    { name: 'a symbolic link loop', setup: extractLoop(format, `loop.${ext}`, extra), names: `loop.${ext}`, code: 'file-unreadable' },
    { name: 'a 100 MB single line', setup: extractBig(format, ext === 'json' ? 'json' : ext === 'xml' ? 'xml' : 'py', extra), names: 'long-line', bounded: true },
  ];
}

const READERS: Reader[] = [
  {
    reader: 'extract hf (model config.json)',
    cases: [
      ...fileCases('hf', 'json', { name: 'a VOC XML file', from: VOC_XML }),
      { name: 'a truncated file', setup: extractFile('hf', 'cut.json', () => half(HF_CONFIG)), names: 'cut.json', code: 'hf-json-malformed', place: /cut\.json:\d+:\d+/ },
      { name: 'invalid UTF-8 in a name', setup: extractFile('hf', 'latin1.json', Buffer.from('{"id2label": {"0": "caf\xe9"}}', 'latin1')), names: 'latin1.json', code: 'hf-json-malformed', place: /latin1\.json:1/ },
      { name: '100,000 levels of nesting', setup: extractFile('hf', 'deep.json', () => `{"id2label": ${deepJson('[', ']')}}`), names: 'deep.json', code: 'hf-json-malformed', place: /deep\.json:1:\d+ \$\.id2label/ },
      { name: 'a duplicate key in id2label', setup: extractCopy('hf', 'dup.json', path.join(HOSTILE, 'hf-duplicate-key.json')), names: 'dup.json', code: 'hf-json-malformed', place: /dup\.json:6:5 \$\.id2label\["1"\]/ },
      { name: 'an id beyond 2^53', setup: extractCopy('hf', 'huge.json', path.join(HOSTILE, 'hf-huge-id.json')), names: 'huge.json', code: 'hf-id-invalid', place: /huge\.json id2label\["99999999999999999999"\]/ },
      { name: 'a name given as a number', setup: extractCopy('hf', 'num.json', path.join(HOSTILE, 'hf-name-number.json')), names: 'num.json', code: 'hf-name-invalid', place: /num\.json id2label\["1"\]/ },
      {
        name: 'a model folder whose config.json is a folder',
        setup: (dir) => {
          mkdirSync(path.join(dir, 'model', 'config.json'), { recursive: true });
          return ['extract', 'hf', 'model'];
        },
        names: 'model/config.json',
        code: 'file-unreadable',
      },
      { name: 'a BOM and CRLF line ends (accepted)', setup: stdoutOf('hf', 'bom.json', bomCrlf(HF_CONFIG)), names: '', sameText: () => extractedSheet('hf', HF_CONFIG) },
    ],
  },
  {
    reader: 'extract mapillary (Vistas config.json, polygon folders)',
    cases: [
      ...fileCases('mapillary', 'json', { name: 'a Hugging Face config', from: HF_CONFIG }),
      { name: 'a truncated file', setup: extractFile('mapillary', 'cut.json', () => half(VISTAS_CONFIG)), names: 'cut.json', code: 'label-json-invalid', place: /cut\.json:\d+:\d+/ },
      { name: 'invalid UTF-8', setup: extractFile('mapillary', 'latin1.json', Buffer.from('{"labels": [{"name": "caf\xe9--x", "readable": "x"}]}', 'latin1')), names: 'latin1.json', code: 'label-json-invalid' },
      { name: '100,000 levels of nesting', setup: extractFile('mapillary', 'deep.json', () => `{"labels": [{"name": "a--b", "readable": "B", "x": ${deepJson('{"a":', '}')}}]}`), names: 'deep.json', code: 'label-json-invalid', place: /\$\.labels\[0\]\.x/ },
      { name: 'a duplicate key in a label', setup: extractCopy('mapillary', 'dup.json', path.join(HOSTILE, 'mapillary-duplicate-key.json')), names: 'dup.json', code: 'label-json-invalid', place: /dup\.json:3:63 \$\.labels\[0\]\.name/ },
      { name: 'a number out of range (1e400)', setup: extractCopy('mapillary', 'huge.json', path.join(HOSTILE, 'mapillary-huge-number.json')), names: 'huge.json', code: 'label-json-invalid', place: /huge\.json:3:73 \$\.labels\[0\]\.color\[0\]/ },
      { name: 'colour values given as strings', setup: extractCopy('mapillary', 'strings.json', path.join(HOSTILE, 'mapillary-color-strings.json')), names: 'strings.json', code: 'label-json-shape', place: /labels\[0\]\.color/ },
      { name: 'a polygon folder with a symbolic link loop', setup: vistasWith(loopAt), names: 'polygons/b.json', code: 'file-unreadable' },
      { name: 'a polygon folder with a FIFO', setup: vistasWith(fifo), names: 'polygons/b.json', code: 'file-unreadable' },
      { name: 'a BOM and CRLF line ends (accepted)', setup: stdoutOf('mapillary', 'bom.json', bomCrlf(VISTAS_CONFIG)), names: '', sameText: () => extractedSheet('mapillary', VISTAS_CONFIG) },
    ],
  },
  {
    reader: 'extract cityscapes (labels.py, gtFine polygon folders)',
    cases: [
      ...fileCases('cityscapes', 'py', { name: 'a VOC XML file', from: VOC_XML }),
      { name: 'a truncated file', setup: extractFile('cityscapes', 'cut.py', () => half(CITYSCAPES_PY)), names: 'cut.py', code: 'python-labels-syntax', place: /cut\.py:\d+:\d+/ },
      { name: 'invalid UTF-8', setup: extractFile('cityscapes', 'latin1.py', () => Buffer.concat([half(CITYSCAPES_PY).subarray(0, 200), Buffer.from([0xe9]), readFileSync(CITYSCAPES_PY)])), names: 'latin1.py', code: 'python-labels-encoding', place: /latin1\.py:\d+/ },
      {
        name: '100,000 levels of nesting in a row',
        setup: extractFile('cityscapes', 'deep.py', () => `Label = namedtuple('Label', ['name', 'id'])\nlabels = [Label('a', ${deepJson('(', ')')})]\n`),
        names: 'deep.py',
        code: 'python-labels-syntax',
        place: /deep\.py:2:\d+/,
      },
      { name: 'an id beyond 2^53', setup: extractCopy('cityscapes', 'huge.py', path.join(HOSTILE, 'labels-huge-id.py')), names: 'huge.py', code: 'python-labels-syntax', place: /huge\.py:5:18/ },
      { name: 'an id given as a string', setup: extractCopy('cityscapes', 'string-id.py', path.join(HOSTILE, 'labels-string-id.py')), names: 'string-id.py', code: 'python-labels-value', place: /string-id\.py:5:5/ },
      { name: 'two rows with one id', setup: extractCopy('cityscapes', 'dup.py', path.join(HOSTILE, 'labels-duplicate-id.py')), names: 'dup.py', code: 'labels-duplicate', place: /dup\.py:5/ },
      { name: 'a gtFine folder with a symbolic link loop', setup: gtFineWith(loopAt), names: 'aachen_000001_000019_gtFine_polygons.json', code: 'file-unreadable' },
      { name: 'a gtFine folder with a FIFO', setup: gtFineWith(fifo), names: 'aachen_000001_000019_gtFine_polygons.json', code: 'file-unreadable' },
      {
        name: 'a truncated polygon file',
        setup: (dir) => {
          const city = path.join(dir, 'gtFine', 'train', 'aachen');
          mkdirSync(city, { recursive: true });
          writeFileSync(path.join(city, 'aachen_000000_000019_gtFine_polygons.json'), '{"imgHeight": 1, "imgWidth": 1, "objects": [{"label": "road", "poly');
          return ['extract', 'cityscapes', 'gtFine', '--labels', CITYSCAPES_PY];
        },
        names: 'aachen_000000_000019_gtFine_polygons.json',
        code: 'label-json-invalid',
        place: /gtFine_polygons\.json:1:\d+/,
      },
      { name: 'a BOM and CRLF line ends (accepted)', setup: stdoutOf('cityscapes', 'bom.py', bomCrlf(CITYSCAPES_PY)), names: '', sameText: () => extractedSheet('cityscapes', CITYSCAPES_PY) },
    ],
  },
  {
    reader: 'extract apolloscape (labels_apollo.py)',
    cases: [
      { name: 'binary garbage', setup: extractCopy('apolloscape', 'garbage.py', GARBAGE), names: 'garbage.py', code: 'python-labels-encoding' },
      { name: 'a truncated file', setup: extractFile('apolloscape', 'cut.py', () => half(APOLLO_PY)), names: 'cut.py', place: /cut\.py:\d+:\d+/ },
      { name: 'a wrong format (the Cityscapes labels.py)', setup: extractCopy('apolloscape', 'city.py', CITYSCAPES_PY), names: 'city.py', code: 'label-file-kind' },
      // A FIFO, a link loop and a 100 MB line reach the reader Cityscapes shares (readPythonLabelsFile): see there.
      { name: 'a BOM and CRLF line ends (accepted)', setup: stdoutOf('apolloscape', 'bom.py', bomCrlf(APOLLO_PY)), names: '', sameText: () => extractedSheet('apolloscape', APOLLO_PY) },
    ],
  },
  {
    reader: 'extract voc (annotation XML, Annotations folders)',
    cases: [
      ...fileCases('voc', 'xml', { name: 'a JSON file', from: HF_CONFIG }),
      { name: 'a truncated file', setup: extractFile('voc', 'cut.xml', () => half(VOC_XML)), names: 'cut.xml', code: 'voc-xml-malformed', place: /cut\.xml:\d+:\d+/ },
      { name: 'invalid UTF-8 in a class name', setup: extractFile('voc', 'latin1.xml', Buffer.from('<annotation><object><name>caf\xe9</name></object></annotation>', 'latin1')), names: 'latin1.xml', code: 'file-encoding', place: /latin1\.xml:1/ },
      {
        name: 'an external entity (XXE): the file it names is never read',
        setup: (dir) => {
          copyFileSync(path.join(HOSTILE, 'xxe.xml'), path.join(dir, 'xxe.xml'));
          writeFileSync(path.join(dir, 'secret.txt'), 'SECRET-MARKER-7f3a');
          return ['extract', 'voc', 'xxe.xml'];
        },
        names: 'xxe.xml',
        code: 'voc-xml-entity',
        place: /xxe\.xml:6:\d+/,
      },
      {
        name: 'a parameter entity (XXE in the DTD): ignored, the file it names is never read',
        setup: (dir) => {
          copyFileSync(path.join(HOSTILE, 'xxe-parameter.xml'), path.join(dir, 'xxe.xml'));
          writeFileSync(path.join(dir, 'secret.txt'), 'SECRET-MARKER-7f3a');
          return ['extract', 'voc', 'xxe.xml', '--stdout'];
        },
        names: '',
        accepted: (run) => expect(run.stdout).toContain('\n8,cat,'),
      },
      { name: 'an entity expansion bomb (billion laughs)', setup: extractCopy('voc', 'bomb.xml', path.join(HOSTILE, 'entity-bomb.xml')), names: 'bomb.xml', code: 'voc-xml-entity', place: /bomb\.xml:16:\d+/ },
      {
        name: '100,000 levels of nesting inside an object (well-formed: read without recursion)',
        setup: (dir) => {
          writeFileSync(path.join(dir, 'deep.xml'), `<annotation><object><name>cat</name>${'<part>'.repeat(DEEP)}${'</part>'.repeat(DEEP)}</object></annotation>`);
          return ['extract', 'voc', 'deep.xml', '--stdout'];
        },
        names: '',
        accepted: (run) => expect(run.stdout).toContain('\n8,cat,'),
      },
      { name: 'an Annotations folder with a symbolic link loop', setup: annotationsWith(loopAt), names: 'Annotations/b.xml', code: 'file-unreadable' },
      { name: 'an Annotations folder with a FIFO', setup: annotationsWith(fifo), names: 'Annotations/b.xml', code: 'file-unreadable' },
      { name: 'an Annotations folder with a link to a folder where a file is expected', setup: annotationsWith(folderLinkAt), names: 'Annotations/b.xml', code: 'file-unreadable' },
      {
        name: 'an unreadable file (chmod 000)',
        skip: IS_ROOT ? 'runs as root, which reads a chmod 000 file: the FIFO and folder-link cases stand in for it' : undefined,
        setup: annotationsWith((file) => {
          copyFileSync(VOC_XML, file);
          chmodSync(file, 0);
        }),
        names: 'Annotations/b.xml',
        code: 'file-unreadable',
      },
      { name: 'a BOM and CRLF line ends (accepted)', setup: stdoutOf('voc', 'bom.xml', bomCrlf(VOC_XML)), names: '', sameText: () => extractedSheet('voc', VOC_XML) },
    ],
  },
  {
    reader: 'extract coco (streamed annotation JSON)',
    cases: [
      ...fileCases('coco', 'json', { name: 'a VOC XML file', from: VOC_XML }).map((c) => (c.bounded ? { ...c, setup: extractBig('coco', 'coco'), names: 'long-name.json', code: 'json-value-too-long' } : c)),
      { name: 'a truncated file', setup: extractCopy('coco', 'cut.json', path.join(FIXTURES, 'coco', 'truncated.json')), names: 'cut.json', code: 'json-truncated', place: /cut\.json:14:\d+/ },
      { name: 'invalid UTF-8 in a category name', setup: extractFile('coco', 'latin1.json', Buffer.from('{"categories": [{"id": 1, "name": "caf\xe9"}]}', 'latin1')), names: 'latin1.json', code: 'file-encoding', place: /latin1\.json:1:39 \$\.categories\[0\]/ },
      { name: 'a duplicate key in a category', setup: extractFile('coco', 'dup.json', '{"categories": [{"id": 1, "name": "cat", "name": "dog"}]}'), names: 'dup.json', code: 'json-not-strict', place: /dup\.json:1:42 \$\.categories\[0\]\.name/ },
      { name: 'a second categories array', setup: extractFile('coco', 'dup2.json', '{"categories": [{"id": 1, "name": "cat"}], "categories": []}'), names: 'dup2.json', code: 'coco-duplicate-key' },
      { name: 'a number out of range (1e400)', setup: extractFile('coco', 'inf.json', '{"categories": [{"id": 1e400, "name": "cat"}]}'), names: 'inf.json', code: 'json-not-strict', place: /\$\.categories\[0\]\.id/ },
      { name: 'an id beyond 2^53', setup: extractFile('coco', 'huge.json', '{"categories": [{"id": 12345678901234567890, "name": "cat"}]}'), names: 'huge.json', code: 'coco-category-field', place: /\$\.categories\[0\]\.id/ },
      { name: 'ids given as strings', setup: extractCopy('coco', 'strings.json', path.join(FIXTURES, 'coco', 'string-ids.json')), names: 'strings.json', code: 'coco-category-field', place: /\$\.categories\[1\]\.id/ },
      {
        name: '100,000 levels of nesting in an annotation (streamed without recursion: accepted)',
        setup: extractFile('coco', 'deep.json', () => `{"annotations": [{"segmentation": ${deepJson('[', ']')}, "category_id": 1, "image_id": 1}], "categories": [{"id": 1, "name": "cat"}]}`, ['--stats', '--stdout']),
        names: '',
        accepted: (run) => expect(run.stdout).toContain('\n1,cat,,,,,true,,1,1\n'),
      },
    ],
  },
  {
    reader: 'extract auto (detection must not hang or crash either)',
    cases: [
      { name: 'an empty file', setup: extractFile('auto', 'empty', ''), names: 'empty', code: 'format-undetected' },
      { name: 'binary garbage', setup: extractCopy('auto', 'garbage.bin', GARBAGE), names: 'garbage.bin', code: 'format-undetected' },
      { name: 'a FIFO', setup: extractFifo('auto', 'fifo.json'), names: 'fifo.json', code: 'format-undetected' },
      { name: 'a 100 MB single line', setup: extractBig('auto', 'json'), names: 'long-line.json', code: 'format-undetected', bounded: true },
    ],
  },
  {
    reader: 'CSV sheets (labelmap show)',
    cases: sheetCases(),
  },
  {
    reader: 'the lock file (labelmap release)',
    cases: lockCases(),
  },
  {
    reader: 'bundles (labelmap export --bundle)',
    cases: bundleCases(),
  },
];

/** A dataset sheet `datasets/<sheetName>@1.0.0.csv` with hostile content, read by `labelmap show <sheetName>`. */
function sheetCases(sheetName = 'bad'): Case[] {
  const base = `${sheetName}@1.0.0.csv`;
  const at = (where: string) => new RegExp(`${base.replace(/\./g, '\\.')}${where}`);
  const sheet = (content: string | Buffer | (() => string | Buffer)) => (dir: string) => {
    writeFileSync(path.join(dir, 'sheets', 'datasets', base), typeof content === 'function' ? content() : content);
    return ['show', sheetName];
  };
  const copy = (from: string) => sheet(() => readFileSync(from));
  const names = `datasets/${base}`;
  return [
    { name: 'an empty file', setup: sheet(''), names, code: 'csv-empty', place: at(':1') },
    { name: 'binary garbage', setup: copy(GARBAGE), names, code: 'csv-encoding' },
    { name: 'a file cut inside the header', setup: sheet('id,name,display_na'), names, code: 'header-unknown-column', place: at(':1:3') },
    { name: 'a file cut inside a quoted cell', setup: sheet('id,name,display_name,category,train_id,color,is_thing,evaluate\n1,road,"Ro'), names, code: 'csv-parse', place: at(':2') },
    { name: 'an unbalanced quote', setup: copy(path.join(HOSTILE, 'sheet-unclosed-quote.csv')), names, code: 'csv-parse' },
    { name: 'invalid UTF-8 (a Windows-1252 file)', setup: sheet(Buffer.from('id,name,display_name,category,train_id,color,is_thing,evaluate\n1,caf\xe9,,,,,,\n', 'latin1')), names, code: 'csv-encoding', place: at(':2') },
    { name: 'a wrong format (a JSON file)', setup: copy(HF_CONFIG), names, code: 'csv-parse', place: at(':2') },
    { name: 'a wrong kind (a mapping sheet header)', setup: sheet('source,target,note\nroad,road,\n'), names, code: 'header-wrong-kind', place: at(':1') },
    { name: 'a number beyond 2^53', setup: copy(path.join(HOSTILE, 'sheet-huge-id.csv')), names, code: 'cell-invalid', place: at(':3:1') },
    { name: 'an id given as words', setup: sheet('id,name,display_name,category,train_id,color,is_thing,evaluate\none,road,,,,,,\n'), names, code: 'cell-invalid', place: at(':2:1') },
    { name: 'a duplicate id (a duplicate key)', setup: copy(path.join(HOSTILE, 'sheet-duplicate-id.csv')), names, code: 'duplicate-id', place: at(':3:1') },
    { name: 'a duplicate column', setup: copy(path.join(HOSTILE, 'sheet-duplicate-column.csv')), names, code: 'header-duplicate-column', place: at(':1:3') },
    {
      name: 'a FIFO named like a sheet',
      setup: (dir) => {
        fifo(path.join(dir, 'sheets', 'datasets', base));
        return ['show', sheetName];
      },
      names,
      code: 'file-unreadable',
    },
    {
      name: 'a symbolic link loop named like a sheet',
      setup: (dir) => {
        symlinkSync(base, path.join(dir, 'sheets', 'datasets', base));
        return ['show', sheetName];
      },
      names,
      code: 'file-unreadable',
    },
    {
      name: 'a 100 MB single line',
      setup: (dir) => {
        // A hard link: the sheet is in the repository (a symbolic link out of it is not read: sheet-outside-repository).
        linkSync(big.csv, path.join(dir, 'sheets', 'datasets', base));
        return ['show', sheetName];
      },
      names,
      code: 'file-too-large',
      bounded: true,
    },
    {
      name: 'a BOM and CRLF line ends (accepted)',
      setup: sheet(bomCrlf(SHEET)),
      names: '',
      same: (dir) => {
        writeFileSync(path.join(dir, 'sheets', 'datasets', base), readFileSync(SHEET));
        return ['show', sheetName];
      },
    },
  ];
}

/** A sheets folder with one sheet and a hostile labelmap.lock.json, read by `labelmap release`. */
function lockCases(): Case[] {
  const lock = (content: string | Buffer | (() => string | Buffer)) => (dir: string) => {
    copyFileSync(SHEET, path.join(dir, 'sheets', 'datasets', 'cityscapes@1.0.0.csv'));
    writeFileSync(path.join(dir, 'sheets', 'labelmap.lock.json'), typeof content === 'function' ? content() : content);
    return ['release'];
  };
  const entry = (dir: string) => {
    copyFileSync(SHEET, path.join(dir, 'sheets', 'datasets', 'cityscapes@1.0.0.csv'));
    return path.join(dir, 'sheets', 'labelmap.lock.json');
  };
  const lockAs = (make: (file: string) => void) => (dir: string) => {
    make(entry(dir));
    return ['release'];
  };
  const valid = () => `{\n  "format": "labelmap-lock",\n  "format_version": 1,\n  "sheets": []\n}\n`;
  const names = 'labelmap.lock.json';
  // validate reads the lock through the same readLockFile: a few cases, one of each layer.
  return [
    { name: 'an empty file', setup: lock(''), names, code: 'lock-invalid' },
    { name: 'binary garbage', setup: lock(() => readFileSync(GARBAGE)), names, code: 'file-encoding', validate: true },
    { name: 'a truncated file', setup: lock(valid().slice(0, 40)), names, code: 'lock-invalid', place: /labelmap\.lock\.json:\d+:\d+/, validate: true },
    { name: 'invalid UTF-8', setup: lock(Buffer.from('{"format": "labelmap-lock", "x": "caf\xe9"}', 'latin1')), names, code: 'file-encoding' },
    { name: 'a wrong format (a bundle)', setup: lock(() => readFileSync(BUNDLE)), names, code: 'lock-invalid', place: /\$\.format/ },
    { name: '100,000 levels of nesting', setup: lock(() => `{"format": "labelmap-lock", "format_version": 1, "sheets": ${deepJson('[', ']')}}`), names, code: 'lock-invalid', place: /\$\.sheets/ },
    { name: 'a number out of range (1e400)', setup: lock(() => readFileSync(path.join(HOSTILE, 'lock-huge-number.json'))), names, code: 'lock-invalid', place: /:3:21 \$\.format_version/ },
    { name: 'a duplicate key', setup: lock(() => readFileSync(path.join(HOSTILE, 'lock-duplicate-key.json'))), names, code: 'lock-invalid', place: /:5:3 \$\.sheets/, validate: true },
    { name: 'a FIFO', setup: lockAs(fifo), names, code: 'file-unreadable', validate: true },
    { name: 'a symbolic link loop (a lock that cannot be read is not a missing lock)', setup: lockAs(loopAt), names, code: 'file-unreadable', validate: true },
    { name: 'a folder', setup: lockAs((file) => mkdirSync(file)), names, code: 'file-unreadable' },
    { name: 'a 100 MB single line', setup: lockAs((file) => symlinkSync(big.json, file)), names, code: 'file-too-large', bounded: true },
    {
      name: 'a BOM and CRLF line ends (accepted)',
      setup: (dir) => {
        writeFileSync(entry(dir), `\uFEFF${valid().replace(/\n/g, '\r\n')}`);
        return ['release', '--dry-run'];
      },
      names: '',
      same: (dir) => {
        writeFileSync(entry(dir), valid());
        return ['release', '--dry-run'];
      },
    },
  ];
}

/** `labelmap export --bundle <file> --format hf` on a hostile labelmap.json. */
function bundleCases(): Case[] {
  const bundle = (base: string, content: string | Buffer | (() => string | Buffer)) => (dir: string) => {
    writeFileSync(path.join(dir, base), typeof content === 'function' ? content() : content);
    return ['export', '--bundle', base, '--format', 'hf'];
  };
  const bundleAs = (base: string, make: (file: string) => void) => (dir: string) => {
    make(path.join(dir, base));
    return ['export', '--bundle', base, '--format', 'hf'];
  };
  const edited = (base: string, edit: (json: string) => string) => bundle(base, () => {
    const after = edit(text(BUNDLE));
    if (after === text(BUNDLE)) throw new Error(`the edit for ${base} changed nothing`);
    return after;
  });
  return [
    { name: 'an empty file', setup: bundle('empty.json', ''), names: 'empty.json', code: 'bundle-json' },
    { name: 'binary garbage', setup: bundle('garbage.json', () => readFileSync(GARBAGE)), names: 'garbage.json', code: 'bundle-json' },
    { name: 'a truncated file', setup: bundle('cut.json', () => half(BUNDLE)), names: 'cut.json', code: 'bundle-json', place: /cut\.json:\d+:\d+/ },
    { name: 'invalid UTF-8', setup: bundle('latin1.json', Buffer.from('{"format": "labelmap-bundle", "vertical": "caf\xe9"}', 'latin1')), names: 'latin1.json', code: 'bundle-json' },
    { name: 'a wrong format (a lock file)', setup: bundle('lock.json', '{"format": "labelmap-lock", "format_version": 1, "sheets": []}\n'), names: 'lock.json', code: 'bundle-format', place: /\$\.format/ },
    { name: 'a wrong format (a VOC XML file)', setup: bundle('voc.json', () => readFileSync(VOC_XML)), names: 'voc.json', code: 'bundle-json', place: /voc\.json:1:1/ },
    { name: '100,000 levels of nesting', setup: bundle('deep.json', () => `{"format": "labelmap-bundle", "format_version": 1, "vertical": ${deepJson('{"a":', '}')}}`), names: 'deep.json', code: 'bundle-json', place: /\$\.vertical/ },
    { name: 'an id beyond 2^53', setup: edited('huge.json', (j) => j.replace(/"id": \d+/, '"id": 12345678901234567890')), names: 'huge.json', code: 'bundle-invalid', place: /huge\.json \$\.datasets\[0\]\.lut\[\d+\]\.id/ },
    { name: 'a number out of range (1e400)', setup: edited('inf.json', (j) => j.replace('"ignore_id": 255', '"ignore_id": 1e400')), names: 'inf.json', code: 'bundle-json', place: /\$\.ignore_id/ },
    { name: 'an id given as a string', setup: edited('string-id.json', (j) => j.replace(/"id": (\d+)/, '"id": "$1"')), names: 'string-id.json', code: 'bundle-invalid', place: /\$\.datasets\[0\]\.lut\[\d+\]\.id/ },
    { name: 'a duplicate key', setup: edited('dup.json', (j) => j.replace('"ignore_id": 255,', '"ignore_id": 255,\n  "ignore_id": 0,')), names: 'dup.json', code: 'bundle-json', place: /dup\.json:7:3 \$\.ignore_id/ },
    { name: 'a FIFO', setup: bundleAs('fifo.json', fifo), names: 'fifo.json', code: 'file-unreadable' },
    { name: 'a symbolic link loop', setup: bundleAs('loop.json', loopAt), names: 'loop.json', code: 'file-unreadable' },
    { name: 'a folder without labelmap.json', setup: bundleAs('out', (file) => mkdirSync(file)), names: 'out/labelmap.json', code: 'file-not-found' },
    { name: 'a 100 MB single line', setup: () => ['export', '--bundle', big.json, '--format', 'hf'], names: 'long-line.json', code: 'file-too-large', bounded: true },
    { name: 'a BOM and CRLF line ends (accepted)', setup: bundle('bom.json', () => bomCrlf(BUNDLE)), names: '', same: () => ['export', '--bundle', BUNDLE, '--format', 'hf'] },
  ];
}

// --- the test -----------------------------------------------------------------------------------

const run = pool(3);

function caseDir(): string {
  const dir = mkdtempSync(path.join(tmpdir(), 'labelmap-hostile-'));
  mkdirSync(path.join(dir, 'sheets', 'datasets'), { recursive: true });
  return dir;
}

/** The one error line (`labelmap: <place>: error <code>: ...`) of a rejected input. */
const ERROR_LINE = /^labelmap: (.*?)(?::)? ?error ([a-z0-9-]+): /gm;

// One concurrent suite: the pool keeps three processes busy whichever reader they test.
describe.concurrent('hostile inputs through the CLI', () => {
  for (const { reader, cases } of READERS) {
    for (const c of cases) {
      it.skipIf(c.skip !== undefined)(`${reader}: ${c.name}${c.skip ? ` (skipped: ${c.skip})` : ''}`, async () => {
        const dir = caseDir();
        try {
          await check(c, dir);
        } finally {
          rmSync(dir, { recursive: true, force: true });
        }
      });
    }
  }
});

// The CI gate reads the same sheets: all of the table's hostile sheets in one folder, one run of
// `labelmap validate` (with the 256 MB heap the 100 MB sheet needs), each reported where it is bad.
it('validate: every hostile sheet of the table in one folder, each reported with its place', async () => {
  const dir = caseDir();
  try {
    const cases = sheetCases().map((c, i) => ({ i, c: sheetCases(`bad-${i}`)[i]! })).filter(({ c }) => !c.same);
    for (const { c } of cases) c.setup(dir);
    const before = fingerprint(dir);
    const v = await run(() => runLabelmap(['validate'], { cwd: dir, nodeArgs: ['--max-old-space-size=256'] }));
    const shown = `validate\n--- stdout\n${v.stdout.slice(0, 4000)}\n--- stderr\n${v.stderr.slice(0, 2000)}`;
    expect(v.hung, shown).toBe(false);
    expect(v.signal, shown).toBeNull();
    expect(v.code, shown).toBe(1);
    expect(v.stdout + v.stderr, shown).not.toMatch(STACK_LINE);
    expect(v.stdout + v.stderr, shown).not.toContain('internal error');
    const lines = v.stdout.split('\n');
    for (const { i, c } of cases) {
      const mine = lines.filter((line) => line.startsWith(`sheets/datasets/bad-${i}@1.0.0.csv`) && / error [a-z0-9-]+: /.test(line));
      expect(mine.length, `${c.name}: ${shown}`).toBeGreaterThan(0);
      if (c.code) expect(mine.some((line) => line.includes(` error ${c.code}: `)), `${c.name}: ${shown}`).toBe(true);
      if (c.place) expect(mine.some((line) => c.place!.test(line)), `${c.name}: ${shown}`).toBe(true);
    }
    expect(fingerprint(dir), 'validate wrote nothing').toEqual(before);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

/**
 * Runs `labelmap args` in `dir`: in a real process (the built binary, a 256 MB heap when `bounded`)
 * when `spawned`, else in-process with the same result fields (no hang guard: the test's timeout
 * stands in for it).
 */
async function runCase(args: string[], dir: string, options: { spawned: boolean; bounded?: boolean }): Promise<Run> {
  if (options.spawned) return run(() => runLabelmap(args, { cwd: dir, nodeArgs: options.bounded ? ['--max-old-space-size=256'] : [] }));
  const r = await runInProcess(args, { cwd: dir });
  return { code: r.code, signal: null, stdout: r.stdout, stderr: r.stderr, hung: false };
}

async function check(c: Case, dir: string): Promise<void> {
  const args = c.setup(dir);
  const before = fingerprint(dir);
  // A FIFO in the folder (fingerprint kind 'special'): a read that waited on it would block the process.
  const spawned = Boolean(c.bounded) || Object.values(before).includes('special');
  const r = await runCase(args, dir, { spawned, bounded: c.bounded });
  const shown = `${args.join(' ')}\n--- stdout\n${r.stdout.slice(0, 2000)}\n--- stderr\n${r.stderr.slice(0, 2000)}`;
  expect(r.hung, `hung: ${shown}`).toBe(false);
  expect(r.signal, `killed (out of memory?): ${shown}`).toBeNull();
  expect(r.stderr, shown).not.toMatch(STACK_LINE);
  expect(r.stderr, shown).not.toContain('internal error');
  expect(r.stderr + r.stdout, shown).not.toContain('SECRET-MARKER');
  if (c.sameText) {
    expect(r.code, shown).toBe(0);
    expect(r.stdout).toBe(await c.sameText());
    return;
  }
  if (c.same) {
    expect(r.code, shown).toBe(0);
    const clean = await runCase(c.same(dir), dir, { spawned });
    expect(clean.code).toBe(0);
    expect(r.stdout).toBe(clean.stdout);
    return;
  }
  if (c.accepted) {
    expect(r.code, shown).toBe(0);
    c.accepted(r);
    return;
  }
  expect(r.code, shown).toBe(2);
  expect(r.stdout, shown).toBe('');
  const errors = [...r.stderr.matchAll(ERROR_LINE)];
  expect(errors.length, `one error message: ${shown}`).toBe(1);
  const [, place, code] = errors[0]!;
  expect(place, shown).toContain(c.names);
  if (c.code) expect(code, shown).toBe(c.code);
  if (c.place) expect(r.stderr, shown).toMatch(c.place);
  expect(fingerprint(dir), 'nothing written, removed or replaced').toEqual(before);
  if (c.validate) {
    const v = await runCase(['validate'], dir, { spawned, bounded: c.bounded });
    const vShown = `validate\n--- stdout\n${v.stdout.slice(0, 2000)}\n--- stderr\n${v.stderr.slice(0, 2000)}`;
    expect(v.hung, vShown).toBe(false);
    expect(v.signal, vShown).toBeNull();
    expect(v.code, vShown).toBe(1);
    expect(v.stderr + v.stdout, vShown).not.toMatch(STACK_LINE);
    expect(v.stderr + v.stdout, vShown).not.toContain('internal error');
    const findings = v.stdout.split('\n').filter((line) => / error [a-z0-9-]+: /.test(line));
    expect(findings.length, vShown).toBeGreaterThan(0);
    for (const line of findings) expect(line, vShown).toContain(`sheets/${c.names}`);
    if (c.place) expect(v.stdout, vShown).toMatch(c.place);
    expect(fingerprint(dir), 'validate wrote nothing').toEqual(before);
  }
}
