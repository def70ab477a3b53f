/**
 * The node:crypto ChannelCrypto (OpenSSL's ChaCha20-Poly1305, AES-256-GCM,
 * SHA-2 and HMAC). Only the `node` export condition and the Node main entry
 * load this module.
 * @module
 */
import { createCipheriv, createDecipheriv, createHash, createHmac, createSecretKey, type KeyObject } from 'node:crypto';
import { TAG_LENGTH, type ChannelCrypto, type Plaintext, type SealOptions } from './crypto.js';
import type { CipherName, HashName } from './names.js';

const HASH = { SHA256: 'sha256', SHA512: 'sha512' } as const;
const OPTIONS = { authTagLength: TAG_LENGTH };

// One literal per call so TypeScript picks createCipheriv's AEAD overloads.
const cipherOf = (c: CipherName, key: Uint8Array | KeyObject, nonce: Uint8Array) =>
  c === 'AESGCM' ? createCipheriv('aes-256-gcm', key, nonce, OPTIONS) : createCipheriv('chacha20-poly1305', key, nonce, OPTIONS);
const decipherOf = (c: CipherName, key: Uint8Array | KeyObject, nonce: Uint8Array) =>
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
  prepareKey(key: Uint8Array): KeyObject {
    return createSecretKey(key);
  },
  seal(c: CipherName, key: Uint8Array, nonce: Uint8Array, ad: Uint8Array, plaintext: Plaintext, options?: SealOptions): Uint8Array {
    const parts = plaintext instanceof Uint8Array ? [plaintext] : plaintext;
    const headroom = options?.headroom ?? 0;
    let length = 0;
    for (const part of parts) length += part.length;
    const cipher = cipherOf(c, (options?.prepared as KeyObject | undefined) ?? key, nonce);
    if (ad.length > 0) cipher.setAAD(ad, { plaintextLength: length });
    // One output buffer, every byte of it written below (headroom zeroed): no zero fill, no second copy.
    const out = view(Buffer.allocUnsafeSlow(headroom + length + TAG_LENGTH));
    out.fill(0, 0, headroom);
    let at = headroom;
    for (const part of parts) {
      const chunk = cipher.update(part);
      out.set(chunk, at);
      at += chunk.length;
    }
    out.set(cipher.final(), at);
    out.set(cipher.getAuthTag(), headroom + length);
    return out;
  },
  open(c: CipherName, key: Uint8Array, nonce: Uint8Array, ad: Uint8Array, ciphertext: Uint8Array, prepared?: unknown): Uint8Array | undefined {
    if (ciphertext.length < TAG_LENGTH) return undefined;
    const body = ciphertext.subarray(0, ciphertext.length - TAG_LENGTH);
    const decipher = decipherOf(c, (prepared as KeyObject | undefined) ?? key, nonce);
    decipher.setAuthTag(ciphertext.subarray(body.length));
    if (ad.length > 0) decipher.setAAD(ad, { plaintextLength: body.length });
    const head = decipher.update(body);
    try {
      const tail = decipher.final();
      // Both AEADs release all of the plaintext from update(): its buffer is returned as it is, no copy.
      if (tail.length === 0) return view(head);
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
