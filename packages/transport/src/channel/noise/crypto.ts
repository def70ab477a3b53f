/**
 * The symmetric primitives the Noise machinery needs (Noise §4.2, §4.3), as
 * an interface so Node can use node:crypto and browsers/workerd @noble.
 * Implementations wrap a library; none implements a primitive itself.
 * @module
 */
import type { CipherName, HashName } from './names.js';

/** AEAD tag length of both Noise ciphers (Noise §4.2, §12). */
export const TAG_LENGTH = 16;
/** Key length of both Noise ciphers. */
export const KEY_LENGTH = 32;

export function hashLength(h: HashName): 32 | 64 {
  return h === 'SHA512' ? 64 : 32;
}

export interface ChannelCrypto {
  /** A label for tests and diagnostics (`node:crypto`, `noble`). */
  readonly name: string;
  /** HASH(part₀ ‖ part₁ ‖ …). */
  hash(h: HashName, parts: readonly Uint8Array[]): Uint8Array;
  /** HMAC-HASH(key, part₀ ‖ part₁ ‖ …) (RFC 2104). */
  hmac(h: HashName, key: Uint8Array, parts: readonly Uint8Array[]): Uint8Array;
  /** ciphertext ‖ 16-byte tag. `nonce` is the 12-byte AEAD nonce (built by CipherState). */
  seal(c: CipherName, key: Uint8Array, nonce: Uint8Array, ad: Uint8Array, plaintext: Uint8Array): Uint8Array;
  /** The plaintext, or `undefined` when the tag does not verify. */
  open(c: CipherName, key: Uint8Array, nonce: Uint8Array, ad: Uint8Array, ciphertext: Uint8Array): Uint8Array | undefined;
}
