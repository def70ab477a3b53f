import { defineConfig } from 'vitest/config';
import { VERSION_DEFINES } from './versions.config.js';

export default defineConfig({
  define: VERSION_DEFINES,
  test: { include: ['test/**/*.test.ts'], testTimeout: 120_000, hookTimeout: 120_000 },
});
