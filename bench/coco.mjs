#!/usr/bin/env node
// Benchmark for issue 5: `labelmap extract coco big.json --stats` against jq and a plain Node
// JSON.parse on a COCO instances_train2017-shaped file (~460 MB, categories last).
//
//   node bench/coco.mjs                 # one run of each tool on bench/data/big.json
//   node bench/coco.mjs --runs 3        # best of 3 (the machine may be shared)
//   node bench/coco.mjs --scale 2,4     # also 2x and 4x larger files (labelmap only): linear time, flat memory
//   node bench/coco.mjs --over-2gib     # also big.json's annotations 5 times over (2.17 GB > 2^31 bytes)
//
// Runs against the built dist/ (npm run build first). Generates the data with
// ../shared/tools/gen-coco.py when missing. Prints a markdown table; exits 1 when a goal is missed:
// labelmap >= 8x faster than jq, >= 5x faster than JSON.parse, peak RSS < 150 MB, counts exactly
// equal to the generator's, and (with --scale) time within 1.3x of linear, RSS within 30 MB.
import { spawnSync } from 'node:child_process';
import { closeSync, existsSync, mkdirSync, openSync, readFileSync, statSync, writeFileSync, writeSync } from 'node:fs';
import { cpus } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { parse } from 'csv-parse/sync';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const DATA = path.join(ROOT, 'bench', 'data');
const GEN = path.resolve(ROOT, '..', 'shared', 'tools', 'gen-coco.py');
const BASE = { images: 118287, annotations: 860001 };

const args = process.argv.slice(2);
const flag = (name, fallback) => {
  const i = args.indexOf(name);
  return i >= 0 ? args[i + 1] : fallback;
};
const runs = Number(flag('--runs', '1'));
const scales = (flag('--scale', '') || '').split(',').filter(Boolean).map(Number);
const over2GiB = args.includes('--over-2gib');

/** big.json with its annotations written 5 times: > 2^31 bytes; instances x5, images the same. */
function repeated(base, baseCounts) {
  const file = path.join(DATA, 'big-rep5.json');
  const counts = path.join(DATA, 'big-rep5.counts.json');
  if (!existsSync(file) || !existsSync(counts)) {
    process.stderr.write(`writing ${file} ...\n`);
    const src = readFileSync(base);
    const start = src.indexOf('"annotations": [') + '"annotations": ['.length;
    const end = src.lastIndexOf('], "categories": ');
    const categories = src.subarray(end + '], "categories": '.length, src.lastIndexOf('}'));
    const fd = openSync(file, 'w');
    writeSync(fd, '{"info": {"description": "big.json annotations five times"}, "images": [], "annotations": [');
    for (let k = 0; k < 5; k++) {
      if (k) writeSync(fd, ', ');
      writeSync(fd, src.subarray(start, end));
    }
    writeSync(fd, '], "categories": ');
    writeSync(fd, categories);
    writeSync(fd, '}\n');
    closeSync(fd);
    const c = JSON.parse(readFileSync(baseCounts, 'utf8'));
    writeFileSync(counts, JSON.stringify(Object.fromEntries(Object.entries(c).map(([id, v]) => [id, { instances: v.instances * 5, images: v.images }]))));
  }
  return { file, counts };
}

function generate(factor) {
  const suffix = factor === 1 ? '' : `-x${factor}`;
  const file = path.join(DATA, `big${suffix}.json`);
  const counts = path.join(DATA, `big${suffix}.counts.json`);
  if (!existsSync(file) || !existsSync(counts)) {
    if (!existsSync(GEN)) throw new Error(`missing ${GEN}: cannot generate the benchmark data`);
    mkdirSync(DATA, { recursive: true });
    process.stderr.write(`generating ${file} (x${factor}) ...\n`);
    const r = spawnSync('python3', [GEN, file, '--images', String(BASE.images * factor), '--annotations', String(BASE.annotations * factor), '--counts', counts], { stdio: 'inherit' });
    if (r.status !== 0) throw new Error('gen-coco.py failed');
  }
  return { file, counts };
}

const TIME = process.env.BENCH_NO_GNU_TIME ? '/nonexistent' : '/usr/bin/time';

/** Runs a command; returns wall and CPU seconds, peak RSS in MB, and stdout. */
function measure(cmd, argv) {
  if (existsSync(TIME)) {
    const r = spawnSync(TIME, ['-f', '@@ %e %U %S %M', cmd, ...argv], { encoding: 'utf8', maxBuffer: 256 * 1024 * 1024 });
    const line = r.stderr.split('\n').reverse().find((l) => l.startsWith('@@ '));
    if (!line) throw new Error(`${cmd} ${argv.join(' ')}: no timing\n${r.stderr}`);
    const [wall, user, sys, kb] = line.slice(3).split(' ').map(Number);
    return { ok: r.status === 0, wall, cpu: user + sys, rss: kb / 1024, stdout: r.stdout, stderr: r.stderr.replace(line, '').trim() };
  }
  // Without GNU time: poll the peak RSS (VmHWM) in /proc/<pid>/status while the process runs.
  return measureByPolling(cmd, argv);
}

function measureByPolling(cmd, argv) {
  const script = `
    const { spawn } = require('node:child_process');
    const { readFileSync } = require('node:fs');
    const t0 = process.hrtime.bigint();
    const child = spawn(${JSON.stringify(cmd)}, ${JSON.stringify(argv)}, { stdio: ['ignore', 'inherit', 'inherit'] });
    let peak = 0;
    const poll = setInterval(() => {
      try { const m = /VmHWM:\\s+(\\d+)/.exec(readFileSync('/proc/' + child.pid + '/status', 'utf8')); if (m) peak = Math.max(peak, Number(m[1])); } catch {}
    }, 20);
    child.on('exit', (code) => { clearInterval(poll); process.stderr.write('@@ ' + Number(process.hrtime.bigint() - t0) / 1e9 + ' ' + peak + '\\n'); process.exit(code ?? 1); });`;
  const r = spawnSync(process.execPath, ['-e', script], { encoding: 'utf8', maxBuffer: 256 * 1024 * 1024 });
  const line = r.stderr.split('\n').reverse().find((l) => l.startsWith('@@ ')) ?? '@@ NaN NaN';
  const [wall, kb] = line.slice(3).split(' ').map(Number);
  return { ok: r.status === 0, wall, cpu: NaN, rss: kb / 1024, stdout: r.stdout, stderr: r.stderr.replace(line, '').trim() };
}

function best(cmd, argv) {
  let out;
  for (let k = 0; k < runs; k++) {
    const m = measure(cmd, argv);
    if (!out || m.wall < out.wall) out = { ...m, rss: Math.max(m.rss, out?.rss ?? 0) };
    else out.rss = Math.max(out.rss, m.rss);
  }
  return out;
}

function labelmap(file) {
  return best(process.execPath, [path.join(ROOT, 'bin', 'labelmap'), 'extract', 'coco', file, '--stats', '--stdout']);
}

/** id -> {instances, images} from labelmap's CSV on stdout. */
function countsFromCsv(text) {
  const rows = parse(text, { columns: true, skip_empty_lines: true });
  return Object.fromEntries(rows.map((r) => [String(r.id), { instances: Number(r.instances), images: Number(r.images) }]));
}

function sameCounts(a, b) {
  const ka = Object.keys(a).sort();
  const kb = Object.keys(b).sort();
  return ka.length === kb.length && ka.every((k, i) => k === kb[i] && a[k].instances === b[k].instances && a[k].images === b[k].images);
}

const fmt = (n, d = 2) => (Number.isFinite(n) ? n.toFixed(d) : 'n/a');
const failures = [];
const { file, counts } = generate(1);
const size = statSync(file).size;
const expected = JSON.parse(readFileSync(counts, 'utf8'));

const lm = labelmap(file);
if (!lm.ok) failures.push(`labelmap failed: ${lm.stderr}`);
const lmCounts = lm.ok ? countsFromCsv(lm.stdout) : {};
const countsOk = sameCounts(lmCounts, expected);
if (!countsOk) failures.push('labelmap counts differ from big.counts.json');

const jq = best('jq', ['-c', '.categories', file]);
const jp = best(process.execPath, [path.join(ROOT, 'bench', 'json-parse-count.mjs'), file]);
if (jp.ok && !sameCounts(JSON.parse(jp.stdout), expected)) failures.push('the JSON.parse baseline counts differ (bench bug)');

const rows = [
  ['labelmap extract coco --stats --stdout', lm],
  ['jq -c .categories', jq],
  ['node JSON.parse + counting', jp],
];
const cpuModel = (cpus()[0]?.model ?? 'unknown').trim();
const lines = [];
lines.push(`File: ${path.relative(ROOT, file)}, ${(size / 1e6).toFixed(0)} MB, ${BASE.images.toLocaleString('en-US')} images, ${BASE.annotations.toLocaleString('en-US')} annotations, categories last.`);
lines.push(`Machine: ${cpus().length} CPUs (${cpuModel}), node ${process.version}; best of ${runs} run(s).`);
lines.push('');
lines.push('| tool | wall s | CPU s | peak RSS MB | labelmap is faster by (wall) |');
lines.push('|---|---:|---:|---:|---:|');
for (const [name, m] of rows) {
  lines.push(`| ${name} | ${m.ok ? fmt(m.wall) : 'failed'} | ${fmt(m.cpu)} | ${fmt(m.rss, 0)} | ${m === lm ? '1x' : m.ok ? `${fmt(m.wall / lm.wall, 1)}x` : 'n/a'} |`);
}
lines.push('');
lines.push(`labelmap counts equal big.counts.json: ${countsOk ? 'yes' : 'NO'}`);

if (!(lm.rss < 150)) failures.push(`labelmap peak RSS ${fmt(lm.rss, 0)} MB >= 150 MB`);
if (jq.ok && !(jq.wall / lm.wall >= 8)) failures.push(`labelmap is ${fmt(jq.wall / lm.wall, 1)}x faster than jq, goal 8x`);
if (jp.ok && !(jp.wall / lm.wall >= 5)) failures.push(`labelmap is ${fmt(jp.wall / lm.wall, 1)}x faster than JSON.parse, goal 5x`);

const extra = scales.map((factor) => ({ name: `x${factor}`, factor, ...generate(factor) }));
if (over2GiB) extra.push({ name: 'x5 annotations (> 2 GiB)', factor: 5, ...repeated(file, counts) });
if (extra.length > 0) {
  lines.push('');
  lines.push('| file | MB | wall s | CPU s | s per 100 MB | peak RSS MB | counts exact |');
  lines.push('|---|---:|---:|---:|---:|---:|---|');
  lines.push(`| x1 | ${(size / 1e6).toFixed(0)} | ${fmt(lm.wall)} | ${fmt(lm.cpu)} | ${fmt((lm.wall / size) * 1e8)} | ${fmt(lm.rss, 0)} | ${countsOk ? 'yes' : 'NO'} |`);
  for (const g of extra) {
    const label = g.name;
    const gsize = statSync(g.file).size;
    const m = labelmap(g.file);
    const exact = m.ok && sameCounts(countsFromCsv(m.stdout), JSON.parse(readFileSync(g.counts, 'utf8')));
    lines.push(`| ${label} | ${(gsize / 1e6).toFixed(0)} | ${m.ok ? fmt(m.wall) : 'failed'} | ${fmt(m.cpu)} | ${fmt((m.wall / gsize) * 1e8)} | ${fmt(m.rss, 0)} | ${exact ? 'yes' : 'NO'} |`);
    if (!exact) failures.push(`${label}: counts differ or the run failed`);
    // Compare CPU time per byte (wall time on a shared machine says more about the neighbours).
    if (m.cpu / gsize > 1.3 * (lm.cpu / size)) failures.push(`${label}: CPU time per byte ${fmt(m.cpu / gsize / (lm.cpu / size), 2)}x the x1 file's (goal: linear)`);
    if (m.rss > lm.rss + 30) failures.push(`${label}: peak RSS ${fmt(m.rss, 0)} MB vs ${fmt(lm.rss, 0)} MB (goal: flat)`);
  }
}

process.stdout.write(`${lines.join('\n')}\n`);
if (failures.length > 0) {
  process.stdout.write(`\nGoals missed:\n${failures.map((f) => `- ${f}`).join('\n')}\n`);
  process.exitCode = 1;
} else {
  process.stdout.write('\nAll goals met.\n');
}
