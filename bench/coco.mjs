#!/usr/bin/env node
// Issue 23: `labelmap extract coco big.json --stats --stdout` on a COCO instances_train2017-shaped
// file (458 MB, categories last), side by side in one run, alternating (bench/lib.mjs):
//   - jq -c .categories (what people use to peek at the classes);
//   - the read floor: a Node loop that reads the file in 1 MiB chunks and touches every byte
//     (bench/read-every-byte.mjs); labelmap validates the whole file, so it cannot beat this.
// Goals (on CPU time, user + system: the machine is shared, wall time measures the queue): labelmap
// >= 10x faster than jq, within 2x of the read floor, peak RSS <= 150 MB, counts exactly the
// generator's. Exits 1 when one is missed.
//
//   node bench/coco.mjs                  # 3 alternating runs (BENCH_RUNS to change)
//   node bench/coco.mjs --json-parse     # also a plain JSON.parse + counting (slow: ~15 s a run)
//   node bench/coco.mjs --scale 2,4      # also 2x and 4x larger files (labelmap only): linear, flat memory
//   node bench/coco.mjs --over-2gib      # also big.json's annotations 5 times over (> 2^31 bytes)
//   node bench/coco.mjs --before DIR     # also another build's CLI (DIR/bin/labelmap, e.g. a copy of
//                                        # main's bin/ and dist/), in the same alternation: before/after
//   node bench/coco.mjs --jobs           # also labelmap with --jobs 1 and --jobs 2 (one thread, two:
//                                        # the default takes two only when a second core is free)
//
// Runs the built dist/ (npm run build first); generates the data with ../shared/tools/gen-coco.py
// when missing.
import { spawnSync } from 'node:child_process';
import { closeSync, existsSync, mkdirSync, openSync, readFileSync, statSync, writeFileSync, writeSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { parse } from 'csv-parse/sync';
import { loadavg, machine, secs, sideBySide, sideBySideTable, table, timed, verdict } from './lib.mjs';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const DATA = path.join(ROOT, 'bench', 'data');
const GEN = path.resolve(ROOT, '..', 'shared', 'tools', 'gen-coco.py');
const BASE = { images: 118287, annotations: 860001 };

const args = process.argv.slice(2);
const flag = (name, fallback) => {
  const i = args.indexOf(name);
  return i >= 0 ? args[i + 1] : fallback;
};
const runs = Number(process.env.BENCH_RUNS ?? flag('--runs', '3'));
const scales = (flag('--scale', '') || '').split(',').filter(Boolean).map(Number);
const over2GiB = args.includes('--over-2gib');
const withJsonParse = args.includes('--json-parse');
const beforeDir = flag('--before', '');
const withJobs = args.includes('--jobs');

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

const labelmapArgs = (file, root = ROOT, extra = []) => [path.join(root, 'bin', 'labelmap'), 'extract', 'coco', file, '--stats', '--stdout', ...extra];
const countsCheck = (countsFile) => {
  const expected = JSON.parse(readFileSync(countsFile, 'utf8'));
  return (r) => (sameCounts(countsFromCsv(r.stdout), expected) ? null : `labelmap counts differ from ${path.basename(countsFile)}`);
};

const { file, counts } = generate(1);
const size = statSync(file).size;
const LM = 'labelmap extract coco --stats --stdout';
const JQ = 'jq -c .categories';
const FLOOR = 'node: read 1 MiB chunks, touch every byte';
const cases = [
  { name: LM, cmd: process.execPath, args: labelmapArgs(file), check: countsCheck(counts) },
  { name: JQ, cmd: 'jq', args: ['-c', '.categories', file], check: (r) => (JSON.parse(r.stdout).length === 80 ? null : 'jq printed other than 80 categories') },
  { name: FLOOR, cmd: process.execPath, args: [path.join(ROOT, 'bench', 'read-every-byte.mjs'), file], check: (r) => (r.stdout.startsWith(`${size} bytes`) ? null : 'the read floor read other than the whole file') },
];
const BEFORE = `labelmap before (${beforeDir})`;
if (beforeDir) cases.splice(1, 0, { name: BEFORE, cmd: process.execPath, args: labelmapArgs(file, path.resolve(beforeDir)), check: countsCheck(counts) });
const JOBS = (n) => `${LM} --jobs ${n}`;
if (withJobs) {
  for (const n of [1, 2]) cases.splice(1, 0, { name: JOBS(n), cmd: process.execPath, args: labelmapArgs(file, ROOT, ['--jobs', String(n)]), check: countsCheck(counts) });
}
if (withJsonParse) {
  const expected = JSON.parse(readFileSync(counts, 'utf8'));
  cases.push({ name: 'node JSON.parse + counting', cmd: process.execPath, args: [path.join(ROOT, 'bench', 'json-parse-count.mjs'), file], check: (r) => (sameCounts(JSON.parse(r.stdout), expected) ? null : 'the JSON.parse baseline counts differ (bench bug)') });
}

const { loadBefore, loadAfter, results } = sideBySide(cases, runs);
const lm = results.get(LM);
const jq = results.get(JQ);
const floor = results.get(FLOOR);
console.log(`## COCO extract --stats (${runs} runs each, alternating, after a warm-up round)\n`);
console.log(`File: ${path.relative(ROOT, file)}, ${(size / 1e6).toFixed(0)} MB, ${BASE.images.toLocaleString('en-US')} images, ${BASE.annotations.toLocaleString('en-US')} annotations, categories last.`);
console.log(`Machine: ${machine()}; load before ${loadBefore}, after ${loadAfter}\n`);
console.log(sideBySideTable(results));
const ratio = (a, b) => (a / b).toFixed(1);
console.log(`\njq / labelmap: ${ratio(jq.minCpuMs, lm.minCpuMs)}x by CPU min (${ratio(jq.medianCpuMs, lm.medianCpuMs)}x median; wall min ${ratio(jq.minMs, lm.minMs)}x)`);
console.log(`labelmap / read floor: ${ratio(lm.minCpuMs, floor.minCpuMs)}x by CPU min (${ratio(lm.medianCpuMs, floor.medianCpuMs)}x median; wall min ${ratio(lm.minMs, floor.minMs)}x)`);
if (withJobs) {
  for (const n of [1, 2]) {
    const j = results.get(JOBS(n));
    console.log(`jq / labelmap --jobs ${n}: ${ratio(jq.minMs, j.minMs)}x by wall min, ${ratio(jq.medianMs, j.medianMs)}x by wall median, ${ratio(jq.minCpuMs, j.minCpuMs)}x by CPU min; / read floor: ${ratio(j.minMs, floor.minMs)}x by wall min`);
  }
}
if (beforeDir) {
  const before = results.get(BEFORE);
  console.log(`before / labelmap: ${ratio(before.minCpuMs, lm.minCpuMs)}x by CPU min (${ratio(before.medianCpuMs, lm.medianCpuMs)}x median); jq / before: ${ratio(jq.minCpuMs, before.minCpuMs)}x, before / read floor: ${ratio(before.minCpuMs, floor.minCpuMs)}x by CPU min`);
}

const goals = [
  { met: jq.minCpuMs / lm.minCpuMs >= 10, text: `labelmap >= 10x faster than jq (CPU min): ${ratio(jq.minCpuMs, lm.minCpuMs)}x` },
  { met: lm.minCpuMs / floor.minCpuMs <= 2, text: `labelmap within 2x of the read floor (CPU min): ${ratio(lm.minCpuMs, floor.minCpuMs)}x` },
  { met: lm.peakMb <= 150, text: `labelmap peak RSS <= 150 MB: ${lm.peakMb.toFixed(0)} MB` },
];

// Scaling: labelmap alone on larger files; CPU time per byte against the x1 file's, memory flat.
const extra = scales.map((factor) => ({ name: `x${factor}`, ...generate(factor) }));
if (over2GiB) extra.push({ name: 'x5 annotations (> 2 GiB)', ...repeated(file, counts) });
if (extra.length > 0) {
  const rows = [['x1', (size / 1e6).toFixed(0), secs(lm.minMs), secs(lm.minCpuMs), ((lm.minCpuMs / size) * 1e5).toFixed(2), lm.peakMb.toFixed(0), lm.errors.length ? 'NO' : 'yes']];
  for (const g of extra) {
    const gsize = statSync(g.file).size;
    const r = timed(process.execPath, labelmapArgs(g.file));
    const exact = r.ok && countsCheck(g.counts)(r) === null;
    rows.push([g.name, (gsize / 1e6).toFixed(0), secs(r.ms), secs(r.cpuMs), ((r.cpuMs / gsize) * 1e5).toFixed(2), r.peakMb.toFixed(0), exact ? 'yes' : 'NO']);
    goals.push({ met: exact, text: `${g.name}: counts exact` });
    goals.push({ met: r.cpuMs / gsize <= 1.3 * (lm.minCpuMs / size), text: `${g.name}: CPU time per byte ${((r.cpuMs / gsize) / (lm.minCpuMs / size)).toFixed(2)}x the x1 file's (goal <= 1.3x: linear)` });
    goals.push({ met: r.peakMb <= lm.peakMb + 30, text: `${g.name}: peak RSS ${r.peakMb.toFixed(0)} MB vs ${lm.peakMb.toFixed(0)} MB (goal: flat, + 30 MB at most)` });
  }
  console.log(`\nScaling (labelmap alone, one run each; load now ${loadavg()}):\n`);
  console.log(table(['file', 'MB', 'wall s', 'CPU s', 'CPU s per 100 MB', 'peak RSS MB', 'counts exact'], rows));
}
verdict(goals, results);
