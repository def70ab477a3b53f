import { copyFile } from 'node:fs/promises';
import { defineConfig } from 'tsup';

// `.` (Node, Deno, Bun, browsers): ESM and CJS, the module inlined as base64.
// `workerd` condition: ESM importing ./hybridkem.wasm, copied next to it.
// `./lite`: ESM without the module; initWasm() loads ./hybridkem.wasm or a
// source the caller gives. Each entry is bundled whole (its own copy of the
// glue), so importing lite never pulls in the base64.
export default defineConfig([
  {
    entry: { index: 'src/index.ts' },
    format: ['esm', 'cjs'],
    dts: true,
    clean: false, // scripts/build-wasm.mjs empties dist: the configs run in parallel
    sourcemap: false, // a map would repeat the 1.2 MB of base64
    shims: true, // import.meta.url in the CommonJS build: where hybridkem-signing.wasm is
    target: 'es2022',
  },
  {
    entry: { workerd: 'src/workerd.ts' },
    format: ['esm'],
    dts: true,
    clean: false,
    sourcemap: true,
    target: 'es2022',
    external: ['./hybridkem.wasm'],
    onSuccess: () => copyFile('build/hybridkem.wasm', 'dist/hybridkem.wasm'),
  },
  {
    entry: { lite: 'src/lite.ts' },
    format: ['esm'],
    dts: true,
    clean: false,
    sourcemap: true,
    target: 'es2022',
  },
]);
