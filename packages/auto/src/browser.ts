/**
 * @hybridkem/auto for bundles (browsers, web workers, workerd): everything in
 * `@hybridkem/core`, with a `getBackend()` that picks wasm, else noble. Both
 * are imported by literal names, so esbuild, Vite, webpack and Rollup follow
 * them with no configuration; each is evaluated only when selection reaches
 * it, so a page where WebAssembly is blocked gets noble (with one notice)
 * instead of failing to load. The native addon is not a candidate here.
 * @module
 */
import { createSelection } from './selection.js';

export * from '@hybridkem/core';

const selection = createSelection({
  wasm: () => import('@hybridkem/wasm'),
  noble: () => import('@hybridkem/noble'),
});

/**
 * The backend to use: the one named by `options.backend`, else the fastest
 * that loads (wasm, noble). Passing over wasm is reported once (a console
 * warning), or to `options.onFallback`.
 * @throws {BackendUnavailableError} with the load failure(s) in `cause`
 */
export const getBackend = selection.getBackend;
/** Loads one backend by name (cached); throws BackendUnavailableError with the cause. */
export const loadBackend = selection.loadBackend;
/** Tries wasm and noble and reports which load and why the others do not. */
export const probeBackends = selection.probeBackends;
