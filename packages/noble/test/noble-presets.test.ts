// Our composition of X-Wing and X25519-MLKEM768 (core's seed expansion and
// combiners over noble's ML-KEM and X25519) against noble's own hybrid
// presets, whose combiner code is theirs: keys, ciphertexts and secrets must
// interoperate both ways. (noble's P-256/P-384 presets follow an older draft;
// Go checks those suites instead, in interop/go.)
import { createKem, type SuiteName } from '@hybridkem/core';
import { KitchenSink_ml_kem768_x25519, ml_kem768_x25519 } from '@noble/post-quantum/hybrid.js';
import { describe, expect, it } from 'vitest';
import { backend } from '../src/index.js';

const PRESETS: [SuiteName, typeof ml_kem768_x25519][] = [
  ['X-Wing', ml_kem768_x25519],
  ['X25519-MLKEM768', KitchenSink_ml_kem768_x25519],
];

describe.each(PRESETS)('%s against noble’s preset', (suite, preset) => {
  const kem = createKem(suite, backend);

  it('derives the same public key from the same seed', () => {
    for (let i = 0; i < 5; i++) {
      const { publicKey, privateKey } = kem.keygen();
      expect(preset.keygen(privateKey).publicKey).toEqual(publicKey);
    }
  });

  it('decapsulates what the preset encapsulates, and the reverse', () => {
    for (let i = 0; i < 5; i++) {
      const ours = kem.keygen();
      const theirs = preset.encapsulate(ours.publicKey);
      expect(kem.decapsulate(ours.privateKey, theirs.cipherText)).toEqual(theirs.sharedSecret);

      const { secretKey, publicKey } = preset.keygen();
      const mine = kem.encapsulate(publicKey);
      expect(preset.decapsulate(mine.ciphertext, secretKey)).toEqual(mine.sharedSecret);
    }
  });
});
