import { defineConfig } from 'tsup';

// `.` (everywhere) and `./node` (FileKeyStore, writeFileAtomic). Both formats
// split shared code into chunks, so the two entries share one copy of each
// class and `instanceof KeyStoreError` holds for errors from either.
export default defineConfig({
  entry: { index: 'src/index.ts', node: 'src/node.ts' },
  format: ['esm', 'cjs'],
  splitting: true,
  dts: true,
  clean: true,
  sourcemap: true,
  target: 'es2022',
});
