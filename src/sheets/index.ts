// The sheet core: schemas, CSV read/write, discovery, atomic writes.
export * from './schema.js';
export * from './csv.js';
export * from './discover.js';
export * from './io.js';
// The file edges live in src/io/; the library has exported these from here since before that.
export { checkReadable, decodeText, describeErrno, MAX_READ_BYTES, READ_FLAGS, readBytes, readBytesAsync, readHead, removeStaleTemps, writeFileAtomic } from '../io/index.js';
