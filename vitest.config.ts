import { availableParallelism } from 'node:os';
import { defineConfig } from 'vitest/config';

// No test makes a TLS connection; the CA bundle some environments name here costs every Node
// start-up (each vitest worker, each spawned CLI run) about 45 ms. Removed before the workers start,
// so that they and every child they spawn go without it.
delete process.env.NODE_EXTRA_CA_CERTS;

export default defineConfig({
  test: {
    include: ['tests/**/*.test.ts'],
    // A guard against hangs, not a speed goal: on a shared 2-core machine a SIGKILL round test or a
    // pinned npm install can take minutes (speed is measured by `npm run bench`, never here).
    testTimeout: 180_000,
    hookTimeout: 180_000,
    // One child process per test file (forks, isolated): tests share no module state, and a test
    // may set its process's working directory (the in-process CLI helper does, one run at a time).
    // vitest's default leaves one core free, which on a 2-core machine means one file at a time.
    pool: 'forks',
    isolate: true,
    maxWorkers: Math.max(2, availableParallelism()),
    minWorkers: 1,
  },
});
