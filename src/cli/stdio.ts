// The binary's stdout and stderr. On a terminal they are Node's own streams (width, colours). To a
// pipe or a file, Node's stream writes synchronously on Linux anyway, but building it loads net,
// stream and socket modules: about 5 ms of CPU at each start, per stream (BENCHMARKS.md, list).
// So there the program writes to the descriptor itself, with the same effect: whole, in order,
// before the next write. If the descriptor cannot take a write at once (a non-blocking pipe a
// parent process made: EAGAIN), that write and every later one go through Node's stream, which
// waits for the reader.
import { fstatSync, writeSync } from 'node:fs';
import type { OutputStream } from './context.js';

/** What happens when the reader has gone (`labelmap ... | head`): main.ts ends the process. */
export type OnClosed = () => void;

export function processOutput(fd: 1 | 2, onClosed: OnClosed): OutputStream {
  const nodeStream = (): NodeJS.WriteStream => {
    const s = fd === 1 ? process.stdout : process.stderr;
    s.on('error', (error: NodeJS.ErrnoException) => {
      if (error.code !== 'EPIPE') throw error;
      onClosed();
    });
    return s;
  };
  // A terminal is a character device (node:tty would load net to ask): so are /dev/null and a
  // few others, which get Node's stream too.
  if (isCharacterDevice(fd)) return nodeStream();
  let stream: NodeJS.WriteStream | null = null;
  return {
    isTTY: false,
    write(text: string): boolean {
      if (stream) return stream.write(text);
      const bytes = Buffer.from(text, 'utf8');
      let done = 0;
      while (done < bytes.length) {
        try {
          done += writeSync(fd, bytes, done, bytes.length - done);
        } catch (error) {
          const code = (error as NodeJS.ErrnoException).code;
          if (code === 'EPIPE') {
            onClosed();
            return false;
          }
          if (code !== 'EAGAIN') throw error;
          stream = nodeStream();
          return stream.write(bytes.subarray(done));
        }
      }
      return true;
    },
  };
}

function isCharacterDevice(fd: number): boolean {
  try {
    return fstatSync(fd).isCharacterDevice();
  } catch {
    return true;
  }
}
