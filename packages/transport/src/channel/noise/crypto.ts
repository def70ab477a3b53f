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

/** A plaintext, or its parts in order, sealed as their concatenation (so a caller need not copy them together). */
export type Plaintext = Uint8Array | readonly Uint8Array[];

/** `parts` copied one after another into one new array, after `headroom` zero bytes. Internal: not exported from the package. */
export function concatAfterHeadroom(parts: readonly Uint8Array[], headroom = 0): Uint8Array {
  let length = headroom;
  for (const part of parts) length += part.length;
  const out = new Uint8Array(length);
  let at = headroom;
  for (const part of parts) {
    out.set(part, at);
    at += part.length;
  }
  return out;
}

/** What CipherState passes to seal besides the message. */
export interface SealOptions {
  /** What `prepareKey` returned for this key, if the provider has it. */
  readonly prepared?: unknown;
  /** Bytes left in front of ciphertext ‖ tag for the caller (a frame header), so it need not copy the output again. */
  readonly headroom?: number;
}

export interface ChannelCrypto {
  /** A label for tests and diagnostics (`node:crypto`, `noble`). */
  readonly name: string;
  /** HASH(part₀ ‖ part₁ ‖ …). */
  hash(h: HashName, parts: readonly Uint8Array[]): Uint8Array;
  /** HMAC-HASH(key, part₀ ‖ part₁ ‖ …) (RFC 2104). */
  hmac(h: HashName, key: Uint8Array, parts: readonly Uint8Array[]): Uint8Array;
  /**
   * Optional: the key in the provider's own form, made once per key by CipherState and handed back to
   * seal/open (node:crypto: a KeyObject; given raw bytes, createCipheriv imports the key again on every
   * message, which cost more than ChaCha20-Poly1305 itself on 16 KiB messages).
   */
  prepareKey?(key: Uint8Array): unknown;
  /**
   * `headroom` bytes (unspecified), then ciphertext ‖ 16-byte tag. `nonce` is the 12-byte AEAD nonce (built by
   * CipherState, which rewrites the same buffer for its next message: use it during the call only).
   */
  seal(c: CipherName, key: Uint8Array, nonce: Uint8Array, ad: Uint8Array, plaintext: Plaintext, options?: SealOptions): Uint8Array;
  /** The plaintext, or `undefined` when the tag does not verify. `prepared`: as for seal. */
  open(c: CipherName, key: Uint8Array, nonce: Uint8Array, ad: Uint8Array, ciphertext: Uint8Array, prepared?: unknown): Uint8Array | undefined;
}
