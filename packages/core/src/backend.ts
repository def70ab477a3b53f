/**
 * The one contract every backend implements (`native`, `openssl`, `wasm`, `noble`).
 * Backends are thin: deterministic, bytes in and bytes out. The KEM facade in
 * `kem.ts` checks types and lengths, runs the ML-KEM modulus check and draws
 * randomness before calling them, so every backend sees the same inputs.
 * @module
 */
import type { Suite } from './suites.js';

export type BackendName = 'native' | 'openssl' | 'wasm' | 'noble';

export interface Encapsulation {
  readonly ciphertext: Uint8Array;
  readonly sharedSecret: Uint8Array;
}

export interface Backend {
  readonly name: BackendName;
  /** The backend package's version. */
  readonly version: string;
  /** What does the arithmetic, for `hybridkem backends` and the README's promises. */
  readonly implementation: string;
  /** Whether the arithmetic is written to run in constant time (see README, "Security notes"). */
  readonly constantTime: boolean;
  /** Ids of the suites this backend implements. */
  readonly suites: readonly number[];
  /**
   * The public key for a seed (the private key: suite.lengths.privateKey bytes), per spec/WIRE-FORMAT.md §1.1 / §1.4.
   * @throws {InvalidSeedError} when RandomScalar exhausts its windows (P-256/P-384 only)
   */
  derivePublicKey(suite: Suite, seed: Uint8Array): Uint8Array;
  /**
   * Whether {@link Backend.encapsulate} takes the caller's randomness. Absent
   * means true. A backend whose library draws the encapsulation randomness
   * itself (node:crypto's ML-KEM has no derandomised form) sets false; it is
   * conformance-tested by key derivation and decapsulation against every
   * vector, and its encapsulations by decapsulating them with another
   * backend (and the other's with it), as `@hybridkem/core/testing` does.
   */
  readonly derandomizedEncapsulation?: boolean;
  /**
   * Encapsulation. The public key has passed the length and ML-KEM modulus
   * checks; the backend must reject an invalid or low-order traditional key
   * with {@link InvalidGroupElementError}. A derandomised backend always
   * receives `randomness` (suite.lengths.randomness bytes) and is a function
   * of its inputs; a backend with `derandomizedEncapsulation: false` never
   * does (the KEM facade refuses caller-chosen randomness for it) and draws
   * its own from a CSPRNG.
   */
  encapsulate(suite: Suite, publicKey: Uint8Array, randomness?: Uint8Array): Encapsulation;
  /**
   * Decapsulation with the seed (the private key). A wrong ML-KEM ciphertext yields the
   * implicit-rejection secret (FIPS 203 §7.3), never an error; an invalid
   * traditional ephemeral key throws {@link InvalidGroupElementError}.
   */
  decapsulate(suite: Suite, seed: Uint8Array, ciphertext: Uint8Array): Uint8Array;
  /**
   * Optional: expands a private key once, in the backend's own memory (the
   * ML-KEM decapsulation key, the traditional scalar and public value), for
   * {@link Backend.decapsulateExpanded}, so that a server decapsulating many
   * ciphertexts to one key does not expand the seed on every call. The seed
   * has passed the length check; the backend keeps no reference to it.
   * @throws {InvalidSeedError} as derivePublicKey does
   */
  expandPrivateKey?(suite: Suite, seed: Uint8Array): ExpandedPrivateKey;
  /** Decapsulation with a key from this backend's expandPrivateKey (same suite); the same result as {@link Backend.decapsulate}. */
  decapsulateExpanded?(suite: Suite, key: ExpandedPrivateKey, ciphertext: Uint8Array): Uint8Array;
}

/**
 * A backend's expanded private key: opaque to everything but the backend
 * that made it. The KEM facade wraps it in a {@link PrivateKeyHandle} and
 * never hands it out.
 */
export interface ExpandedPrivateKey {
  /** Wipes the key material; called once, by the facade. */
  destroy(): void;
}
