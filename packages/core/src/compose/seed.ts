/**
 * Seed expansion and RandomScalar, specified once for every suite
 * (spec/WIRE-FORMAT.md §1.1).
 * @module
 */
import { shake256 } from '@noble/hashes/sha3.js';
import { InvalidSeedError } from '../errors.js';
import type { Suite } from '../suites.js';
import type { GroupPrimitive } from './primitives.js';

/** SHAKE256(seed) to 64 + Nseed_T bytes: ML-KEM d ‖ z, then the traditional seed. */
export function expandSeed(suite: Suite, seed: Uint8Array): { mlkemSeed: Uint8Array; groupSeed: Uint8Array } {
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
 * RandomScalar. X25519: the seed is the scalar. P-256 / P-384: the first
 * Nscalar-byte window of SHAKE256(seed) that is a scalar in [1, n-1] — the
 * derivation that reproduces the published vectors (../shared/vectors/
 * concrete-hybrid-kems; spec/WIRE-FORMAT.md §1.1). Returns a copy the caller
 * must wipe.
 */
export function randomScalar(suite: Suite, group: GroupPrimitive, seed: Uint8Array, field: string): Uint8Array {
  if (suite.group.name === 'X25519') return seed.slice();
  const n = suite.group.lengths.scalar;
  const stream = shake256(seed, { dkLen: n * MAX_SCALAR_WINDOWS });
  try {
    for (let start = 0; start < stream.length; start += n) {
      const window = stream.subarray(start, start + n);
      if (group.isValidScalar(window)) return window.slice();
    }
  } finally {
    stream.fill(0);
  }
  throw new InvalidSeedError(field, `RandomScalar found no valid ${suite.group.name} scalar in ${MAX_SCALAR_WINDOWS} windows`);
}
