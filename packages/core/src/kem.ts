/**
 * The KEM facade: synchronous, bytes in and bytes out, with optional seeds
 * and randomness for vectors; by default randomness comes from the platform
 * CSPRNG. It checks every input before a backend sees it.
 * @module
 */
import type { Backend, Encapsulation } from './backend.js';
import { expectBytes } from './bytes.js';
import { InvalidArgumentError, SuiteNotSupportedError } from './errors.js';
import { randomBytes } from './random.js';
import { getSuite, type Suite, type SuiteRef } from './suites.js';
import { checkMlKemEncapsulationKey } from './wire/validate.js';
import { createHandle, heldKey, isPrivateKeyHandle, type PrivateKeyHandle } from './key-handle.js';

export interface KeyPair {
  readonly publicKey: Uint8Array;
  /** The seed (suite.lengths.privateKey bytes: 32, or 64 for ML-KEM alone). Secret: wipe it (`.fill(0)`) when done. */
  readonly privateKey: Uint8Array;
}

export interface Kem {
  readonly suite: Suite;
  readonly backend: Backend;
  /**
   * A key pair. With `seed` (suite.lengths.seed bytes) the result is deterministic; without,
   * the seed is drawn from the platform CSPRNG.
   */
  keygen(seed?: Uint8Array): KeyPair;
  /** The public key of a private key (the seed). */
  getPublicKey(privateKey: Uint8Array): Uint8Array;
  /**
   * A fresh shared secret and the ciphertext that carries it to the holder of
   * `publicKey`. `randomness` (suite.lengths.randomness bytes) makes it
   * deterministic — for test vectors only.
   */
  encapsulate(publicKey: Uint8Array, randomness?: Uint8Array): Encapsulation;
  /**
   * The shared secret in `ciphertext`, with the private key (the seed) or a
   * handle from {@link Kem.importPrivateKey}. A tampered ML-KEM part gives a
   * different secret, not an error.
   */
  decapsulate(privateKey: Uint8Array | PrivateKeyHandle, ciphertext: Uint8Array): Uint8Array;
  /**
   * Imports a private key (the seed) once: the backend holds it
   * expanded where it can (native memory, a node:crypto KeyObject, wasm
   * memory or JavaScript), so that decapsulating with the handle skips the
   * per-call expansion. The seed is not kept (wipe your copy); `destroy()`
   * wipes the handle's key, after which using it throws InvalidArgumentError.
   */
  importPrivateKey(privateKey: Uint8Array): PrivateKeyHandle;
}

/**
 * A KEM for one suite over one backend.
 * @throws {UnknownSuiteError} for an unknown suite
 * @throws {SuiteNotSupportedError} when the backend does not implement it
 */
export function createKem(suiteRef: SuiteRef, backend: Backend): Kem {
  const suite = getSuite(suiteRef);
  if (!backend || typeof backend.encapsulate !== 'function') {
    throw new InvalidArgumentError('backend', 'expected a Backend (see getBackend())');
  }
  if (!backend.suites.includes(suite.id)) throw new SuiteNotSupportedError(backend.name, suite.name);
  const L = suite.lengths;

  const kem: Kem = Object.freeze({
    suite,
    backend,
    keygen(seed?: Uint8Array): KeyPair {
      const privateKey = seed === undefined ? randomBytes(L.seed) : expectBytes('seed', seed, L.seed).slice();
      return { publicKey: backend.derivePublicKey(suite, privateKey), privateKey };
    },
    getPublicKey(privateKey: Uint8Array): Uint8Array {
      return backend.derivePublicKey(suite, expectBytes('privateKey', privateKey, L.privateKey));
    },
    encapsulate(publicKey: Uint8Array, randomness?: Uint8Array): Encapsulation {
      expectBytes('publicKey', publicKey, L.publicKey);
      // The ML-KEM modulus check (FIPS 203 §7.2) for the suites that have ML-KEM;
      // the backend checks the group element (§1.3, RFC 9180 §7.1.4).
      if (suite.mlkem) checkMlKemEncapsulationKey(suite.mlkem, publicKey.subarray(0, suite.mlkem.lengths.publicKey), 'publicKey');
      if (backend.derandomizedEncapsulation === false) {
        if (randomness !== undefined) {
          throw new InvalidArgumentError(
            'randomness',
            `backend ${backend.name} draws its own encapsulation randomness and cannot take the caller's (use another backend for known-answer tests)`,
          );
        }
        return backend.encapsulate(suite, publicKey);
      }
      const r = randomness === undefined ? randomBytes(L.randomness) : expectBytes('randomness', randomness, L.randomness);
      try {
        return backend.encapsulate(suite, publicKey, r);
      } finally {
        if (randomness === undefined) r.fill(0);
      }
    },
    decapsulate(privateKey: Uint8Array | PrivateKeyHandle, ciphertext: Uint8Array): Uint8Array {
      if (isPrivateKeyHandle(privateKey)) {
        const held = heldKey(kem, privateKey);
        expectBytes('ciphertext', ciphertext, L.ciphertext);
        return 'expanded' in held
          ? backend.decapsulateExpanded!(suite, held.expanded, ciphertext)
          : backend.decapsulate(suite, held.seed, ciphertext);
      }
      expectBytes('privateKey', privateKey, L.privateKey);
      expectBytes('ciphertext', ciphertext, L.ciphertext);
      return backend.decapsulate(suite, privateKey, ciphertext);
    },
    importPrivateKey(privateKey: Uint8Array): PrivateKeyHandle {
      expectBytes('privateKey', privateKey, L.privateKey);
      return createHandle(kem, suite, backend, privateKey);
    },
  });
  return kem;
}
