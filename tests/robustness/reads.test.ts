// The one place that reads whole files (src/sheets/io.ts): only regular files, never more than a
// limit, every failure a LabelmapError that names the file. Reads that could block (a FIFO) or
// never end (/dev/zero) run in a child process with a hang guard, so that a regression fails the
// test instead of hanging the test run.
import { describe, expect, it } from 'vitest';
import { execFileSync, spawnSync } from 'node:child_process';
import { mkdirSync, symlinkSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { formatFinding } from '../../src/findings.js';
import { MAX_READ_BYTES, readBytes, readBytesAsync, readHead } from '../../src/io/index.js';
import { BIN, ROOT, tempDir } from '../helpers/cli.js';
import { findingOf } from '../helpers/finding-of.js';

const IO = path.join(ROOT, 'dist', 'io', 'read.js');

/** Calls `fn(file)` of the built io/read.js in a child process; returns the finding code it throws (or 'ok'). */
function inChild(fn: 'readBytes' | 'readHead' | 'readBytesAsync', file: string): { code: string; timedOut: boolean } {
  const script = `import(${JSON.stringify(IO)}).then(async (m) => {
    try { await m.${fn}(${JSON.stringify(file)}, 'test file'); console.log('ok'); }
    catch (e) { console.log(e.finding ? e.finding.code + ' ' + e.finding.args.reason : 'crash ' + e); }
  })`;
  const r = spawnSync(process.execPath, ['-e', script], { encoding: 'utf8', timeout: 20_000, killSignal: 'SIGKILL' });
  return { code: r.stdout.trim(), timedOut: r.signal === 'SIGKILL' };
}

describe('reading a whole file', () => {
  it('reads a regular file, also one of exactly the limit', async () => {
    const dir = tempDir({ 'a.txt': 'x'.repeat(1000) });
    const file = path.join(dir, 'a.txt');
    expect(readBytes(file, 'test file', 1000).toString()).toBe('x'.repeat(1000));
    expect((await readBytesAsync(file, 'test file', 1000)).toString()).toBe('x'.repeat(1000));
    expect(readHead(file, 'test file', 10).toString()).toBe('x'.repeat(10));
    expect(readBytes(path.join(dir, 'a.txt')).length).toBe(1000);
    expect(MAX_READ_BYTES).toBe(64 * 1024 * 1024);
  });

  it('refuses a file over the limit before reading it, saying the size and the limit', async () => {
    const dir = tempDir({ 'big.json': 'x'.repeat(3 * 1024 * 1024) });
    const file = path.join(dir, 'big.json');
    for (const f of [await findingOf(() => readBytes(file, 'model config', 2 * 1024 * 1024)), await findingOf(() => readBytesAsync(file, 'model config', 2 * 1024 * 1024))]) {
      expect(f).toMatchObject({ code: 'file-too-large', file, args: { size: 3 * 1024 * 1024, max: 2 * 1024 * 1024 } });
      expect(formatFinding(f)).toBe(
        `${file}: error file-too-large: model config is 3 MB (3145728 bytes): more than the 2 MB (2097152 bytes) labelmap reads from a model config\n` +
          '  fix: check that this is the right file (label metadata, sheets, bundles and lock files are far smaller)',
      );
    }
  });

  it('a missing file, a link loop and a folder are errors naming the file', async () => {
    const dir = tempDir({});
    symlinkSync('loop', path.join(dir, 'loop'));
    mkdirSync(path.join(dir, 'folder'));
    for (const read of [readBytes, readBytesAsync, readHead]) {
      expect(await findingOf(() => read(path.join(dir, 'nope'), 'sheet'))).toMatchObject({ code: 'file-not-found', file: path.join(dir, 'nope') });
      expect(await findingOf(() => read(path.join(dir, 'loop'), 'sheet'))).toMatchObject({
        code: 'file-unreadable',
        file: path.join(dir, 'loop'),
        args: { reason: 'ELOOP, a symbolic link loop' },
      });
      expect(await findingOf(() => read(path.join(dir, 'folder'), 'sheet'))).toMatchObject({
        code: 'file-unreadable',
        args: { reason: 'a directory, not a regular file' },
      });
    }
  });

  it('a FIFO is refused at once instead of waiting for a writer forever', () => {
    const dir = tempDir({});
    const fifo = path.join(dir, 'labels.json');
    execFileSync('mkfifo', [fifo]);
    for (const fn of ['readBytes', 'readHead', 'readBytesAsync'] as const) {
      expect(inChild(fn, fifo)).toEqual({ code: 'file-unreadable a FIFO (named pipe), whose reading could wait forever, not a regular file', timedOut: false });
    }
  });

  it('a device that never ends (/dev/zero) is refused instead of filling memory', () => {
    for (const fn of ['readBytes', 'readBytesAsync'] as const) {
      expect(inChild(fn, '/dev/zero')).toEqual({ code: 'file-unreadable a device, not a regular file', timedOut: false });
    }
  });

  it('a link to a regular file is read', () => {
    const dir = tempDir({ 'real.csv': 'a,b\n' });
    symlinkSync('real.csv', path.join(dir, 'link.csv'));
    expect(readBytes(path.join(dir, 'link.csv')).toString()).toBe('a,b\n');
    writeFileSync(path.join(dir, 'empty.csv'), '');
    expect(readBytes(path.join(dir, 'empty.csv')).length).toBe(0);
  });

  it('the streaming JSON scanner (COCO, which has no size limit) refuses a FIFO and a device too', () => {
    const dir = tempDir({});
    const fifo = path.join(dir, 'instances.json');
    execFileSync('mkfifo', [fifo]);
    for (const [input, reason] of [
      [fifo, 'a FIFO (named pipe), whose reading could wait forever, not a regular file'],
      ['/dev/zero', 'a device, not a regular file'],
    ] as const) {
      const r = spawnSync(process.execPath, [BIN, 'extract', 'coco', input, '--stdout'], { encoding: 'utf8', timeout: 20_000, killSignal: 'SIGKILL', env: { ...process.env, NO_COLOR: '1' } });
      expect(r.signal).toBeNull();
      expect(r.status).toBe(2);
      expect(r.stderr).toBe(`labelmap: ${input}: error file-unreadable: cannot read input file: ${reason}\n`);
    }
  });
});
