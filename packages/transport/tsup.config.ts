import { defineConfig } from 'tsup';

// ESM and CJS with their own typings; the gateway's cluster workers load the
// built ESM entry (dist/gateway/worker.js), so it is an entry of its own.
export default defineConfig({
  entry: { index: 'src/index.ts', 'gateway/worker': 'src/gateway/worker.ts' },
  format: ['esm', 'cjs'],
  dts: true,
  clean: true,
  sourcemap: true,
  target: 'es2022',
  platform: 'node',
  // import.meta.url in the CJS build: the cluster finds its worker entry next to its own bundle.
  shims: true,
});
