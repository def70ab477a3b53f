import { readFileSync } from 'node:fs';
import { defineConfig } from 'tsup';

const manifest = JSON.parse(readFileSync(new URL('./package.json', import.meta.url), 'utf8')) as { version: string };

// ESM and CJS with their own typings. The package version is a literal, as
// `hybridkem backends` reports it.
export default defineConfig({
  entry: { index: 'src/index.ts' },
  format: ['esm', 'cjs'],
  dts: true,
  clean: true,
  sourcemap: true,
  target: 'es2022',
  platform: 'node',
  define: { __OPENSSL_BACKEND_VERSION__: JSON.stringify(manifest.version) },
});
