import { defineConfig } from 'vitest/config';
import { scaled } from './test/helpers/time.js';

export default defineConfig({
  test: {
    include: ['test/**/*.test.ts'],
    // Every limit is scaled from TEST_TIME_SCALE (test/helpers/time.ts): a slow or busy machine raises them all.
    testTimeout: scaled(20_000),
    hookTimeout: scaled(30_000),
    pool: 'forks',
    // Two cores: real child processes and sockets per test; keep parallelism modest.
    maxWorkers: 2,
  },
});
