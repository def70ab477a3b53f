/**
 * The module shipped inside the package: base64 in build/bytes.js (written by
 * scripts/build-wasm.mjs), so Node, Deno, Bun and bundlers (Vite, esbuild)
 * need no loader, file access or asset configuration.
 * @module
 */
import { BUILD_PROBLEM, WASM_BASE64 } from '../build/bytes.js';
import { unavailable, webAssembly } from './instantiate.js';

function decodeBase64(text: string): Uint8Array {
  const binary = atob(text);
  const bytes = new Uint8Array(binary.length);
  for (let i = 0; i < binary.length; i++) bytes[i] = binary.charCodeAt(i);
  return bytes;
}

/** Compiles the shipped bytes. */
export function compileShippedModule(): WebAssembly.Module {
  if (BUILD_PROBLEM) unavailable(BUILD_PROBLEM);
  const wa = webAssembly();
  try {
    return new wa.Module(decodeBase64(WASM_BASE64) as BufferSource);
  } catch (error) {
    unavailable(
      'cannot compile the WebAssembly module: compilation is blocked here (a Content-Security-Policy without ' +
        "'wasm-unsafe-eval', a runtime that forbids compiling code, or no SIMD128 support)",
      error,
    );
  }
}
