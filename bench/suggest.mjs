// Leave-one-dataset-out for `labelmap suggest`: for every shipped dataset sheet, hide its mapping,
// suggest it from the taxonomy and the other mappings, and compare with the curated mapping. A
// suggestion is right when it is the curated target or an ancestor or descendant of it.
// Goals (issue 19): among suggestions at or above the default threshold, precision >= 0.90, and
// at least 70% of classes suggested; coded names (ApolloScape lane-mark codes) are reported
// apart. Time: a 500-class sheet under 1 s (median of 5, in-process).
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const here = path.dirname(fileURLToPath(import.meta.url));
const root = path.resolve(here, '..');
const { loadSheetSet } = await import(path.join(root, 'dist/sheets/set.js'));
const { suggestMapping, DEFAULT_THRESHOLD } = await import(path.join(root, 'dist/suggest/index.js'));
const { suggestInputs } = await import(path.join(root, 'dist/suggest/load.js'));

const dir = path.join(root, 'sheets');
const { set } = loadSheetSet(dir);
const parentOf = new Map(set.taxonomy.rows.map((r) => [r.name, r.parent]));
const within = (a, b) => {
  for (let n = a, i = 0; n && i < 100; n = parentOf.get(n), i++) if (n === b) return true;
  return false;
};
const right = (got, want) => got === want || (got !== 'ignore' && want !== 'ignore' && (within(got, want) || within(want, got)));
// Names that are codes, not words: no general evidence can read them.
const coded = (name) => /^[a-z]{1,3}(_[a-z]{1,3})+$/.test(name);

// Two ways to hide: the dataset alone (its sibling releases, e.g. coco and coco-panoptic, stay
// and lend their names), and its whole family (every dataset whose name starts with the same word:
// coco*, mapillary*, apolloscape*), the case of a dataset nobody here has seen.
const family = (name) => name.split('-')[0];
let met = true;
// The shipped taxonomy's descriptions often name the source classes they hold ("Sofa or couch (COCO
// couch, VOC sofa)"): a third run strips every sentence or bracket that names a shipped dataset,
// as a dataset nobody here has seen would find it.
const families = [...new Set(set.datasets.map((d) => family(d.dataset.name)))];
const familyWords = new RegExp(`\\b(${[...families, 'cityscapes', 'mapillary', 'coco', 'voc', 'apolloscape', 'pascal'].join('|')})\\b`, 'i');
const blind = (description) => description.replace(/\([^)]*\)/g, (m) => (familyWords.test(m) ? '' : m)).split(/(?<=\.)\s+/).filter((x) => !familyWords.test(x)).join(' ');
for (const mode of ['dataset', 'family', 'family, blind descriptions']) {
const rows = [];
let all = { n: 0, accepted: 0, correct: 0 };
let codes = { n: 0, accepted: 0, correct: 0 };
for (const { dataset, mapping } of set.datasets) {
  const hidden = mode === 'dataset' ? (n) => n === dataset.name : (n) => family(n) === family(dataset.name);
  const inputs = suggestInputs({ ...set, datasets: set.datasets.filter((d) => !hidden(d.dataset.name)) }, dataset);
  if (mode.includes('blind')) inputs.taxonomy = inputs.taxonomy.map((t) => ({ ...t, description: blind(t.description) }));
  const t0 = performance.now();
  const out = suggestMapping(inputs.classes, inputs.taxonomy, inputs.known, { reserved: inputs.reserved });
  const ms = performance.now() - t0;
  const want = new Map(mapping.rows.map((r) => [r.source, r.target]));
  const r = { dataset: dataset.name, n: 0, accepted: 0, correct: 0, exact: 0, wrong: [], ms };
  for (const s of out) {
    const bucket = coded(s.source.name) ? codes : all;
    bucket.n++;
    r.n++;
    if (!s.accepted) continue;
    bucket.accepted++;
    r.accepted++;
    if (right(s.best.target, want.get(s.source.name))) {
      bucket.correct++;
      r.correct++;
      if (s.best.target === want.get(s.source.name)) {
        r.exact++;
        bucket.exact = (bucket.exact ?? 0) + 1;
      }
    } else r.wrong.push(`${s.source.name} -> ${s.best.target} (curated ${want.get(s.source.name)}; ${s.best.evidence.map((e) => e.signal).join(' ')})`);
  }
  rows.push(r);
}
console.log(`\n## suggest: leave one ${mode} out over the shipped sheets (threshold ${DEFAULT_THRESHOLD})\n`);
console.log('| dataset | classes | suggested | right | precision | coverage | the curated target itself |');
console.log('| --- | --- | --- | --- | --- | --- | --- |');
for (const r of rows) console.log(`| ${r.dataset} | ${r.n} | ${r.accepted} | ${r.correct} | ${(r.correct / Math.max(1, r.accepted)).toFixed(2)} | ${(r.accepted / r.n).toFixed(2)} | ${r.exact} |`);
const p = all.correct / Math.max(1, all.accepted);
const cov = all.accepted / Math.max(1, all.n);
console.log(`| **all, words** | ${all.n} | ${all.accepted} | ${all.correct} | **${p.toFixed(3)}** | **${cov.toFixed(3)}** | ${all.exact ?? 0} (${((all.exact ?? 0) / Math.max(1, all.accepted)).toFixed(3)}) |`);
console.log(`| coded names (apart) | ${codes.n} | ${codes.accepted} | ${codes.correct} | ${(codes.correct / Math.max(1, codes.accepted)).toFixed(2)} | ${(codes.accepted / Math.max(1, codes.n)).toFixed(2)} | ${codes.exact ?? 0} |`);
const verbose = process.argv.includes('--verbose');
if (verbose) for (const r of rows) for (const w of r.wrong) console.log(`  wrong ${r.dataset}: ${w}`);
if (!(p >= 0.9 && cov >= 0.7)) {
  met = false;
  console.log(`GOAL MISSED (leave one ${mode} out): precision ${p.toFixed(3)} (>= 0.90), coverage ${cov.toFixed(3)} (>= 0.70)`);
}
}

// Time for a 500-class sheet: Mapillary v2.0's classes, four times over with new ids.
const big = set.datasets.find((d) => d.dataset.name === 'mapillary-vistas-v2.0') ?? set.datasets[0];
const inputs = suggestInputs({ ...set, datasets: set.datasets.filter((d) => d.dataset.name !== big.dataset.name) }, big.dataset);
const classes = [];
for (let k = 0; classes.length < 500; k++) for (const c of inputs.classes) if (classes.length < 500) classes.push({ ...c, id: classes.length, name: k ? `${c.name}-${k}` : c.name });
const times = [];
for (let i = 0; i < 5; i++) {
  const t0 = performance.now();
  suggestMapping(classes, inputs.taxonomy, inputs.known, { reserved: inputs.reserved });
  times.push(performance.now() - t0);
}
times.sort((a, b) => a - b);
const med = times[2];
console.log(`\n500-class sheet: min ${times[0].toFixed(0)} ms, median ${med.toFixed(0)} ms (goal < 1000 ms)`);
if (med >= 1000) met = false;
console.log(met ? 'goals met' : 'GOAL MISSED (see above)');
process.exitCode = met ? 0 : 1;
