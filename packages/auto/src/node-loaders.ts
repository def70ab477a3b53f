/**
 * The backends Node can run, fastest first, each imported by a literal name
 * from this package. `@hybridkem/native`, `@hybridkem/openssl` and
 * `@hybridkem/wasm` are optional dependencies: a platform without a native
 * prebuild, a Node without ML-KEM in node:crypto (before 24.7), or an
 * install with `--omit=optional`, goes on to the next backend with one line
 * saying why.
 * @module
 */
import type { BackendModule, BackendModuleLoader, BackendName } from '@hybridkem/core';

// The build defines __HYBRIDKEM_CJS__ (tsup.config.ts): true in the CommonJS
// build, where each backend's CommonJS build is required so that it shares
// the caller's copy of core (errors stay `instanceof` core's classes).
declare const __HYBRIDKEM_CJS__: boolean | undefined;
declare const require: (id: string) => BackendModule;
const CJS = typeof __HYBRIDKEM_CJS__ !== 'undefined' && __HYBRIDKEM_CJS__;

export const NODE_LOADERS: Readonly<Record<BackendName, BackendModuleLoader>> = Object.freeze({
  native: () => (CJS ? require('@hybridkem/native') : import('@hybridkem/native')),
  openssl: () => (CJS ? require('@hybridkem/openssl') : import('@hybridkem/openssl')),
  wasm: () => (CJS ? require('@hybridkem/wasm') : import('@hybridkem/wasm')),
  noble: () => (CJS ? require('@hybridkem/noble') : import('@hybridkem/noble')),
});
