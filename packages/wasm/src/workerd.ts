/**
 * @hybridkem/wasm for Cloudflare's workerd (the `workerd` export condition).
 * workerd refuses to compile WebAssembly from bytes at run time, so this entry
 * imports the `.wasm` file as a module: wrangler / workerd compile it when the
 * worker is deployed and hand it over as a WebAssembly.Module.
 * @module
 */
import type { Backend } from '@hybridkem/core';
import { createWasmBackend } from './backend.js';
import { createInitialiser, type InitWasm } from './init.js';
import { instantiate } from './instantiate.js';
import wasmModule from './hybridkem.wasm';
import { SIGNING_BUILD_PROBLEM } from '../build/signing-glue.js';
import { createSigningLoader, type LoadedSignatureBackend, type SigningSource, type WasmSignatureBackend } from './signing.js';

export type { InitWasm, WasmSource } from './init.js';
export type { LoadedSignatureBackend, SigningSource, WasmSignatureBackend } from './signing.js';

/** The wasm backend, ready to use. */
export const backend: Backend = createWasmBackend(instantiate(wasmModule));

/** Resolves to `backend`, already instantiated at import (see the default entry). */
export const initWasm: InitWasm = createInitialiser({ ready: backend }).initWasm;

// Signatures: workerd cannot compile bytes at run time, and importing
// hybridkem-signing.wasm here would make every worker load it with the KEM
// module. So this entry has no default source: pass the module,
// `import signing from '@hybridkem/wasm/hybridkem-signing.wasm'; await initSigning(signing)`.
// Until then its operations, and `await signatureBackend`, fail with a
// BackendUnavailableError saying so (getSignatureBackend() then falls back).
const signing = createSigningLoader({ buildProblem: SIGNING_BUILD_PROBLEM });

/** Composite-signature primitives for @hybridkem/signing, once initSigning(module) has resolved. */
export const signatureBackend: WasmSignatureBackend = signing.signatureBackend;

/** Instantiates the signature module workerd compiled from `@hybridkem/wasm/hybridkem-signing.wasm`. */
export const initSigning: (source?: SigningSource) => Promise<LoadedSignatureBackend> = signing.initSigning;
