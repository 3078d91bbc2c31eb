// Several `labelmap extract` runs writing the same sheet at once, with different classes: every
// file that appears holds exactly what the run that wrote it extracted (no run overwrote another),
// each version is claimed by one run, and every other run says clearly what happened: it found the
// classes already there ("unchanged"), wrote the next version, or was beaten to the version it
// meant to write (exit 2, naming the file). No temporary file is left.
import { describe, expect, it } from 'vitest';
import { mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { extractHf } from '../../src/formats/hf.js';
import { formatSheet } from '../../src/sheets/csv.js';
import { tempDir } from '../helpers/cli.js';
import { runLabelmap, type Run } from './helpers.js';

const WRITERS = 4;
const ROUNDS = 3;

describe('concurrent writers of one sheet', () => {
  it(`${WRITERS} extract runs at once, ${ROUNDS} rounds: one file per version, each intact, the others told why`, async () => {
    const dir = tempDir({});
    const datasets = path.join(dir, 'sheets', 'datasets');
    mkdirSync(datasets, { recursive: true });
    // Each writer has its own classes (the same ids, other names): whose file is whose is plain.
    const configs: string[] = [];
    const texts: string[] = [];
    for (let w = 0; w < WRITERS; w++) {
      const id2label: Record<string, string> = {};
      for (let i = 0; i < 1000; i++) id2label[String(i)] = `writer ${w} class ${i}`;
      const file = path.join(dir, `config-${w}.json`);
      writeFileSync(file, JSON.stringify({ model_type: 'shared', id2label }));
      configs.push(file);
      texts.push(formatSheet('dataset', (await extractHf(file, { stats: false })).rows));
    }
    const claimed = new Map<string, number>();
    for (let round = 0; round < ROUNDS; round++) {
      const runs: Run[] = await Promise.all(configs.map((config) => runLabelmap(['extract', 'hf', config, '--name', 'shared', '--same-dataset'], { cwd: dir })));
      runs.forEach((r, w) => {
        const shown = `round ${round}, writer ${w}: ${r.code}\n${r.stdout}${r.stderr}`;
        expect(r.hung, shown).toBe(false);
        expect(r.stderr, shown).not.toContain('internal error');
        const wrote = /^wrote datasets\/(shared@\d+\.\d+\.\d+\.csv): /.exec(r.stdout);
        if (wrote) {
          expect(r.code, shown).toBe(0);
          expect(claimed.has(wrote[1]!), `${wrote[1]} claimed twice: ${shown}`).toBe(false);
          claimed.set(wrote[1]!, w);
        } else if (r.code === 0) {
          expect(r.stdout, shown).toMatch(/^unchanged: datasets\/shared@\d+\.\d+\.\d+\.csv already holds these 1000 classes/);
        } else {
          expect(r.code, shown).toBe(2);
          expect(r.stdout, shown).toBe('');
          expect(r.stderr, shown).toMatch(/error extract-raced: another run wrote datasets\/shared@\d+\.\d+\.\d+\.csv while this one was extracting/);
        }
      });
      const files = readdirSync(datasets).sort();
      expect(files.filter((f) => f.startsWith('.')), 'no temporary file is left').toEqual([]);
      expect(files).toEqual([...claimed.keys()].sort());
      for (const [file, w] of claimed) expect(readFileSync(path.join(datasets, file), 'utf8'), `${file} is writer ${w}'s`).toBe(texts[w]);
    }
    expect(claimed.size).toBeGreaterThan(0);
  });
});
