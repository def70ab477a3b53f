import { defineConfig } from 'tsup';

// One entry per export; ESM and CJS with their own typings.
export default defineConfig({
  entry: { index: 'src/index.ts', 'testing/index': 'src/testing/index.ts', 'testing/setup': 'src/testing/setup.ts' },
  format: ['esm', 'cjs'],
  dts: true,
  clean: true,
  sourcemap: true,
  target: 'es2022',
  // registry.ts loads backends with `require` in the CommonJS build only.
  esbuildOptions(options, context) {
    options.define = { ...options.define, __HYBRIDKEM_CJS__: String(context.format === 'cjs') };
  },
  external: ['vitest', 'fast-check', '@hybridkem/native', '@hybridkem/wasm', '@hybridkem/noble'],
});
