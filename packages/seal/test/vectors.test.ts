// The published HPKE-PQ vectors (../shared/vectors/hpke-pq, draft-ietf-hpke-pq
// Appendix A) for X-Wing (KEM 0x647a): KEM parts for every entry, and the
// HPKE parts (key schedule, encryptions, exports) where hpke-js has the KDF
// and AEAD.
import { backend } from '@hybridkem/noble';
import { describe, expect, it } from 'vitest';
import { hex, hpkePqVectors, itChecksKeySchedule, itDerivesAndDecapsulates, toHex, type HpkePqVector } from './hpke-vectors.js';
import { createHpkeSuite, deriveXWingSeed, XWingHpkeKem, type HpkeSuite } from '../src/index.js';



/** Suites hpke-js 1.9 can run: two-stage HKDF-SHA256 with ChaCha20-Poly1305 or AES-256-GCM. */
function hpkeSuiteFor(v: HpkePqVector): HpkeSuite | undefined {
  if (v.kdf_id !== 0x0001) return undefined;
  if (v.aead_id === 0x0003) return createHpkeSuite({ kem: 'X-Wing', kdf: 'HKDF-SHA256', aead: 'ChaCha20-Poly1305', backend });
  if (v.aead_id === 0x0002) return createHpkeSuite({ kem: 'X-Wing', kdf: 'HKDF-SHA256', aead: 'AES-256-GCM', backend });
  return undefined;
}

describe('hpke-pq vectors, X-Wing (0x647a)', () => {
  const vectors = hpkePqVectors((v) => v.kem_id === 0x647a);
  if (!vectors) return;

  it('has the two published X-Wing entries (HKDF-SHA256 and SHAKE256, ChaCha20-Poly1305, base mode)', () => {
    expect(vectors.map((v) => [v.mode, v.kdf_id, v.aead_id])).toEqual([
      [0, 0x0001, 0x0003],
      [0, 0x0011, 0x0003],
    ]);
  });

  const kem = new XWingHpkeKem(backend);

  describe.each(vectors.map((v) => [`kdf 0x${v.kdf_id.toString(16).padStart(4, '0')}, aead 0x${v.aead_id.toString(16).padStart(4, '0')}`, v] as const))(
    '%s',
    (_name, v) => {
      itDerivesAndDecapsulates(v, kem, deriveXWingSeed);

      it('EncapDerand(pkRm, ikmE) gives enc and shared_secret (ikmE is the 64-byte X-Wing randomness)', async () => {
        const pk = await kem.deserializePublicKey(hex(v.pkRm));
        const { enc, sharedSecret } = await kem.encap({ recipientPublicKey: pk, ekm: hex(v.ikmE) });
        expect(toHex(enc)).toBe(v.enc);
        expect(toHex(sharedSecret)).toBe(v.shared_secret);
      });

      const suite = hpkeSuiteFor(v);
      if (!suite) {
        it.skip(`key schedule, encryptions, exports: kdf 0x${v.kdf_id.toString(16)} is a one-stage KDF, which @hpke/core 1.9.0 does not implement`, () => {});
        return;
      }

      itChecksKeySchedule(v, suite);
    },
  );
});
