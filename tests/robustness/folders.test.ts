// Entries in dataset folders and sheets folders that are no regular file: a FIFO, a socket-like
// special file, a link loop. Each must be reported by name when it is read, never skipped unseen
// (its objects would be missing from the counts, its sheet from the set) and never waited on.
import { describe, expect, it } from 'vitest';
import { execFileSync } from 'node:child_process';
import { copyFileSync, mkdirSync, symlinkSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { cityscapes } from '../../src/formats/cityscapes.js';
import { extractVoc } from '../../src/formats/voc.js';
import { scanSheetsDir } from '../../src/sheets/discover.js';
import { readSheet } from '../../src/sheets/io.js';
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

describe('sheets folders', () => {
  it('an entry named like a sheet that is no regular file is listed, and reading it names it', async () => {
    const dir = tempDir({ 'datasets/good@1.0.0.csv': 'id,name,display_name,category,train_id,color,is_thing,evaluate\n1,road,,,,,,\n' });
    mkfifo(path.join(dir, 'datasets', 'fifo@1.0.0.csv'));
    symlinkSync('loop@1.0.0.csv', path.join(dir, 'datasets', 'loop@1.0.0.csv'));
    mkdirSync(path.join(dir, 'datasets', 'notes'));
    const { files, findings } = scanSheetsDir(dir);
    expect(files.map((f) => f.rel)).toEqual(['datasets/fifo@1.0.0.csv', 'datasets/good@1.0.0.csv', 'datasets/loop@1.0.0.csv']);
    expect(findings).toEqual([]);
    expect(readSheet(files[1]!).rows).toHaveLength(1);
    expect(await findingOf(() => readSheet(files[0]!))).toMatchObject({ code: 'file-unreadable', file: path.join(dir, 'datasets', 'fifo@1.0.0.csv') });
    expect(await findingOf(() => readSheet(files[2]!))).toMatchObject({ code: 'file-unreadable', args: { reason: 'ELOOP, a symbolic link loop' } });
  });
});
