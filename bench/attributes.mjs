#!/usr/bin/env node
// Benchmark for issue 20: `labelmap attributes big.json --dataset bdd100k` (every frame parsed
// whole: attributes, labels, boxes) against `labelmap extract bdd100k big.json --stats --stdout`
// (the extractor's field picker: category names only) on one generated BDD100K-shaped label file,
// alternating runs. The goal: attributes within 2x the extractor's time (the same streaming class),
// peak RSS flat (< 200 MB), counts equal to the generator's.
//
//   node bench/attributes.mjs               # 20000 frames (~90 MB), 3 runs each
//   node bench/attributes.mjs --frames 70000 --runs 5
//   node bench/attributes.mjs --compare /tmp/old/bin/labelmap   # also another build's attributes, alternating
//
// Runs against the built dist/ (npm run build first). Writes bench/data/bdd100k-<frames>.json.
import { closeSync, existsSync, mkdirSync, openSync, statSync, writeSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { sideBySide, sideBySideTable, verdict } from './lib.mjs';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const BIN = path.join(ROOT, 'bin', 'labelmap');
const args = process.argv.slice(2);
const flag = (name, fallback) => (args.includes(name) ? args[args.indexOf(name) + 1] : fallback);
const frames = Number(flag('--frames', '20000'));
const runs = Number(flag('--runs', '3'));
const compare = flag('--compare', undefined);

const WEATHER = ['rainy', 'snowy', 'clear', 'overcast', 'partly cloudy', 'foggy', 'undefined'];
const SCENE = ['tunnel', 'residential', 'parking lot', 'city street', 'gas stations', 'highway', 'undefined'];
const TIME = ['daytime', 'night', 'dawn/dusk', 'undefined'];
const CATEGORIES = ['car', 'pedestrian', 'traffic sign', 'traffic light', 'truck', 'bus', 'rider', 'bicycle'];

/** A deterministic file and the counts a correct run must give (weather and crowded). */
function generate() {
  const dir = path.join(ROOT, 'bench', 'data');
  const file = path.join(dir, `bdd100k-${frames}.json`);
  const expected = { clear: 0, crowded: 0 };
  let seed = 12345;
  const rand = (n) => {
    seed = (seed * 1103515245 + 12345) & 0x7fffffff;
    return seed % n;
  };
  const write = !existsSync(file);
  if (write) mkdirSync(dir, { recursive: true });
  const fd = write ? openSync(file, 'w') : -1;
  if (write) writeSync(fd, '[\n');
  for (let i = 0; i < frames; i++) {
    const weather = WEATHER[rand(WEATHER.length)];
    if (weather === 'clear' || weather === 'partly cloudy') expected.clear++;
    const n = rand(40);
    if (n >= 20) expected.crowded++;
    const labels = [];
    for (let k = 0; k < n; k++) {
      const y1 = rand(600);
      labels.push(`{"id": "${i * 40 + k}", "category": "${CATEGORIES[rand(CATEGORIES.length)]}", "attributes": {"occluded": false, "truncated": false, "trafficLightColor": "none"}, "manualShape": true, "manualAttributes": true, "box2d": {"x1": ${rand(1200)}.25, "y1": ${y1}.5, "x2": ${rand(1280)}.75, "y2": ${y1 + 1 + rand(120)}.5}}`);
    }
    // Drawn whether or not the file is written: the expected counts of a second run follow the same sequence.
    const scene = SCENE[rand(SCENE.length)];
    const time = TIME[rand(TIME.length)];
    if (write) {
      writeSync(fd, `${i ? ',\n' : ''}{"name": "f${i}.jpg", "attributes": {"weather": "${weather}", "scene": "${scene}", "timeofday": "${time}"}, "timestamp": 10000, "labels": [${labels.join(', ')}]}`);
    }
  }
  if (write) {
    writeSync(fd, '\n]\n');
    closeSync(fd);
  }
  return { file, expected };
}

const { file, expected } = generate();
const mb = statSync(file).size / 1024 / 1024;
const cases = [
  {
    name: 'labelmap attributes --json',
    cmd: process.execPath,
    args: [BIN, '--json', '--sheets', path.join(ROOT, 'sheets'), 'attributes', file, '--dataset', 'bdd100k'],
    check: (r) => {
      const j = JSON.parse(r.stdout);
      if (j.images !== frames) return `images ${j.images}, expected ${frames}`;
      if (j.counts.weather.clear !== expected.clear) return `clear ${j.counts.weather.clear}, expected ${expected.clear}`;
      if ((j.counts.crowded.yes ?? 0) !== expected.crowded) return `crowded ${j.counts.crowded.yes}, expected ${expected.crowded}`;
      return null;
    },
  },
  { name: 'labelmap extract bdd100k --stats', cmd: process.execPath, args: [BIN, 'extract', 'bdd100k', file, '--stats', '--stdout'] },
];
if (compare) cases.push({ ...cases[0], name: `attributes --json, ${compare}`, args: [compare, ...cases[0].args.slice(1)] });
const { loadBefore, loadAfter, results } = sideBySide(cases, runs);
console.log(`\n### attributes vs extract --stats: ${frames} frames, ${mb.toFixed(0)} MB (load ${loadBefore} -> ${loadAfter})\n`);
console.log(sideBySideTable(results));
const a = results.get(cases[0].name);
const e = results.get(cases[1].name);
console.log(`\nattributes ${(mb / (a.minMs / 1000)).toFixed(0)} MB/s, extract ${(mb / (e.minMs / 1000)).toFixed(0)} MB/s (best wall times); CPU ratio ${(a.minCpuMs / e.minCpuMs).toFixed(2)}`);
verdict(
  [
    { text: `attributes within 2x the extractor's CPU time (${(a.minCpuMs / e.minCpuMs).toFixed(2)}x)`, met: a.minCpuMs <= 2 * e.minCpuMs },
    { text: `peak RSS < 200 MB (${a.peakMb.toFixed(0)} MB)`, met: a.peakMb < 200 },
  ],
  results,
);
