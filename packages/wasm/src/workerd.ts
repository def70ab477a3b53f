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

export type { InitWasm, WasmSource } from './init.js';

/** The wasm backend, ready to use. */
export const backend: Backend = createWasmBackend(instantiate(wasmModule));

/** Resolves to `backend`, already instantiated at import (see the default entry). */
export const initWasm: InitWasm = createInitialiser({ ready: backend }).initWasm;
