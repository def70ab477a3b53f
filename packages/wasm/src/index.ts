/**
 * @hybridkem/wasm: the WebAssembly backend (Rust: libcrux and RustCrypto,
 * SIMD128). Importing compiles and instantiates the module shipped in the
 * package, synchronously; if WebAssembly is missing or its compilation is
 * blocked, the import fails with a BackendUnavailableError saying why (the
 * original error in `cause`), and core's getBackend() falls back to noble.
 * @module
 */
import type { Backend } from '@hybridkem/core';
import { createWasmBackend } from './backend.js';
import { createInitialiser, type InitWasm } from './init.js';
import { instantiate } from './instantiate.js';
import { compileShippedModule } from './shipped.js';

export type { InitWasm, WasmSource } from './init.js';

/** The wasm backend, ready to use. */
export const backend: Backend = createWasmBackend(instantiate(compileShippedModule()));

/**
 * Resolves to `backend`. This entry instantiated its own module at import,
 * so it loads nothing, whatever `source` is (a source of the wrong type is
 * still rejected): code written for `@hybridkem/wasm/lite` runs unchanged.
 */
export const initWasm: InitWasm = createInitialiser({ ready: backend }).initWasm;
