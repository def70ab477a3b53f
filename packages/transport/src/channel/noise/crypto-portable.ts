/**
 * The portable ChannelCrypto: @noble/ciphers and @noble/hashes, for browsers,
 * workerd and Node alike (no `node:` import).
 * @module
 */
import { gcm } from '@noble/ciphers/aes.js';
import { chacha20poly1305 } from '@noble/ciphers/chacha.js';
import { hmac } from '@noble/hashes/hmac.js';
import { sha256, sha512 } from '@noble/hashes/sha2.js';
import { concatAfterHeadroom, type ChannelCrypto, type Plaintext, type SealOptions } from './crypto.js';
import type { CipherName, HashName } from './names.js';

const hashOf = (h: HashName) => (h === 'SHA512' ? sha512 : sha256);
const aeadOf = (c: CipherName, key: Uint8Array, nonce: Uint8Array, ad: Uint8Array) =>
  c === 'AESGCM' ? gcm(key, nonce, ad) : chacha20poly1305(key, nonce, ad);

export const portableCrypto: ChannelCrypto = Object.freeze({
  name: 'noble',
  hash(h: HashName, parts: readonly Uint8Array[]): Uint8Array {
    const ctx = hashOf(h).create();
    for (const p of parts) ctx.update(p);
    return ctx.digest();
  },
  hmac(h: HashName, key: Uint8Array, parts: readonly Uint8Array[]): Uint8Array {
    const ctx = hmac.create(hashOf(h), key);
    for (const p of parts) ctx.update(p);
    return ctx.digest();
  },
  seal(c: CipherName, key: Uint8Array, nonce: Uint8Array, ad: Uint8Array, plaintext: Plaintext, options?: SealOptions): Uint8Array {
    const sealed = aeadOf(c, key, nonce, ad).encrypt(plaintext instanceof Uint8Array ? plaintext : concatAfterHeadroom(plaintext));
    const headroom = options?.headroom ?? 0;
    return headroom === 0 ? sealed : concatAfterHeadroom([sealed], headroom);
  },
  open(c: CipherName, key: Uint8Array, nonce: Uint8Array, ad: Uint8Array, ciphertext: Uint8Array): Uint8Array | undefined {
    try {
      return aeadOf(c, key, nonce, ad).decrypt(ciphertext);
    } catch {
      return undefined;
    }
  },
});
