// The AEAD through node:crypto: in Node every suite's chunks go through
// node:crypto's ciphers (not WebCrypto, not the JavaScript ChaCha20-Poly1305),
// its bytes are those of hpke-js's own AEADs for the same key schedule — both
// ways, one-shot and streamed — and a changed chunk still fails with
// ERR_AUTHENTICATION with nothing of it released.
import { Readable, Writable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { Aes128Gcm, Aes256Gcm } from '@hpke/core';
import { Chacha20Poly1305 } from '@hpke/chacha20poly1305';
import { createKem } from '@hybridkem/core';
import { backend } from '@hybridkem/noble';
import { concatBytes } from '@noble/hashes/utils.js';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { chunkAead } from '../src/aead/chunk-aead.js';
import { NodeCryptoAead, nodeCryptoAead } from '../src/aead/node-crypto.js';
import { createHpkeSuite, open, openNodeStream, openStream, seal, sealNodeStream, sealStream, type HpkeAeadName, type HpkeSuite } from '../src/index.js';
import { createHpkeSuiteWith } from '../src/suite.js';
import { chunkStart, drive, flip, pattern, pieces, rejects, TAG, through, withFixedRandomness } from './helpers.js';

const AEADS: HpkeAeadName[] = ['AES-128-GCM', 'AES-256-GCM', 'ChaCha20-Poly1305'];
const CIPHER: Record<HpkeAeadName, string> = { 'AES-128-GCM': 'aes-128-gcm', 'AES-256-GCM': 'aes-256-gcm', 'ChaCha20-Poly1305': 'chacha20-poly1305' };
const KEY_SIZE: Record<HpkeAeadName, number> = { 'AES-128-GCM': 16, 'AES-256-GCM': 32, 'ChaCha20-Poly1305': 32 };
const C = 65536;
const nodeCrypto = process.getBuiltinModule('node:crypto');
const { publicKey, privateKey } = createKem('X-Wing', backend).keygen();
const info = new TextEncoder().encode('aead test info');
const aad = new TextEncoder().encode('aead test aad');

const suites = (aead: HpkeAeadName) => ({
  fast: createHpkeSuite({ kem: 'X-Wing', kdf: 'HKDF-SHA256', aead, backend }),
  portable: createHpkeSuiteWith({ kem: 'X-Wing', kdf: 'HKDF-SHA256', aead, backend }, 'hpke-js'),
});

function hpkeJsAead(aead: HpkeAeadName) {
  return aead === 'AES-128-GCM' ? new Aes128Gcm() : aead === 'AES-256-GCM' ? new Aes256Gcm() : new Chacha20Poly1305();
}

async function nodeThrough(t: import('node:stream').Transform, inputs: Uint8Array[]): Promise<Uint8Array> {
  const out: Uint8Array[] = [];
  await pipeline(Readable.from(inputs), t, new Writable({ write: (c, _e, cb) => cb(void out.push(c)) }));
  return concatBytes(...out);
}

afterEach(() => {
  vi.restoreAllMocks();
});

describe.each(AEADS)('%s', (aead) => {
  const { fast, portable } = suites(aead);

  it('runs through node:crypto in Node; hpke-js when asked (the browser path)', () => {
    expect(fast.aeadImplementation).toBe('node:crypto');
    expect(portable.aeadImplementation).toBe('hpke-js');
  });

  it('seal and open call node:crypto once per chunk and WebCrypto never', async () => {
    const createCipheriv = vi.spyOn(nodeCrypto, 'createCipheriv');
    const createDecipheriv = vi.spyOn(nodeCrypto, 'createDecipheriv');
    const encrypt = vi.spyOn(globalThis.crypto.subtle, 'encrypt');
    const decrypt = vi.spyOn(globalThis.crypto.subtle, 'decrypt');
    const msg = pattern(3 * C + 1, 7); // four chunks
    const sealed = await seal(fast, publicKey, msg, { info, aad });
    expect(createCipheriv.mock.calls.map((c) => c[0])).toEqual(Array(4).fill(CIPHER[aead]));
    expect(await open(fast, privateKey, sealed, { info, aad })).toEqual(msg);
    expect(createDecipheriv.mock.calls.map((c) => c[0])).toEqual(Array(4).fill(CIPHER[aead]));
    expect(encrypt).not.toHaveBeenCalled();
    expect(decrypt).not.toHaveBeenCalled();
  });

  for (const length of [0, 1, C - 1, C, C + 1, 3 * C + 1]) {
    it(`${length} bytes: byte-identical to hpke-js's AEAD for the same key schedule, and each opens the other's`, async () => {
      const msg = pattern(length, length + 3);
      const a = await withFixedRandomness(1, () => seal(fast, publicKey, msg, { info, aad }));
      const b = await withFixedRandomness(1, () => seal(portable, publicKey, msg, { info, aad }));
      expect(a).toEqual(b);
      // Streamed sealing, both stream APIs, is the same bytes too.
      const c = await withFixedRandomness(1, () => through(sealStream(fast, publicKey, { info, aad }), pieces(msg)));
      const d = await withFixedRandomness(1, () => nodeThrough(sealNodeStream(fast, publicKey, { info, aad }), pieces(msg)));
      expect(c).toEqual(b);
      expect(d).toEqual(b);
      // A seal without fixed randomness: each implementation opens the other's message.
      const fromFast = await seal(fast, publicKey, msg, { info, aad });
      const fromPortable = await seal(portable, publicKey, msg, { info, aad });
      expect(await open(portable, privateKey, fromFast, { info, aad })).toEqual(msg);
      expect(await open(fast, privateKey, fromPortable, { info, aad })).toEqual(msg);
      expect(await through(openStream(fast, privateKey, { info, aad }), pieces(fromPortable))).toEqual(msg);
      expect(await nodeThrough(openNodeStream(portable, privateKey, { info, aad }), pieces(fromFast))).toEqual(msg);
    });
  }

  it('the adapter alone: Seal / Open equal hpke-js\'s for the same key, nonce and aad; a wrong tag, aad or nonce fails', async () => {
    const adapter = new NodeCryptoAead(nodeCrypto, aead);
    expect([adapter.id, adapter.keySize, adapter.nonceSize, adapter.tagSize]).toEqual([AEADS.indexOf(aead) + 1, KEY_SIZE[aead], 12, 16]);
    const key = pattern(KEY_SIZE[aead], 11);
    const iv = pattern(12, 12);
    const pt = pattern(1000, 13);
    // Each context takes its own copy of the key (the adapter wipes the one it is given).
    const mine = adapter.createEncryptionContext(key.slice());
    const theirs = hpkeJsAead(aead).createEncryptionContext(key.slice().buffer);
    const ct = new Uint8Array(await mine.seal(iv, pt, aad));
    expect(ct).toEqual(new Uint8Array(await theirs.seal(iv.slice().buffer, pt.slice().buffer, aad.slice().buffer)));
    expect(new Uint8Array(await mine.open(iv, ct, aad))).toEqual(pt);
    await expect(mine.open(iv, flip(ct, ct.length - 1), aad)).rejects.toThrow();
    await expect(mine.open(iv, flip(ct, 0), aad)).rejects.toThrow();
    await expect(mine.open(iv, ct, flip(aad, 0))).rejects.toThrow();
    await expect(mine.open(flip(iv, 11), ct, aad)).rejects.toThrow();
    await expect(mine.open(iv, ct.subarray(0, TAG - 1), aad)).rejects.toThrow();
  });

  it('the adapter\'s sealParts gives [ciphertext, tag]: the bytes of its joined Seal', async () => {
    const ctx = new NodeCryptoAead(nodeCrypto, aead).createEncryptionContext(pattern(KEY_SIZE[aead], 21));
    const iv = pattern(12, 22);
    const pt = pattern(4096, 23);
    const joined = new Uint8Array(await ctx.seal(iv, pt, aad));
    const [ct, tag] = ctx.sealParts(iv, pt, aad);
    expect([ct.length, tag.length]).toEqual([4096, TAG]);
    expect(concatBytes(ct, tag)).toEqual(joined);
    expect(ctx.openSync(iv, joined, aad)).toEqual(pt);
  });

  it('the chunkers call node:crypto directly, with hpke-js\'s nonce sequence: each chunk opens in hpke-js\'s own context and back', async () => {
    // If an hpke-js upgrade changes the context members the direct path
    // uses (aead/chunk-aead.ts), `direct` turns false here.
    const pk = await fast.hpkeKem.deserializePublicKey(publicKey);
    const sender = await fast.cipherSuite.createSenderContext({ recipientPublicKey: pk, info });
    const sk = await portable.hpkeKem.deserializePrivateKey(privateKey);
    const recipient = await portable.cipherSuite.createRecipientContext({ recipientKey: sk, enc: sender.enc, info });
    const direct = chunkAead(sender);
    expect(direct.direct).toBe(true);
    expect(chunkAead(recipient).direct).toBe(false); // hpke-js's AEAD: its own open
    const chunkAadBytes = new Uint8Array(aad).slice();
    for (let i = 0; i < 4; i++) {
      const pt = pattern(1000 + i, 40 + i) as Uint8Array<ArrayBuffer>;
      const sealed = direct.seal(pt, chunkAadBytes);
      expect(Array.isArray(sealed)).toBe(true);
      const joined = concatBytes(...(sealed as [Uint8Array, Uint8Array]));
      expect(new Uint8Array(await recipient.open(joined.slice().buffer, chunkAadBytes.buffer))).toEqual(pt);
    }
    // The other way: hpke-js seals, the direct path opens, chunk after chunk.
    const back = await portable.cipherSuite.createSenderContext({ recipientPublicKey: pk, info });
    const opener = chunkAead(await fast.cipherSuite.createRecipientContext({ recipientKey: await fast.hpkeKem.deserializePrivateKey(privateKey), enc: back.enc, info }));
    expect(opener.direct).toBe(true);
    for (let i = 0; i < 3; i++) {
      const pt = pattern(500 + i, 50 + i);
      const sealed = new Uint8Array(await back.seal(pt.slice().buffer, chunkAadBytes.buffer));
      expect(opener.open(sealed, chunkAadBytes)).toEqual(pt);
    }
    // A chunk out of order (hpke-js's next nonce is for chunk 3) fails and does not advance the sequence.
    const c3 = new Uint8Array(await back.seal(pattern(10, 60).buffer, chunkAadBytes.buffer));
    const c4 = new Uint8Array(await back.seal(pattern(10, 61).buffer, chunkAadBytes.buffer));
    expect(() => opener.open(c4, chunkAadBytes)).toThrow();
    expect(opener.open(c3, chunkAadBytes)).toEqual(pattern(10, 60));
  });

  it('the portable suite\'s chunkers go through hpke-js\'s context (not direct)', async () => {
    const pk = await portable.hpkeKem.deserializePublicKey(publicKey);
    expect(chunkAead(await portable.cipherSuite.createSenderContext({ recipientPublicKey: pk })).direct).toBe(false);
  });

  for (const [label, sizes] of [
    ['whole chunks', [C]],
    ['two chunks at a time', [2 * C]],
    ['a chunk and a byte', [C + 1]],
    ['1 MiB reads', [1 << 20]],
    ['a byte, then 1 MiB reads', [1, 1 << 20]],
  ] as const) {
    it(`streams in pieces (${label}): the bytes of the one-shot seal, and opened in the same pieces`, async () => {
      const msg = pattern(5 * C + 17, 70);
      const whole = await withFixedRandomness(3, () => seal(portable, publicKey, msg, { info, aad }));
      const streamed = await withFixedRandomness(3, () => nodeThrough(sealNodeStream(fast, publicKey, { info, aad }), pieces(msg, [...sizes])));
      expect(streamed).toEqual(whole);
      expect(await nodeThrough(openNodeStream(fast, privateKey, { info, aad }), pieces(whole, [...sizes]))).toEqual(msg);
      expect(await through(openStream(fast, privateKey, { info, aad }), pieces(whole, [...sizes]))).toEqual(msg);
    });
  }

  describe('a changed chunk fails with ERR_AUTHENTICATION and releases nothing of it', () => {
    const msg = pattern(3 * C + 100, 31); // chunks 0, 1, 2 full, chunk 3 of 100 bytes
    let sealed: Uint8Array;
    const sealedOnce = async () => (sealed ??= await seal(fast, publicKey, msg, { info, aad }));
    const cases: [string, number, number][] = [];
    for (const i of [0, 1, 3]) {
      const body = chunkStart(i);
      const end = i === 3 ? body + 100 + TAG : body + C + TAG;
      cases.push([`chunk ${i} first byte`, i, body], [`chunk ${i} last body byte`, i, end - TAG - 1], [`chunk ${i} tag`, i, end - 1]);
    }
    for (const [name, chunk, index] of cases) {
      it(name, async () => {
        const bad = flip(await sealedOnce(), index);
        await rejects(open(fast, privateKey, bad, { info, aad }), 'ERR_AUTHENTICATION');
        await rejects(open(portable, privateKey, bad, { info, aad }), 'ERR_AUTHENTICATION');
        // Streamed: exactly the chunks before the changed one come out, then the error.
        const web = await drive(openStream(fast, privateKey, { info, aad }), pieces(bad));
        expect((web.error as { code?: string } | undefined)?.code).toBe('ERR_AUTHENTICATION');
        expect(web.out).toEqual(msg.subarray(0, chunk * C));
        const got: Uint8Array[] = [];
        const failure = await pipeline(
          Readable.from(pieces(bad)),
          openNodeStream(fast, privateKey, { info, aad }),
          new Writable({ write: (c, _e, cb) => cb(void got.push(c)) }),
        ).then(
          () => undefined,
          (e: unknown) => e,
        );
        expect((failure as { code?: string } | undefined)?.code).toBe('ERR_AUTHENTICATION');
        expect(concatBytes(...got)).toEqual(msg.subarray(0, chunk * C));
      });
    }
  });
});

describe('where node:crypto is not there', () => {
  it('createHpkeSuite falls back to hpke-js, and its messages still open with node:crypto', async () => {
    const get = process.getBuiltinModule;
    let suite: HpkeSuite;
    try {
      (process as { getBuiltinModule?: unknown }).getBuiltinModule = undefined;
      expect(nodeCryptoAead('AES-256-GCM')).toBeUndefined();
      suite = createHpkeSuite({ kem: 'X-Wing', kdf: 'HKDF-SHA256', aead: 'AES-256-GCM', backend });
    } finally {
      process.getBuiltinModule = get;
    }
    expect(suite.aeadImplementation).toBe('hpke-js');
    const msg = pattern(C + 5, 41);
    const sealed = await seal(suite, publicKey, msg);
    expect(await open(createHpkeSuite({ kem: 'X-Wing', kdf: 'HKDF-SHA256', aead: 'AES-256-GCM', backend }), privateKey, sealed)).toEqual(msg);
  });

  it('a runtime whose node:crypto lacks the cipher gets hpke-js for it', () => {
    const get = process.getBuiltinModule;
    try {
      process.getBuiltinModule = ((id: string) =>
        id === 'node:crypto' ? { ...nodeCrypto, getCiphers: () => ['aes-256-gcm'] } : get(id)) as typeof process.getBuiltinModule;
      expect(nodeCryptoAead('AES-256-GCM')).toBeInstanceOf(NodeCryptoAead);
      expect(nodeCryptoAead('ChaCha20-Poly1305')).toBeUndefined();
      expect(createHpkeSuite({ kem: 'X-Wing', kdf: 'HKDF-SHA256', aead: 'ChaCha20-Poly1305', backend }).aeadImplementation).toBe('hpke-js');
    } finally {
      process.getBuiltinModule = get;
    }
  });
});

describe('past 256 chunks (the sequence number takes a second byte)', () => {
  it('the direct path\'s nonces are hpke-js\'s: sealed through node:crypto, opened by hpke-js\'s own context, and back', async () => {
    const { fast, portable } = suites('AES-256-GCM');
    const msg = pattern(300 * C + 5, 91); // 301 chunks: seq 0 … 300
    const viaNode = await seal(fast, publicKey, msg);
    expect(await open(portable, privateKey, viaNode)).toEqual(msg);
    const viaHpkeJs = await seal(portable, publicKey, msg);
    expect(await open(fast, privateKey, viaHpkeJs)).toEqual(msg);
  });
});
