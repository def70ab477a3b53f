// Raw one-shot sealRaw/openRaw (RFC 9180 SealBase/OpenBase, no framing): round trips for both AEADs, rejection of every kind of
// tampering with the typed OpenError, and core's typed errors for bad input.
import { createKem, HybridKemError } from '@hybridkem/core';
import { backend } from '@hybridkem/noble';
import { describe, expect, it } from 'vitest';
import {
  createHpkeSuite,
  ERR_AUTHENTICATION,
  openRaw as open,
  OpenError,
  sealRaw as seal,
  XWingHpkeKem,
  type HpkeAeadName,
} from '../src/index.js';
import { rejects, utf8 } from './helpers.js';


function flip(bytes: Uint8Array, index: number, mask = 0x01): Uint8Array {
  const out = bytes.slice();
  out[index] = out[index]! ^ mask;
  return out;
}

const kem = createKem('X-Wing', backend);

describe.each<HpkeAeadName>(['ChaCha20-Poly1305', 'AES-256-GCM'])('X-Wing, HKDF-SHA256, %s', (aead) => {
  const suite = createHpkeSuite({ kem: 'X-Wing', kdf: 'HKDF-SHA256', aead, backend });
  const { publicKey, privateKey } = kem.keygen();
  const info = utf8('hybridkem seal test');
  const aad = utf8('header');

  it('has the RFC 9180 ids', () => {
    expect(suite.ids).toEqual({ kem: 0x647a, kdf: 0x0001, aead: aead === 'AES-256-GCM' ? 0x0002 : 0x0003 });
  });

  it('round-trips, with and without info/aad, empty and large plaintexts', async () => {
    for (const pt of [new Uint8Array(0), utf8('hello, post-quantum world'), new Uint8Array(100_000).fill(7)]) {
      for (const opts of [undefined, {}, { info }, { aad }, { info, aad }]) {
        const { enc, ciphertext } = await seal(suite, publicKey, pt, opts);
        expect(enc.length).toBe(1120);
        expect(ciphertext.length).toBe(pt.length + 16);
        expect(await open(suite, privateKey, enc, ciphertext, opts)).toEqual(pt);
      }
    }
  });

  it('is randomised: two seals of one message differ', async () => {
    const a = await seal(suite, publicKey, utf8('same'));
    const b = await seal(suite, publicKey, utf8('same'));
    expect(a.enc).not.toEqual(b.enc);
    expect(a.ciphertext).not.toEqual(b.ciphertext);
  });

  describe('tampering is rejected with OpenError (ERR_AUTHENTICATION)', () => {
    const pt = utf8('attack at dawn');
    const sealed = seal(suite, publicKey, pt, { info, aad });

    it('the untampered message opens', async () => {
      const { enc, ciphertext } = await sealed;
      expect(await open(suite, privateKey, enc, ciphertext, { info, aad })).toEqual(pt);
    });
    it('enc, ML-KEM part (first, middle, last byte)', async () => {
      const { enc, ciphertext } = await sealed;
      for (const i of [0, 500, 1087]) {
        const e = await rejects(open(suite, privateKey, flip(enc, i), ciphertext, { info, aad }), 'ERR_AUTHENTICATION');
        expect(e).toBeInstanceOf(OpenError);
      }
    });
    it('enc, X25519 part (including the ignored top bit, which X-Wing still binds)', async () => {
      const { enc, ciphertext } = await sealed;
      for (const [i, mask] of [[1088, 0x01], [1119, 0x80]] as const) {
        await rejects(open(suite, privateKey, flip(enc, i, mask), ciphertext, { info, aad }), 'ERR_AUTHENTICATION');
      }
    });
    it('ciphertext body and tag', async () => {
      const { enc, ciphertext } = await sealed;
      for (const i of [0, pt.length - 1, pt.length, ciphertext.length - 1]) {
        await rejects(open(suite, privateKey, enc, flip(ciphertext, i), { info, aad }), 'ERR_AUTHENTICATION');
      }
      await rejects(open(suite, privateKey, enc, ciphertext.subarray(0, -1), { info, aad }), 'ERR_AUTHENTICATION');
    });
    it('aad: changed, missing', async () => {
      const { enc, ciphertext } = await sealed;
      await rejects(open(suite, privateKey, enc, ciphertext, { info, aad: flip(aad, 0) }), 'ERR_AUTHENTICATION');
      await rejects(open(suite, privateKey, enc, ciphertext, { info }), 'ERR_AUTHENTICATION');
    });
    it('info: changed, missing', async () => {
      const { enc, ciphertext } = await sealed;
      await rejects(open(suite, privateKey, enc, ciphertext, { info: flip(info, 3), aad }), 'ERR_AUTHENTICATION');
      await rejects(open(suite, privateKey, enc, ciphertext, { aad }), 'ERR_AUTHENTICATION');
    });
    it('wrong private key', async () => {
      const { enc, ciphertext } = await sealed;
      await rejects(open(suite, kem.keygen().privateKey, enc, ciphertext, { info, aad }), 'ERR_AUTHENTICATION');
    });
    it('the other AEAD', async () => {
      const { enc, ciphertext } = await sealed;
      const other = createHpkeSuite({ kem: 'X-Wing', kdf: 'HKDF-SHA256', aead: aead === 'AES-256-GCM' ? 'ChaCha20-Poly1305' : 'AES-256-GCM', backend });
      await rejects(open(other, privateKey, enc, ciphertext, { info, aad }), 'ERR_AUTHENTICATION');
    });
  });
});

describe('typed errors for bad input', () => {
  const suite = createHpkeSuite({ kem: 'X-Wing', kdf: 'HKDF-SHA256', aead: 'ChaCha20-Poly1305', backend });
  const { publicKey, privateKey } = kem.keygen();

  it('ERR_AUTHENTICATION is the code of OpenError', () => {
    expect(new OpenError().code).toBe(ERR_AUTHENTICATION);
    expect(new OpenError()).toBeInstanceOf(HybridKemError);
    expect(new OpenError().name).toBe('OpenError');
  });

  it('seal: public key length, type, ML-KEM modulus check, low-order X25519 key', async () => {
    await rejects(seal(suite, publicKey.subarray(1), utf8('x')), 'ERR_INVALID_LENGTH');
    await rejects(seal(suite, new Uint8Array(1217), utf8('x')), 'ERR_INVALID_LENGTH');
    await rejects(seal(suite, 'pk' as unknown as Uint8Array, utf8('x')), 'ERR_INVALID_ARGUMENT');
    await rejects(seal(suite, publicKey, 'pt' as unknown as Uint8Array), 'ERR_INVALID_ARGUMENT');
    await rejects(seal(suite, publicKey, utf8('x'), { aad: 'a' as unknown as Uint8Array }), 'ERR_INVALID_ARGUMENT');
    await rejects(seal(suite, publicKey, utf8('x'), { info: new Uint8Array(65537) }), 'ERR_INVALID_ARGUMENT');
    await rejects(seal(suite, new Uint8Array(1216).fill(0xff), utf8('x')), 'ERR_INVALID_MLKEM_KEY');
    const lowOrder = publicKey.slice();
    lowOrder.fill(0, 1184); // X25519 u = 0
    await rejects(seal(suite, lowOrder, utf8('x')), 'ERR_INVALID_GROUP_ELEMENT');
  });

  it('open: seed, enc and ciphertext lengths', async () => {
    const { enc, ciphertext } = await seal(suite, publicKey, utf8('x'));
    await rejects(open(suite, privateKey.subarray(1), enc, ciphertext), 'ERR_INVALID_LENGTH');
    await rejects(open(suite, privateKey, enc.subarray(1), ciphertext), 'ERR_INVALID_LENGTH');
    await rejects(open(suite, privateKey, new Uint8Array(1121), ciphertext), 'ERR_INVALID_LENGTH');
    await rejects(open(suite, privateKey, enc, ciphertext.subarray(0, 15)), 'ERR_INVALID_ARGUMENT');
    const lowOrder = enc.slice();
    lowOrder.fill(0, 1088);
    await rejects(open(suite, privateKey, lowOrder, ciphertext), 'ERR_INVALID_GROUP_ELEMENT');
  });

  it('createHpkeSuite: unknown KEM, KDF, AEAD; a backend without X-Wing', () => {
    const bad = [
      { kem: 'X25519-MLKEM512', kdf: 'HKDF-SHA256', aead: 'AES-256-GCM' },
      { kem: 'X-Wing', kdf: 'SHAKE256', aead: 'AES-256-GCM' },
      { kem: 'X-Wing', kdf: 'HKDF-SHA256', aead: 'AES-192-GCM' },
    ];
    for (const o of bad) {
      expect(() => createHpkeSuite({ ...o, backend } as never)).toThrow(HybridKemError);
    }
    expect(() => createHpkeSuite({ kem: 'X-Wing', kdf: 'HKDF-SHA256', aead: 'AES-256-GCM', backend: { ...backend, suites: [] } })).toThrow(
      expect.objectContaining({ code: 'ERR_SUITE_NOT_SUPPORTED' }),
    );
  });

  it('the KEM adapter: DeriveKeyPair ikm length, ekm length, foreign keys, no Auth mode', async () => {
    const k = new XWingHpkeKem(backend);
    await rejects(k.deriveKeyPair(new Uint8Array(31)), 'ERR_INVALID_ARGUMENT');
    const pair = await k.generateKeyPair();
    await rejects(k.encap({ recipientPublicKey: pair.publicKey, ekm: new Uint8Array(63) }), 'ERR_INVALID_LENGTH');
    await rejects(k.encap({ recipientPublicKey: pair.privateKey }), 'ERR_INVALID_ARGUMENT');
    await rejects(k.encap({ recipientPublicKey: {} as CryptoKey }), 'ERR_INVALID_ARGUMENT');
    await rejects(k.encap({ recipientPublicKey: pair.publicKey, senderKey: pair.privateKey }), 'ERR_INVALID_ARGUMENT');
    await rejects(k.importKey('jwk', {}), 'ERR_INVALID_ARGUMENT');
    const { enc, sharedSecret } = await k.encap({ recipientPublicKey: pair.publicKey });
    expect(new Uint8Array(await k.decap({ recipientKey: pair, enc }))).toEqual(new Uint8Array(sharedSecret));
  });

  it('keys do not show their bytes when logged or serialised', async () => {
    const k = new XWingHpkeKem(backend);
    const sk = await k.deserializePrivateKey(new Uint8Array(32).fill(0xab));
    expect(JSON.stringify(sk)).not.toContain('171');
    expect(Object.values(sk).some((v) => v instanceof Uint8Array)).toBe(false);
  });
});
