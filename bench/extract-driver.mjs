// Tiny driver: runs the COCO extractor from dist/ and prints the dataset sheet CSV, as
// `labelmap extract coco FILE --stats --stdout` does. bench/coco.mjs uses it while the extract
// command is not built (and it measures the extractor alone).
import { coco } from '../dist/formats/coco.js';
import { formatSheet } from '../dist/sheets/csv.js';

const result = await coco.extract(process.argv[2], { stats: true });
process.stdout.write(formatSheet('dataset', result.rows));
for (const note of result.notes) process.stderr.write(`${note}\n`);
