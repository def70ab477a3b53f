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
import { instantiate } from './instantiate.js';
import { compileShippedModule } from './shipped.js';

/** The wasm backend, ready to use. */
export const backend: Backend = createWasmBackend(instantiate(compileShippedModule()));
