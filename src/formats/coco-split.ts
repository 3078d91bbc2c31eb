// A COCO file scanned on two threads: a worker thread scans the second half of `annotations` while
// this thread scans the rest, and the two are joined at the seam only when this thread's scanner,
// arriving there, stands where the worker assumed it would (JsonScanner.atSeam):
//
//   {"images": [...], "annotations": [{...}, ..., {...}, {"segmentation": ...}, ..., {...}], "categories": [...]}
//   |------------------ this thread -------------------||----------- the worker -----------||-- this thread --|
//                                                      ^ the seam                         ^ where the array closed
//
// Every byte is still checked once, and what the file says (counts, the first error and its place)
// is what one thread reading it in order says: the worker's counts are taken only after the seam
// is confirmed; any trouble in its part (an error, an array that does not close, a worker that
// fails) and this thread reads that part itself, reporting the first error as a serial scan does.
// Only wall time is gained: the worker's start-up and warm-up add CPU time.
import { LabelmapError } from '../findings.js';
import { startWorker } from '../io/worker.js';
import type { CocoAnnotationTally, CocoTallyPart } from './coco.js';
import { firstKeyAt, findElementSeam } from './lib/json-seam.js';
import { DEFAULT_CHUNK, feedFile, JsonScanner, readAt, type ScanHandlers, type ScanPart, type ScanResult } from './lib/json-scan.js';

/**
 * From how many bytes a second thread scans a COCO file (with a second core free). The worker
 * joins some 60-100 ms after it is started, then warms up: on files much smaller than this, one
 * thread is as fast (BENCHMARKS.md, "Issue 23, part 4").
 */
export const PARALLEL_BYTES = 64 * 1024 * 1024;

/** The array that is split. */
const SPLIT_KEY = 'annotations';
/** Bytes looked at for a seam, from where it should be. */
const SEAM_WINDOW = 1024 * 1024;
/**
 * The worker's head start owed, in bytes of this thread's scan: it begins after its start-up, so
 * the seam lies this much past the middle of what is left (measured, see PARALLEL_BYTES).
 */
const WORKER_LAG_BYTES = 32 * 1024 * 1024;

/**
 * Whether a file of `size` bytes leaves room for a seam: it must lie past the two chunks in
 * flight when the first annotation is read, so a file of four chunks or fewer (`--jobs 2` on a
 * small file) is read on one thread, without starting a worker.
 */
export function roomForSeam(size: number, chunkSize = DEFAULT_CHUNK): boolean {
  return size > 4 * chunkSize;
}

/** How the split went: joined at the seam, or one thread read on from it (and why). */
export type SplitOutcome = 'joined' | 'seam-refused' | 'part-failed' | 'no-seam';

/** The second part's scan, as its thread reports it. */
export type PartOutcome = { ok: true; part: ScanPart; tally: CocoTallyPart } | { ok: false; reason: string };

/** A second part's scan being run: given its seam once (or null: none), then its outcome. */
export interface PartRun {
  /** `onProgress` hears the bytes the part has scanned so far (the progress bar shows both threads). */
  start(seam: number | null, onProgress?: (done: number) => void): void;
  readonly outcome: Promise<PartOutcome>;
  /** Stops it (a scan whose work will not be taken). */
  cancel(): void;
}

/**
 * The worker's work (coco-worker.ts; tests run it in-process): the annotations from the seam, as
 * an element begins there after a ',', up to the bracket that closes them, into `tally`.
 */
export async function scanAnnotationsPart(file: string, seam: number, tally: CocoAnnotationTally, chunkSize?: number, onProgress?: (done: number) => void): Promise<PartOutcome> {
  try {
    const scanner = JsonScanner.inArray({ stream: { [SPLIT_KEY]: { pick: tally.pick(), onElement: tally.onAnnotation } } }, SPLIT_KEY, seam, { file });
    await feedFile(scanner, file, { start: seam, chunkSize, ...(onProgress ? { onChunk: (done: number) => onProgress(done) } : {}) });
    if (!scanner.halted) return { ok: false, reason: 'the array does not close' };
    return { ok: true, part: scanner.part(), tally: tally.part() };
  } catch (error) {
    // Not reported from here: the first thread reads this part again and says what is wrong.
    return { ok: false, reason: error instanceof LabelmapError ? error.finding.code : String(error) };
  }
}

/** The second part on a worker thread, started at once so that its start-up overlaps the first part's scan. */
export function workerPart(file: string, stats: boolean): PartRun {
  const worker = startWorker(import.meta.url, './coco-worker', { workerData: { file, stats } });
  let progress: ((done: number) => void) | undefined;
  const outcome = new Promise<PartOutcome>((resolve) => {
    // `{ progress: bytes }` while it scans, then its outcome.
    worker.on('message', (m: PartOutcome | { progress: number }) => {
      if ('progress' in m) progress?.(m.progress);
      else resolve(m);
    });
    worker.once('error', (error) => resolve({ ok: false, reason: String(error) }));
    worker.once('exit', () => resolve({ ok: false, reason: 'the worker exited' }));
  });
  return {
    start: (seam, onProgress) => {
      progress = onProgress;
      worker.postMessage(seam);
    },
    outcome,
    cancel: () => void worker.terminate(), // not awaited: its exit changes nothing here
  };
}

export interface SplitScanOptions {
  stats: boolean;
  /** The file's size when the read began (where the seam is guessed). */
  size: number;
  onProgress?: (done: number, total: number) => void;
  chunkSize?: number;
  /** Where to split (tests; any offset): by default a seam is looked for once `annotations` begins. */
  seamAt?: number;
  /** The second part's run (tests: in-process); by default workerPart. */
  part?: () => PartRun;
}

/**
 * Scans `file` with `handlers` (whose `annotations` stream feeds `tally`) on two threads. The
 * result and any error are the serial scan's; `outcome` says whether the worker's part was taken.
 */
export async function scanSplit(file: string, handlers: ScanHandlers, tally: CocoAnnotationTally, options: SplitScanOptions): Promise<{ result: ScanResult; outcome: SplitOutcome }> {
  const run = options.part ? options.part() : workerPart(file, options.stats);
  const chunkSize = options.chunkSize;
  let seam = options.seamAt;
  const fileSize = options.size;
  let size = fileSize;
  let lastReport = Date.now();
  const progress = options.onProgress;
  // The bar shows what both threads have scanned: this thread's position, plus the second part's
  // bytes until it is joined (or dropped), so it moves on while this thread waits at the seam.
  let here = 0;
  let there = 0;
  let partOpen = true;
  const report = (): void => {
    const now = Date.now();
    if (progress && now - lastReport >= 100) {
      lastReport = now;
      progress(Math.min(here + there, size), size);
    }
  };
  const onChunk = (from: number) => (done: number, total: number): void => {
    size = total;
    here = from + done;
    report();
  };
  const onPartProgress = (done: number): void => {
    if (!partOpen) return; // a message that was on its way when the part was joined or dropped
    there = done;
    report();
  };
  try {
    let scanner: JsonScanner;
    const annotations = handlers.stream?.[SPLIT_KEY];
    if (seam === undefined && annotations) {
      // The seam is looked for when the first annotation has been read: its first key tells an
      // annotation's beginning from a nested object's.
      const onElement = annotations.onElement;
      const wrapped: ScanHandlers = {
        ...handlers,
        stream: {
          ...handlers.stream,
          [SPLIT_KEY]: {
            ...annotations,
            onElement: (el) => {
              if (el.index === 0 && seam === undefined) {
                seam = findSeam(file, fileSize, el.offset, scanner.offset + 2 * (chunkSize ?? DEFAULT_CHUNK)) ?? -1;
                run.start(seam >= 0 ? seam : null, onPartProgress);
              }
              onElement(el);
            },
          },
        },
      };
      scanner = new JsonScanner(wrapped, { file });
    } else {
      scanner = new JsonScanner(handlers, { file });
      run.start(seam ?? null, onPartProgress);
    }
    const first = await feedFile(scanner, file, { chunkSize, stopAt: () => (seam !== undefined && seam >= 0 ? seam : undefined), onChunk: onChunk(0) });
    size = first.size;
    let outcome: SplitOutcome = 'no-seam';
    let from = first.end;
    const settled = (): void => {
      // Joined (this thread goes on from where the part closed) or dropped (it reads the part).
      partOpen = false;
      there = 0;
    };
    if (seam !== undefined && seam >= 0 && first.end === seam) {
      // The seam check: the worker's counts stand only if this scanner is where it assumed.
      if (!scanner.atSeam(SPLIT_KEY)) {
        outcome = 'seam-refused';
        run.cancel();
      } else {
        const part = await run.outcome;
        if (part.ok) {
          scanner.joinPart(part.part, SPLIT_KEY);
          tally.merge(part.tally);
          from = part.part.closedAt;
          outcome = 'joined';
        } else {
          outcome = 'part-failed';
        }
      }
    }
    settled();
    if (from < size) await feedFile(scanner, file, { start: from, chunkSize, onChunk: onChunk(from) });
    const result = scanner.end();
    progress?.(size, size);
    return { result, outcome };
  } finally {
    run.cancel();
  }
}

/**
 * Where the second part should begin: past the middle of what is left after `elementAt` (the first
 * annotation's offset) by half the worker's lag (at most a quarter of what is left), at the first
 * element boundary there (and after `after`: beyond the bytes already being read); undefined when
 * there is none.
 */
function findSeam(file: string, size: number, elementAt: number, after: number): number | undefined {
  try {
    const key = firstKeyAt(readAt(file, elementAt, 4096), 0);
    if (!key) return undefined;
    const rest = size - elementAt;
    const target = Math.max(after, elementAt + Math.floor((rest + Math.min(WORKER_LAG_BYTES, rest / 2)) / 2));
    if (target >= size) return undefined;
    const seam = findElementSeam(readAt(file, target, SEAM_WINDOW), target, key);
    return seam < 0 ? undefined : seam;
  } catch {
    return undefined; // only a guess: a read that fails here is the scan's to report, where it reads
  }
}
