// A fixed pool of worker threads, one job at a time each. Hand-written instead of piscina or
// tinypool: the need is N workers, one init payload, and jobs that are file paths; the ~60 lines
// here also start the TypeScript worker under tsx when labelmap runs from src/ (tests).
import { createRequire } from 'node:module';
import { pathToFileURL } from 'node:url';
import { Worker } from 'node:worker_threads';
import type { FileJob, FileResult, WorkerTables } from './process.js';

export interface Pool {
  run(job: FileJob): Promise<FileResult>;
  close(): Promise<void>;
}

/**
 * The worker script: worker.js next to this file in dist/; from src/ (tests run the TypeScript
 * directly) a small bootstrap that registers tsx in the worker first, then imports worker.ts.
 */
function startWorker(tables: WorkerTables): Worker {
  if (!import.meta.url.endsWith('.ts')) return new Worker(new URL('./worker.js', import.meta.url), { workerData: { tables } });
  // tsx/esm/api resolves to its CommonJS build under require(); the worker imports the ESM one beside it.
  const tsx = createRequire(import.meta.url).resolve('tsx/esm/api').replace(/\.cjs$/, '.mjs');
  const worker = new URL('./worker.ts', import.meta.url).href;
  const bootstrap = `import(${JSON.stringify(pathToFileURL(tsx).href)}).then((m) => { m.register(); return import(${JSON.stringify(worker)}); });`;
  return new Worker(bootstrap, { eval: true, workerData: { tables } });
}

export function createPool(size: number, tables: WorkerTables): Pool {
  const idle: Worker[] = [];
  const waiting: { job: FileJob; resolve: (r: FileResult) => void }[] = [];
  const busy = new Map<Worker, { job: FileJob; resolve: (r: FileResult) => void }>();
  const all = new Set<Worker>();

  const spawn = (): void => {
    const worker = startWorker(tables);
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
