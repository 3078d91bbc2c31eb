import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { loadSheetSet } from '../../src/sheets/set.js';
import { readSheet } from '../../src/sheets/io.js';
import { resolveRef, scanSheetsDir } from '../../src/sheets/discover.js';
import { suggestMapping, type SuggestClass, type Suggestion } from '../../src/suggest/index.js';
import { suggestInputs } from '../../src/suggest/load.js';
import { FIXTURES, runCli, runInProcess, tempDir } from '../helpers/cli.js';

const SHEETS = path.join(FIXTURES, 'suggest', 'sheets');

function suggestNewcam(): Map<string, Suggestion> {
  const loaded = loadSheetSet(SHEETS, { verticals: [] });
  const file = resolveRef(scanSheetsDir(SHEETS).files, 'newcam', 'dataset') as ReturnType<typeof resolveRef> & { kind: 'dataset' };
  const inputs = suggestInputs(loaded.set!, readSheet(file));
  return new Map(suggestMapping(inputs.classes, inputs.taxonomy, inputs.known, { reserved: inputs.reserved }).map((s) => [s.source.name, s]));
}

const signals = (s: Suggestion | undefined) => s?.best?.evidence.map((e) => e.signal) ?? [];

describe('suggestMapping: each kind of evidence, on a dataset nobody mapped (fixtures/suggest)', () => {
  const out = suggestNewcam();

  it('exact names after normalisation (case, plural), and aliases from the existing mappings', () => {
    expect(out.get('Roads')!.best!.target).toBe('road');
    expect(signals(out.get('Roads'))).toEqual(expect.arrayContaining(['exact', 'alias:streets']));
    // automobile is no taxonomy name, but photos maps it to car; its category names the subtree.
    expect(out.get('automobiles')!.best!.target).toBe('car');
    expect(signals(out.get('automobiles'))).toEqual(expect.arrayContaining(['alias:photos', 'parent:vehicle']));
    expect(out.get('automobiles')!.accepted).toBe(true);
  });

  it('paths: the last two segments in either order beat the last one; X--other is other_X', () => {
    expect(out.get('symbol--bicycle')!.best!.target).toBe('bicycle_symbol');
    expect(out.get('symbol--bicycle')!.alternatives.map((a) => a.target)).toContain('bicycle');
    expect(out.get('marking--arrow')!.best!.target).toBe('arrow_marking');
    expect(out.get('vehicle--other')!.best!.target).toBe('other_vehicle');
    expect(signals(out.get('vehicle--other'))).toContain('other');
  });

  it('a crowd (car_group) is its class; void words are ignore', () => {
    expect(out.get('car_group')!.best!.target).toBe('car');
    expect(signals(out.get('car_group'))).toContain('group');
    expect(out.get('void')!.best!.target).toBe('ignore');
    expect(signals(out.get('void'))).toEqual(['void']);
  });

  it('near spellings of long words only: siderwalk is sidewalk, rover is not river', () => {
    expect(out.get('siderwalk')!.best!.target).toBe('sidewalk');
    expect(signals(out.get('siderwalk'))).toEqual(['fuzzy']);
    expect(out.get('rover')!.best).toBeNull();
    expect(out.get('rover')!.accepted).toBe(false);
  });

  it('a description synonym alone is a candidate but left for review (couch -> sofa)', () => {
    const couch = out.get('couch')!;
    expect(couch.best!.target).toBe('sofa');
    expect(signals(couch)).toEqual(['description']);
    expect(couch.accepted).toBe(false);
  });

  it('a trap (existing mappings send `person` to person and to pedestrian) is surfaced, never accepted', () => {
    const person = out.get('person')!;
    expect(person.trap).toEqual(['pedestrian', 'person']);
    expect(person.accepted).toBe(false);
    expect(signals(person)).toContain('trap');
    expect([person.best!.target, ...person.alternatives.map((a) => a.target)]).toEqual(expect.arrayContaining(['person', 'pedestrian']));
  });

  it('nothing at all: no candidate (zebra has no class here)', () => {
    expect(out.get('zebra')!.best).toBeNull();
  });
});

describe('suggestMapping: hostile input stays bounded and clear', () => {
  const taxonomy = [
    { name: 'car', parent: '', display_name: 'Car', description: 'A car' },
    { name: 'road', parent: '', display_name: 'Road', description: '' },
  ];
  it('an empty sheet gives no rows', () => {
    expect(suggestMapping([], taxonomy, [])).toEqual([]);
  });
  it('odd Unicode: zero-width, right-to-left, emoji, combining marks, lone surrogates do not throw', () => {
    const names = ['\u200bcar\u200b', '\u202eroad', '🚗', 'c\u0301ar', '\ud800', '', '   ', 'ＣＡＲ'];
    const classes: SuggestClass[] = names.map((name, id) => ({ id, name, display_name: '', category: '', synonyms: [] }));
    const out = suggestMapping(classes, taxonomy, []);
    expect(out).toHaveLength(names.length);
    expect(out[7]!.best!.target).toBe('car'); // full-width CAR after NFKC
  });
  it('100,000 classes: one suggestion each, every row answered', () => {
    const classes: SuggestClass[] = Array.from({ length: 100_000 }, (_, id) => ({ id, name: id % 2 ? `car_${id}` : 'road', display_name: '', category: '', synonyms: [] }));
    const out = suggestMapping(classes, taxonomy, [{ dataset: 'x', rows: [{ source: 'road', target: 'road' }] }]);
    expect(out).toHaveLength(100_000);
    expect(out[0]!.best!.target).toBe('road');
  });
});

describe('labelmap suggest -> review -> validate -> merge (the real binary)', () => {
  it('writes a draft mapping; validate warns per unreviewed row until the rows are reviewed; merge compiles it', () => {
    const dir = tempDir({}, { sheets: SHEETS });
    const wrote = runCli(['suggest', 'newcam', '--write'], { cwd: dir });
    expect(wrote.code).toBe(0);
    expect(wrote.stdout).toBe('wrote mappings/newcam@1.0.0.csv: draft mapping of 12 classes\n');
    expect(wrote.stderr).toContain('8 of 12 classes suggested at confidence >= 0.7; 4 left for review');
    const file = path.join(dir, 'sheets', 'mappings', 'newcam@1.0.0.csv');
    const draft = readFileSync(file, 'utf8');
    expect(draft.split('\n')[0]).toBe('source,target,note,x_alternatives,x_confidence,x_evidence,x_review');

    const warned = runCli(['validate'], { cwd: dir });
    expect(warned.code).toBe(0);
    expect((warned.stdout.match(/warning mapping-row-unreviewed/g) ?? []).length).toBe(12);
    expect(runCli(['validate', '--strict'], { cwd: dir }).code).toBe(1);

    // The reviewer decides every row (person is a pedestrian here, zebra and rover are void) and
    // drops the x_ columns.
    const decided = { person: 'pedestrian', couch: 'sofa', rover: 'ignore', zebra: 'ignore' } as Record<string, string>;
    const json = JSON.parse(runCli(['--json', 'suggest', 'newcam'], { cwd: dir }).stdout) as { suggestions: Suggestion[] };
    const rows = json.suggestions.map((x) => `${x.source.name},${decided[x.source.name] ?? x.best!.target},Reviewed.`);
    writeFileSync(file, `source,target,note\n${rows.join('\n')}\n`);
    const clean = runCli(['validate', '--strict'], { cwd: dir });
    expect(clean.stdout + clean.stderr).not.toContain('mapping-row-unreviewed');
    const merged = runCli(['merge', '--vertical', 'drive', '--datasets', 'newcam'], { cwd: dir });
    expect(merged.code).toBe(0);
    const lut = readFileSync(path.join(dir, 'build', 'drive', 'lut', 'newcam.csv'), 'utf8');
    expect(lut).toMatch(/^3,automobiles,car,label,\d+,vehicle,,/m);
  });

  it('--write never replaces a mapping; --explain lists the candidates; --json has an envelope', () => {
    const dir = tempDir({}, { sheets: SHEETS });
    const refused = runCli(['suggest', 'streets', '--write'], { cwd: dir });
    expect(refused.code).toBe(2);
    expect(refused.stderr).toContain('streets already has a mapping sheet');
    const explain = runCli(['suggest', 'newcam', '--explain', 'person'], { cwd: dir });
    expect(explain.code).toBe(0);
    expect(explain.stdout).toContain('trap: the existing mappings send this name to pedestrian and person');
    expect(explain.stdout).toContain('A person on foot');
    const json = JSON.parse(runCli(['--json', 'suggest', 'newcam'], { cwd: dir }).stdout);
    expect(json).toMatchObject({ format: 'labelmap-suggest', format_version: 1, accepted: 8, review: 4 });
  });
});

describe('suggest --out into the sheets folder', () => {
  it('is refused before anything is written: a draft there would be read as a sheet', async () => {
    const cwd = tempDir();
    expect((await runInProcess(['init', 'team'], { cwd })).code).toBe(0);
    const repo = path.join(cwd, 'team');
    writeFileSync(path.join(repo, 'w.names'), 'person\nforklift\n');
    expect((await runInProcess(['extract', 'names', 'w.names', '--name', 'warehouse'], { cwd: repo })).code).toBe(0);
    for (const out of ['sheets/mappings/warehouse@1.0.0.csv', 'sheets/verticals/draft.csv', 'sheets/draft.csv']) {
      const r = await runInProcess(['suggest', 'warehouse', '--out', out], { cwd: repo });
      expect(r.code, out).toBe(2);
      expect(r.stderr).toContain('error suggest-out-in-sheets');
      expect(existsSync(path.join(repo, out))).toBe(false);
    }
    // Outside the sheets folder, and with --write, it writes.
    expect((await runInProcess(['suggest', 'warehouse', '--out', 'draft.csv'], { cwd: repo })).code).toBe(0);
    expect(existsSync(path.join(repo, 'draft.csv'))).toBe(true);
  });
});
