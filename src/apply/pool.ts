// A fixed pool of worker threads, one job at a time each. Hand-written instead of piscina or
// tinypool: the need is N workers, one init payload, and jobs that are file paths (io/worker.ts
// starts the TypeScript worker under tsx when labelmap runs from src/: tests).
import type { Worker } from 'node:worker_threads';
import { startWorker } from '../io/worker.js';
import type { FileJob, FileResult, WorkerTables } from './process.js';

export interface Pool {
  run(job: FileJob): Promise<FileResult>;
  close(): Promise<void>;
}

export function createPool(size: number, tables: WorkerTables): Pool {
  const idle: Worker[] = [];
  const waiting: { job: FileJob; resolve: (r: FileResult) => void }[] = [];
  const busy = new Map<Worker, { job: FileJob; resolve: (r: FileResult) => void }>();
  const all = new Set<Worker>();

  const spawn = (): void => {
    const worker = startWorker(import.meta.url, './worker', { workerData: { tables } });
    all.add(worker);
    worker.on('message', (result: FileResult) => {
      const task = busy.get(worker);
      busy.delete(worker);
      idle.push(worker);
      task?.resolve(result);
      pump();
    });
    worker.on('error', (error) => {
      // A worker that dies (out of memory, a bug) fails its file, not the run; a new one takes its place.
      const task = busy.get(worker);
      busy.delete(worker);
      all.delete(worker);
      const at = idle.indexOf(worker);
      if (at >= 0) idle.splice(at, 1);
      task?.resolve({ index: task.job.index, ok: false, code: 'apply-internal', args: { reason: error.message } });
      spawn();
      pump();
    });
    idle.push(worker);
  };
  for (let i = 0; i < size; i++) spawn();

  function pump(): void {
    while (idle.length && waiting.length) {
      const worker = idle.pop()!;
      const task = waiting.shift()!;
      busy.set(worker, task);
      worker.postMessage(task.job);
    }
  }

  return {
    run(job) {
      return new Promise((resolve) => {
        waiting.push({ job, resolve });
        pump();
      });
    },
    async close() {
      await Promise.all([...all].map((w) => w.terminate()));
    },
  };
}
