/**
 * @hybridkem/auto for Node: everything in `@hybridkem/core`, with a
 * `getBackend()` that picks the fastest backend that runs here (native,
 * openssl, wasm, noble) from this package's own dependencies. Bundlers get `browser.ts`
 * instead (the `browser`, `worker` and `workerd` conditions).
 * @module
 */
import { NODE_LOADERS } from './node-loaders.js';
import { createSelection } from './selection.js';

export * from '@hybridkem/core';

const selection = createSelection(NODE_LOADERS);

/**
 * The backend to use: the one named by `options.backend`, else by the
 * HYBRIDKEM_BACKEND environment variable, else the fastest that loads
 * (native, openssl, wasm, noble). Passing over a faster one is reported once, or to
 * `options.onFallback`.
 * @throws {BackendUnavailableError} with the load failure(s) in `cause`
 */
export const getBackend = selection.getBackend;
/** Loads one backend by name (cached); throws BackendUnavailableError with the cause. */
export const loadBackend = selection.loadBackend;
/** Tries every backend and reports which load and why the others do not. */
export const probeBackends = selection.probeBackends;
