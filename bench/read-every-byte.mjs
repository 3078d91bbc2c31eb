#!/usr/bin/env node
// The read floor for bench/coco.mjs: reads a file in 1 MiB chunks (as labelmap's scanner does)
// and touches every byte (counts the line feeds, so no byte can be skipped), then prints the
// count. `node bench/read-every-byte.mjs big.json`
import { closeSync, openSync, readSync } from 'node:fs';

const fd = openSync(process.argv[2], 'r');
const buf = Buffer.allocUnsafe(1 << 20);
let lines = 0;
let bytes = 0;
for (;;) {
  const n = readSync(fd, buf, 0, buf.length, null);
  if (n === 0) break;
  for (let i = 0; i < n; i++) if (buf[i] === 0x0a) lines++;
  bytes += n;
}
closeSync(fd);
process.stdout.write(`${bytes} bytes, ${lines} line feeds\n`);
