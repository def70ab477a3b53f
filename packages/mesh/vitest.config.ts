import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['test/**/*.test.ts'],
    testTimeout: 120_000,
    hookTimeout: 120_000,
    // Stops, after each test file, every process (nats-server, node agents) a failed or timed-out test left running.
    setupFiles: ['@hybridkem/core/testing/setup'],
  },
});
