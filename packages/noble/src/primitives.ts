/**
 * ML-KEM and the nominal groups from the noble family (@noble/post-quantum,
 * @noble/curves), adapted to core's {@link Primitives}: every component, for
 * the backend of every suite. The per-suite entry points import the
 * components from ./primitives/ directly.
 * @module
 */
import type { GroupParams, GroupPrimitive, MlKemParams, MlKemPrimitive, Primitives } from '@hybridkem/core';
import { mlKem1024, mlKem768 } from './primitives/ml-kem.js';
import { p256Group, p384Group } from './primitives/nist.js';
import { x25519Group } from './primitives/x25519.js';

const mlkems: Record<MlKemParams['name'], MlKemPrimitive> = { 'ML-KEM-768': mlKem768, 'ML-KEM-1024': mlKem1024 };
const groups: Record<GroupParams['name'], GroupPrimitive> = { X25519: x25519Group, 'P-256': p256Group, 'P-384': p384Group };

export const noblePrimitives: Primitives = /* @__PURE__ */ Object.freeze({
  mlkem: (params: MlKemParams) => mlkems[params.name],
  group: (params: GroupParams) => groups[params.name],
});
