// The published HPKE-PQ vectors (../shared/vectors/hpke-pq, draft-ietf-hpke-pq
// Appendix A) for MLKEM768-P256 (KEM 0x0050) and MLKEM1024-P384 (KEM 0x0051):
// KEM parts for every entry, and the HPKE parts (key schedule, encryptions,
// exports) where hpke-js has the KDF and AEAD; then sealed messages
// (spec/WIRE-FORMAT.md §7) with both KEMs.
import { HybridKemError } from '@hybridkem/core';
import { backend } from '@hybridkem/noble';
import { describe, expect, it } from 'vitest';
import { hex, hpkePqVectors, itChecksKeySchedule, itDerivesAndDecapsulates, toHex, type HpkePqVector } from './hpke-vectors.js';
import { deriveHybridSeed } from '../src/derive.js';
import { HybridHpkeKem } from '../src/kem.js';
import { createHpkeSuite, open, parseSealedHeader, seal, type HpkeKemName, type HpkeSuite } from '../src/index.js';


const hex4 = (n: number) => `0x${n.toString(16).padStart(4, '0')}`;

const KEM_NAMES: Record<number, HpkeKemName> = { 0x0050: 'HPKE-MLKEM768-P256', 0x0051: 'HPKE-MLKEM1024-P384' };

/** Suites hpke-js 1.9 can run: two-stage HKDF (SHA-256/384/512) with an AEAD it has. */
function hpkeSuiteFor(v: HpkePqVector): HpkeSuite | undefined {
  const kdf = ({ 0x0001: 'HKDF-SHA256', 0x0002: 'HKDF-SHA384', 0x0003: 'HKDF-SHA512' } as const)[v.kdf_id as 1 | 2 | 3];
  const aead = ({ 0x0001: 'AES-128-GCM', 0x0002: 'AES-256-GCM', 0x0003: 'ChaCha20-Poly1305' } as const)[v.aead_id as 1 | 2 | 3];
  if (!kdf || !aead) return undefined;
  return createHpkeSuite({ kem: KEM_NAMES[v.kem_id]!, kdf, aead, backend });
}

async function rejects(p: Promise<unknown>, code: string): Promise<HybridKemError> {
  const e = await p.then(
    () => undefined,
    (err: unknown) => err,
  );
  expect(e).toBeInstanceOf(HybridKemError);
  expect((e as HybridKemError).code).toBe(code);
  return e as HybridKemError;
}

describe('HybridHpkeKem parameters (draft-ietf-hpke-pq §8.2)', () => {
  it.each([
    ['X-Wing', 0x647a, 1120, 1216, 64],
    ['HPKE-MLKEM768-P256', 0x0050, 1153, 1249, 128],
    ['HPKE-MLKEM1024-P384', 0x0051, 1665, 1665, 80],
  ] as const)('%s', (name, id, nenc, npk, nekm) => {
    const k = new HybridHpkeKem(name, backend);
    expect([k.id, k.secretSize, k.encSize, k.publicKeySize, k.privateKeySize, k.ekmSize]).toEqual([id, 32, nenc, npk, 32, nekm]);
  });

  it('rejects a name that is not a suite', () => {
    expect(() => new HybridHpkeKem('MLKEM768-P521' as never, backend)).toThrow(expect.objectContaining({ code: 'ERR_INVALID_ARGUMENT' }));
  });
});

describe('hpke-pq vectors, MLKEM768-P256 (0x0050) and MLKEM1024-P384 (0x0051)', () => {
  const vectors = hpkePqVectors((v) => v.kem_id === 0x0050 || v.kem_id === 0x0051);
  if (!vectors) return;

  it('has the three published entries (base mode)', () => {
    expect(vectors.map((v) => [v.mode, v.kem_id, v.kdf_id, v.aead_id])).toEqual([
      [0, 0x0050, 0x0001, 0x0001],
      [0, 0x0051, 0x0002, 0x0002],
      [0, 0x0050, 0x0010, 0x0002],
    ]);
  });

  describe.each(vectors.map((v) => [`kem ${hex4(v.kem_id)}, kdf ${hex4(v.kdf_id)}, aead ${hex4(v.aead_id)}`, v] as const))('%s', (_name, v) => {
    const kem = new HybridHpkeKem(KEM_NAMES[v.kem_id]!, backend);

    itDerivesAndDecapsulates(v, kem, (ikm) => deriveHybridSeed(v.kem_id, ikm));

    it(`EncapDerand(pkRm, ikmE) gives enc and shared_secret (ikmE is the ${v.ikmE.length / 2}-byte randomness)`, async () => {
      expect(v.ikmE.length / 2).toBe(kem.ekmSize);
      const pk = await kem.deserializePublicKey(hex(v.pkRm));
      const { enc, sharedSecret } = await kem.encap({ recipientPublicKey: pk, ekm: hex(v.ikmE) });
      expect(toHex(enc)).toBe(v.enc);
      expect(toHex(sharedSecret)).toBe(v.shared_secret);
    });

    const suite = hpkeSuiteFor(v);
    if (!suite) {
      it.skip(`key schedule, encryptions, exports: kdf ${hex4(v.kdf_id)} is a one-stage KDF, which @hpke/core 1.9.0 does not implement`, () => {});
      return;
    }

    itChecksKeySchedule(v, suite);
  });
});

describe.each([
  ['HPKE-MLKEM768-P256', 0x0050],
  ['HPKE-MLKEM1024-P384', 0x0051],
] as const)('sealed messages with %s, HKDF-SHA256, AES-256-GCM', (kemName, kemId) => {
  const suite = createHpkeSuite({ kem: kemName, kdf: 'HKDF-SHA256', aead: 'AES-256-GCM', backend });
  const { publicKey, privateKey } = suite.hpkeKem.kem.keygen();
  const pt = new Uint8Array(70_000).map((_, i) => (i * 7) & 0xff); // two chunks
  const opts = { info: new TextEncoder().encode('info'), aad: new TextEncoder().encode('aad') };

  it('header, layout and round trip', async () => {
    expect(suite.ids).toEqual({ kem: kemId, kdf: 0x0001, aead: 0x0002 });
    const m = await seal(suite, publicKey, pt, opts);
    const h = parseSealedHeader(m, true)!;
    expect([h.kemId, h.kdfId, h.aeadId]).toEqual([kemId, 0x0001, 0x0002]);
    expect(m.length).toBe(26 + suite.hpkeKem.encSize + pt.length + 2 * 16);
    expect(await open(suite, privateKey, m, opts)).toEqual(pt);
  });

  it('the wrong key or another KEM is rejected', async () => {
    const m = await seal(suite, publicKey, pt, opts);
    const other = suite.hpkeKem.kem.keygen();
    const e = await rejects(open(suite, other.privateKey, m, opts), 'ERR_INVALID_ARGUMENT');
    expect(e.message).toMatch(/^keyId: /);
    // A wrong key under a header rewritten to that key's id still fails to open.
    const forged = m.slice();
    const otherSealed = await seal(suite, other.publicKey, new Uint8Array(0));
    forged.set(otherSealed.subarray(8, 24), 8);
    await rejects(open(suite, other.privateKey, forged, opts), 'ERR_AUTHENTICATION');
    // The X-Wing suite refuses a message for this KEM before any decryption.
    const xwing = createHpkeSuite({ kem: 'X-Wing', kdf: 'HKDF-SHA256', aead: 'AES-256-GCM', backend });
    const xk = xwing.hpkeKem.kem.keygen();
    await rejects(open(xwing, xk.privateKey, m, opts), 'ERR_INVALID_ARGUMENT').then((err) => expect(err.message).toMatch(/^kem: /));
  });

  it('a known KDF / AEAD the suite does not use: ERR_INVALID_ARGUMENT; an unknown one: ERR_UNKNOWN_SUITE', async () => {
    const m = await seal(suite, publicKey, new Uint8Array(10));
    const at = (i: number, v: number) => {
      const b = m.slice();
      b[i] = v;
      return b;
    };
    for (const [i, v, field] of [
      [5, 0x02, 'kdf'],
      [5, 0x03, 'kdf'],
      [7, 0x01, 'aead'],
      [7, 0x03, 'aead'],
    ] as const) {
      const e = await rejects(open(suite, privateKey, at(i, v)), 'ERR_INVALID_ARGUMENT');
      expect(e.message.startsWith(`${field}: `)).toBe(true);
    }
    await rejects(open(suite, privateKey, at(5, 0x11)), 'ERR_UNKNOWN_SUITE');
    await rejects(open(suite, privateKey, at(7, 0x00)), 'ERR_UNKNOWN_SUITE');
    await rejects(open(suite, privateKey, at(3, 0x52)), 'ERR_UNKNOWN_SUITE');
  });
});

describe('createHpkeSuite: the new KDFs and AEAD', () => {
  it.each([
    ['HKDF-SHA384', 'AES-128-GCM', 0x0002, 0x0001],
    ['HKDF-SHA512', 'ChaCha20-Poly1305', 0x0003, 0x0003],
  ] as const)('%s + %s round trip with each KEM', async (kdf, aead, kdfId, aeadId) => {
    for (const kem of ['X-Wing', 'HPKE-MLKEM768-P256', 'HPKE-MLKEM1024-P384'] as const) {
      const suite = createHpkeSuite({ kem, kdf, aead, backend });
      expect(suite.ids.kdf).toBe(kdfId);
      expect(suite.ids.aead).toBe(aeadId);
      const { publicKey, privateKey } = suite.hpkeKem.kem.keygen();
      const m = await seal(suite, publicKey, new Uint8Array([1, 2, 3]));
      expect(await open(suite, privateKey, m)).toEqual(new Uint8Array([1, 2, 3]));
    }
  });

  it('still rejects what it does not offer', () => {
    for (const o of [
      { kem: 'MLKEM768-P521', kdf: 'HKDF-SHA256', aead: 'AES-256-GCM' },
      { kem: 'HPKE-MLKEM768-P256', kdf: 'SHAKE256', aead: 'AES-256-GCM' },
      { kem: 'HPKE-MLKEM768-P256', kdf: 'HKDF-SHA256', aead: 'AES-192-GCM' },
    ]) {
      expect(() => createHpkeSuite({ ...o, backend } as never)).toThrow(expect.objectContaining({ code: 'ERR_INVALID_ARGUMENT' }));
    }
  });

  it('the adapter checks the ekm length per KEM', async () => {
    const k = new HybridHpkeKem('HPKE-MLKEM1024-P384', backend);
    const pair = await k.generateKeyPair();
    await rejects(k.encap({ recipientPublicKey: pair.publicKey, ekm: new Uint8Array(64) }), 'ERR_INVALID_LENGTH');
    await rejects(k.encap({ recipientPublicKey: pair.publicKey, senderKey: pair.privateKey }), 'ERR_INVALID_ARGUMENT');
    const { enc, sharedSecret } = await k.encap({ recipientPublicKey: pair.publicKey });
    expect(new Uint8Array(await k.decap({ recipientKey: pair, enc }))).toEqual(new Uint8Array(sharedSecret));
  });
});
