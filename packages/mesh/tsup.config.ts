import { defineConfig } from 'tsup';

// ESM and CJS with their own typings. The node agent's process entry
// (dist/agent/main.js: `hybridkem mesh agent` and the cluster test run it)
// is an entry of its own.
export default defineConfig({
  entry: { index: 'src/index.ts', 'agent/main': 'src/agent/main.ts' },
  format: ['esm', 'cjs'],
  dts: true,
  clean: true,
  sourcemap: true,
  target: 'es2022',
  platform: 'node',
  // import.meta.url in the CJS build: the agent entry knows whether it is the main module.
  shims: true,
});
