/**
 * Instantiating the WebAssembly core with its wasm-bindgen glue, from a
 * compiled module: src/shipped.ts compiles the bytes shipped in the package
 * (Node, Deno, Bun, browsers); src/workerd.ts gets the module workerd
 * compiled from `hybridkem.wasm`, because workerd refuses to compile bytes at
 * run time. Synchronous either way: `backend` is ready when the import resolves.
 * @module
 */
import { BackendUnavailableError } from '@hybridkem/core';
import * as glue from '../build/glue.js';

export type Glue = typeof glue;

export function unavailable(reason: string, cause?: unknown): never {
  throw new BackendUnavailableError(`@hybridkem/wasm: ${reason}`, cause);
}

export function webAssembly(): typeof WebAssembly {
  const wa = (globalThis as { WebAssembly?: typeof WebAssembly }).WebAssembly;
  if (typeof wa !== 'object' || wa === null || typeof wa.Module !== 'function' || typeof wa.Instance !== 'function') {
    unavailable('this JavaScript environment has no WebAssembly (disabled, or an interpreter-only engine)');
  }
  return wa;
}

let memory: WebAssembly.Memory | undefined;

/** The instance's linear memory, for the test that looks for leftover secrets in it. Not exported by the package. */
export function memoryForTesting(): WebAssembly.Memory | undefined {
  return memory;
}

/** Instantiates `module` with the wasm-bindgen glue and returns the glue, now bound to it. */
export function instantiate(module: WebAssembly.Module): Glue {
  const wa = webAssembly();
  try {
    // wasm-bindgen's bundler output imports its glue under one module name
    // ("./hybridkem_wasm_bg.js"); read it from the module rather than assume it.
    const imports: WebAssembly.Imports = {};
    for (const i of wa.Module.imports(module)) imports[i.module] = glue as unknown as WebAssembly.ModuleImports;
    const instance = new wa.Instance(module, imports);
    memory = instance.exports.memory as WebAssembly.Memory;
    glue.__wbg_set_wasm(instance.exports);
    const start = instance.exports.__wbindgen_start;
    if (typeof start === 'function') start();
    return glue;
  } catch (error) {
    unavailable('cannot instantiate the WebAssembly module', error);
  }
}
