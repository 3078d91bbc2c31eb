// The file edges in one place: bounded reads, head reads, folder checks, atomic writes, the write guard.
export { checkReadable, decodeText, describeErrno, MAX_READ_BYTES, READ_FLAGS, readBytes, readBytesAsync, readHead, SHEET_MAX_BYTES } from './read.js';
export { existsAsNonFolder, isDirectory, isDirectoryAsync, missingParentFolder } from './folders.js';
export { isRunning, removeStaleTemps, writeFileAtomic } from './write.js';
export {
  isInsideSheets,
  isWithin,
  lockFileOf,
  openOutputFolder,
  OUTPUT_MARKER,
  realTarget,
  refuseInsideSheets,
  refuseLinkedFolders,
  refuseOutputFile,
  refuseSheetFolderOutside,
  refuseSheetOutsideRepository,
  removeEarlierOutputs,
  withOutputLock,
  writeMarker,
} from './guard.js';
