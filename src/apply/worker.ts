// Worker thread of an apply run: gets the mask tables once (workerData), then one FileJob per
// message, and answers each with its FileResult.
import { parentPort, workerData } from 'node:worker_threads';
import type { MaskTables } from './mask.js';
import { processFile, type FileJob } from './process.js';

const tables = (workerData as { tables: MaskTables }).tables;
parentPort!.on('message', (job: FileJob) => {
  parentPort!.postMessage(processFile(job, tables));
});
