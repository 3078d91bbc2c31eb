#!/usr/bin/env node
// Scale benchmark for `labelmap validate` (and `labelmap merge` when the build has it).
//
// Generates, deterministically, into bench/data/scale/ (gitignored):
//   a 5,000-class taxonomy (a tree), 100 dataset sheets of 1,000 classes each, one mapping per
//   dataset, and 4 verticals of about 250 output classes;
// then times the built CLI (bin/labelmap -> dist/, run `npm run build` first) over sheet sets of
// 10, 25, 50 and 100 dataset sheets (each with the taxonomy, the mappings and the verticals) and
// prints a markdown table. Goal: the full set in under 2 s, growing linearly.
//
//   node bench/scale.mjs [--runs 3] [--sizes 10,25,50,100]
import { spawnSync } from 'node:child_process';
import { copyFileSync, existsSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { cpus, tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const BIN = path.join(ROOT, 'bin', 'labelmap');
const DATA = path.join(ROOT, 'bench', 'data', 'scale');

const arg = (name, fallback) => {
  const i = process.argv.indexOf(`--${name}`);
  return i >= 0 ? process.argv[i + 1] : fallback;
};
const RUNS = Number(arg('runs', '3'));
// 0: the taxonomy and the verticals alone, the fixed cost (start-up, modules, the taxonomy).
const SIZES = arg('sizes', '0,10,25,50,100').split(',').map(Number);
const DATASETS = Math.max(...SIZES);
const CLASSES_PER_DATASET = 1000;
const TAXONOMY_CLASSES = 5000;
const VERTICALS = 4;
const VERTICAL_CLASSES = 250;

// --- deterministic data -------------------------------------------------------------------------

function mulberry32(seed) {
  return () => {
    seed = (seed + 0x6d2b79f5) | 0;
    let t = Math.imul(seed ^ (seed >>> 15), 1 | seed);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}
const rand = mulberry32(20240917);
const pick = (n) => Math.floor(rand() * n);
// Distinct colours: multiplying by an odd number is a bijection on 24-bit values.
const colour = (i, salt = 0) => `#${((Math.imul(i + salt * 7919, 2654435761) >>> 0) & 0xffffff).toString(16).padStart(6, '0')}`;
const csv = (header, rows) => `${[header, ...rows].join('\n')}\n`;
const taxonomyName = (i) => `class_${String(i).padStart(4, '0')}`;
const isThing = (i) => i % 3 === 0;

function generate() {
  rmSync(DATA, { recursive: true, force: true });
  const all = path.join(DATA, 'all');
  for (const d of ['datasets', 'taxonomy', 'mappings', 'verticals']) mkdirSync(path.join(all, d), { recursive: true });

  // Taxonomy: 50 roots, every other class under an earlier one (a tree, no cycles).
  const parent = [];
  const hasChildren = new Set();
  const taxonomyRows = [];
  for (let i = 0; i < TAXONOMY_CLASSES; i++) {
    const p = i < 50 ? -1 : pick(Math.min(i, 1500));
    parent.push(p);
    if (p >= 0) hasChildren.add(p);
    taxonomyRows.push(`${i},${taxonomyName(i)},${p >= 0 ? taxonomyName(p) : ''},Class ${i},${colour(i)},${isThing(i)},"Generated class ${i}, for the scale benchmark"`);
  }
  writeFileSync(path.join(all, 'taxonomy', 'bench@1.0.0.csv'), csv('id,name,parent,display_name,color,is_thing,description', taxonomyRows));

  // Datasets and their mappings: every class mapped exactly once, 5 % to ignore.
  for (let d = 0; d < DATASETS; d++) {
    const name = `ds-${String(d).padStart(3, '0')}`;
    const rows = [];
    const mapping = [];
    for (let i = 0; i < CLASSES_PER_DATASET; i++) {
      const native = `obj--${d}--${i}`;
      rows.push(`${i + 1},${native},Object ${i},group-${i % 17},${i < 200 ? i : ''},${colour(i, d)},${i % 2 === 0},true`);
      mapping.push(`${native},${rand() < 0.05 ? 'ignore' : taxonomyName(pick(TAXONOMY_CLASSES))},`);
    }
    writeFileSync(path.join(all, 'datasets', `${name}@1.0.0.csv`), csv('id,name,display_name,category,train_id,color,is_thing,evaluate', rows));
    writeFileSync(path.join(all, 'mappings', `${name}@1.0.0.csv`), csv('source,target,note', mapping));
  }

  // Verticals: leaves only (no include inside another's subtree), each in one output class.
  const leaves = [...Array(TAXONOMY_CLASSES).keys()].filter((i) => !hasChildren.has(i));
  for (let v = 0; v < VERTICALS; v++) {
    const pool = [...leaves];
    const rows = [];
    for (let c = 0; c < VERTICAL_CLASSES; c++) {
      const count = 1 + pick(3);
      const members = Array.from({ length: count }, () => pool.splice(pick(pool.length), 1)[0]);
      // A class grouping things and stuff says which it is (the rule vertical-is-thing-mixed warns
      // otherwise): the first include's value, what merge would decide, so the outputs are those of
      // the set without the cell. Mixed groups stay: real verticals group that way too.
      const mixed = new Set(members.map(isThing)).size > 1;
      members.forEach((leaf, m) => {
        rows.push(`out_${c},${taxonomyName(leaf)},${c},${m === 0 ? colour(c, 1000 + v) : ''},${m === 0 && mixed ? isThing(members[0]) : ''}`);
      });
    }
    writeFileSync(path.join(all, 'verticals', `vertical-${v}@1.0.0.csv`), csv('class,include,train_id,color,is_thing', rows));
  }

  // One sheet set per size: the first n datasets and mappings, the taxonomy and the verticals.
  for (const n of SIZES) {
    const dir = path.join(DATA, `n${n}`);
    for (const kind of ['datasets', 'taxonomy', 'mappings', 'verticals']) {
      mkdirSync(path.join(dir, kind), { recursive: true });
    }
    copyFileSync(path.join(all, 'taxonomy', 'bench@1.0.0.csv'), path.join(dir, 'taxonomy', 'bench@1.0.0.csv'));
    for (let v = 0; v < VERTICALS; v++) copyFileSync(path.join(all, 'verticals', `vertical-${v}@1.0.0.csv`), path.join(dir, 'verticals', `vertical-${v}@1.0.0.csv`));
    for (let d = 0; d < n; d++) {
      const base = `ds-${String(d).padStart(3, '0')}@1.0.0.csv`;
      copyFileSync(path.join(all, 'datasets', base), path.join(dir, 'datasets', base));
      copyFileSync(path.join(all, 'mappings', base), path.join(dir, 'mappings', base));
    }
  }
  rmSync(all, { recursive: true, force: true });
}

// --- timing -------------------------------------------------------------------------------------

// On a machine shared with other work, wall time says more about the neighbours than about
// labelmap: where GNU time is installed, the CPU time (user + sys) of each run is measured too.
const GNU_TIME = existsSync('/usr/bin/time') ? '/usr/bin/time' : null;

function run(args) {
  const start = process.hrtime.bigint();
  const command = GNU_TIME ? [GNU_TIME, ['-f', 'cpu %U %S', process.execPath, BIN, ...args]] : [process.execPath, [BIN, ...args]];
  const r = spawnSync(command[0], command[1], { encoding: 'utf8', env: { ...process.env, NO_COLOR: '1' }, maxBuffer: 256 * 1024 * 1024 });
  const ms = Number(process.hrtime.bigint() - start) / 1e6;
  let stderr = r.stderr;
  let cpuMs = null;
  const m = GNU_TIME ? /(?:^|\n)cpu ([\d.]+) ([\d.]+)\n?$/.exec(stderr) : null;
  if (m) {
    cpuMs = (Number(m[1]) + Number(m[2])) * 1000;
    stderr = stderr.slice(0, m.index);
  }
  return { ms, cpuMs, code: r.status, stdout: r.stdout, stderr };
}

function median(values) {
  const s = [...values].sort((a, b) => a - b);
  return s[Math.floor(s.length / 2)];
}

/** Median wall and CPU milliseconds of RUNS runs. */
function timed(args, check) {
  const wall = [];
  const cpu = [];
  for (let i = 0; i < RUNS; i++) {
    const r = run(args);
    check(r);
    wall.push(r.ms);
    if (r.cpuMs !== null) cpu.push(r.cpuMs);
  }
  return { wall: median(wall), cpu: cpu.length ? median(cpu) : null };
}

/** Whether the built CLI lists a `merge` command (an unknown command with --help still exits 0). */
function mergeAvailable() {
  return /^\s+merge\b/m.test(run(['--help']).stdout);
}

const fmt = (ms) => `${(ms / 1000).toFixed(2)} s`;

function main() {
  const t0 = Date.now();
  generate();
  process.stderr.write(`generated ${DATA} in ${((Date.now() - t0) / 1000).toFixed(1)} s\n`);

  const startup = timed(['--version'], (r) => {
    if (r.code !== 0) throw new Error(`labelmap --version failed: ${r.stderr}`);
  });
  const merge = mergeAvailable();
  const outDir = mkdtempSync(path.join(tmpdir(), 'labelmap-bench-'));
  const rows = [];
  for (const n of SIZES) {
    const sheets = path.join(DATA, `n${n}`);
    const files = 2 * n + 1 + VERTICALS;
    const rowsTotal = n * CLASSES_PER_DATASET * 2 + TAXONOMY_CLASSES + VERTICALS * VERTICAL_CLASSES * 2;
    const validate = timed(['validate', sheets, '--format', 'json'], (r) => {
      if (r.code === 2) throw new Error(`validate could not run: ${r.stderr}`);
      const doc = JSON.parse(r.stdout);
      if (doc.findings.length) throw new Error(`the generated set has findings: ${JSON.stringify(doc.findings.slice(0, 3))}`);
    });
    let mergeCell = 'not available in this build';
    if (merge) {
      let failure = '';
      const t = timed(['--sheets', sheets, 'merge', '--vertical', 'vertical-0', '--out', path.join(outDir, `n${n}`)], (r) => {
        if (r.code !== 0) failure = `failed (exit ${r.code}: ${r.stderr.split('\n')[0]})`;
      });
      mergeCell = failure || fmt(t.wall);
    }
    rows.push({ n, files, rowsTotal, validate, mergeCell });
  }
  rmSync(outDir, { recursive: true, force: true });

  // Linear growth shows as a steady cost per added row from one size to the next.
  const perAdded = (r, i, key) => {
    const prev = rows[i - 1];
    if (!prev || r.validate[key] === null) return '';
    return `${(((r.validate[key] - prev.validate[key]) / (r.rowsTotal - prev.rowsTotal)) * 10000).toFixed(0)} ms`;
  };
  const cpuCell = (t) => (t.cpu === null ? 'n/a' : fmt(t.cpu));
  const lines = [
    `labelmap scale benchmark: median of ${RUNS} runs; node ${process.version}, ${cpus().length} CPU (${cpus()[0]?.model ?? 'unknown'}); node start-up + labelmap --version: ${fmt(startup.wall)} wall, ${cpuCell(startup)} CPU`,
    '',
    '| dataset sheets | sheet files | rows | validate, wall | validate, CPU (user+sys) | CPU per 10k rows added | merge (vertical-0), wall |',
    '|---:|---:|---:|---:|---:|---:|---|',
    ...rows.map(
      (r, i) =>
        `| ${r.n} | ${r.files} | ${r.rowsTotal.toLocaleString('en')} | ${fmt(r.validate.wall)} | ${cpuCell(r.validate)} | ${perAdded(r, i, 'cpu')} | ${r.mergeCell} |`,
    ),
  ];
  if (!merge) lines.push('', 'merge: not available in this build');
  process.stdout.write(`${lines.join('\n')}\n`);
}

main();
