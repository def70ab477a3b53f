import { defineConfig } from 'tsup';

// One entry per export; ESM and CJS with their own typings.
export default defineConfig({
  entry: { index: 'src/index.ts', 'testing/index': 'src/testing/index.ts', 'testing/setup': 'src/testing/setup.ts' },
  format: ['esm', 'cjs'],
  dts: true,
  clean: true,
  sourcemap: true,
  target: 'es2022',
  external: ['vitest', 'fast-check', '@hybridkem/native', '@hybridkem/wasm', '@hybridkem/noble'],
});
