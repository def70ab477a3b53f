/**
 * @hybridkem/wasm/lite: the WebAssembly backend without the module inlined.
 * Nothing is compiled at import; `await initWasm(source?)` loads the module
 * (by default `hybridkem.wasm` beside this file, which Vite and webpack
 * recognise in `new URL(..., import.meta.url)` and emit as an asset), and
 * until it resolves every operation of `backend` throws a
 * BackendUnavailableError saying so.
 * @module
 */
import type { Backend } from '@hybridkem/core';
import { createDeferredBackend } from './backend.js';
import { createInitialiser, type InitWasm } from './init.js';

export type { InitWasm, WasmSource } from './init.js';

const initialiser = createInitialiser({ defaultSource: () => new URL('./hybridkem.wasm', import.meta.url) });

/** The wasm backend; its operations work once initWasm() has resolved. */
export const backend: Backend = createDeferredBackend(initialiser.ready, '@hybridkem/wasm/lite');

/**
 * Loads the module from `source` (default: `hybridkem.wasm` next to this
 * file) and resolves to `backend`, now ready. Calling it again resolves at
 * once; a failed load can be retried. Rejects with InvalidArgumentError for a
 * source of the wrong type, BackendUnavailableError (the reason in `cause`)
 * when the module cannot be fetched, compiled or instantiated.
 */
export const initWasm: InitWasm = (source) => initialiser.initWasm(source).then(() => backend);
