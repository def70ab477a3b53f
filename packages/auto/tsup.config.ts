import { defineConfig } from 'tsup';

// index: the Node entry; browser: the bundler entry (the browser, worker and
// workerd conditions, ESM only in the exports map).
export default defineConfig({
  entry: { index: 'src/index.ts', browser: 'src/browser.ts' },
  format: ['esm', 'cjs'],
  dts: true,
  clean: true,
  sourcemap: true,
  target: 'es2022',
  // Optional dependencies are not external by default: the backends stay
  // packages of their own, imported at run time.
  external: ['@hybridkem/native', '@hybridkem/openssl', '@hybridkem/wasm', '@hybridkem/noble'],
  // src/node-loaders.ts loads the backends with `require` in the CommonJS
  // build only, so that a CommonJS process holds one copy of core.
  esbuildOptions(options, context) {
    options.define = { ...options.define, __HYBRIDKEM_CJS__: String(context.format === 'cjs') };
  },
});
