/**
 * Seed expansion and RandomScalar, specified once for every suite
 * (spec/WIRE-FORMAT.md §1.1).
 * @module
 */
import { shake256 } from '@noble/hashes/sha3.js';
import { InvalidSeedError } from '../errors.js';
import type { HybridSuite } from '../suites.js';
import type { GroupPrimitive } from './primitives.js';

/**
 * SHAKE256(seed) to 64 + Nseed_T bytes: ML-KEM d ‖ z, then the traditional
 * seed. For `main-stream` groups Nseed_T = 16 * Nscalar: the stream's scalar
 * windows themselves.
 */
export function expandSeed(suite: HybridSuite, seed: Uint8Array): { mlkemSeed: Uint8Array; groupSeed: Uint8Array } {
  const out = shake256(seed, { dkLen: 64 + suite.group.lengths.seed });
  return { mlkemSeed: out.subarray(0, 64), groupSeed: out.subarray(64) };
}

/**
 * Upper bound on RandomScalar's windows. A P-256 window is rejected with
 * probability < 2^-32 and a P-384 one < 2^-190, so 16 rejections in a row
 * never happen for a real seed; the bound only keeps the loop finite.
 */
const MAX_SCALAR_WINDOWS = 16;

/**
 * RandomScalar, by the group's `scalarDerivation`. `seed-is-scalar` (X25519):
 * the seed is the scalar. `nested-shake` (P-256 / P-384 of the
 * concrete-hybrid-kems vectors): the first Nscalar-byte window of
 * SHAKE256(seed) that is a scalar in [1, n-1]. `main-stream` (HPKE 0x0050 /
 * 0x0051): the first Nscalar-byte window of `seed` itself that is in
 * [1, n-1] — `seed` is already the main SHAKE256 stream (keygen) or the raw
 * candidates (encapsulation). spec/WIRE-FORMAT.md §1.1. Returns a copy the
 * caller must wipe.
 */
export function randomScalar(suite: HybridSuite, group: GroupPrimitive, seed: Uint8Array, field: string): Uint8Array {
  const derivation = suite.group.scalarDerivation;
  if (derivation === 'seed-is-scalar') return seed.slice();
  const n = suite.group.lengths.scalar;
  const stream = derivation === 'nested-shake' ? shake256(seed, { dkLen: n * MAX_SCALAR_WINDOWS }) : seed;
  const windows = Math.min(MAX_SCALAR_WINDOWS, Math.floor(stream.length / n));
  try {
    for (let i = 0; i < windows; i++) {
      const window = stream.subarray(i * n, (i + 1) * n);
      if (group.isValidScalar(window)) return window.slice();
    }
  } finally {
    if (stream !== seed) stream.fill(0);
  }
  throw new InvalidSeedError(field, `RandomScalar found no valid ${suite.group.name} scalar in ${windows} windows`);
}
