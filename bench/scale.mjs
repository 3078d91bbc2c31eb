#!/usr/bin/env node
// Scale benchmark for `labelmap validate` and `labelmap merge` (issue 23, row 3), on the alternating
// harness (bench/lib.mjs): every case of a round runs once before any runs twice (A B C ... A B C
// ...), after a warm-up round; min and median of wall and CPU time (user + system), peak RSS, load.
//
// Generates, deterministically, into bench/data/scale/ (gitignored):
//   a 5,000-class taxonomy (a tree), 100 dataset sheets of 1,000 classes each, one mapping per
//   dataset, and 4 verticals of about 250 output classes;
// then times the built CLI (bin/labelmap -> dist/, run `npm run build` first): `validate` and
// `merge --vertical vertical-0` over sheet sets of 0, 10, 25, 50 and 100 dataset sheets (each with
// the taxonomy, the mappings and the verticals).
// Goals, on median CPU time (the machine is shared; wall time measures the queue): merge of the
// full set <= 1.5 s, validate <= 2 s, both linear in rows (the CPU per added row from 50 to 100
// datasets at most 1.5x that from 10 to 50: a quadratic step gives 2.5x). Exits 1 when one is
// missed, or when a run fails or the generated set has any finding but the intended
// merge-coarser-than-vertical warnings (random targets: many are coarser than the verticals).
//
//   node bench/scale.mjs [--runs 3] [--sizes 0,10,25,50,100] [--compare /path/to/other/bin/labelmap]
// --compare: also runs that labelmap's merge at every size in the same rounds (before/after).
import { copyFileSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { loadavg, machine, secs, sideBySide, sideBySideTable, table, verdict } from './lib.mjs';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const BIN = path.join(ROOT, 'bin', 'labelmap');
const DATA = path.join(ROOT, 'bench', 'data', 'scale');

const arg = (name, fallback) => {
  const i = process.argv.indexOf(`--${name}`);
  return i >= 0 ? process.argv[i + 1] : fallback;
};
const RUNS = Number(process.env.BENCH_RUNS ?? arg('runs', '3'));
// 0: the taxonomy and the verticals alone, the fixed cost (start-up, modules, the taxonomy).
const SIZES = arg('sizes', '0,10,25,50,100').split(',').map(Number);
const COMPARE = arg('compare', null);
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

const ENV = { ...process.env, NO_COLOR: '1' };
const ALLOWED_WARNINGS = new Set(['merge-coarser-than-vertical']);
const rowsOf = (n) => n * CLASSES_PER_DATASET * 2 + TAXONOMY_CLASSES + VERTICALS * VERTICAL_CLASSES * 2;

function validateCheck(r) {
  let doc;
  try {
    doc = JSON.parse(r.stdout);
  } catch {
    return `validate printed no JSON: ${String(r.stderr).slice(0, 300)}`;
  }
  const unwanted = doc.findings.filter((f) => f.severity === 'error' || !ALLOWED_WARNINGS.has(f.code));
  return unwanted.length ? `the generated set has findings: ${JSON.stringify(unwanted.slice(0, 3))}` : null;
}

function main() {
  const t0 = Date.now();
  generate();
  process.stderr.write(`generated ${DATA} in ${((Date.now() - t0) / 1000).toFixed(1)} s\n`);
  const outDir = mkdtempSync(path.join(tmpdir(), 'labelmap-bench-'));
  const node = process.execPath;
  const cases = [];
  for (const n of SIZES) {
    const sheets = path.join(DATA, `n${n}`);
    cases.push({ name: `validate ${n}`, cmd: node, args: [BIN, 'validate', sheets, '--format', 'json'], options: { env: ENV }, check: validateCheck, n, what: 'validate' });
    cases.push({ name: `merge ${n}`, cmd: node, args: [BIN, '--sheets', sheets, 'merge', '--vertical', 'vertical-0', '--out', path.join(outDir, `n${n}`)], options: { env: ENV }, n, what: 'merge' });
    if (COMPARE) {
      cases.push({ name: `merge ${n} (compared)`, cmd: node, args: [COMPARE, '--sheets', sheets, 'merge', '--vertical', 'vertical-0', '--out', path.join(outDir, `c${n}`)], options: { env: ENV }, n, what: 'compared' });
    }
  }
  const { loadBefore, loadAfter, results } = sideBySide(cases, RUNS);
  rmSync(outDir, { recursive: true, force: true });

  const cpu = (what, n) => results.get(cases.find((c) => c.what === what && c.n === n).name)?.medianCpuMs;
  // Linear growth shows as a steady CPU cost per added row from one size to the next.
  const perTenK = (what, i) => (i === 0 ? '' : `${(((cpu(what, SIZES[i]) - cpu(what, SIZES[i - 1])) / (rowsOf(SIZES[i]) - rowsOf(SIZES[i - 1]))) * 10000).toFixed(0)} ms`);
  const whats = ['validate', 'merge', ...(COMPARE ? ['compared'] : [])];
  console.log(`## Sheets at scale (${RUNS} runs each, alternating, after a warm-up round)\n`);
  console.log(`Machine: ${machine()}; load before ${loadBefore}, after ${loadAfter}${COMPARE ? `; compared: ${COMPARE}` : ''}\n`);
  console.log(
    table(
      ['dataset sheets', 'sheet files', 'rows', ...whats.flatMap((w) => [`${w} CPU median s`, `${w} wall median s`, `${w} CPU per 10k rows added`])],
      SIZES.map((n, i) => [
        String(n),
        String(2 * n + 1 + VERTICALS),
        rowsOf(n).toLocaleString('en'),
        ...whats.flatMap((w) => {
          const r = results.get(cases.find((c) => c.what === w && c.n === n).name);
          return [secs(r.medianCpuMs), secs(r.medianMs), perTenK(w, i)];
        }),
      ]),
    ),
  );
  console.log('\nEvery case:\n');
  console.log(sideBySideTable(results));

  const goals = [];
  const full = Math.max(...SIZES);
  const linearity = (what) => {
    const [a, b, c] = [10, 50, 100];
    if (![a, b, c].every((n) => SIZES.includes(n))) return null;
    const slope = (x, y) => (cpu(what, y) - cpu(what, x)) / (rowsOf(y) - rowsOf(x));
    return slope(b, c) / slope(a, b);
  };
  const limits = { merge: 1500, validate: 2000 };
  for (const what of ['merge', 'validate']) {
    goals.push({ met: cpu(what, full) <= limits[what], text: `${what} of ${full} dataset sheets <= ${secs(limits[what])} s median CPU: ${secs(cpu(what, full))} s` });
    const ratio = linearity(what);
    if (ratio !== null) goals.push({ met: ratio <= 1.5, text: `${what} linear in rows: CPU per added row from 50 to 100 datasets ${ratio.toFixed(2)}x that from 10 to 50 (<= 1.5x)` });
  }
  if (COMPARE) console.log(`\nmerge of ${full}, median CPU: this build ${secs(cpu('merge', full))} s, compared ${secs(cpu('compared', full))} s`);
  verdict(goals, results);
}

main();
