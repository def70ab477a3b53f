/**
 * Noise CipherState (Noise §5.1) with the nonce encodings of §12 and REKEY of
 * §4.2/§11.3.
 * @module
 */
import { ChannelClosedError, ChannelDecryptError, ChannelProtocolError } from '../errors.js';
import { concatAfterHeadroom, KEY_LENGTH, TAG_LENGTH, type ChannelCrypto, type Plaintext } from './crypto.js';
import type { CipherName } from './names.js';

/** 2^64-1: reserved for REKEY, never used for a message (Noise §5.1). */
export const MAX_NONCE = 0xffff_ffff_ffff_ffffn;
const ZEROS = new Uint8Array(32);
const EMPTY = new Uint8Array(0);

/** The 96-bit AEAD nonce: 4 zero bytes ‖ n, little-endian for ChaChaPoly, big-endian for AESGCM (Noise §12.3, §12.4). */
export function aeadNonce(cipher: CipherName, n: bigint): Uint8Array {
  const nonce = new Uint8Array(12);
  new DataView(nonce.buffer).setBigUint64(4, n, cipher === 'ChaChaPoly');
  return nonce;
}

/** Noise's key-less pass-through (§5.1): the plaintext, copied, after `headroom` zero bytes. */
function joined(plaintext: Plaintext, headroom: number): Uint8Array {
  return concatAfterHeadroom(plaintext instanceof Uint8Array ? [plaintext] : plaintext, headroom);
}

export class CipherState {
  readonly #crypto: ChannelCrypto;
  readonly #cipher: CipherName;
  #k: Uint8Array | undefined;
  /** #k in the provider's own form (ChannelCrypto.prepareKey), made once per key. */
  #prepared: unknown;
  #n = 0n;
  #destroyed = false;
  /** The AEAD nonce, rewritten for each message (providers use it only during the call). */
  readonly #nonce = new Uint8Array(12);
  readonly #nonceView = new DataView(this.#nonce.buffer);

  /** `key` (32 bytes) is copied; without it the state has no key and passes plaintext through (Noise §5.1). */
  constructor(crypto: ChannelCrypto, cipher: CipherName, key?: Uint8Array) {
    this.#crypto = crypto;
    this.#cipher = cipher;
    if (key !== undefined) this.initializeKey(key);
  }

  get cipher(): CipherName {
    return this.#cipher;
  }

  /** Sets k (copied, first 32 bytes) and n = 0 (Noise §5.1 InitializeKey). */
  initializeKey(key: Uint8Array): void {
    this.#checkAlive();
    if (key.length < KEY_LENGTH) throw new RangeError('CipherState: key shorter than 32 bytes');
    this.#k?.fill(0);
    this.#k = key.slice(0, KEY_LENGTH);
    this.#prepared = this.#crypto.prepareKey?.(this.#k);
    this.#n = 0n;
  }

  hasKey(): boolean {
    return this.#k !== undefined;
  }

  /** The next nonce. */
  get nonce(): bigint {
    return this.#n;
  }

  /**
   * `plaintext` may be given as parts (encrypted as their concatenation); `headroom` bytes are left in
   * front of the output for the caller (the channel writes its frame header there).
   */
  encryptWithAd(ad: Uint8Array, plaintext: Plaintext, headroom = 0): Uint8Array {
    this.#checkAlive();
    if (this.#k === undefined) return joined(plaintext, headroom);
    if (this.#n >= MAX_NONCE) throw new ChannelProtocolError('cipher state: nonces exhausted (Noise §5.1 reserves 2^64-1)');
    const out = this.#crypto.seal(this.#cipher, this.#k, this.#nonceFor(this.#n), ad, plaintext, { prepared: this.#prepared, headroom });
    this.#n += 1n;
    return out;
  }

  /** Throws ChannelDecryptError when the tag does not verify; n is advanced only on success (Noise §5.1). */
  decryptWithAd(ad: Uint8Array, ciphertext: Uint8Array): Uint8Array {
    this.#checkAlive();
    if (this.#k === undefined) return ciphertext.slice();
    if (this.#n >= MAX_NONCE) throw new ChannelProtocolError('cipher state: nonces exhausted (Noise §5.1 reserves 2^64-1)');
    if (ciphertext.length < TAG_LENGTH) throw new ChannelDecryptError('cipher state: message shorter than the AEAD tag');
    const out = this.#crypto.open(this.#cipher, this.#k, this.#nonceFor(this.#n), ad, ciphertext, this.#prepared);
    if (out === undefined) throw new ChannelDecryptError('cipher state: message failed to authenticate');
    this.#n += 1n;
    return out;
  }

  /** k = first 32 bytes of ENCRYPT(k, 2^64-1, "", 32 zero bytes) (Noise §4.2, §11.3); n is unchanged. */
  rekey(): void {
    this.#checkAlive();
    if (this.#k === undefined) throw new ChannelProtocolError('cipher state: rekey without a key');
    const out = this.#crypto.seal(this.#cipher, this.#k, aeadNonce(this.#cipher, MAX_NONCE), EMPTY, ZEROS, { prepared: this.#prepared });
    this.#k.fill(0);
    this.#k = out.slice(0, KEY_LENGTH);
    this.#prepared = this.#crypto.prepareKey?.(this.#k);
    out.fill(0);
  }

  /** Wipes the key; every later use throws ERR_CHANNEL_CLOSED (never Noise's key-less pass-through). */
  destroy(): void {
    this.#k?.fill(0);
    this.#k = undefined;
    this.#prepared = undefined;
    this.#destroyed = true;
  }

  /** aeadNonce without an allocation per message: 4 zero bytes ‖ n (Noise §12.3, §12.4). */
  #nonceFor(n: bigint): Uint8Array {
    this.#nonceView.setBigUint64(4, n, this.#cipher === 'ChaChaPoly');
    return this.#nonce;
  }

  #checkAlive(): void {
    if (this.#destroyed) throw new ChannelClosedError('cipher state: destroyed');
  }
}
