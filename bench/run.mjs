// npm run bench [name...]: runs the benchmark scripts in this folder one after another and prints
// their markdown tables (copy them into BENCHMARKS.md). Names: startup, explore (find and the report page),
// coco, voc, scale, attributes, apply, apply-coco (and lvis: a 1 GB file, on request only). Exit 1 when a goal is missed.
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const here = path.dirname(fileURLToPath(import.meta.url));
const all = ['startup', 'explore', 'coco', 'voc', 'scale', 'attributes', 'apply', 'apply-coco'];
const wanted = process.argv.slice(2).length ? process.argv.slice(2) : all;
let failed = 0;
for (const name of wanted) {
  const script = path.join(here, `${name}.mjs`);
  if (!existsSync(script)) {
    console.log(`(no benchmark ${name})`);
    continue;
  }
  const r = spawnSync(process.execPath, [script], { stdio: 'inherit' });
  if (r.status !== 0) failed++;
}
process.exitCode = failed ? 1 : 0;
