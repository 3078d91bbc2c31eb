// scripts/check-content.py (the dependency-free content check of the shipped sheets) and merge
// compute coverage separately. Issue 15: one definition; this holds them against each other on
// the shipped sheets, every vertical, every dataset, every output label.
import { spawnSync } from 'node:child_process';
import { copyFileSync, cpSync, existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { compileSheets } from '../../src/compile.js';
import { ROOT } from '../helpers/cli.js';

const SHEETS = path.join(ROOT, 'sheets');
const SCRIPT = path.join(ROOT, 'scripts', 'check-content.py');
const python = spawnSync('python3', ['--version']).status === 0;

type Coverage = Record<string, Record<string, Record<string, string>>>;

function checkContent(sheets: string): { code: number | null; coverage: Coverage; report: string } {
  const r = spawnSync('python3', [SCRIPT, '--json', '--sheets', sheets], { encoding: 'utf8' });
  return { code: r.status, coverage: r.status === 0 ? (JSON.parse(r.stdout) as { coverage: Coverage }).coverage : {}, report: r.stderr };
}

describe.skipIf(!python || !existsSync(SHEETS))('check-content.py and merge agree on coverage', () => {
  const script = checkContent(SHEETS);

  it('the content check passes on the shipped sheets', () => {
    expect(script.code, script.report).toBe(0);
    expect(script.report).toMatch(/^0 errors, \d+ warnings$/m);
  });

  it.each(['self-driving', 'smart-city', 'indoor', 'maps'])('%s: the same status for every dataset and label as coverage.csv', (vertical) => {
    const { bundle, findings } = compileSheets(SHEETS, { vertical });
    expect(findings.filter((f) => f.severity === 'error')).toEqual([]);
    const fromMerge: Record<string, Record<string, string>> = {};
    for (const d of bundle!.datasets) fromMerge[d.name] = Object.fromEntries(d.coverage.map((c) => [c.label, c.status]));
    expect(Object.keys(fromMerge).length).toBeGreaterThan(5);
    expect(script.coverage[vertical]).toEqual(fromMerge);
  });

  it('not vacuous: dropping a contains cell moves both sides', () => {
    // The test can fail: drop the `contains` of Cityscapes pole (small lamps on poles) in a copy and
    // both sides move together (Cityscapes no longer partial for street_light), so equality is not vacuous.
    const dir = mkdtempSync(path.join(os.tmpdir(), 'labelmap-content-'));
    try {
      cpSync(SHEETS, path.join(dir, 'sheets'), { recursive: true });
      copyFileSync(path.join(ROOT, 'README.md'), path.join(dir, 'README.md')); // the README holds the labels no dataset annotates fully
      const copy = path.join(dir, 'sheets');
      const mapping = path.join(copy, 'mappings', 'cityscapes@1.1.0.csv');
      const text = readFileSync(mapping, 'utf8');
      const edited = text.replace(/^(pole,[^\n]*),street_light\n/m, '$1,\n');
      expect(edited).not.toBe(text);
      writeFileSync(mapping, edited);
      rmSync(path.join(copy, 'labelmap.lock.json'));
      const after = checkContent(copy);
      expect(after.code, after.report).toBe(0);
      expect(script.coverage['self-driving']!['cityscapes']!['street_light']).toBe('partial');
      expect(after.coverage['self-driving']!['cityscapes']!['street_light']).toBe('none');
      const merged = compileSheets(copy, { vertical: 'self-driving' }).bundle!;
      expect(merged.datasets.find((d) => d.name === 'cityscapes')!.coverage.find((c) => c.label === 'street_light')!.status).toBe('none');
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
