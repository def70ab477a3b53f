// Secrets must not stay in WebAssembly memory after a call: not in the heap
// (inputs are wiped before they are freed, intermediates are Zeroizing), not
// on the stack (wasm/src/lib.rs scrubs the stack below each export). After
// every suite's operations, none of the secrets involved — the private key, its
// SHAKE256 expansion (a hybrid's ML-KEM d and z and traditional seed), DHKEM's
// ephemeral key and Diffie-Hellman output, the encapsulation randomness, the
// shared secret — appears anywhere in linear memory.
import { SUITES } from '@hybridkem/core';
import { describe, expect, it } from 'vitest';
import { built, NOT_BUILT } from './built.js';
import { dhkemEphemeralKey, expandedSeed, x25519 } from './suite-secrets.js';

const run = built();
const { backend } = run ? await import('../src/index.js') : ({} as typeof import('../src/index.js'));
const { memoryForTesting } = await import('../src/instantiate.js');

/** 16-byte pieces of `secret`: a partial copy counts too. */
function pieces(label: string, secret: Uint8Array): [string, Buffer][] {
  const out: [string, Buffer][] = [];
  for (let i = 0; i + 16 <= secret.length; i += 16) out.push([`${label}[${i}..${i + 16}]`, Buffer.from(secret.subarray(i, i + 16))]);
  return out;
}

describe.skipIf(!run)(`no secrets left in WebAssembly memory${NOT_BUILT ? ` (${NOT_BUILT})` : ''}`, () => {
  for (const suite of SUITES) {
    it(suite.name, () => {
      const seed = new Uint8Array(suite.lengths.seed).map((_, i) => (i * 37 + suite.id) & 0xff || 1);
      const randomness = new Uint8Array(suite.lengths.randomness).map((_, i) => (i * 91 + 7 + suite.id) & 0xff || 3);
      const publicKey = backend.derivePublicKey(suite, seed);
      const { ciphertext, sharedSecret } = backend.encapsulate(suite, publicKey, randomness);
      const decapsulated = backend.decapsulate(suite, seed, ciphertext);
      expect(decapsulated).toEqual(sharedSecret);
      const dhkem = suite.family === 'classical' ? dhkemEphemeralKey(randomness) : undefined;
      const secrets = [
        ...pieces('seed', seed),
        ...pieces('expanded seed', expandedSeed(suite, seed)),
        ...(dhkem ? [...pieces('DHKEM skE', dhkem), ...pieces('DHKEM dh', x25519(seed, ciphertext))] : []),
        ...pieces('randomness', randomness),
        ...pieces('shared secret', sharedSecret),
      ];
      const memory = Buffer.from(memoryForTesting()!.buffer);
      const found = secrets.filter(([, bytes]) => memory.indexOf(bytes) !== -1).map(([label]) => label);
      expect(found).toEqual([]);
    });
  }
});
