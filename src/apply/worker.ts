// Worker thread of an apply run: gets the tables once (workerData), then one FileJob per
// message, and answers each with its FileResult.
import { parentPort, workerData } from 'node:worker_threads';
import { processFile, type FileJob, type WorkerTables } from './process.js';

const tables = (workerData as { tables: WorkerTables }).tables;
parentPort!.on('message', (job: FileJob) => {
  parentPort!.postMessage(processFile(job, tables));
});
