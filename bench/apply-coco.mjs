#!/usr/bin/env node
// Benchmark for issue 17 (COCO): `labelmap apply` on the generated ~458 MB instances file (the
// shape of instances_train2017.json, categories last) against `labelmap extract coco --stats` on
// the same file, alternating in one run (bench/lib.mjs sideBySide). apply reads the file twice
// (the scanner, then the spliced copy) and writes ~450 MB.
//
//   node bench/apply-coco.mjs [--runs 3]
//
// Goals: apply's CPU time within 2x of extract's (the machine is shared: CPU time, not wall, is
// the judge), peak RSS flat (< 200 MB, far below the file), and the manifest's instance counts
// equal to the generator's. Runs the built dist/ (npm run build first).
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, statSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { loadavg, machine, sideBySide, sideBySideTable, verdict } from './lib.mjs';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const DATA = path.join(ROOT, 'bench', 'data');
const GEN = path.resolve(ROOT, '..', 'shared', 'tools', 'gen-coco.py');
const BIN = path.join(ROOT, 'bin', 'labelmap');
const args = process.argv.slice(2);
const runs = Number(args[args.indexOf('--runs') + 1] || 3) || 3;

const file = path.join(DATA, 'big.json');
const countsFile = path.join(DATA, 'big.counts.json');
if (!existsSync(file) || !existsSync(countsFile)) {
  mkdirSync(DATA, { recursive: true });
  process.stderr.write(`generating ${file} ...\n`);
  const r = spawnSync('python3', [GEN, file, '--counts', countsFile], { stdio: 'inherit' });
  if (r.status !== 0) throw new Error('gen-coco.py failed');
}
const counts = JSON.parse(readFileSync(countsFile, 'utf8'));
const out = mkdtempSync(path.join(os.tmpdir(), 'labelmap-apply-coco-'));
const sheets = path.join(ROOT, 'sheets');

const checkCounts = () => {
  const manifest = JSON.parse(readFileSync(path.join(out, 'apply.json'), 'utf8'));
  for (const [id, c] of Object.entries(counts)) {
    const n = manifest.native.find((x) => x.id === Number(id));
    if (!n || n.instances !== c.instances) return `category ${id}: ${n?.instances} instances in the manifest, ${c.instances} generated`;
  }
  // The output as a COCO reader sees it: every kept annotation, none of an ignored class.
  const output = JSON.parse(readFileSync(path.join(out, 'big.json'), 'utf8'));
  const kept = manifest.native.filter((x) => x.kind !== 'ignore').reduce((a, x) => a + x.instances, 0);
  if (output.annotations.length !== kept) return `${output.annotations.length} annotations written, ${kept} expected`;
  const ids = new Set(output.categories.map((c) => c.id));
  if (!output.annotations.every((a) => ids.has(a.category_id))) return 'an annotation with a category id that categories lacks';
  return null;
};

const env = { ...process.env, NO_COLOR: '1' };
const cases = [
  { name: 'labelmap extract coco --stats --stdout', cmd: BIN, args: ['extract', 'coco', file, '--stats', '--stdout'], options: { env, cwd: ROOT } },
  { name: 'labelmap apply (write)', cmd: BIN, args: ['apply', file, '--dataset', 'coco', '--vertical', 'self-driving', '--out', out, '--force', '--sheets', sheets], options: { env, cwd: ROOT }, check: checkCounts },
];
console.log(`\n## apply COCO JSON vs extract --stats (${(statSync(file).size / 1e6).toFixed(0)} MB, ${runs} runs alternating)\n`);
console.log(`machine: ${machine()}`);
const { loadBefore, loadAfter, results } = sideBySide(cases, runs);
console.log(`load: ${loadBefore} before, ${loadAfter} after\n`);
console.log(sideBySideTable(results));
const extract = results.get(cases[0].name);
const apply = results.get(cases[1].name);
const ratio = apply.medianCpuMs / extract.medianCpuMs;
console.log(`\napply / extract, median CPU time: ${ratio.toFixed(2)}x (wall: ${(apply.medianMs / extract.medianMs).toFixed(2)}x)`);
verdict(
  [
    { text: `apply CPU time within 2x of extract --stats (${ratio.toFixed(2)}x)`, met: ratio <= 2 },
    { text: `apply peak RSS flat: ${apply.peakMb.toFixed(0)} MB < 200 MB for a ${(statSync(file).size / 1e6).toFixed(0)} MB file`, met: apply.peakMb < 200 },
  ],
  results,
);
rmSync(out, { recursive: true, force: true });
