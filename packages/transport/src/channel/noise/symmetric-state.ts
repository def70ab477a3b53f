/**
 * Noise SymmetricState (Noise §5.2) and HKDF (§4.3, HMAC-based, RFC 5869 with
 * ck as salt and fixed info).
 * @module
 */
import { CipherState } from './cipher-state.js';
import { hashLength, type ChannelCrypto } from './crypto.js';
import type { CipherName, HashName } from './names.js';

const ONE = Uint8Array.of(1);
const TWO = Uint8Array.of(2);
const THREE = Uint8Array.of(3);
const EMPTY = new Uint8Array(0);
const encoder = new TextEncoder();

/** HKDF(chaining_key, input_key_material, num_outputs) of Noise §4.3. */
export function noiseHkdf(
  crypto: ChannelCrypto,
  hash: HashName,
  chainingKey: Uint8Array,
  ikm: Uint8Array,
  outputs: 2 | 3,
): Uint8Array[] {
  const tempKey = crypto.hmac(hash, chainingKey, [ikm]);
  const o1 = crypto.hmac(hash, tempKey, [ONE]);
  const o2 = crypto.hmac(hash, tempKey, [o1, TWO]);
  const result = [o1, o2];
  if (outputs === 3) result.push(crypto.hmac(hash, tempKey, [o2, THREE]));
  tempKey.fill(0);
  return result;
}

export class SymmetricState {
  readonly #crypto: ChannelCrypto;
  readonly #cipherName: CipherName;
  readonly #hash: HashName;
  readonly #cs: CipherState;
  #ck: Uint8Array;
  #h: Uint8Array;

  /** InitializeSymmetric(protocol_name) (Noise §5.2). */
  constructor(crypto: ChannelCrypto, cipher: CipherName, hash: HashName, protocolName: string) {
    this.#crypto = crypto;
    this.#cipherName = cipher;
    this.#hash = hash;
    const name = encoder.encode(protocolName);
    const len = hashLength(hash);
    if (name.length <= len) {
      this.#h = new Uint8Array(len);
      this.#h.set(name);
    } else {
      this.#h = crypto.hash(hash, [name]);
    }
    this.#ck = this.#h.slice();
    this.#cs = new CipherState(crypto, cipher);
  }

  hasKey(): boolean {
    return this.#cs.hasKey();
  }

  mixKey(ikm: Uint8Array): void {
    const [ck, tempK] = noiseHkdf(this.#crypto, this.#hash, this.#ck, ikm, 2) as [Uint8Array, Uint8Array];
    this.#ck.fill(0);
    this.#ck = ck;
    // HASHLEN 64 keys are truncated to 32 bytes (Noise §5.2 MixKey).
    this.#cs.initializeKey(tempK);
    tempK.fill(0);
  }

  mixHash(data: Uint8Array): void {
    this.#h = this.#crypto.hash(this.#hash, [this.#h, data]);
  }

  mixKeyAndHash(ikm: Uint8Array): void {
    const [ck, tempH, tempK] = noiseHkdf(this.#crypto, this.#hash, this.#ck, ikm, 3) as [Uint8Array, Uint8Array, Uint8Array];
    this.#ck.fill(0);
    this.#ck = ck;
    this.mixHash(tempH);
    this.#cs.initializeKey(tempK);
    tempK.fill(0);
  }

  /** A copy of h. */
  handshakeHash(): Uint8Array {
    return this.#h.slice();
  }

  encryptAndHash(plaintext: Uint8Array): Uint8Array {
    const ciphertext = this.#cs.encryptWithAd(this.#h, plaintext);
    this.mixHash(ciphertext);
    return ciphertext;
  }

  /** Throws ChannelDecryptError when the ciphertext does not authenticate (the handshake maps it). */
  decryptAndHash(ciphertext: Uint8Array): Uint8Array {
    const plaintext = this.#cs.decryptWithAd(this.#h, ciphertext);
    this.mixHash(ciphertext);
    return plaintext;
  }

  /** Split() (Noise §5.2): the initiator's sending and the responder's sending CipherState. */
  split(): [CipherState, CipherState] {
    const [k1, k2] = noiseHkdf(this.#crypto, this.#hash, this.#ck, EMPTY, 2) as [Uint8Array, Uint8Array];
    const c1 = new CipherState(this.#crypto, this.#cipherName, k1);
    const c2 = new CipherState(this.#crypto, this.#cipherName, k2);
    k1.fill(0);
    k2.fill(0);
    return [c1, c2];
  }

  /** Wipes ck and the key; h stays (it is public once the handshake ends). */
  destroy(): void {
    this.#ck.fill(0);
    this.#cs.destroy();
  }
}
