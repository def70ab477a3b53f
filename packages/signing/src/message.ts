/**
 * The composite message representative (draft-ietf-lamps-pq-composite-sigs-19,
 * sections "Prefix, Label and CTX" and "Composite-ML-DSA.Sign"):
 *
 *     M' = Prefix ‖ Label ‖ len(ctx) ‖ ctx ‖ PH(M)
 *
 * Prefix is the ASCII "CompositeAlgorithmSignatures2025"; len(ctx) is one
 * byte, so ctx is at most 255 bytes. Pre-hashing makes signing a stream of any
 * size possible in bounded memory.
 * @module
 */
import { InvalidArgumentError } from '@hybridkem/core';
import { sha512 } from '@noble/hashes/sha2.js';
import { shake256 } from '@noble/hashes/sha3.js';
import type { SignatureSuite } from './suites.js';

const encoder = new TextEncoder();
export const PREFIX = encoder.encode('CompositeAlgorithmSignatures2025');
export const MAX_CONTEXT_LENGTH = 255;
/** Both pre-hashes give 64 bytes (SHA-512; SHAKE256 with 64 bytes of output). */
export const DIGEST_LENGTH = 64;

/** An incremental PH for `suite`: update with chunks, then digest once. */
export interface Prehash {
  update(chunk: Uint8Array): Prehash;
  digest(): Uint8Array;
}

export function createPrehash(suite: SignatureSuite): Prehash {
  const h = suite.prehash === 'SHA-512' ? sha512.create() : shake256.create({ dkLen: DIGEST_LENGTH });
  const ph: Prehash = {
    update(chunk) {
      h.update(chunk);
      return ph;
    },
    digest: () => h.digest(),
  };
  return ph;
}

export function checkContext(context: Uint8Array): void {
  if (!(context instanceof Uint8Array)) throw new InvalidArgumentError('context', 'expected a Uint8Array');
  if (context.length > MAX_CONTEXT_LENGTH) {
    throw new InvalidArgumentError('context', `at most ${MAX_CONTEXT_LENGTH} bytes, got ${context.length}`);
  }
}

/** M' from an already computed PH(M). */
export function messageRepresentative(suite: SignatureSuite, digest: Uint8Array, context: Uint8Array): Uint8Array {
  checkContext(context);
  const label = encoder.encode(suite.label);
  const out = new Uint8Array(PREFIX.length + label.length + 1 + context.length + digest.length);
  let o = 0;
  for (const part of [PREFIX, label, Uint8Array.of(context.length), context, digest]) {
    out.set(part, o);
    o += part.length;
  }
  return out;
}

export function labelBytes(suite: SignatureSuite): Uint8Array {
  return encoder.encode(suite.label);
}
