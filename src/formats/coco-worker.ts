// The second thread of a COCO scan on two threads (scanSplit in coco-split.ts): waits for its seam,
// scans the annotations from there to their close and posts what it found (or that it could not).
import { parentPort, workerData } from 'node:worker_threads';
import { CocoAnnotationTally } from './coco.js';
import { scanAnnotationsPart } from './coco-split.js';

const { file, stats } = workerData as { file: string; stats: boolean };
parentPort!.once('message', (seam: number | null) => {
  if (seam === null) {
    parentPort!.close();
    return;
  }
  // Its progress at most every 100 ms: the first thread's bar shows both parts.
  let last = 0;
  const onProgress = (done: number): void => {
    const now = Date.now();
    if (now - last < 100) return;
    last = now;
    parentPort!.postMessage({ progress: done });
  };
  void scanAnnotationsPart(file, seam, new CocoAnnotationTally(file, stats), undefined, onProgress).then((outcome) => parentPort!.postMessage(outcome));
});
