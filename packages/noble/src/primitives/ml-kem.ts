/**
 * ML-KEM from @noble/post-quantum as core's {@link MlKemPrimitive}. One
 * module per component, so that a suite's entry point imports only the
 * components it uses and a bundler leaves the others out.
 * @module
 */
import type { MlKemPrimitive } from '@hybridkem/core';
import { ml_kem1024, ml_kem768 } from '@noble/post-quantum/ml-kem.js';

function adapt(kem: typeof ml_kem768): MlKemPrimitive {
  return Object.freeze({
    // noble's keygen(seed) is KeyGen_internal(d, z) for a 64-byte d ‖ z.
    keygen: (seed: Uint8Array) => kem.keygen(seed),
    // noble's encapsulate(pk, m) is Encaps_internal(ek, m) and runs the §7.2 modulus check.
    encapsulate: (publicKey: Uint8Array, m: Uint8Array) => {
      const { cipherText, sharedSecret } = kem.encapsulate(publicKey, m);
      return { ciphertext: cipherText, sharedSecret };
    },
    decapsulate: (secretKey: Uint8Array, ciphertext: Uint8Array) => kem.decapsulate(ciphertext, secretKey),
  });
}

export const mlKem768: MlKemPrimitive = /* @__PURE__ */ adapt(ml_kem768);
export const mlKem1024: MlKemPrimitive = /* @__PURE__ */ adapt(ml_kem1024);
