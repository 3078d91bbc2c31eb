// The second thread of a VOC read (tallyAnnotationFiles in voc.ts): takes chunks of the file list
// from the shared counter, as the main thread does, and posts each chunk's tally or first error.
import { parentPort, workerData } from 'node:worker_threads';
import { takeChunks, type VocRun } from './voc.js';

const { run, shared, chunkFiles } = workerData as { run: VocRun; shared: Int32Array; chunkFiles: number };
takeChunks(run, shared, chunkFiles, (chunk, result) => parentPort!.postMessage({ chunk, result }), { isWorker: true });
parentPort!.postMessage('done');
