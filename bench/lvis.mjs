#!/usr/bin/env node
// Issue 18: the COCO reader takes an LVIS v1 train-shaped file (~1.1 GB: 100,170 images, 1,270,141
// polygon annotations, 1,203 categories with synset, synonyms, def, frequency, image_count,
// instance_count; categories last, as in lvis_v1_train.json) in bounded memory, with exact counts.
// Side by side in one run, alternating (bench/lib.mjs), with the read floor (bench/read-every-byte.mjs).
// Goals: peak RSS <= 150 MB (the file is ~1 GB: memory must not grow with it), counts exactly the
// generator's, every category's LVIS fields kept. Exits 1 when one is missed.
//
//   node bench/lvis.mjs                  # 2 alternating runs (BENCH_RUNS to change)
//   node bench/lvis.mjs --annotations N  # a smaller or larger file (default 1,270,141)
//
// Runs the built bin/labelmap (npm run build first); writes bench/data/lvis-big.json (and its
// counts) when missing. The generator is below: seeded, so the file is the same every time.
import { closeSync, existsSync, mkdirSync, openSync, readFileSync, statSync, writeFileSync, writeSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { parse } from 'csv-parse/sync';
import { machine, sideBySide, sideBySideTable, verdict } from './lib.mjs';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const DATA = path.join(ROOT, 'bench', 'data');
const args = process.argv.slice(2);
const flag = (name, fallback) => {
  const i = args.indexOf(name);
  return i >= 0 ? args[i + 1] : fallback;
};
const runs = Number(process.env.BENCH_RUNS ?? flag('--runs', '2'));
const ANNOTATIONS = Number(flag('--annotations', '1270141'));
const IMAGES = Math.max(1, Math.round((ANNOTATIONS * 100170) / 1270141));
const CATEGORIES = 1203;
const FREQ = ['r', 'c', 'f'];

/** A small seeded PRNG (mulberry32): the same file on every machine. */
function prng(seed) {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

function category(id) {
  const name = `thing_${id}`;
  return { id, synset: `${name}.n.01`, synonyms: [name, `other ${name}`], def: `a made-up LVIS-shaped category number ${id}, "quoted" \u00e9`, name, frequency: FREQ[id % 3], image_count: 0, instance_count: 0 };
}

function generate() {
  const suffix = ANNOTATIONS === 1270141 ? '' : `-${ANNOTATIONS}`;
  const file = path.join(DATA, `lvis-big${suffix}.json`);
  const countsFile = path.join(DATA, `lvis-big${suffix}.counts.json`);
  if (existsSync(file) && existsSync(countsFile)) return { file, countsFile };
  mkdirSync(DATA, { recursive: true });
  process.stderr.write(`generating ${file} (${ANNOTATIONS} annotations) ...\n`);
  const rnd = prng(18);
  const fd = openSync(file, 'w');
  let buf = [];
  let size = 0;
  const out = (s) => {
    buf.push(s);
    size += s.length;
    if (size > 1 << 22) {
      writeSync(fd, buf.join(''));
      buf = [];
      size = 0;
    }
  };
  out('{"info": {"description": "LVIS v1 train-shaped benchmark file", "version": "1.0", "year": 2020}, "annotations": [');
  const instances = new Array(CATEGORIES + 1).fill(0);
  const images = Array.from({ length: CATEGORIES + 1 }, () => new Set());
  for (let i = 0; i < ANNOTATIONS; i++) {
    // LVIS is long-tailed: a few categories take most annotations.
    const cat = 1 + Math.min(CATEGORIES - 1, Math.floor(CATEGORIES * rnd() ** 3));
    const image = 1 + Math.floor(rnd() * IMAGES);
    instances[cat]++;
    images[cat].add(image);
    const x = rnd() * 600;
    const y = rnd() * 400;
    const poly = [];
    for (let k = 0; k < 52; k++) poly.push((x + rnd() * 40).toFixed(2), (y + rnd() * 40).toFixed(2));
    out(`${i ? ', ' : ''}{"area": ${(rnd() * 1600).toFixed(2)}, "id": ${i + 1}, "segmentation": [[${poly.join(', ')}]], "image_id": ${image}, "bbox": [${x.toFixed(2)}, ${y.toFixed(2)}, 40.0, 40.0], "category_id": ${cat}}`);
  }
  out('], "images": [');
  for (let i = 1; i <= IMAGES; i++) {
    out(`${i > 1 ? ', ' : ''}{"date_captured": "2013-11-14 11:18:45", "neg_category_ids": [${1 + (i % CATEGORIES)}], "id": ${i}, "license": 1, "height": 480, "width": 640, "flickr_url": "http://farm.example.org/${i}.jpg", "coco_url": "http://images.example.org/train2017/${String(i).padStart(12, '0')}.jpg", "not_exhaustive_category_ids": []}`);
  }
  out('], "licenses": [{"url": "http://example.org/licenses/1", "id": 1, "name": "x"}], "categories": [');
  const counts = {};
  for (let id = 1; id <= CATEGORIES; id++) {
    const c = category(id);
    c.image_count = images[id].size;
    c.instance_count = instances[id];
    counts[id] = { instances: instances[id], images: images[id].size };
    out(`${id > 1 ? ', ' : ''}${JSON.stringify(c)}`);
  }
  out(']}\n');
  writeSync(fd, buf.join(''));
  closeSync(fd);
  writeFileSync(countsFile, JSON.stringify(counts));
  return { file, countsFile };
}

function check(countsFile) {
  const expected = JSON.parse(readFileSync(countsFile, 'utf8'));
  return (r) => {
    const rows = parse(r.stdout, { columns: true, skip_empty_lines: true });
    if (rows.length !== CATEGORIES) return `labelmap wrote ${rows.length} rows, not ${CATEGORIES}`;
    for (const row of rows) {
      const e = expected[row.id];
      if (!e || Number(row.instances) !== e.instances || Number(row.images) !== e.images) return `counts of category ${row.id} differ from ${path.basename(countsFile)}`;
      const c = category(Number(row.id));
      if (row.x_synset !== c.synset || row.x_frequency !== c.frequency || row.x_def !== c.def || row.x_synonyms !== c.synonyms.join(';')) return `LVIS fields of category ${row.id} not kept`;
    }
    return null;
  };
}

const { file, countsFile } = generate();
const size = statSync(file).size;
const LM = 'labelmap extract coco --stats --stdout';
const FLOOR = 'node: read 1 MiB chunks, touch every byte';
const cases = [
  { name: LM, cmd: process.execPath, args: [path.join(ROOT, 'bin', 'labelmap'), 'extract', 'coco', file, '--stats', '--stdout'], check: check(countsFile) },
  { name: FLOOR, cmd: process.execPath, args: [path.join(ROOT, 'bench', 'read-every-byte.mjs'), file], check: (r) => (r.stdout.startsWith(`${size} bytes`) ? null : 'the read floor read other than the whole file') },
];
const { loadBefore, loadAfter, results } = sideBySide(cases, runs);
const lm = results.get(LM);
const floor = results.get(FLOOR);
console.log(`## LVIS v1 train-shaped file through the COCO reader (${runs} runs each, alternating, after a warm-up round)\n`);
console.log(`File: ${path.relative(ROOT, file)}, ${(size / 1e6).toFixed(0)} MB, ${IMAGES.toLocaleString('en-US')} images, ${ANNOTATIONS.toLocaleString('en-US')} annotations, ${CATEGORIES} categories last.`);
console.log(`Machine: ${machine()}; load before ${loadBefore}, after ${loadAfter}\n`);
console.log(sideBySideTable(results));
console.log(`\nlabelmap / read floor: ${(lm.minCpuMs / floor.minCpuMs).toFixed(1)}x by CPU min`);
verdict(
  [
    { met: lm.peakMb <= 150, text: `labelmap peak RSS <= 150 MB on a ${(size / 1e6).toFixed(0)} MB file: ${lm.peakMb.toFixed(0)} MB` },
    { met: lm.errors.length === 0, text: 'counts and LVIS fields exact in every run' },
  ],
  results,
);
