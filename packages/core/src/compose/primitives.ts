/**
 * The primitives a backend supplies when it lets core compose the suites
 * (the readable reference path). Backends that run whole suite operations
 * natively implement {@link Backend} directly instead.
 * @module
 */
import type { GroupParams, MlKemParams } from '../suites.js';

/** ML-KEM (FIPS 203) through its derandomised internal functions. */
export interface MlKemPrimitive {
  /** KeyGen_internal(d, z) with seed = d ‖ z (64 bytes). */
  keygen(seed: Uint8Array): { publicKey: Uint8Array; secretKey: Uint8Array };
  /** Encaps_internal(ek, m) with a 32-byte m. */
  encapsulate(publicKey: Uint8Array, m: Uint8Array): { ciphertext: Uint8Array; sharedSecret: Uint8Array };
  /** Decaps_internal(dk, c) with the expanded decapsulation key. */
  decapsulate(secretKey: Uint8Array, ciphertext: Uint8Array): Uint8Array;
}

/** A nominal group (draft-irtf-cfrg-concrete-hybrid-kems §3). */
export interface GroupPrimitive {
  /** True when `scalar` (big-endian for NIST curves) is in [1, n-1]; X25519 accepts any 32 bytes. */
  isValidScalar(scalar: Uint8Array): boolean;
  /** Exp(g, scalar), encoded. */
  publicKey(scalar: Uint8Array): Uint8Array;
  /**
   * ElementToSharedSecret(Exp(element, scalar)). Must throw for an invalid
   * element or an all-zero / identity result; core turns any throw into
   * InvalidGroupElementError.
   */
  sharedSecret(scalar: Uint8Array, element: Uint8Array): Uint8Array;
}

export interface Primitives {
  mlkem(params: MlKemParams): MlKemPrimitive;
  group(params: GroupParams): GroupPrimitive;
}
