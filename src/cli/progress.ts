// A one-line progress bar on stderr for long reads (a 500 MB COCO file takes a few seconds):
//
//   reading instances_train2017.json [##########----------]  231.0/462.0 MB  180 MB/s  0:01 left
//
// Drawn only when stderr is a terminal and neither --quiet nor --json is given; redrawn at most
// 10 times a second, and only once the read has taken longer than a moment (small files show
// nothing). `finish()` clears the line so that the command's own output starts clean.
import type { Context } from './context.js';

export type Progress = ((done: number, total: number) => void) & {
  /** Clears the bar (call it when the read ends, also on errors). */
  finish(): void;
};

export interface ProgressStream {
  write(text: string): unknown;
  columns?: number;
}

export interface ProgressOptions {
  /** Where to draw (default the program's stderr, ctx.stderr). */
  stream?: ProgressStream;
  /** Milliseconds (default Date.now). */
  now?: () => number;
  /** Wait this long before the first draw (default 300 ms). */
  delay?: number;
}

const REDRAW_MS = 100;

/** A progress callback for `ExtractOptions.onProgress`, or undefined when no bar should be drawn. */
export function createProgress(ctx: Context, label: string, options: ProgressOptions = {}): Progress | undefined {
  if (!ctx.stderrIsTTY || ctx.quiet || ctx.json) return undefined;
  const stream = options.stream ?? ctx.stderr;
  const now = options.now ?? Date.now;
  const delay = options.delay ?? 300;
  const start = now();
  let last = -Infinity;
  let drawn = false;

  const update = (done: number, total: number): void => {
    const t = now();
    if (t - start < delay || t - last < REDRAW_MS) return;
    last = t;
    drawn = true;
    // A terminal that reports no width (0: `script`, some CI terminals) gets 80 columns, not an empty line.
    stream.write(`\r${formatProgressLine(label, done, total, (t - start) / 1000, stream.columns || 80)}\x1b[K`);
  };
  const progress = update as Progress;
  progress.finish = () => {
    if (drawn) stream.write('\r\x1b[K');
    drawn = false;
  };
  return progress;
}

/** The text of the bar (no control characters), fitted into `columns`. */
export function formatProgressLine(label: string, done: number, total: number, seconds: number, columns: number): string {
  const mb = (n: number): string => (n / 1e6).toFixed(1);
  const fraction = total > 0 ? Math.min(1, done / total) : 0;
  const rate = seconds > 0 ? done / seconds : 0;
  const left = rate > 0 && total > done ? (total - done) / rate : 0;
  const tail = `  ${mb(done)}/${mb(total)} MB  ${Math.round(rate / 1e6)} MB/s  ${formatDuration(left)} left`;
  const width = Math.max(10, Math.min(30, columns - label.length - tail.length - 4));
  const filled = Math.round(fraction * width);
  const line = `${label} [${'#'.repeat(filled)}${'-'.repeat(width - filled)}]${tail}`;
  return line.length > columns - 1 ? line.slice(0, Math.max(0, columns - 1)) : line;
}

function formatDuration(seconds: number): string {
  const s = Math.ceil(seconds);
  const h = Math.floor(s / 3600);
  const m = Math.floor((s % 3600) / 60);
  const sec = String(s % 60).padStart(2, '0');
  return h > 0 ? `${h}:${String(m).padStart(2, '0')}:${sec}` : `${m}:${sec}`;
}
