/**
 * What gets timed. A subject is one implementation of one suite (or of its
 * ML-KEM part alone) with three ready-to-call operations on inputs prepared
 * once, so the timed functions do nothing but the operation itself:
 *
 *   keygen()       a fresh key pair (random seed)
 *   encapsulate()  to a fixed public key (random encapsulation randomness)
 *   decapsulate()  a fixed ciphertext with the matching private key
 *
 * Kinds: 'hybridkem' (our KEM over each backend that loads), 'peer' (noble's
 * own hybrid preset for the same suite, the baseline for ratios) and
 * 'reference' (ML-KEM alone: the ML-KEM share of the cost).
 * @module
 */
import { timingSafeEqual } from 'node:crypto';
import { createKem } from '@hybridkem/core';
import * as nobleHybrid from '@noble/post-quantum/hybrid.js';
import { ml_kem1024, ml_kem768 } from '@noble/post-quantum/ml-kem.js';
import { createMlKem1024, createMlKem768 } from 'mlkem';

/**
 * noble's hybrid presets by our suite name (@noble/post-quantum/hybrid.js).
 * noble has no X25519 + ML-KEM-1024 preset.
 */
export const NOBLE_HYBRID_PRESETS = Object.freeze({
  'X25519-MLKEM768': 'KitchenSink_ml_kem768_x25519',
  'X-Wing': 'ml_kem768_x25519',
  'MLKEM768-P256': 'ml_kem768_p256',
  'MLKEM1024-P384': 'ml_kem1024_p384',
});

const equal = (a, b) => a.length === b.length && timingSafeEqual(a, b);

function ensureRoundTrip(subject, ok) {
  if (!ok) throw new Error(`${subject.name}: decapsulation did not give the encapsulated secret`);
  return subject;
}

/** Our KEM for one suite over one backend. */
export function hybridkemSubject(suite, backend) {
  const kem = createKem(suite, backend);
  const { publicKey, privateKey } = kem.keygen();
  const { ciphertext, sharedSecret } = kem.encapsulate(publicKey);
  const subject = {
    name: `hybridkem (${backend.name})`,
    kind: 'hybridkem',
    backend: backend.name,
    ops: {
      keygen: () => kem.keygen(),
      encapsulate: () => kem.encapsulate(publicKey),
      decapsulate: () => kem.decapsulate(privateKey, ciphertext),
    },
  };
  return ensureRoundTrip(subject, equal(kem.decapsulate(privateKey, ciphertext), sharedSecret));
}

/** A noble-style KEM object: keygen() -> {publicKey, secretKey}, encapsulate(pk), decapsulate(ct, sk). */
function nobleKemSubject(name, kind, kem) {
  const { publicKey, secretKey } = kem.keygen();
  const { cipherText, sharedSecret } = kem.encapsulate(publicKey);
  const subject = {
    name,
    kind,
    ops: {
      keygen: () => kem.keygen(),
      encapsulate: () => kem.encapsulate(publicKey),
      decapsulate: () => kem.decapsulate(cipherText, secretKey),
    },
  };
  return ensureRoundTrip(subject, equal(kem.decapsulate(cipherText, secretKey), sharedSecret));
}

/**
 * noble's own hybrid preset for a suite, or undefined when noble has none.
 * `sameBytes` says whether it computes the same bytes as hybridkem (public
 * key from the same seed, then ciphertext and secret from the same
 * randomness), checked against `reference` (any loaded backend); undefined
 * when there is nothing to check against.
 */
export function nobleHybridSubject(suite, reference) {
  const exportName = NOBLE_HYBRID_PRESETS[suite.name];
  const kem = exportName && nobleHybrid[exportName];
  if (!kem) return undefined;
  const subject = nobleKemSubject(`noble hybrid ${exportName}`, 'peer', kem);
  subject.exportName = exportName;
  subject.sameBytes = reference ? sameBytes(suite, reference, kem) : undefined;
  return subject;
}

function sameBytes(suite, backend, nobleKem) {
  const ours = createKem(suite, backend);
  const seed = new Uint8Array(suite.lengths.seed).fill(0x42);
  const mine = ours.keygen(seed);
  const theirs = nobleKem.keygen(seed.slice());
  if (!equal(mine.publicKey, theirs.publicKey)) return false;
  if (nobleKem.lengths.msgRand !== suite.lengths.randomness) return false;
  const randomness = new Uint8Array(suite.lengths.randomness).fill(0x24);
  const a = ours.encapsulate(mine.publicKey, randomness);
  const b = nobleKem.encapsulate(theirs.publicKey, randomness.slice());
  return equal(a.ciphertext, b.cipherText) && equal(a.sharedSecret, b.sharedSecret);
}

/**
 * ML-KEM alone, for the ML-KEM share of a suite's cost: noble's ml_kem768 /
 * ml_kem1024 (what the noble backend builds on) and the `mlkem` package.
 * mlkem 2.x's MlKem768 / MlKem1024 classes are a deprecated async wrapper
 * around the synchronous objects createMlKem768() / createMlKem1024()
 * return; we time the synchronous ones so no promise overhead is counted.
 * Both keep the expanded decapsulation key (2400 / 3168 bytes) as the private
 * key, so their decapsulate skips the key derivation from a 32-byte seed that
 * every hybrid here (ours and noble's) does on each decapsulation.
 */
export async function mlkemReferences(mlkemName) {
  const noble = mlkemName === 'ML-KEM-768' ? ml_kem768 : ml_kem1024;
  const other = mlkemName === 'ML-KEM-768' ? await createMlKem768() : await createMlKem1024();
  const [publicKey, privateKey] = other.generateKeyPair();
  const [ciphertext, sharedSecret] = other.encap(publicKey);
  const mlkem = ensureRoundTrip(
    {
      name: `mlkem ${mlkemName} alone`,
      kind: 'reference',
      ops: {
        keygen: () => other.generateKeyPair(),
        encapsulate: () => other.encap(publicKey),
        decapsulate: () => other.decap(ciphertext, privateKey),
      },
    },
    equal(other.decap(ciphertext, privateKey), sharedSecret),
  );
  const nobleName = mlkemName === 'ML-KEM-768' ? 'ml_kem768' : 'ml_kem1024';
  return [nobleKemSubject(`noble ${nobleName} alone`, 'reference', noble), mlkem];
}
