/**
 * The transport path's copy-free sealing (issue #17's throughput goal): a key
 * prepared once per CipherState key (node:crypto: a KeyObject), a plaintext
 * given as parts, headroom for the frame header in the sealed output, and a
 * Channel frame sealed in place. Every output is checked against node:crypto
 * called directly (Noise §5.1, §12 nonces), for both providers and ciphers.
 */
import { createCipheriv } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { frameInPlace } from '../src/channel/framing.js';
import { nodeCrypto } from '../src/channel/noise/crypto-node.js';
import { CIPHER_NAMES, CipherState, aeadNonce, portableCrypto, type CipherName } from '../src/channel/noise/index.js';

const KEY = Uint8Array.from({ length: 32 }, (_, i) => i + 1);
const AD = Uint8Array.of(9, 8, 7);

/** ENCRYPT(k, n, ad, pt) with node:crypto directly: ciphertext ‖ tag. */
function directEncrypt(cipher: CipherName, key: Uint8Array, n: bigint, ad: Uint8Array, pt: Uint8Array): Uint8Array {
  const c =
    cipher === 'AESGCM'
      ? createCipheriv('aes-256-gcm', key, aeadNonce(cipher, n), { authTagLength: 16 })
      : createCipheriv('chacha20-poly1305', key, aeadNonce(cipher, n), { authTagLength: 16 });
  c.setAAD(ad, { plaintextLength: pt.length });
  return new Uint8Array(Buffer.concat([c.update(pt), c.final(), c.getAuthTag()]));
}

const concat = (...parts: Uint8Array[]): Uint8Array => new Uint8Array(Buffer.concat(parts));

describe('sealing parts with headroom and a prepared key', () => {
  const parts = [Uint8Array.of(0), Uint8Array.from({ length: 1000 }, (_, i) => i & 0xff), Uint8Array.of(), Uint8Array.of(1, 2, 3)];
  const whole = concat(...parts);

  for (const crypto of [nodeCrypto, portableCrypto]) {
    for (const cipher of CIPHER_NAMES) {
      it(`${crypto.name} ${cipher}: seal(parts, { prepared, headroom }) = headroom ‖ ENCRYPT(k, n, ad, concatenation); open(prepared) inverts it`, () => {
        const prepared = crypto.prepareKey?.(KEY);
        const nonce = aeadNonce(cipher, 5n);
        const sealed = crypto.seal(cipher, KEY, nonce, AD, parts, { prepared, headroom: 2 });
        expect(sealed.length).toBe(2 + whole.length + 16);
        expect(sealed.subarray(2)).toEqual(directEncrypt(cipher, KEY, 5n, AD, whole));
        // Without prepared key or headroom: the same ciphertext.
        expect(crypto.seal(cipher, KEY, nonce, AD, whole)).toEqual(sealed.subarray(2));

        const body = sealed.slice(2);
        const opened = crypto.open(cipher, KEY, nonce, AD, body, prepared);
        expect(opened).toEqual(whole);
        // The plaintext is its own memory: changing the ciphertext afterwards does not change it.
        body.fill(0);
        expect(opened).toEqual(whole);
        const tampered = sealed.slice(2);
        tampered[10]! ^= 1;
        expect(crypto.open(cipher, KEY, nonce, AD, tampered, prepared)).toBeUndefined();
      });

      it(`${crypto.name} ${cipher}: CipherState with parts and headroom matches node:crypto, across REKEY (the prepared key follows the key)`, () => {
        const send = new CipherState(crypto, cipher, KEY);
        const receive = new CipherState(crypto, cipher, KEY);
        const first = send.encryptWithAd(AD, parts, 2);
        expect(first.subarray(2)).toEqual(directEncrypt(cipher, KEY, 0n, AD, whole));
        expect(receive.decryptWithAd(AD, first.subarray(2))).toEqual(whole);
        // REKEY(k) = first 32 bytes of ENCRYPT(k, 2^64-1, "", 32 zero bytes) (Noise §11.3); n is kept.
        const rekeyed = directEncrypt(cipher, KEY, 0xffff_ffff_ffff_ffffn, new Uint8Array(0), new Uint8Array(32)).subarray(0, 32);
        send.rekey();
        receive.rekey();
        const second = send.encryptWithAd(AD, parts, 2);
        expect(second.subarray(2)).toEqual(directEncrypt(cipher, rekeyed, 1n, AD, whole));
        expect(receive.decryptWithAd(AD, second.subarray(2))).toEqual(whole);
      });
    }
  }

  it('a CipherState without a key passes the parts through after the headroom (Noise §5.1)', () => {
    const state = new CipherState(nodeCrypto, 'ChaChaPoly');
    const out = state.encryptWithAd(AD, parts, 2);
    expect(out.subarray(2)).toEqual(whole);
    expect(out.length).toBe(2 + whole.length);
  });
});

describe('frameInPlace', () => {
  it('writes the body length into the two bytes of headroom, within 0..65535', () => {
    const frame = new Uint8Array(2 + 300).fill(7);
    expect(frameInPlace(frame)).toBe(frame);
    expect([frame[0], frame[1], frame[2]]).toEqual([1, 44, 7]);
    const largest = frameInPlace(new Uint8Array(2 + 65535));
    expect([largest[0], largest[1]]).toEqual([0xff, 0xff]);
    expect(() => frameInPlace(new Uint8Array(2 + 65536))).toThrow(expect.objectContaining({ code: 'ERR_CHANNEL_PROTOCOL' }));
    expect(() => frameInPlace(new Uint8Array(1))).toThrow(expect.objectContaining({ code: 'ERR_CHANNEL_PROTOCOL' }));
  });
});
