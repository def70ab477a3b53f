/**
 * The `wasm` Backend: every call is one whole suite operation inside
 * WebAssembly (wasm/src/lib.rs). Inputs are copied in once, outputs out once;
 * the core wipes its copies of secrets.
 * @module
 */
import { BackendUnavailableError, InvalidArgumentError, SUITES, type Backend, type Encapsulation, type ExpandedPrivateKey, type Suite } from '@hybridkem/core';
import { toTypedError } from './errors.js';
import type { Glue } from './instantiate.js';
import { BACKEND_VERSION } from './version.js';

export interface WasmSuiteInfo {
  id: number;
  name: string;
  /** core's `Suite.family`: 'hybrid', 'pq' or 'classical'. */
  family: string;
  publicKey: number;
  ciphertext: number;
  seed: number;
  randomness: number;
  sharedSecret: number;
}

/** The WebAssembly core's suite table (wasm/src/lib.rs `suites()`). */
export function wasmSuites(glue: Glue): WasmSuiteInfo[] {
  return JSON.parse(glue.suites()) as WasmSuiteInfo[];
}

/**
 * Keys whose handle was never destroyed are freed (and wiped, by Rust's Drop
 * and the wiping allocator) when their token is garbage-collected. That is
 * best effort: the collector may run late, or not before the process exits;
 * destroy() is what guarantees the wipe. One registry for the module, not
 * one per backend, so that it outlives any backend object.
 */
const finalizer =
  typeof FinalizationRegistry === 'function'
    ? new FinalizationRegistry<{ glue: Glue; id: number }>(({ glue, id }) => glue.freeExpandedKey(id))
    : undefined;

export function createWasmBackend(glue: Glue): Backend {
  const ids = new Set(wasmSuites(glue).map((s) => s.id));
  // Expanded keys live in WebAssembly memory (wasm/src/expanded.rs); the token
  // the facade holds maps to the key's number here, so nothing outside this
  // backend can name a key, and a destroyed token no longer maps to one.
  const expandedKeys = new WeakMap<ExpandedPrivateKey, { suite: Suite; id: number }>();
  return Object.freeze({
    name: 'wasm',
    version: BACKEND_VERSION,
    implementation: `${glue.implementation()} (Rust, WebAssembly SIMD128)`,
    // libcrux's ML-KEM, SHA-3, HKDF and X25519 and RustCrypto's p256/p384 are
    // written to run in constant time; see README.md for what that covers.
    constantTime: true,
    suites: Object.freeze(SUITES.filter((s) => ids.has(s.id)).map((s) => s.id)),

    derivePublicKey(suite: Suite, seed: Uint8Array): Uint8Array {
      try {
        return glue.derivePublicKey(suite.id, seed);
      } catch (error) {
        throw toTypedError(error, suite);
      }
    },

    encapsulate(suite: Suite, publicKey: Uint8Array, randomness: Uint8Array): Encapsulation {
      let out: Uint8Array;
      try {
        out = glue.encapsulate(suite.id, publicKey, randomness);
      } catch (error) {
        throw toTypedError(error, suite, suite.mlkem ? publicKey.subarray(0, suite.mlkem.lengths.publicKey) : undefined);
      }
      // out = ciphertext ‖ shared secret: the secret gets its own buffer and
      // its bytes in `out` are wiped, so the ciphertext's buffer holds no secret.
      const split = suite.lengths.ciphertext;
      const sharedSecret = out.slice(split);
      out.fill(0, split);
      return { ciphertext: out.subarray(0, split), sharedSecret };
    },

    decapsulate(suite: Suite, seed: Uint8Array, ciphertext: Uint8Array): Uint8Array {
      try {
        return glue.decapsulate(suite.id, seed, ciphertext);
      } catch (error) {
        throw toTypedError(error, suite);
      }
    },

    expandPrivateKey(suite: Suite, seed: Uint8Array): ExpandedPrivateKey {
      let id: number;
      try {
        id = glue.expandPrivateKey(suite.id, seed);
      } catch (error) {
        throw toTypedError(error, suite);
      }
      const key: ExpandedPrivateKey = Object.freeze({
        destroy(): void {
          if (!expandedKeys.delete(key)) return;
          finalizer?.unregister(key);
          glue.freeExpandedKey(id);
        },
      });
      expandedKeys.set(key, { suite, id });
      finalizer?.register(key, { glue, id }, key);
      return key;
    },

    decapsulateExpanded(suite: Suite, key: ExpandedPrivateKey, ciphertext: Uint8Array): Uint8Array {
      const entry = expandedKeys.get(key);
      if (entry?.suite !== suite) throw new InvalidArgumentError('privateKey', `not a live ${suite.name} key of backend wasm`);
      try {
        return glue.decapsulateExpanded(suite.id, entry.id, ciphertext);
      } catch (error) {
        throw toTypedError(error, suite);
      }
    },
  } satisfies Backend);
}

/**
 * The backend of an entry that has no module until initWasm() loads one
 * (`@hybridkem/wasm/lite`): the same object before and after, so it can be
 * imported and passed around at once. Its suite list is core's (the Rust
 * table equals it, checked when the module loads); every operation before
 * then throws a BackendUnavailableError saying to call initWasm() first.
 */
export function createDeferredBackend(ready: () => Backend | undefined, entry: string): Backend {
  const loaded = (): Backend =>
    ready() ??
    (() => {
      throw new BackendUnavailableError(`${entry}: the WebAssembly module is not loaded yet: await initWasm() (or initWasm(url)) before using the backend`);
    })();
  return Object.freeze({
    name: 'wasm',
    version: BACKEND_VERSION,
    get implementation(): string {
      return ready()?.implementation ?? 'Rust, WebAssembly SIMD128 (not loaded yet: await initWasm())';
    },
    constantTime: true,
    suites: Object.freeze(SUITES.map((s) => s.id)),
    derivePublicKey: (suite: Suite, seed: Uint8Array) => loaded().derivePublicKey(suite, seed),
    encapsulate: (suite: Suite, publicKey: Uint8Array, randomness: Uint8Array) => loaded().encapsulate(suite, publicKey, randomness),
    decapsulate: (suite: Suite, seed: Uint8Array, ciphertext: Uint8Array) => loaded().decapsulate(suite, seed, ciphertext),
    expandPrivateKey: (suite: Suite, seed: Uint8Array) => loaded().expandPrivateKey!(suite, seed),
    decapsulateExpanded: (suite: Suite, key: ExpandedPrivateKey, ciphertext: Uint8Array) => loaded().decapsulateExpanded!(suite, key, ciphertext),
  } satisfies Backend);
}
