// The sheet core: schemas, CSV read/write, discovery, atomic writes.
export * from './schema.js';
export * from './csv.js';
export * from './discover.js';
export * from './io.js';
