// The secrets a suite's operations handle, computed outside the module under
// test (node:crypto), for the tests that scan WebAssembly memory for them:
// a hybrid's SHAKE256 seed expansion (spec/WIRE-FORMAT.md §1.1), and DHKEM's
// ephemeral private key and Diffie-Hellman output (RFC 9180 §4.1, §7.1.3).
import { createHash, createPrivateKey, createPublicKey, diffieHellman, hkdfSync } from 'node:crypto';
import type { Suite } from '@hybridkem/core';

/** SHAKE256(seed) to 64 + Nseed_T bytes for a hybrid; empty for the single-algorithm suites (§1.4 has no expansion). */
export function expandedSeed(suite: Suite, seed: Uint8Array): Uint8Array {
  if (suite.family !== 'hybrid') return new Uint8Array(0);
  return createHash('shake256', { outputLength: 64 + suite.group.lengths.seed }).update(seed).digest();
}

/** ML-KEM's KeyGen_internal input d ‖ z: from the expansion (hybrid), the private key itself (ML-KEM alone), none (DHKEM). */
export function mlkemSeed(suite: Suite, seed: Uint8Array): Uint8Array | undefined {
  if (suite.family === 'hybrid') return expandedSeed(suite, seed).subarray(0, 64);
  return suite.family === 'pq' ? seed : undefined;
}

const SUITE_ID = Buffer.from('KEM\x00\x20', 'latin1'); // "KEM" ‖ I2OSP(0x0020, 2)
const HPKE_V1 = Buffer.from('HPKE-v1');

/** skE = DeriveKeyPair(ikmE) of DHKEM(X25519, HKDF-SHA256) (RFC 9180 §7.1.3), with node:crypto's HKDF. */
export function dhkemEphemeralKey(ikmE: Uint8Array): Uint8Array {
  const ikm = Buffer.concat([HPKE_V1, SUITE_ID, Buffer.from('dkp_prk'), ikmE]);
  const info = Buffer.concat([Buffer.from([0, 32]), HPKE_V1, SUITE_ID, Buffer.from('sk')]);
  return new Uint8Array(hkdfSync('sha256', ikm, new Uint8Array(0), info, 32));
}

/** X25519(sk, pk) with node:crypto (RFC 7748). */
export function x25519(sk: Uint8Array, pk: Uint8Array): Uint8Array {
  const privateKey = createPrivateKey({ key: Buffer.concat([Buffer.from('302e020100300506032b656e04220420', 'hex'), sk]), format: 'der', type: 'pkcs8' });
  const publicKey = createPublicKey({ key: Buffer.concat([Buffer.from('302a300506032b656e032100', 'hex'), pk]), format: 'der', type: 'spki' });
  return new Uint8Array(diffieHellman({ privateKey, publicKey }));
}
