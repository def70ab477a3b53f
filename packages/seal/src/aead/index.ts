/**
 * The AEAD of a suite: node:crypto's (OpenSSL) where the runtime has it,
 * otherwise hpke-js's own — WebCrypto for AES-GCM, `@hpke/chacha20poly1305`
 * (JavaScript) for ChaCha20-Poly1305. Both compute RFC 9180's `Seal` /
 * `Open`, so the bytes are the same; only the speed differs.
 *
 * The choice is made at run time (`process.getBuiltinModule`), not by an
 * export condition: the package keeps one build and one set of classes for
 * every runtime, a browser bundle resolves no `node:` module, and Deno / Bun
 * get the fast path wherever their node:crypto has the cipher.
 * @module
 */
import { Chacha20Poly1305 } from '@hpke/chacha20poly1305';
import { Aes128Gcm, Aes256Gcm, type AeadInterface } from '@hpke/core';
import type { HpkeAeadName } from '../algorithms.js';
import { nodeCryptoAead } from './node-crypto.js';

/** Which code runs a suite's AEAD: `'node:crypto'` (OpenSSL, synchronous) or `'hpke-js'` (WebCrypto AES-GCM / JavaScript ChaCha20-Poly1305). */
export type AeadImplementation = 'node:crypto' | 'hpke-js';

/** hpke-js's AEAD for `name`: the one browsers use. */
export function hpkeJsAead(name: HpkeAeadName): AeadInterface {
  if (name === 'AES-128-GCM') return new Aes128Gcm();
  if (name === 'AES-256-GCM') return new Aes256Gcm();
  return new Chacha20Poly1305();
}

/**
 * The AEAD for `name`: node:crypto's when available (or hpke-js's when
 * `prefer` is 'hpke-js', for tests comparing the two).
 */
export function makeAead(
  name: HpkeAeadName,
  prefer: AeadImplementation = 'node:crypto',
): { aead: AeadInterface; implementation: AeadImplementation } {
  const fast = prefer === 'node:crypto' ? nodeCryptoAead(name) : undefined;
  if (fast) return { aead: fast, implementation: 'node:crypto' };
  return { aead: hpkeJsAead(name), implementation: 'hpke-js' };
}
