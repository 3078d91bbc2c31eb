// Text that is not UTF-8: an error naming the file and the first bad byte, never U+FFFD quietly
// written into a class name or a lock entry.
import { describe, expect, it } from 'vitest';
import { copyFileSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { coco } from '../../src/formats/coco.js';
import { extractVoc } from '../../src/formats/voc.js';
import { ROOT, runInProcess, tempDir } from '../helpers/cli.js';
import { findingOf } from '../helpers/finding-of.js';

describe('invalid UTF-8', () => {
  it('a VOC annotation in Windows-1252 is an error at its first bad byte', async () => {
    const dir = tempDir({});
    writeFileSync(path.join(dir, 'a.xml'), Buffer.from('<annotation>\n  <object><name>caf\xe9</name></object>\n</annotation>\n', 'latin1'));
    const f = await findingOf(() => extractVoc(path.join(dir, 'a.xml'), { stats: false }));
    expect(f).toMatchObject({ code: 'file-encoding', file: path.join(dir, 'a.xml'), line: 2, args: { what: 'VOC annotation', byte: 'e9', offset: 32 } });
  });

  it('a class list (--classes) in Windows-1252 is an error too', async () => {
    const dir = tempDir({ 'a.xml': '<annotation><object><name>cat</name></object></annotation>' });
    writeFileSync(path.join(dir, 'classes.txt'), Buffer.from('cat\nm\xfcll\n', 'latin1'));
    expect(await findingOf(() => extractVoc(path.join(dir, 'a.xml'), { stats: false, classes: path.join(dir, 'classes.txt') }))).toMatchObject({
      code: 'file-encoding',
      line: 2,
      args: { what: 'class list (--classes)', byte: 'fc', offset: 5 },
    });
  });

  it('a lock file that is not UTF-8 stops release (exit 2) and is left as it is', async () => {
    const dir = tempDir({});
    mkdirSync(path.join(dir, 'sheets', 'datasets'), { recursive: true });
    copyFileSync(path.join(ROOT, 'sheets', 'datasets', 'voc@1.0.0.csv'), path.join(dir, 'sheets', 'datasets', 'voc@1.0.0.csv'));
    const lock = Buffer.from('{"format": "labelmap-lock", "format_version": 1, "sheets": [{"file": "datasets/caf\xe9@1.0.0.csv", "sha256": "x"}]}', 'latin1');
    writeFileSync(path.join(dir, 'sheets', 'labelmap.lock.json'), lock);
    const r = await runInProcess(['release'], { cwd: dir });
    expect(r).toMatchObject({ code: 2, stdout: '' });
    expect(r.stderr).toBe(
      'labelmap: sheets/labelmap.lock.json:1: error file-encoding: lock file is not valid UTF-8 (byte 0xe9 at offset 82)\n' +
        '  fix: save it as UTF-8 (e.g. `iconv -f WINDOWS-1252 -t UTF-8 old > new` for a file from Windows)\n',
    );
    expect(readFileSync(path.join(dir, 'sheets', 'labelmap.lock.json'))).toEqual(lock);
  });

  it('a COCO category name in Windows-1252 is an error at its byte (the streaming scanner decodes what it keeps strictly)', async () => {
    const dir = tempDir({});
    const file = path.join(dir, 'instances.json');
    writeFileSync(file, Buffer.from('{"categories": [\n  {"id": 1, "name": "caf\xe9"}\n]}', 'latin1'));
    expect(await findingOf(() => coco.extract(file, { stats: false }))).toMatchObject({
      code: 'file-encoding',
      file,
      line: 2,
      offset: 41,
      args: { what: 'input file', byte: 'e9', offset: 41 },
    });
  });
});
