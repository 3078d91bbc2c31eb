// A write interrupted at any point (the process killed with SIGKILL) leaves the old state or the
// new, never a partial sheet, bundle or lock file. Real processes, real kills: each run is killed
// a random few milliseconds after its first temporary file appears (fs.watch), so the kills land
// inside the writes rather than anywhere in a long run. After every kill each file under the real
// names must be byte-identical to one complete version; temporary files (.<name>.tmp-*) may remain
// and are never under a real name. Runs alternate between two inputs so that every run writes.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { spawn } from 'node:child_process';
import { copyFileSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, watch, writeFileSync, type FSWatcher } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { parseBundle } from '../../src/api/bundle.js';
import { compileSheets } from '../../src/compile.js';
import { extractHf } from '../../src/formats/hf.js';
import { formatSheet } from '../../src/sheets/csv.js';
import { bundleFiles } from '../../src/taxonomy/outputs.js';
import { BIN, ROOT } from '../helpers/cli.js';
import { runLabelmap } from './helpers.js';

const ROUNDS = 4;

interface Killed {
  /** True when the kill landed before the process ended by itself. */
  killed: boolean;
  code: number | null;
}

/** Runs labelmap and SIGKILLs it 0..maxDelayMs after the first temporary file appears in one of `dirs`. */
function killDuringWrite(args: string[], cwd: string, dirs: string[], maxDelayMs: number): Promise<Killed> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [BIN, ...args], { cwd, env: { ...process.env, NO_COLOR: '1' }, stdio: 'ignore' });
    const watchers: FSWatcher[] = [];
    let scheduled = false;
    const onEvent = (_event: string, name: string | Buffer | null) => {
      if (scheduled || !String(name ?? '').includes('.tmp-')) return;
      scheduled = true;
      setTimeout(() => child.kill('SIGKILL'), Math.floor(Math.random() * maxDelayMs));
    };
    for (const dir of dirs) {
      mkdirSync(dir, { recursive: true });
      watchers.push(watch(dir, onEvent));
    }
    const guard = setTimeout(() => child.kill('SIGKILL'), 60_000);
    child.on('error', reject);
    child.on('close', (code, signal) => {
      clearTimeout(guard);
      for (const w of watchers) w.close();
      resolve({ killed: signal === 'SIGKILL', code });
    });
  });
}

/** Every entry of `dir` (recursively): real files and temporary ones apart. */
function entries(dir: string): { real: string[]; temp: string[] } {
  const real: string[] = [];
  const temp: string[] = [];
  const walk = (rel: string) => {
    for (const e of readdirSync(path.join(dir, rel), { withFileTypes: true })) {
      const r = rel ? `${rel}/${e.name}` : e.name;
      if (e.isDirectory()) walk(r);
      else if (/^\..+\.tmp-\d+-[0-9a-f]{8}$/.test(e.name)) temp.push(r);
      else real.push(r);
    }
  };
  walk('');
  return { real: real.sort(), temp: temp.sort() };
}

let root: string;
beforeAll(() => {
  root = mkdtempSync(path.join(tmpdir(), 'labelmap-kill-'));
});
afterAll(() => {
  rmSync(root, { recursive: true, force: true });
});

describe('interrupted writes', () => {
  it('labelmap extract killed while writing a 700 kB sheet: every sheet file is complete', async () => {
    const dir = path.join(root, 'extract');
    mkdirSync(path.join(dir, 'sheets', 'datasets'), { recursive: true });
    // Two model configs of 8,000 classes that differ in every name: each run writes a new version
    // (--same-dataset: without it, a version that renames every class is refused as another dataset).
    const configs = ['a', 'b'].map((v) => {
      const id2label: Record<string, string> = {};
      for (let i = 0; i < 8000; i++) id2label[String(i)] = `class ${i} of config ${v}, "quoted"`;
      const file = path.join(dir, `config-${v}.json`);
      writeFileSync(file, JSON.stringify({ model_type: 'big', id2label }));
      return file;
    });
    const expected = new Set<string>();
    for (const config of configs) expected.add(formatSheet('dataset', (await extractHf(config, { stats: false })).rows));
    let kills = 0;
    for (let round = 0; round < ROUNDS; round++) {
      const result = await killDuringWrite(['extract', 'hf', configs[round % 2]!, '--name', 'big', '--same-dataset'], dir, [path.join(dir, 'sheets', 'datasets')], 40);
      if (result.killed) kills++;
      else expect(result.code).toBe(0);
      const { real, temp } = entries(path.join(dir, 'sheets'));
      for (const rel of real) {
        expect(rel).toMatch(/^datasets\/big@\d+\.\d+\.\d+\.csv$/);
        expect(expected.has(readFileSync(path.join(dir, 'sheets', rel), 'utf8')), `${rel} is a complete sheet (round ${round})`).toBe(true);
      }
      for (const t of temp) expect(t).toMatch(/^datasets\/\.big@\d+\.\d+\.\d+\.csv\.tmp-/);
    }
    expect(kills).toBeGreaterThan(0);
    // A run that is not killed still works after all this.
    const last = await runLabelmap(['extract', 'hf', configs[0]!, '--name', 'big', '--same-dataset'], { cwd: dir });
    expect(last.code).toBe(0);
  });

  it('labelmap merge killed while writing its outputs: each output file is the old one or the new one', async () => {
    const dir = path.join(root, 'merge');
    const sheets = path.join(dir, 'sheets');
    for (const sub of ['datasets', 'mappings', 'taxonomy', 'verticals']) mkdirSync(path.join(sheets, sub), { recursive: true });
    copyFileSync(path.join(ROOT, 'sheets', 'taxonomy', 'unified@1.0.0.csv'), path.join(sheets, 'taxonomy', 'unified@1.0.0.csv'));
    copyFileSync(path.join(ROOT, 'sheets', 'verticals', 'self-driving@1.0.0.csv'), path.join(sheets, 'verticals', 'self-driving@1.0.0.csv'));
    const taxonomy = readFileSync(path.join(sheets, 'taxonomy', 'unified@1.0.0.csv'), 'utf8')
      .split('\n')
      .slice(1)
      .filter(Boolean)
      .map((line) => line.split(',')[1]!);
    const classes = 10_000;
    let dataset = 'id,name,display_name,category,train_id,color,is_thing,evaluate\n';
    for (let i = 0; i < classes; i++) dataset += `${i},class ${i},,,,,,\n`;
    writeFileSync(path.join(sheets, 'datasets', 'big@1.0.0.csv'), dataset);
    // Two mappings (targets shifted by one): each run changes every output file.
    const mapping = (shift: number) => {
      let text = 'source,target,note\n';
      for (let i = 0; i < classes; i++) text += `class ${i},${taxonomy[(i + shift) % taxonomy.length]},\n`;
      return text;
    };
    const mappings = [mapping(0), mapping(1)];
    const out = path.join(dir, 'build');
    // The two complete versions of every output file, compiled in-process as merge compiles them.
    const versions = new Map<string, Set<string>>();
    for (const text of mappings) {
      writeFileSync(path.join(sheets, 'mappings', 'big@1.0.0.csv'), text);
      const { bundle } = compileSheets(sheets, { vertical: 'self-driving' });
      for (const f of bundleFiles(bundle!)) versions.set(f.path, (versions.get(f.path) ?? new Set()).add(f.text));
    }
    expect([...versions.keys()].sort()).toEqual(['coverage.csv', 'label_sets.csv', 'labelmap.json', 'labels.csv', 'lut/big.csv']);
    // The write guard's marker (written first, listing every file the run may write) is one complete version too.
    const marker = `${JSON.stringify({ format: 'labelmap-output', format_version: 1, about: 'labelmap merge writes into this folder; it replaces and removes only the files listed here', written_by: 'merge', files: [...versions.keys()].sort() }, null, 2)}\n`;
    versions.set('.labelmap-output', new Set([marker]));
    let kills = 0;
    for (let round = 0; round < ROUNDS; round++) {
      writeFileSync(path.join(sheets, 'mappings', 'big@1.0.0.csv'), mappings[round % 2]!);
      const result = await killDuringWrite(['merge', '--vertical', 'self-driving', '--out', 'build', '--quiet'], dir, [out, path.join(out, 'lut')], 60);
      if (result.killed) kills++;
      else expect(result.code).toBe(0);
      const { real, temp } = entries(out);
      for (const rel of real) {
        const text = readFileSync(path.join(out, rel), 'utf8');
        expect(versions.get(rel)?.has(text), `${rel} is one complete version (round ${round})`).toBe(true);
        if (rel === 'labelmap.json') expect(parseBundle(text, rel).datasets[0]!.lut).toHaveLength(classes);
      }
      for (const t of temp) expect(t).toMatch(/^(lut\/)?\.(labels\.csv|label_sets\.csv|coverage\.csv|labelmap\.json|big\.csv|\.labelmap-output)\.tmp-/);
    }
    expect(kills).toBeGreaterThan(0);
  });

  it('labelmap release killed while writing the lock: the lock is the old one or the new one', async () => {
    const dir = path.join(root, 'release');
    const sheets = path.join(dir, 'sheets');
    mkdirSync(path.join(sheets, 'datasets'), { recursive: true });
    const locks = new Set<string>();
    const r0 = await runLabelmap(['release'], { cwd: dir });
    expect(r0.code).toBe(0);
    locks.add(readFileSync(path.join(sheets, 'labelmap.lock.json'), 'utf8'));
    for (let round = 0; round < ROUNDS; round++) {
      // A new sheet each round: each release writes a new lock.
      copyFileSync(path.join(ROOT, 'sheets', 'datasets', 'voc@1.0.0.csv'), path.join(sheets, 'datasets', `voc${round}@1.0.0.csv`));
      await killDuringWrite(['release'], dir, [sheets], 5);
      const lock = readFileSync(path.join(sheets, 'labelmap.lock.json'), 'utf8');
      const parsed = JSON.parse(lock) as { sheets: { file: string }[] };
      // Complete: one of the locks seen, or the lock of every sheet there now.
      expect(locks.has(lock) || parsed.sheets.length === round + 1, `round ${round}: ${lock}`).toBe(true);
      locks.add(lock);
    }
  });
});
