import { describe, expect, it } from 'vitest';
import { existsSync, readFileSync, readdirSync } from 'node:fs';
import path from 'node:path';
import { parseRef, parseSheetFileName, resolveRef, scanSheetsDir } from '../../src/sheets/discover.js';
import { writeFileAtomic } from '../../src/io/index.js';
import { LabelmapError } from '../../src/findings.js';
import { tempDir } from '../helpers/cli.js';
import { checkSheetFileNames } from '../../src/rules/files.js';

const H = 'id,name,display_name,category,train_id,color,is_thing,evaluate\n';

describe('sheet discovery', () => {
  it('parses file names and references', () => {
    expect(parseSheetFileName('coco@1.0.0.csv')).toEqual({ name: 'coco', version: '1.0.0' });
    expect(parseSheetFileName('mapillary-vistas-v1.2@2.10.3.csv')).toEqual({ name: 'mapillary-vistas-v1.2', version: '2.10.3' });
    for (const bad of ['coco.csv', 'coco@1.0.csv', 'Coco@1.0.0.csv', '../x@1.0.0.csv', 'coco@01.0.0.csv']) expect(parseSheetFileName(bad)).toBeNull();
    expect(parseRef('coco')).toEqual({ kind: undefined, name: 'coco', version: undefined });
    expect(parseRef('coco@latest')).toEqual({ kind: undefined, name: 'coco', version: undefined });
    expect(parseRef('datasets/coco@1.2.0')).toEqual({ kind: 'dataset', name: 'coco', version: '1.2.0' });
    expect(parseRef('mapping/coco')).toEqual({ kind: 'mapping', name: 'coco', version: undefined });
    for (const bad of ['../coco', 'coco@1', 'things/coco', 'a/b/c']) expect(parseRef(bad)).toBeNull();
  });

  it('finds versions, resolves latest by semver and asks for the kind when a name is ambiguous', () => {
    const dir = tempDir({
      'datasets/coco@1.0.0.csv': H,
      'datasets/coco@1.10.0.csv': H,
      'datasets/coco@1.9.0.csv': H,
      'mappings/coco@1.0.0.csv': 'source,target,note\n',
      'datasets/notes.txt': 'x',
      'datasets/coco-1.0.0.csv': H,
    });
    const { files, findings: misplaced, unlisted } = scanSheetsDir(dir);
    // The misnamed files are listed for the rule of src/rules/files.ts, which words them (validate's severity here).
    const findings = [...misplaced, ...checkSheetFileNames(unlisted, false)];
    expect(files.map((f) => f.rel)).toEqual([
      'datasets/coco@1.0.0.csv',
      'datasets/coco@1.9.0.csv',
      'datasets/coco@1.10.0.csv',
      'mappings/coco@1.0.0.csv',
    ]);
    expect(findings.map((f) => [f.code, f.severity, f.file])).toEqual([
      ['sheet-file-name', 'error', 'datasets/coco-1.0.0.csv'],
      ['sheet-file-name', 'warning', 'datasets/notes.txt'],
    ]);
    // A reader (list, merge, export) warns for the CSV file only: notes are no sheet.
    expect(checkSheetFileNames(unlisted, true).map((f) => [f.severity, f.file])).toEqual([['warning', 'datasets/coco-1.0.0.csv']]);
    expect(resolveRef(files, 'datasets/coco').version).toBe('1.10.0');
    expect(resolveRef(files, 'coco@1.9.0', 'dataset').version).toBe('1.9.0');
    // A bare name that names a dataset sheet and others means the dataset sheet.
    expect(resolveRef(files, 'coco')).toMatchObject({ kind: 'dataset', version: '1.10.0' });
    expect(() => resolveRef(files, 'datasets/coco@2.0.0')).toThrow(/no such version: datasets\/coco has no version 2.0.0 \(versions: 1.0.0, 1.9.0, 1.10.0\)/);
    expect(() => resolveRef(files, 'coco@2.0.0')).toThrow(/no such version/);
    expect(() => resolveRef(files, 'mapings/coco')).toThrow(/"mapings" is not a kind of sheet; the kinds are datasets, taxonomy, mappings, verticals/);
    try {
      resolveRef(files, 'cityscapes');
    } catch (e) {
      expect((e as LabelmapError).finding.code).toBe('sheet-ref-not-found');
    }
  });
});

describe('atomic writes', () => {
  it('refuses to overwrite an existing versioned file and leaves no temporary file', () => {
    const dir = tempDir({ 'datasets/coco@1.0.0.csv': 'original' });
    const file = path.join(dir, 'datasets/coco@1.0.0.csv');
    expect(() => writeFileAtomic(file, 'new', { overwrite: false })).toThrow(LabelmapError);
    expect(readFileSync(file, 'utf8')).toBe('original');
    expect(readdirSync(path.join(dir, 'datasets'))).toEqual(['coco@1.0.0.csv']);
  });

  it('creates folders, writes new files and overwrites when asked', () => {
    const dir = tempDir();
    const file = path.join(dir, 'build/x/labels.csv');
    writeFileAtomic(file, 'a', { overwrite: false });
    writeFileAtomic(file, 'b', { overwrite: true });
    expect(readFileSync(file, 'utf8')).toBe('b');
    expect(readdirSync(path.dirname(file))).toEqual(['labels.csv']);
    expect(existsSync(file)).toBe(true);
  });
});
