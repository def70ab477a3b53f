/**
 * The node:crypto and the portable (noble) providers give identical
 * handshake messages, hashes and transport messages for the same inputs, and
 * interoperate; CipherState's nonces and REKEY match node:crypto computed
 * directly (Noise §5.1, §11.3, §12).
 */
import { createCipheriv } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { nodeCrypto } from '../src/channel/noise/crypto-node.js';
import {
  CIPHER_NAMES,
  CipherState,
  HandshakeState,
  portableCrypto,
  type ChannelCrypto,
  type CipherName,
  type HashName,
  type PatternName,
} from '../src/channel/noise/index.js';
import { seededRandom } from './support/channel-pair.js';
import { backend, EMPTY, kem, preMessageKeys, PROTOCOLS, providers, suite } from './support/noise-setup.js';

const serverKey = kem.keygen(new Uint8Array(32).fill(1));
const clientKey = kem.keygen(new Uint8Array(32).fill(2));

function transcript(pattern: PatternName, cipher: CipherName, hash: HashName, ic: ChannelCrypto, rc: ChannelCrypto) {
  const make = (initiator: boolean, crypto: ChannelCrypto) =>
    new HandshakeState({
      pattern, initiator, suite, backend, cipher, hash, crypto,
      prologue: Uint8Array.of(1, 2, 3),
      random: seededRandom(`${pattern}/${initiator}`),
      ...preMessageKeys(pattern, initiator, initiator ? clientKey : serverKey, serverKey.publicKey),
    });
  const a = make(true, ic);
  const b = make(false, rc);
  const messages: string[] = [];
  while (!a.isComplete || !b.isComplete) {
    const [w, r] = a.isMyTurn ? [a, b] : [b, a];
    const m = w.writeMessage(Uint8Array.of(messages.length));
    messages.push(Buffer.from(m).toString('hex'));
    expect(r.readMessage(m)).toEqual(Uint8Array.of(messages.length - 1));
  }
  const h = Buffer.from(a.handshakeHash()).toString('hex');
  expect(Buffer.from(b.handshakeHash()).toString('hex')).toBe(h);
  const i = a.split();
  const r = b.split();
  const up = i.send.encryptWithAd(EMPTY, Uint8Array.of(42));
  expect(r.receive.decryptWithAd(EMPTY, up)).toEqual(Uint8Array.of(42));
  const down = r.send.encryptWithAd(Uint8Array.of(7), Uint8Array.of(43, 44));
  expect(i.receive.decryptWithAd(Uint8Array.of(7), down)).toEqual(Uint8Array.of(43, 44));
  return { messages, h, transport: [up, down].map((x) => Buffer.from(x).toString('hex')) };
}

/** Noise §12 AEAD computed here with node:crypto directly. */
function directEncrypt(cipher: CipherName, key: Uint8Array, n: bigint, ad: Uint8Array, pt: Uint8Array): Uint8Array {
  const nonce = Buffer.alloc(12);
  if (cipher === 'ChaChaPoly') nonce.writeBigUInt64LE(n, 4);
  else nonce.writeBigUInt64BE(n, 4);
  const c =
    cipher === 'AESGCM'
      ? createCipheriv('aes-256-gcm', key, nonce, { authTagLength: 16 })
      : createCipheriv('chacha20-poly1305', key, nonce, { authTagLength: 16 });
  c.setAAD(ad, { plaintextLength: pt.length });
  return Buffer.concat([c.update(pt), c.final(), c.getAuthTag()]);
}

describe('crypto providers', () => {
  for (const { pattern, cipher, hash } of PROTOCOLS) {
    it(`${pattern} ${cipher} ${hash}: node:crypto and noble give the same transcript, and interoperate`, () => {
      const viaNode = transcript(pattern, cipher, hash, nodeCrypto, nodeCrypto);
      expect(transcript(pattern, cipher, hash, portableCrypto, portableCrypto)).toEqual(viaNode);
      expect(transcript(pattern, cipher, hash, nodeCrypto, portableCrypto)).toEqual(viaNode);
      expect(transcript(pattern, cipher, hash, portableCrypto, nodeCrypto)).toEqual(viaNode);
    });
  }

  for (const crypto of providers) {
    for (const cipher of CIPHER_NAMES) {
      it(`${crypto.name} ${cipher}: nonces, a failed decryption leaves n unchanged, REKEY (Noise §11.3)`, () => {
        const key = Uint8Array.from({ length: 32 }, (_, i) => i * 7);
        const send = new CipherState(crypto, cipher, key);
        const receive = new CipherState(crypto, cipher, key);
        const ad = Uint8Array.of(9, 9);
        const c0 = send.encryptWithAd(ad, Uint8Array.of(1, 2, 3));
        expect(c0).toEqual(new Uint8Array(directEncrypt(cipher, key, 0n, ad, Uint8Array.of(1, 2, 3))));
        const c1 = send.encryptWithAd(ad, Uint8Array.of(4));
        expect(c1).toEqual(new Uint8Array(directEncrypt(cipher, key, 1n, ad, Uint8Array.of(4))));
        expect(send.nonce).toBe(2n);
        // Out of order, tampered, or too short: ERR_CHANNEL_DECRYPT and n stays.
        expect(() => receive.decryptWithAd(ad, c1)).toThrow(expect.objectContaining({ code: 'ERR_CHANNEL_DECRYPT' }));
        const bad = c0.slice();
        bad[bad.length - 1]! ^= 1;
        expect(() => receive.decryptWithAd(ad, bad)).toThrow(expect.objectContaining({ code: 'ERR_CHANNEL_DECRYPT' }));
        expect(() => receive.decryptWithAd(ad, c0.subarray(0, 15))).toThrow(expect.objectContaining({ code: 'ERR_CHANNEL_DECRYPT' }));
        expect(receive.nonce).toBe(0n);
        expect(receive.decryptWithAd(ad, c0)).toEqual(Uint8Array.of(1, 2, 3));
        expect(() => receive.decryptWithAd(ad, c0)).toThrow(expect.objectContaining({ code: 'ERR_CHANNEL_DECRYPT' }));
        expect(receive.decryptWithAd(ad, c1)).toEqual(Uint8Array.of(4));

        // REKEY(k) = first 32 bytes of ENCRYPT(k, 2^64-1, "", 32 zero bytes); n is kept.
        const rekeyed = directEncrypt(cipher, key, 0xffff_ffff_ffff_ffffn, EMPTY, new Uint8Array(32)).subarray(0, 32);
        send.rekey();
        expect(send.nonce).toBe(2n);
        const c2 = send.encryptWithAd(EMPTY, Uint8Array.of(5));
        expect(c2).toEqual(new Uint8Array(directEncrypt(cipher, rekeyed, 2n, EMPTY, Uint8Array.of(5))));
        expect(() => receive.decryptWithAd(EMPTY, c2)).toThrow(expect.objectContaining({ code: 'ERR_CHANNEL_DECRYPT' }));
        receive.rekey();
        expect(receive.decryptWithAd(EMPTY, c2)).toEqual(Uint8Array.of(5));

        // A destroyed state refuses to work (it must not fall back to Noise's key-less pass-through).
        send.destroy();
        expect(() => send.encryptWithAd(EMPTY, Uint8Array.of(1))).toThrow(expect.objectContaining({ code: 'ERR_CHANNEL_CLOSED' }));
        expect(() => send.rekey()).toThrow(expect.objectContaining({ code: 'ERR_CHANNEL_CLOSED' }));
      });
    }
  }
});
