/**
 * ML-KEM and the nominal groups from the noble family (@noble/post-quantum,
 * @noble/curves), adapted to core's {@link Primitives}.
 * @module
 */
import type { GroupParams, GroupPrimitive, MlKemParams, MlKemPrimitive, Primitives } from '@hybridkem/core';
import { x25519 } from '@noble/curves/ed25519.js';
import { p256, p384 } from '@noble/curves/nist.js';
import { ml_kem1024, ml_kem768 } from '@noble/post-quantum/ml-kem.js';

function mlkem(params: MlKemParams): MlKemPrimitive {
  const kem = params.name === 'ML-KEM-768' ? ml_kem768 : ml_kem1024;
  return {
    // noble's keygen(seed) is KeyGen_internal(d, z) for a 64-byte d ‖ z.
    keygen: (seed) => kem.keygen(seed),
    // noble's encapsulate(pk, m) is Encaps_internal(ek, m) and runs the §7.2 modulus check.
    encapsulate: (publicKey, m) => {
      const { cipherText, sharedSecret } = kem.encapsulate(publicKey, m);
      return { ciphertext: cipherText, sharedSecret };
    },
    decapsulate: (secretKey, ciphertext) => kem.decapsulate(ciphertext, secretKey),
  };
}

const x25519Group: GroupPrimitive = {
  isValidScalar: () => true,
  publicKey: (scalar) => x25519.getPublicKey(scalar),
  // noble rejects the low-order points before the ladder (RFC 7748 §6.1).
  sharedSecret: (scalar, element) => x25519.getSharedSecret(scalar, element),
};

function nistGroup(curve: typeof p256 | typeof p384): GroupPrimitive {
  const Fn = curve.Point.Fn;
  return {
    isValidScalar: (scalar) => {
      const k = Fn.fromBytes(scalar, true);
      return Fn.isValidNot0(k);
    },
    publicKey: (scalar) => curve.getPublicKey(scalar, false),
    // SEC1 ECDH: X coordinate of the shared point (concrete-hybrid-kems §3,
    // ElementToSharedSecret). fromBytes checks the point is on the curve.
    sharedSecret: (scalar, element) => {
      curve.Point.fromBytes(element).assertValidity();
      return curve.getSharedSecret(scalar, element, true).slice(1);
    },
  };
}

const groups: Record<GroupParams['name'], GroupPrimitive> = {
  X25519: x25519Group,
  'P-256': nistGroup(p256),
  'P-384': nistGroup(p384),
};

export const noblePrimitives: Primitives = Object.freeze({
  mlkem,
  group: (params: GroupParams) => groups[params.name],
});
