/**
 * X25519 from @noble/curves as core's {@link GroupPrimitive}.
 * @module
 */
import type { GroupPrimitive } from '@hybridkem/core';
import { x25519 } from '@noble/curves/ed25519.js';

export const x25519Group: GroupPrimitive = /* @__PURE__ */ Object.freeze({
  isValidScalar: () => true,
  publicKey: (scalar: Uint8Array) => x25519.getPublicKey(scalar),
  // noble rejects the low-order points before the ladder (RFC 7748 §6.1).
  sharedSecret: (scalar: Uint8Array, element: Uint8Array) => x25519.getSharedSecret(scalar, element),
});
