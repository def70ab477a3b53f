import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['test/**/*.test.ts'],
    testTimeout: 120_000,
    hookTimeout: 120_000,
    // Stops whatever a test file left running (workerd, when a test failed or timed out before its cleanup).
    setupFiles: ['@hybridkem/core/testing/setup'],
  },
});
