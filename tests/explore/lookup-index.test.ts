// `labelmap find` compiles only the LUTs of each vertical (compileLuts, loadLookupIndex) and loads
// only the modules it needs; the results must be the very ones of the full bundles (buildBundle,
// loadLabelIndex) that merge and the report use.
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { loadLabelIndex, loadLookupIndex } from '../../src/explore/load.js';
import { RULES, runRules, runSetRules, SET_RULES, SET_STAGES } from '../../src/rules/index.js';
import { VERSION_RULES } from '../../src/rules/versions.js';
import { loadSheetSet } from '../../src/sheets/set.js';
import { buildHierarchy } from '../../src/taxonomy/hierarchy.js';
import { buildBundle, compileLuts } from '../../src/taxonomy/merge.js';
import { FIXTURES, ROOT } from '../helpers/cli.js';

const FOLDERS = [
  ['the shipped sheets', path.join(ROOT, 'sheets')],
  ['fixtures/explore/sheets', path.join(FIXTURES, 'explore', 'sheets')],
] as const;

describe.each(FOLDERS)('%s', (_name, dir) => {
  const loaded = loadSheetSet(dir, { verticals: 'all', datasets: 'all' });
  const set = loaded.set!;

  it('has verticals with label sets to compare (the comparison is not vacuous)', () => {
    expect(set.verticals.length).toBeGreaterThan(1);
    const sets = set.verticals.map((v) => buildBundle({ taxonomy: set.taxonomy, vertical: v, datasets: set.datasets }).bundle!.label_sets.length);
    expect(Math.max(...sets)).toBeGreaterThan(0);
  });

  it.each(['set', 'ignore'] as const)('compileLuts gives buildBundle labels, label sets and LUTs (coarse %s), with one shared hierarchy', (coarse) => {
    const hierarchy = buildHierarchy(set.taxonomy.rows);
    for (const vertical of [...set.verticals, null]) {
      const input = { taxonomy: set.taxonomy, vertical, datasets: set.datasets, coarse };
      const { bundle } = buildBundle(input);
      const { luts, findings } = compileLuts(input, hierarchy);
      expect(findings).toEqual([]);
      expect(luts).toEqual({
        vertical: bundle!.vertical,
        ignore_id: bundle!.ignore_id,
        labels: bundle!.labels,
        label_sets: bundle!.label_sets,
        datasets: bundle!.datasets.map((d) => ({ name: d.name, version: d.version, lut: d.lut })),
      });
    }
  });

  it('loadLookupIndex gives the index of loadLabelIndex, and the same warnings', () => {
    const full = loadLabelIndex(dir);
    const lookup = loadLookupIndex(dir);
    expect(lookup.index).toEqual(full.index);
    expect(lookup.findings).toEqual(full.findings);
    expect(lookup.index.sources.some((s) => s.landings.some((l) => l.kind === 'set'))).toBe(true);
  });

  it('runSetRules gives runRules over SET_STAGES', () => {
    const input = { files: [], sheets: loaded.sheets, set, pairing: loaded.pairing };
    expect(runSetRules(input)).toEqual(runRules(input, SET_STAGES));
  });
});

it('the registry is the set rules, then the version rules', () => {
  expect(RULES).toEqual([...SET_RULES, ...VERSION_RULES]);
  expect(SET_RULES.every((r) => SET_STAGES.includes(r.stage) || r.stage === 'files')).toBe(true);
});

describe('the modules `labelmap find` loads (static imports from src/cli/commands/find.ts)', () => {
  // Every module reached through value imports (`import type` and `await import()` load nothing
  // at start-up), and the packages they name.
  const walkFrom = (start: string) => {
    const reached = new Set<string>();
    const packages = new Set<string>();
    const walk = (file: string) => {
      if (reached.has(file)) return;
      reached.add(file);
      const text = readFileSync(file, 'utf8');
      for (const m of text.matchAll(/^(?:import|export)\s+(?!type\s)(?:[^;'"]*?\sfrom\s+)?['"]([^'"]+)['"]/gm)) {
        const spec = m[1]!;
        if (spec.startsWith('.')) walk(path.resolve(path.dirname(file), spec.replace(/\.js$/, '.ts')));
        else if (!spec.startsWith('node:')) packages.add(spec);
      }
    };
    walk(path.join(ROOT, start));
    return { rel: [...reached].map((f) => path.relative(ROOT, f)), packages, nodeModules: [...reached].flatMap((f) => [...readFileSync(f, 'utf8').matchAll(/^import\s+(?!type\s)[^;]*?from\s+'(node:[^']+)'/gm)].map((m) => m[1]!)) };
  };
  const { rel, packages, nodeModules } = walkFrom('src/cli/commands/find.ts');

  it('the walk sees the modules and packages a module does use', () => {
    expect(rel).toEqual(expect.arrayContaining(['src/explore/load.ts', 'src/taxonomy/merge.ts', 'src/rules/set-rules.ts', 'src/sheets/set.ts']));
    expect(walkFrom('src/taxonomy/bundle-schema.ts').packages).toContain('zod/v3');
    expect(walkFrom('src/io/guard.ts').nodeModules).toContain('node:fs');
  });

  it('neither the versions stage (lock, diff, bump) nor zod (the row schemas load it on first use) nor semver nor node:crypto', () => {
    expect(rel.filter((f) => f.startsWith('src/versioning/') && f !== 'src/versioning/semver-lite.ts')).toEqual([]);
    expect(rel).not.toContain('src/rules/versions.ts');
    expect(rel).not.toContain('src/rules/index.ts');
    expect(rel).not.toContain('src/taxonomy/bundle-schema.ts');
    expect([...packages].filter((p) => p.startsWith('zod') || p.startsWith('semver'))).toEqual([]);
    expect(nodeModules).not.toContain('node:crypto');
  });
});
