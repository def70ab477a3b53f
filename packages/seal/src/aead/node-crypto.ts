/**
 * HPKE AEADs (RFC 9180 §7.3) over node:crypto's ciphers, for hpke-js's
 * `AeadInterface`: AES-128-GCM, AES-256-GCM and ChaCha20-Poly1305, each
 * `Seal(key, nonce, aad, pt)` / `Open(key, nonce, aad, ct)` one
 * `createCipheriv` / `createDecipheriv` call with a 16-byte tag. A thin
 * adapter: OpenSSL does the cryptography, hpke-js keeps the key schedule and
 * the sequence-number / nonce bookkeeping (it hands each call its nonce).
 *
 * Why not hpke-js's own AEADs in Node: its AES-GCM goes through WebCrypto
 * (a promise, a job on another thread and two buffer copies per call) and its
 * ChaCha20-Poly1305 is pure JavaScript; sealed messages call the AEAD once per
 * 64 KiB chunk, and those costs dominated.
 *
 * node:crypto is never imported: `nodeCryptoAead` asks the runtime for it
 * with `process.getBuiltinModule` (as node-stream.ts does for node:stream), so
 * a browser bundle has nothing to resolve and simply gets `undefined` here.
 * @module
 */
import type { AeadEncryptionContext, AeadInterface } from '@hpke/core';
import { concatBytes } from '@noble/hashes/utils.js';
import { HPKE_AEADS, type HpkeAeadName } from '../algorithms.js';

type NodeCrypto = typeof import('node:crypto');
type KeyObject = import('node:crypto').KeyObject;
type CipherGCMTypes = import('node:crypto').CipherGCMTypes;
type CipherChaCha20Poly1305Types = import('node:crypto').CipherChaCha20Poly1305Types;
type CipherName = CipherGCMTypes | CipherChaCha20Poly1305Types;

const TAG_LENGTH = 16;
const NONCE_LENGTH = 12;

/** RFC 9180 §7.3 parameters and the OpenSSL cipher name of each AEAD (algorithms.ts). */
const AEADS: Readonly<Record<HpkeAeadName, { readonly id: 1 | 2 | 3; readonly keySize: number; readonly cipher: CipherName }>> = HPKE_AEADS;

/** A view of hpke-js's `ArrayBufferLike | ArrayBufferView` input (no copy). */
function view(data: ArrayBufferLike | ArrayBufferView): Uint8Array {
  if (ArrayBuffer.isView(data)) return new Uint8Array(data.buffer, data.byteOffset, data.byteLength);
  return new Uint8Array(data);
}

/**
 * Whether `bytes` is the whole of an ArrayBuffer (not a slice of Node's
 * buffer pool or of a larger buffer), so the buffer can stand for it.
 */
function ownsBuffer(bytes: Uint8Array): boolean {
  return bytes.buffer instanceof ArrayBuffer && bytes.byteOffset === 0 && bytes.buffer.byteLength === bytes.byteLength;
}

/** node:crypto from the runtime (Node ≥ 22.3, Deno, Bun), or undefined (browsers, workers). */
function runtimeCrypto(): NodeCrypto | undefined {
  try {
    const get = (globalThis as { process?: { getBuiltinModule?: (id: string) => unknown } }).process?.getBuiltinModule;
    const mod = get?.('node:crypto') as NodeCrypto | undefined;
    return typeof mod?.createCipheriv === 'function' && typeof mod.createSecretKey === 'function' ? mod : undefined;
  } catch {
    return undefined;
  }
}

/** The per-context AEAD: one secret KeyObject, a fresh cipher per call. */
export class NodeCryptoAeadContext implements AeadEncryptionContext {
  readonly #crypto: NodeCrypto;
  readonly #cipher: CipherName;
  // A KeyObject, not the raw key: createCipheriv with a raw Buffer key costs
  // several times the cipher setup itself in Node 24 (its key-argument
  // checks), which at one call per 64 KiB chunk is most of the overhead.
  readonly #key: KeyObject;

  constructor(crypto: NodeCrypto, cipher: CipherName, key: ArrayBufferLike | ArrayBufferView) {
    this.#crypto = crypto;
    this.#cipher = cipher;
    const bytes = view(key);
    this.#key = crypto.createSecretKey(bytes);
    // hpke-js derives this key for this context alone; the KeyObject holds
    // the only copy from here on (as hpke-js's AES-GCM wipes it after import).
    bytes.fill(0);
  }

  /**
   * `Seal(key, nonce, aad, pt)` as [ciphertext, tag], the two Buffers
   * node:crypto gives (each its own allocation, made for this call):
   * joining them would cost a fresh buffer and a copy of the chunk, as much
   * as the encryption itself, so the chunkers write them out one after the
   * other.
   */
  sealParts(iv: Uint8Array, data: Uint8Array, aad: Uint8Array): [Uint8Array, Uint8Array] {
    const cipher = this.#crypto.createCipheriv(this.#cipher as CipherGCMTypes, this.#key, iv, { authTagLength: TAG_LENGTH });
    if (aad.length > 0) cipher.setAAD(aad);
    const ct = cipher.update(data);
    const rest = cipher.final(); // empty: GCM and ChaCha20-Poly1305 encrypt as a stream
    return [rest.length === 0 ? ct : concatBytes(ct, rest), cipher.getAuthTag()];
  }

  /**
   * `Open(key, nonce, aad, ct ‖ tag)`: the plaintext, returned only after the
   * tag verifies (`final()` throws otherwise, and the decrypted bytes are
   * dropped unseen).
   */
  openSync(iv: Uint8Array, data: Uint8Array, aad: Uint8Array): Uint8Array {
    if (data.length < TAG_LENGTH) throw new Error('ciphertext shorter than the tag');
    const end = data.length - TAG_LENGTH;
    const decipher = this.#crypto.createDecipheriv(this.#cipher as CipherGCMTypes, this.#key, iv, { authTagLength: TAG_LENGTH });
    if (aad.length > 0) decipher.setAAD(aad);
    decipher.setAuthTag(data.subarray(end));
    const pt = decipher.update(data.subarray(0, end));
    const rest = decipher.final();
    const whole = rest.length === 0 ? pt : concatBytes(pt, rest);
    return new Uint8Array(whole.buffer, whole.byteOffset, whole.length);
  }

  /** hpke-js's `Seal`: ciphertext ‖ tag in one ArrayBuffer. */
  async seal(iv: ArrayBufferLike | ArrayBufferView, data: ArrayBufferLike | ArrayBufferView, aad: ArrayBufferLike | ArrayBufferView): Promise<ArrayBuffer> {
    const [ct, tag] = this.sealParts(view(iv), view(data), view(aad));
    const out = new Uint8Array(ct.length + TAG_LENGTH);
    out.set(ct);
    out.set(tag, ct.length);
    return out.buffer;
  }

  /** hpke-js's `Open`: the plaintext as an ArrayBuffer of its own. */

  async open(iv: ArrayBufferLike | ArrayBufferView, data: ArrayBufferLike | ArrayBufferView, aad: ArrayBufferLike | ArrayBufferView): Promise<ArrayBuffer> {
    const pt = this.openSync(view(iv), view(data), view(aad));
    return ownsBuffer(pt) ? (pt.buffer as ArrayBuffer) : pt.slice().buffer;
  }
}

/** hpke-js `AeadInterface` over node:crypto for one AEAD. */
export class NodeCryptoAead implements AeadInterface {
  readonly id: 1 | 2 | 3;
  readonly keySize: number;
  readonly nonceSize = NONCE_LENGTH;
  readonly tagSize = TAG_LENGTH;
  readonly #crypto: NodeCrypto;
  readonly #cipher: CipherName;

  constructor(crypto: NodeCrypto, name: HpkeAeadName) {
    const { id, keySize, cipher } = AEADS[name];
    this.id = id;
    this.keySize = keySize;
    this.#crypto = crypto;
    this.#cipher = cipher;
  }

  createEncryptionContext(key: ArrayBufferLike | ArrayBufferView): NodeCryptoAeadContext {
    return new NodeCryptoAeadContext(this.#crypto, this.#cipher, key);
  }
}

/**
 * The node:crypto AEAD for `name` when the runtime has node:crypto with that
 * cipher (Node; Deno and Bun where their node:crypto offers it), else
 * `undefined` (the caller then uses hpke-js's WebCrypto / noble AEAD).
 */
export function nodeCryptoAead(name: HpkeAeadName): NodeCryptoAead | undefined {
  const crypto = runtimeCrypto();
  if (!crypto) return undefined;
  try {
    if (!crypto.getCiphers().includes(AEADS[name].cipher)) return undefined;
  } catch {
    return undefined;
  }
  return new NodeCryptoAead(crypto, name);
}
