/**
 * P-256 and P-384 from @noble/curves as core's {@link GroupPrimitive}.
 * @module
 */
import type { GroupPrimitive } from '@hybridkem/core';
import { p256, p384 } from '@noble/curves/nist.js';

function nistGroup(curve: typeof p256 | typeof p384): GroupPrimitive {
  const Fn = curve.Point.Fn;
  return Object.freeze({
    isValidScalar: (scalar: Uint8Array) => {
      const k = Fn.fromBytes(scalar, true);
      return Fn.isValidNot0(k);
    },
    publicKey: (scalar: Uint8Array) => curve.getPublicKey(scalar, false),
    // SEC1 ECDH: X coordinate of the shared point (concrete-hybrid-kems §3,
    // ElementToSharedSecret). fromBytes checks the point is on the curve.
    sharedSecret: (scalar: Uint8Array, element: Uint8Array) => {
      curve.Point.fromBytes(element).assertValidity();
      return curve.getSharedSecret(scalar, element, true).slice(1);
    },
  });
}

export const p256Group: GroupPrimitive = /* @__PURE__ */ nistGroup(p256);
export const p384Group: GroupPrimitive = /* @__PURE__ */ nistGroup(p384);
