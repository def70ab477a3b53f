/**
 * What a backend brings for composite signatures: ML-DSA (FIPS 204) and
 * EdDSA (RFC 8032) as bytes-in, bytes-out primitives. The composite
 * construction itself (M', encodings, verdicts) is specified once, in this
 * package.
 * @module
 */
import type { EdDsaParams, MlDsaParams } from './suites.js';

export interface MlDsaPrimitive {
  /** ML-DSA.KeyGen_internal(seed) for a 32-byte seed: the public key and the expanded private key. */
  keygen(seed: Uint8Array): { publicKey: Uint8Array; secretKey: Uint8Array };
  /**
   * ML-DSA.Sign (FIPS 204 §5.2, pure, with context). `rnd` is the 32-byte
   * hedging randomness; all zeros gives the deterministic variant.
   */
  sign(secretKey: Uint8Array, message: Uint8Array, context: Uint8Array, rnd: Uint8Array): Uint8Array;
  /** ML-DSA.Verify (FIPS 204 §5.3). Returns false, never throws, for a bad signature. */
  verify(publicKey: Uint8Array, message: Uint8Array, signature: Uint8Array, context: Uint8Array): boolean;
}

export interface EdDsaPrimitive {
  getPublicKey(privateKey: Uint8Array): Uint8Array;
  /** Pure EdDSA, empty context (RFC 8032 §5.1 / §5.2). Deterministic. */
  sign(privateKey: Uint8Array, message: Uint8Array): Uint8Array;
  /** Strict RFC 8032 verification (canonical S and encodings). Returns false, never throws, for a bad signature. */
  verify(publicKey: Uint8Array, message: Uint8Array, signature: Uint8Array): boolean;
}

export interface SignatureBackend {
  readonly name: string;
  readonly version: string;
  readonly implementation: string;
  readonly constantTime: boolean;
  /**
   * Whether ML-DSA signing takes the caller's `rnd`, so that rnd = 0^32 gives
   * the deterministic variant. Absent means true. A backend whose library
   * draws rnd itself (node:crypto's ML-DSA has no deterministic option) sets
   * false: the signer then refuses `{ deterministic: true }` with a typed
   * error, and the conformance suite checks its signatures by verification
   * (its own and a peer's) instead of by known answers.
   */
  readonly deterministicSigning?: boolean;
  mldsa(params: MlDsaParams): MlDsaPrimitive;
  eddsa(params: EdDsaParams): EdDsaPrimitive;
}
