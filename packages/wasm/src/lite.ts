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
import { SIGNING_BUILD_PROBLEM } from '../build/signing-glue.js';
import { createSigningLoader, type LoadedSignatureBackend, type SigningSource, type WasmSignatureBackend } from './signing.js';

export type { InitWasm, WasmSource } from './init.js';
export type { LoadedSignatureBackend, SigningSource, WasmSignatureBackend } from './signing.js';

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

// Signatures, as in the default entry: hybridkem-signing.wasm beside this
// file (Vite and webpack emit it as an asset from this pattern), loaded on
// first use or by initSigning(source?).
const signing = createSigningLoader({
  defaultSource: () => new URL('../dist/hybridkem-signing.wasm', import.meta.url),
  buildProblem: SIGNING_BUILD_PROBLEM,
});

/** Composite-signature primitives for @hybridkem/signing (see the default entry). */
export const signatureBackend: WasmSignatureBackend = signing.signatureBackend;

/** Loads the signature module from `source` (default: hybridkem-signing.wasm beside this file). */
export const initSigning: (source?: SigningSource) => Promise<LoadedSignatureBackend> = signing.initSigning;
