import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { initSheetsRepo } from '../../src/validate/init.js';
import { ROOT, tempDir } from '../helpers/cli.js';
import { CLEAN } from './fixtures.js';

describe('initSheetsRepo', () => {
  it('copies every file of each kind from the shipped sheets', () => {
    const dir = tempDir();
    const result = initSheetsRepo(path.join(dir, 'repo'), {
      empty: false,
      shippedSheets: CLEAN,
      templates: path.join(ROOT, 'templates'),
      labelmapSpec: '9.9.9',
    });
    expect(result.copied).toBe(5);
    expect(result.created.slice(0, 5)).toEqual([
      'sheets/datasets/toy@1.0.0.csv',
      'sheets/taxonomy/core@1.0.0.csv',
      'sheets/taxonomy/core@1.1.0.csv',
      'sheets/mappings/toy@1.0.0.csv',
      'sheets/verticals/street@1.0.0.csv',
    ]);
    expect(readFileSync(path.join(dir, 'repo', 'sheets', 'taxonomy', 'core@1.1.0.csv'))).toEqual(readFileSync(path.join(CLEAN, 'taxonomy', 'core@1.1.0.csv')));
    const workflow = readFileSync(path.join(dir, 'repo', '.github', 'workflows', 'labelmap.yml'), 'utf8');
    expect(workflow).toContain('npx --no-install labelmap validate sheets --format github');
    expect(workflow).not.toContain('--yes');
    expect(JSON.parse(readFileSync(path.join(dir, 'repo', 'package.json'), 'utf8'))).toMatchObject({ name: 'repo', private: true, devDependencies: { labelmap: '9.9.9' } });
    expect(readFileSync(path.join(dir, 'repo', '.gitignore'), 'utf8')).toContain('\nbuild/\n');
  });

  it('copies the shipped lock file with the sheets, and writes an empty one with --empty', () => {
    const shipped = tempDir({ 'taxonomy/t@1.0.0.csv': 'x', 'labelmap.lock.json': '{"version":1,"files":{"taxonomy/t@1.0.0.csv":"abc"}}\n' });
    const options = { shippedSheets: shipped, templates: path.join(ROOT, 'templates'), labelmapSpec: '1.0.0' };
    const full = tempDir();
    initSheetsRepo(full, { ...options, empty: false });
    expect(readFileSync(path.join(full, 'sheets', 'labelmap.lock.json'), 'utf8')).toContain('"taxonomy/t@1.0.0.csv":"abc"');
    const empty = tempDir();
    initSheetsRepo(empty, { ...options, empty: true });
    expect(JSON.parse(readFileSync(path.join(empty, 'sheets', 'labelmap.lock.json'), 'utf8'))).toEqual({ format: 'labelmap-lock', format_version: 1, sheets: [] });
  });

  it('refuses a folder that has sheets/ before writing anything', () => {
    const dir = tempDir({ 'sheets/README.md': 'ours' });
    expect(() => initSheetsRepo(dir, { empty: true, shippedSheets: CLEAN, templates: path.join(ROOT, 'templates'), labelmapSpec: '1.0.0' })).toThrow(
      /init-exists/,
    );
    expect(readdirSync(dir)).toEqual(['sheets']);
  });
});
