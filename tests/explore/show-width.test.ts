// `show` fits its table to the terminal: unit tests of the fitting, and the real binary in a real
// terminal (tmux, 80 columns) against a pipe (whole cells) and --wide.
import { spawnSync } from 'node:child_process';
import { describe, expect, it } from 'vitest';
import { displayWidth, fitWidths, formatColumns, truncate } from '../../src/cli/table.js';
import { BIN, ROOT, runCli } from '../helpers/cli.js';

const plain = { bold: String, dim: String, red: String, yellow: String, green: String, cyan: String };

describe('fitting a table to a width', () => {
  it('truncate cuts by display width and ends in an ellipsis', () => {
    expect(truncate('traffic light', 20)).toBe('traffic light');
    expect(truncate('traffic light', 8)).toBe('traffic…');
    expect(displayWidth(truncate('移动物体移动物体', 7))).toBeLessThanOrEqual(7);
  });

  it('narrows the widest columns first, never below 8 (or the natural width)', () => {
    expect(fitWidths([4, 10, 60], 40)).toEqual([4, 10, 22]);
    expect(fitWidths([30, 30], 40)).toEqual([19, 19]);
    expect(fitWidths([3, 100], 10)).toEqual([3, 8]);
  });

  it('every line of a fitted table fits; without a width nothing is cut', () => {
    const rows = [['1', 'a'.repeat(100), 'short'], ['2', 'b', 'c'.repeat(50)]];
    const fitted = formatColumns(['id', 'description', 'note'], rows, plain, { maxWidth: 60 });
    for (const line of fitted.split('\n')) expect(displayWidth(line)).toBeLessThanOrEqual(60);
    expect(fitted).toContain('…');
    expect(formatColumns(['id', 'description', 'note'], rows, plain)).toContain('a'.repeat(100));
  });
});

const haveTmux = spawnSync('tmux', ['-V']).status === 0;

describe.skipIf(!haveTmux)('labelmap show in an 80-column terminal (tmux)', () => {
  const screen = (args: string) => {
    const session = `lm-${process.pid}-${Math.random().toString(36).slice(2, 8)}`;
    const cmd = `cd ${ROOT} && NO_COLOR=1 ${process.execPath} ${BIN} ${args}; echo __done__; sleep 5`;
    spawnSync('tmux', ['new-session', '-d', '-s', session, '-x', '80', '-y', '50', cmd]);
    let text = '';
    for (let i = 0; i < 100 && !text.includes('__done__'); i++) {
      spawnSync('sleep', ['0.1']);
      text = spawnSync('tmux', ['capture-pane', '-p', '-t', session, '-S', '-', '-J'], { encoding: 'utf8' }).stdout;
    }
    spawnSync('tmux', ['kill-session', '-t', session]);
    return text;
  };

  it('fits each row into the terminal, and a pipe or --wide gets whole cells', () => {
    const fitted = screen('show taxonomy/unified');
    const lines = fitted.split('\n').filter((l) => l.includes('#'));
    expect(lines.length).toBeGreaterThan(10);
    for (const l of lines) expect(displayWidth(l.trimEnd())).toBeLessThanOrEqual(80);
    expect(fitted).toContain('…');
    const piped = runCli(['show', 'taxonomy/unified']);
    expect(piped.stdout).not.toContain('…');
    expect(piped.stdout).toContain('COCO and VOC person is this class: they do not separate pedestrians from riders.');
    const wide = screen('show taxonomy/unified --wide');
    expect(wide.replace(/\s+/g, ' ')).toContain('COCO and VOC person is this class: they do not separate pedestrians from riders.');
    expect(fitted.replace(/\s+/g, ' ')).not.toContain('they do not separate pedestrians from riders.');
  });
});
