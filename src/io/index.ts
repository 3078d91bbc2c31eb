// The file edges in one place: bounded reads, head reads, folder checks, atomic writes.
export { checkReadable, decodeText, describeErrno, MAX_READ_BYTES, READ_FLAGS, readBytes, readBytesAsync, readHead, SHEET_MAX_BYTES } from './read.js';
export { existsAsNonFolder, isDirectory, isDirectoryAsync, missingParentFolder } from './folders.js';
export { removeStaleTemps, writeFileAtomic } from './write.js';
