import { rmSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { defineConfig, type Options } from 'tsup';

// The channel's default ChannelCrypto comes from noise/platform-crypto.ts (the
// portable @noble one). The Node builds swap in platform-crypto.node.ts
// (node:crypto), so `@hybridkem/transport` and `./channel`'s `node` condition
// use OpenSSL while `./channel`'s default condition imports nothing from `node:`.
const nodePlatformCrypto = {
  name: 'node-platform-crypto',
  setup(build: Parameters<NonNullable<Options['esbuildPlugins']>[number]['setup']>[0]) {
    build.onResolve({ filter: /\/platform-crypto\.js$/ }, () => ({
      path: fileURLToPath(new URL('./src/channel/noise/platform-crypto.node.ts', import.meta.url)),
    }));
  },
};

// Two builds write into dist/ at the same time, so neither cleans it (tsup's
// clean would race with the other's output): dist/ is removed once, here.
export default defineConfig((): Options[] => {
  rmSync(fileURLToPath(new URL('./dist', import.meta.url)), { recursive: true, force: true });
  return [
  // ESM and CJS with their own typings; the gateway's cluster workers load the
  // built ESM entry (dist/gateway/worker.js), so it is an entry of its own.
  {
    entry: { index: 'src/index.ts', 'gateway/worker': 'src/gateway/worker.ts', 'channel/node': 'src/channel/index.node.ts' },
    format: ['esm', 'cjs'],
    dts: true,
    clean: false,
    sourcemap: true,
    target: 'es2022',
    platform: 'node',
    // import.meta.url in the CJS build: the cluster finds its worker entry next to its own bundle.
    shims: true,
    esbuildPlugins: [nodePlatformCrypto],
  },
  // `@hybridkem/transport/channel` for browsers, workerd and bundlers: no `node:` import.
  {
    entry: { 'channel/index': 'src/channel/index.ts' },
    format: ['esm', 'cjs'],
    dts: true,
    clean: false,
    sourcemap: true,
    target: 'es2022',
    platform: 'neutral',
  },
  ];
});
