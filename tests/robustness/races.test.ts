// Issue 24, "Races and interruptions": two merges into one --out at once, and init killed part-way.
// Real processes (the built binary), side by side or killed with SIGKILL at a random moment.
// - Merges: each round starts two merges of different datasets into one folder at the same time;
//   afterwards lut/, labels.csv, coverage.csv, label_sets.csv and labelmap.json must all be those
//   of one of the two runs, exactly (the guard's lock makes the second wait for the first).
// - apply: three shards started at once into one new folder all take it (the marker race).
// - init: each round kills `labelmap init` a few milliseconds after it created the repository
//   folder; afterwards there is no sheets/ or a complete one (every file of a full init, byte for
//   byte), and init run again completes the repository.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { spawn } from 'node:child_process';
import { copyFileSync, existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, watch, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { compileSheets } from '../../src/compile.js';
import { bundleFiles } from '../../src/taxonomy/outputs.js';
import { BIN, ROOT } from '../helpers/cli.js';
import { runLabelmap } from './helpers.js';

let root: string;
beforeAll(() => {
  root = mkdtempSync(path.join(tmpdir(), 'labelmap-races-'));
});
afterAll(() => {
  rmSync(root, { recursive: true, force: true });
});

/** Every file under dir (relative path -> text), folders left out. */
function files(dir: string): Map<string, string> {
  const out = new Map<string, string>();
  const walk = (rel: string) => {
    for (const e of readdirSync(path.join(dir, rel), { withFileTypes: true })) {
      const r = rel ? `${rel}/${e.name}` : e.name;
      if (e.isDirectory()) walk(r);
      else out.set(r, readFileSync(path.join(dir, r), 'utf8'));
    }
  };
  walk('');
  return out;
}

describe('concurrent merges into one --out', () => {
  it('two merges of different datasets at once, 6 rounds: the folder is always one run\'s outputs, whole', async () => {
    const dir = path.join(root, 'merge');
    const sheets = path.join(dir, 'sheets');
    for (const sub of ['datasets', 'mappings', 'taxonomy', 'verticals']) mkdirSync(path.join(sheets, sub), { recursive: true });
    copyFileSync(path.join(ROOT, 'sheets', 'taxonomy', 'unified@1.0.0.csv'), path.join(sheets, 'taxonomy', 'unified@1.0.0.csv'));
    copyFileSync(path.join(ROOT, 'sheets', 'verticals', 'self-driving@1.0.0.csv'), path.join(sheets, 'verticals', 'self-driving@1.0.0.csv'));
    const targets = readFileSync(path.join(sheets, 'taxonomy', 'unified@1.0.0.csv'), 'utf8').split('\n').slice(1).filter(Boolean).map((line) => line.split(',')[1]!);
    // Two datasets of 20,000 classes: each merge writes large LUTs, so that the two runs overlap.
    const classes = 20_000;
    for (const [name, shift] of [['big-a', 0], ['big-b', 1]] as const) {
      let dataset = 'id,name,display_name,category,train_id,color,is_thing,evaluate\n';
      let mapping = 'source,target,note\n';
      for (let i = 0; i < classes; i++) {
        dataset += `${i},class ${i},,,,,,\n`;
        mapping += `class ${i},${targets[(i + shift) % targets.length]},\n`;
      }
      writeFileSync(path.join(sheets, 'datasets', `${name}@1.0.0.csv`), dataset);
      writeFileSync(path.join(sheets, 'mappings', `${name}@1.0.0.csv`), mapping);
    }
    // What one merge of each writes, compiled in-process as merge compiles it.
    const expected = ['big-a', 'big-b'].map((name) => {
      const { bundle } = compileSheets(sheets, { vertical: 'self-driving', datasets: [name] });
      return new Map(bundleFiles(bundle!).map((f) => [f.path, f.text]));
    });
    const args = (name: string) => ['merge', '--vertical', 'self-driving', '--datasets', name, '--out', 'build', '--quiet'];
    for (let round = 0; round < 6; round++) {
      const order = round % 2 === 0 ? ['big-a', 'big-b'] : ['big-b', 'big-a'];
      const runs = await Promise.all(order.map((name) => runLabelmap(args(name), { cwd: dir })));
      for (const r of runs) expect(r.code, r.stderr).toBe(0);
      const got = files(path.join(dir, 'build'));
      const marker = got.get('.labelmap-output');
      got.delete('.labelmap-output');
      const whole = expected.findIndex((e) => e.size === got.size && [...e].every(([rel, text]) => got.get(rel) === text));
      expect(whole, `round ${round}: the folder is one run's outputs (${[...got.keys()].join(', ')})`).not.toBe(-1);
      expect(JSON.parse(marker!).files).toEqual([...expected[whole]!.keys()].sort());
    }
    // No lock is left behind.
    expect(readdirSync(dir).filter((n) => n.includes('lock'))).toEqual([]);
  });
});

describe('apply shards started at once into one new --out', () => {
  it('3 shards, 3 rounds: every shard takes the folder (none refuses it as not labelmap\'s), the outputs are one run\'s', async () => {
    const dir = path.join(root, 'apply');
    mkdirSync(dir);
    const args = (out: string) => ['--sheets', path.join(ROOT, 'sheets'), 'apply', path.join(ROOT, 'fixtures', 'apply', 'cityscapes'), '--dataset', 'cityscapes', '--vertical', 'self-driving', '--match', '*_labelIds.png', '--jobs', '1', '--quiet', '--out', out];
    const single = await runLabelmap(args('single'), { cwd: dir });
    expect(single.code, single.stderr).toBe(0);
    const expected = files(path.join(dir, 'single'));
    for (let round = 0; round < 3; round++) {
      const out = `sharded-${round}`;
      const runs = await Promise.all([0, 1, 2].map((k) => runLabelmap([...args(out), '--shard', `${k}/3`], { cwd: dir })));
      for (const r of runs) expect(r.code, r.stderr).toBe(0);
      const got = files(path.join(dir, out));
      const pngs = [...expected.keys()].filter((rel) => rel.endsWith('.png'));
      expect(pngs.length).toBe(4);
      for (const rel of pngs) expect(readFileSync(path.join(dir, out, rel)).equals(readFileSync(path.join(dir, 'single', rel))), `round ${round}: ${rel}`).toBe(true);
      expect([...got.keys()].filter((rel) => rel.endsWith('.png'))).toEqual(pngs);
      expect(got.has('.labelmap-output')).toBe(true);
    }
  });
});

/** Runs `labelmap init <name>` in `cwd`, SIGKILLed 0..maxDelayMs after `<name>` appears there. */
function killInit(cwd: string, name: string, maxDelayMs: number): Promise<{ killed: boolean; code: number | null }> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [BIN, 'init', name, '--labelmap', '0.1.0'], { cwd, env: { ...process.env, NO_COLOR: '1' }, stdio: 'ignore' });
    let scheduled = false;
    const watcher = watch(cwd, (_event, entry) => {
      if (scheduled || String(entry ?? '') !== name) return;
      scheduled = true;
      setTimeout(() => child.kill('SIGKILL'), Math.floor(Math.random() * maxDelayMs));
    });
    const guard = setTimeout(() => child.kill('SIGKILL'), 60_000);
    child.on('error', reject);
    child.on('close', (code, signal) => {
      clearTimeout(guard);
      watcher.close();
      resolve({ killed: signal === 'SIGKILL', code });
    });
  });
}

describe('init killed part-way', () => {
  it('8 rounds of SIGKILL: no sheets/ or a complete one; init run again completes the repository', async () => {
    const dir = path.join(root, 'init');
    mkdirSync(dir);
    const full = await runLabelmap(['init', 'reference', '--labelmap', '0.1.0'], { cwd: dir });
    expect(full.code, full.stderr).toBe(0);
    const reference = files(path.join(dir, 'reference'));
    const referenceSheets = [...reference.keys()].filter((rel) => rel.startsWith('sheets/'));
    expect(referenceSheets.length).toBeGreaterThan(10);
    let partWay = 0;
    for (let round = 0; round < 8; round++) {
      const name = `repo-${round}`;
      const result = await killInit(dir, name, 4 + round * 6);
      const repo = path.join(dir, name);
      if (result.killed && !existsSync(path.join(repo, 'sheets'))) partWay++;
      if (existsSync(path.join(repo, 'sheets'))) {
        const got = files(path.join(repo, 'sheets'));
        expect([...got.keys()].map((rel) => `sheets/${rel}`).sort(), `round ${round}: sheets/ is complete`).toEqual(referenceSheets.sort());
        for (const [rel, text] of got) expect(text, `round ${round}: sheets/${rel}`).toBe(reference.get(`sheets/${rel}`));
        continue;
      }
      // No sheets/: validate says so, and init completes the repository.
      const validate = await runLabelmap(['validate', 'sheets'], { cwd: repo });
      expect(validate.code, `round ${round}`).toBe(2);
      const again = await runLabelmap(['init', '.', '--labelmap', '0.1.0'], { cwd: repo });
      expect(again.code, `round ${round}: ${again.stderr}`).toBe(0);
      const completed = files(repo);
      for (const rel of referenceSheets) expect(completed.get(rel), `round ${round}: ${rel}`).toBe(reference.get(rel));
      expect(readdirSync(repo).filter((n) => n.startsWith('.labelmap-init-')), `round ${round}: no staging folder left`).toEqual([]);
    }
    expect(partWay, 'some kill landed before the sheets were in place').toBeGreaterThan(0);
  });
});
