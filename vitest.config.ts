import { availableParallelism } from 'node:os';
import { defineConfig } from 'vitest/config';

// No test makes a TLS connection; the CA bundle some environments name here costs every Node
// start-up (each vitest worker, each spawned CLI run) about 45 ms. Removed before the workers start,
// so that they and every child they spawn go without it.
delete process.env.NODE_EXTRA_CA_CERTS;

export default defineConfig({
  test: {
    include: ['tests/**/*.test.ts'],
    testTimeout: 60_000,
    hookTimeout: 60_000,
    // One child process per test file (forks, isolated): tests share no module state, and a test
    // may set its process's working directory (the in-process CLI helper does, one run at a time).
    // vitest's default leaves one core free, which on a 2-core machine means one file at a time.
    pool: 'forks',
    isolate: true,
    maxWorkers: Math.max(2, availableParallelism()),
    minWorkers: 1,
  },
});
