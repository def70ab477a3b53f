import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['test/**/*.test.ts'],
    setupFiles: ['@hybridkem/core/testing/setup'],
    testTimeout: 180_000,
    hookTimeout: 300_000,
  },
});
