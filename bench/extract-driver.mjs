// Tiny driver: runs the COCO extractor from dist/ like `labelmap extract coco FILE --stats --stdout`
// would, printing id,name,instances,images as CSV. Used by bench/coco.mjs until the extract command
// exists (and to measure the extractor alone).
import { coco } from '../dist/formats/coco.js';

const file = process.argv[2];
const result = await coco.extract(file, { stats: true });
const lines = ['id,name,instances,images'];
for (const r of result.rows) lines.push(`${r.id},${JSON.stringify(r.name)},${r.instances ?? ''},${r.images ?? ''}`);
process.stdout.write(`${lines.join('\n')}\n`);
for (const note of result.notes) process.stderr.write(`${note}\n`);
