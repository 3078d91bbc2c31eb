// Entries in dataset folders and sheets folders that are no regular file: a FIFO, a socket-like
// special file, a link loop. Each must be reported by name when it is read, never skipped unseen
// (its objects would be missing from the counts, its sheet from the set) and never waited on.
import { describe, expect, it } from 'vitest';
import { execFileSync } from 'node:child_process';
import { copyFileSync, mkdirSync, symlinkSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { cityscapes } from '../../src/formats/cityscapes.js';
import { extractVoc } from '../../src/formats/voc.js';
import { FIXTURES, tempDir } from '../helpers/cli.js';
import { findingOf } from '../helpers/finding-of.js';

const VOC_XML = path.join(FIXTURES, 'voc', 'VOCdevkit', 'VOC2012', 'Annotations', '2007_000027.xml');
const CITYSCAPES_PY = path.join(FIXTURES, 'cityscapes', 'labels.py');
const mkfifo = (file: string): void => {
  execFileSync('mkfifo', [file]);
};

describe('dataset folders', () => {
  it('VOC: a FIFO named *.xml in Annotations/ is reported by name, not skipped', async () => {
    const dir = tempDir({});
    const ann = path.join(dir, 'Annotations');
    mkdirSync(ann);
    copyFileSync(VOC_XML, path.join(ann, 'a.xml'));
    mkfifo(path.join(ann, 'b.xml'));
    expect(await findingOf(() => extractVoc(dir, { stats: false }))).toMatchObject({
      code: 'file-unreadable',
      file: path.join(ann, 'b.xml'),
      args: { reason: 'a FIFO (named pipe), whose reading could wait forever, not a regular file' },
    });
  });

  it('VOC: a plain sub-folder named *.xml is still not an annotation file', async () => {
    const dir = tempDir({});
    const ann = path.join(dir, 'Annotations');
    mkdirSync(path.join(ann, 'old.xml'), { recursive: true });
    copyFileSync(VOC_XML, path.join(ann, 'a.xml'));
    const sheet = await extractVoc(dir, { stats: false });
    expect(sheet.notes.at(-1)).toMatch(/^read 1 annotation file /);
  });

  it('Cityscapes: a FIFO or a link loop with a polygon file name is reported by name', async () => {
    for (const make of [mkfifo, (file: string) => symlinkSync(path.basename(file), file)]) {
      const dir = tempDir({});
      const city = path.join(dir, 'gtFine', 'train', 'aachen');
      mkdirSync(city, { recursive: true });
      writeFileSync(path.join(city, 'aachen_000000_000019_gtFine_polygons.json'), '{"imgHeight": 1, "imgWidth": 1, "objects": [{"label": "road", "polygon": []}]}');
      const bad = path.join(city, 'aachen_000001_000019_gtFine_polygons.json');
      make(bad);
      expect(await findingOf(() => cityscapes.extract(path.join(dir, 'gtFine'), { stats: true, labels: CITYSCAPES_PY }))).toMatchObject({ code: 'file-unreadable', file: bad });
    }
  });
});
