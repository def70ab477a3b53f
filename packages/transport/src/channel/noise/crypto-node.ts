/**
 * The node:crypto ChannelCrypto (OpenSSL's ChaCha20-Poly1305, AES-256-GCM,
 * SHA-2 and HMAC). Only the `node` export condition and the Node main entry
 * load this module.
 * @module
 */
import { createCipheriv, createDecipheriv, createHash, createHmac } from 'node:crypto';
import { TAG_LENGTH, type ChannelCrypto } from './crypto.js';
import type { CipherName, HashName } from './names.js';

const HASH = { SHA256: 'sha256', SHA512: 'sha512' } as const;
const OPTIONS = { authTagLength: TAG_LENGTH };

// One literal per call so TypeScript picks createCipheriv's AEAD overloads.
const cipherOf = (c: CipherName, key: Uint8Array, nonce: Uint8Array) =>
  c === 'AESGCM' ? createCipheriv('aes-256-gcm', key, nonce, OPTIONS) : createCipheriv('chacha20-poly1305', key, nonce, OPTIONS);
const decipherOf = (c: CipherName, key: Uint8Array, nonce: Uint8Array) =>
  c === 'AESGCM' ? createDecipheriv('aes-256-gcm', key, nonce, OPTIONS) : createDecipheriv('chacha20-poly1305', key, nonce, OPTIONS);

const view = (b: Buffer): Uint8Array => new Uint8Array(b.buffer, b.byteOffset, b.byteLength);

export const nodeCrypto: ChannelCrypto = Object.freeze({
  name: 'node:crypto',
  hash(h: HashName, parts: readonly Uint8Array[]): Uint8Array {
    const ctx = createHash(HASH[h]);
    for (const p of parts) ctx.update(p);
    return view(ctx.digest());
  },
  hmac(h: HashName, key: Uint8Array, parts: readonly Uint8Array[]): Uint8Array {
    const ctx = createHmac(HASH[h], key);
    for (const p of parts) ctx.update(p);
    return view(ctx.digest());
  },
  seal(c: CipherName, key: Uint8Array, nonce: Uint8Array, ad: Uint8Array, plaintext: Uint8Array): Uint8Array {
    const cipher = cipherOf(c, key, nonce);
    if (ad.length > 0) cipher.setAAD(ad, { plaintextLength: plaintext.length });
    const head = cipher.update(plaintext);
    const tail = cipher.final();
    const out = new Uint8Array(plaintext.length + TAG_LENGTH);
    out.set(head, 0);
    out.set(tail, head.length);
    out.set(cipher.getAuthTag(), plaintext.length);
    return out;
  },
  open(c: CipherName, key: Uint8Array, nonce: Uint8Array, ad: Uint8Array, ciphertext: Uint8Array): Uint8Array | undefined {
    if (ciphertext.length < TAG_LENGTH) return undefined;
    const body = ciphertext.subarray(0, ciphertext.length - TAG_LENGTH);
    const decipher = decipherOf(c, key, nonce);
    decipher.setAuthTag(ciphertext.subarray(body.length));
    if (ad.length > 0) decipher.setAAD(ad, { plaintextLength: body.length });
    const head = decipher.update(body);
    try {
      const tail = decipher.final();
      const out = new Uint8Array(body.length);
      out.set(head, 0);
      out.set(tail, head.length);
      return out;
    } catch {
      // The tag did not verify: wipe what update() released before the check.
      head.fill(0);
      return undefined;
    }
  },
});
