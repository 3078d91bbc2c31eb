// Starting a worker thread from a module beside the caller: `worker.js` in dist/ or, when labelmap
// runs from src/ (the tests run the TypeScript directly), a small bootstrap that registers tsx in
// the worker first and then imports `worker.ts`. One mechanism for every pool (apply's, VOC's),
// and one rule for when a reader takes a second thread by itself (VOC folders, COCO files).
import { createRequire } from 'node:module';
import { pathToFileURL } from 'node:url';
import { Worker, type WorkerOptions } from 'node:worker_threads';

/**
 * Starts the worker script `name` (without extension, e.g. './worker') resolved against `base`
 * (the caller's import.meta.url), with the same extension as the caller's own file.
 */
export function startWorker(base: string, name: string, options: WorkerOptions = {}): Worker {
  if (!base.endsWith('.ts')) return new Worker(new URL(`${name}.js`, base), options);
  // tsx/esm/api resolves to its CommonJS build under require(); the worker imports the ESM one beside it.
  const tsx = createRequire(import.meta.url).resolve('tsx/esm/api').replace(/\.cjs$/, '.mjs');
  const worker = new URL(`${name}.ts`, base).href;
  const bootstrap = `import(${JSON.stringify(pathToFileURL(tsx).href)}).then((m) => { m.register(); return import(${JSON.stringify(worker)}); });`;
  return new Worker(bootstrap, { ...options, eval: true });
}

/**
 * How many threads a reader takes when --jobs does not say: two when the work (files, bytes) is
 * at least `from` and a second core is free, judged by the 1-minute load average (below
 * cores - 0.5). On a busy machine the worker gets no core of its own and its start-up and
 * warm-up only add to the wait: one thread was faster there (measured for VOC and COCO).
 */
export function autoThreads(amount: number, cores: number, load1: number, from: number): 1 | 2 {
  return amount >= from && cores > 1 && load1 < cores - 0.5 ? 2 : 1;
}
