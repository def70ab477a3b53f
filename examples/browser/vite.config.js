// @ts-check
import { defineConfig } from 'vite';

export default defineConfig({
  build: {
    // One chunk is expected to pass Vite's 500 kB default: @hybridkem/wasm's default entry carries its
    // KEM module inlined (base64, about 520 kB minified, 195 kB gzip), so that it loads from any bundler
    // with no asset setup. @hybridkem/auto imports it dynamically, only when backend selection reaches
    // wasm, so the page's entry chunk stays small. A page that wants the .wasm as a separate, streamed
    // asset uses @hybridkem/wasm/lite and initWasm() instead (see packages/wasm/README.md).
    chunkSizeWarningLimit: 600,
  },
});
