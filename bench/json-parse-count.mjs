// Baseline for bench/coco.mjs: the plain way to get COCO class counts in Node. Reads the whole file
// into one string, JSON.parse, then counts annotations and distinct images per category.
import { readFileSync } from 'node:fs';

const data = JSON.parse(readFileSync(process.argv[2], 'utf8'));
const instances = new Map();
const images = new Map();
for (const a of data.annotations) {
  instances.set(a.category_id, (instances.get(a.category_id) ?? 0) + 1);
  let set = images.get(a.category_id);
  if (!set) images.set(a.category_id, (set = new Set()));
  set.add(a.image_id);
}
const out = {};
for (const c of data.categories) out[c.id] = { instances: instances.get(c.id) ?? 0, images: images.get(c.id)?.size ?? 0 };
process.stdout.write(`${JSON.stringify(out)}\n`);
