import { describe, expect, it } from 'vitest';
import type { Context } from '../../src/cli/context.js';
import { createProgress, formatProgressLine } from '../../src/cli/progress.js';

const ctx = (over: Partial<Context>): Context => ({ json: false, quiet: false, stderrIsTTY: true, ...over }) as Context;

function fakeStream() {
  const writes: string[] = [];
  return { writes, stream: { columns: 100, write: (t: string) => writes.push(t) } };
}

describe('progress bar', () => {
  it('is not drawn when stderr is not a terminal, or with --quiet or --json', () => {
    expect(createProgress(ctx({ stderrIsTTY: false }), 'reading')).toBeUndefined();
    expect(createProgress(ctx({ quiet: true }), 'reading')).toBeUndefined();
    expect(createProgress(ctx({ json: true }), 'reading')).toBeUndefined();
  });

  it('waits a moment, redraws at most 10 times a second, and clears the line at the end', () => {
    const { writes, stream } = fakeStream();
    let t = 1000;
    const progress = createProgress(ctx({}), 'reading big.json', { stream, now: () => t, delay: 300 })!;
    progress(10e6, 100e6); // t = 0 ms: too early
    expect(writes).toEqual([]);
    t += 500;
    progress(50e6, 100e6);
    t += 50;
    progress(55e6, 100e6); // 50 ms later: skipped
    t += 100;
    progress(60e6, 100e6);
    expect(writes).toHaveLength(2);
    expect(writes[0]).toMatch(/^\rreading big\.json \[#+-+\]  50\.0\/100\.0 MB  100 MB\/s  0:01 left\x1b\[K$/);
    progress.finish();
    expect(writes.at(-1)).toBe('\r\x1b[K');
  });

  it('draws nothing and clears nothing for a quick read', () => {
    const { writes, stream } = fakeStream();
    const progress = createProgress(ctx({}), 'reading', { stream, now: () => 0 })!;
    progress(1, 2);
    progress.finish();
    expect(writes).toEqual([]);
  });

  it('draws the bar at 80 columns on a terminal that reports a width of 0', () => {
    const writes: string[] = [];
    let t = 0;
    const progress = createProgress(ctx({}), 'reading big.json', { stream: { columns: 0, write: (x: string) => writes.push(x) }, now: () => t, delay: 0 })!;
    t = 1000;
    progress(50e6, 100e6);
    expect(writes[0]).toMatch(/^\rreading big\.json \[#+-+\]  50\.0\/100\.0 MB/);
  });

  it('fits the line into narrow terminals', () => {
    const line = formatProgressLine('reading instances_train2017.json', 231e6, 462e6, 1.2, 60);
    expect(line.length).toBeLessThanOrEqual(59);
    expect(formatProgressLine('x', 0, 0, 0, 80)).toBe('x [------------------------------]  0.0/0.0 MB  0 MB/s  0:00 left');
  });
});
