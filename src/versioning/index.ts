// Versioning core: diff of sheets and sheet sets, bump levels, the release lock. Pure.
export * from './bump.js';
export * from './diff.js';
export * from './lock.js';
export * from './compiled.js';
