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
import { SIGNING_BUILD_PROBLEM } from '../build/signing-glue.js';
import { createSigningLoader, type LoadedSignatureBackend, type SigningSource, type WasmSignatureBackend } from './signing.js';

export type { InitWasm, WasmSource } from './init.js';
export type { LoadedSignatureBackend, SigningSource, WasmSignatureBackend } from './signing.js';

/** The wasm backend, ready to use. */
export const backend: Backend = createWasmBackend(instantiate(compileShippedModule()));

/**
 * Resolves to `backend`. This entry instantiated its own module at import,
 * so it loads nothing, whatever `source` is (a source of the wrong type is
 * still rejected): code written for `@hybridkem/wasm/lite` runs unchanged.
 */
export const initWasm: InitWasm = createInitialiser({ ready: backend }).initWasm;

// Signatures: a module of their own (hybridkem-signing.wasm), not inlined and
// not compiled at import; loaded on first use (src/signing.ts). The URL is
// written from the package's root so that it names dist/ from both dist/
// (the published entry) and src/ (the package's own tests).
const signing = createSigningLoader({
  defaultSource: () => new URL('../dist/hybridkem-signing.wasm', import.meta.url),
  buildProblem: SIGNING_BUILD_PROBLEM,
});

/**
 * Composite-signature primitives for @hybridkem/signing. In Node, Deno and
 * Bun the module is read and compiled by the first operation; anywhere,
 * `await signatureBackend` (what getSignatureBackend() does) or
 * `await initSigning()` loads it asynchronously first.
 */
export const signatureBackend: WasmSignatureBackend = signing.signatureBackend;

/** Loads the signature module from `source` (default: hybridkem-signing.wasm in the package) and resolves to the ready backend. */
export const initSigning: (source?: SigningSource) => Promise<LoadedSignatureBackend> = signing.initSigning;

/** Whether the signature module is loaded; for tests. Not part of the API. */
export const signingLoadedForTesting: () => boolean = signing.loaded;
