/**
 * Instantiating the WebAssembly core with its wasm-bindgen glue, from a
 * compiled module: src/shipped.ts compiles the bytes shipped in the package
 * (Node, Deno, Bun, browsers); src/workerd.ts gets the module workerd
 * compiled from `hybridkem.wasm`, because workerd refuses to compile bytes at
 * run time; src/init.ts compiles whatever `initWasm(source)` is given.
 * The first two are synchronous, so their `backend` is ready when the import
 * resolves; initWasm instantiates asynchronously.
 * @module
 */
import { BackendUnavailableError } from '@hybridkem/core';
import * as glue from '../build/glue.js';

/**
 * The glue's functions. build/glue.d.ts, which the build script writes,
 * declares the suite operations; the private-key handle exports are declared
 * here (wasm-bindgen's own declarations in build/simd have them all).
 */
export type Glue = typeof glue & {
  expandPrivateKey(suiteId: number, seed: Uint8Array): number;
  decapsulateExpanded(suiteId: number, key: number, ciphertext: Uint8Array): Uint8Array;
  freeExpandedKey(key: number): boolean;
  liveExpandedKeys(): number;
};

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

/** What the glue calls in the instance; a module without them is not ours. */
const REQUIRED_EXPORTS = ['memory', 'derivePublicKey', 'encapsulate', 'decapsulate', 'suites', 'implementation'];
/**
 * What the glue calls for private-key handles: a module with the exports
 * above but not these is an older build of this package, refused here rather
 * than failing with a TypeError on the first importPrivateKey.
 */
const EXPANDED_KEY_EXPORTS = ['expandPrivateKey', 'decapsulateExpanded', 'freeExpandedKey'];

/**
 * The import object for `module`, checked against the glue first: wasm-bindgen
 * names its imports with a hash per build, so a `.wasm` from another version
 * of this package (a stale copy on a CDN) is told apart here, before anything
 * is bound, instead of failing later with a bare LinkError.
 */
function importsFor(wa: typeof WebAssembly, module: WebAssembly.Module): WebAssembly.Imports {
  const exported = new Set(wa.Module.exports(module).map((e) => e.name));
  const missing = REQUIRED_EXPORTS.filter((name) => !exported.has(name));
  if (missing.length) unavailable(`this WebAssembly module is not hybridkem's (it does not export ${missing.join(', ')})`);
  const older = EXPANDED_KEY_EXPORTS.filter((name) => !exported.has(name));
  if (older.length) unavailable(`this WebAssembly module was built for another version of @hybridkem/wasm (it does not export ${older.join(', ')})`);
  const imports: WebAssembly.Imports = {};
  for (const i of wa.Module.imports(module)) {
    if (typeof (glue as Record<string, unknown>)[i.name] !== 'function') {
      unavailable(`this WebAssembly module was built for another version of @hybridkem/wasm (it imports ${i.name}, which this package's glue lacks)`);
    }
    // wasm-bindgen's bundler output imports its glue under one module name
    // ("./hybridkem_wasm_bg.js"); read it from the module rather than assume it.
    imports[i.module] = glue as unknown as WebAssembly.ModuleImports;
  }
  return imports;
}

function bind(instance: WebAssembly.Instance): Glue {
  memory = instance.exports.memory as WebAssembly.Memory;
  glue.__wbg_set_wasm(instance.exports);
  const start = instance.exports.__wbindgen_start;
  if (typeof start === 'function') start();
  return glue as Glue;
}

/** Instantiates `module` with the wasm-bindgen glue, synchronously, and returns the glue, now bound to it. */
export function instantiate(module: WebAssembly.Module): Glue {
  const wa = webAssembly();
  const imports = importsFor(wa, module);
  try {
    return bind(new wa.Instance(module, imports));
  } catch (error) {
    unavailable('cannot instantiate the WebAssembly module', error);
  }
}

/**
 * The same, asynchronously: browsers allow synchronous instantiation only of
 * small modules on the main thread, and the asynchronous form never blocks it.
 */
export async function instantiateAsync(module: WebAssembly.Module): Promise<Glue> {
  const wa = webAssembly();
  const imports = importsFor(wa, module);
  let instance: WebAssembly.Instance;
  try {
    instance = await wa.instantiate(module, imports);
  } catch (error) {
    unavailable('cannot instantiate the WebAssembly module', error);
  }
  try {
    return bind(instance);
  } catch (error) {
    unavailable('cannot start the WebAssembly module', error);
  }
}
