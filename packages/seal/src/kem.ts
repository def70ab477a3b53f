/**
 * X-Wing as an hpke-js KEM: `KemInterface` of @hpke/core over
 * @hybridkem/core's `createKem('X-Wing', backend)`. hpke-js does the rest of
 * HPKE (key schedule, AEAD, export); this class does only RFC 9180 §4's KEM
 * functions, as draft-ietf-hpke-pq §4 maps them onto X-Wing.
 * @module
 */
import type { KemInterface, RecipientContextParams, SenderContextParams } from '@hpke/core';
import { KemId } from '@hpke/core';
import { createKem, InvalidArgumentError, type Backend, type Kem } from '@hybridkem/core';
import { asBytes, expectBytes, toArrayBuffer } from './bytes.js';
import { deriveXWingSeed, XWING_KEM_ID } from './derive.js';
import { keyBytes, XWingKey } from './key.js';

/**
 * HPKE KEM 0x647a (MLKEM768-X25519 = X-Wing) for hpke-js. Nsecret 32, Nenc
 * 1120, Npk 1216, Nsk 32 (draft-ietf-hpke-pq §8.2). Errors are
 * @hybridkem/core's typed errors, not hpke-js's `EncapError`/`DecapError`.
 */
export class XWingHpkeKem implements KemInterface {
  readonly id: KemId = KemId.XWing;
  readonly secretSize = 32;
  readonly encSize = 1120;
  readonly publicKeySize = 1216;
  readonly privateKeySize = 32;
  /** The @hybridkem/core KEM this adapter calls. */
  readonly kem: Kem;

  constructor(backend: Backend) {
    this.kem = createKem('X-Wing', backend);
    if (this.kem.suite.id !== XWING_KEM_ID) throw new InvalidArgumentError('kem', 'expected X-Wing (0x647a)');
  }

  /** RFC 9180 §4 `SerializePublicKey`: the identity (draft-ietf-hpke-pq §4). */
  async serializePublicKey(key: CryptoKey): Promise<ArrayBuffer> {
    return toArrayBuffer(keyBytes('publicKey', key, 'public'));
  }

  /**
   * RFC 9180 §4 `DeserializePublicKey`: the identity, after the length check.
   * The ML-KEM modulus check (FIPS 203 §7.2) runs at encapsulation.
   * @throws {InvalidLengthError} unless 1216 bytes
   */
  async deserializePublicKey(key: ArrayBufferLike | ArrayBufferView): Promise<CryptoKey> {
    return new XWingKey('public', expectBytes('publicKey', asBytes(key), this.publicKeySize));
  }

  /** RFC 9180 §4 `SerializePrivateKey`: the 32-byte seed. Secret. */
  async serializePrivateKey(key: CryptoKey): Promise<ArrayBuffer> {
    return toArrayBuffer(keyBytes('privateKey', key, 'private'));
  }

  /**
   * RFC 9180 §4 `DeserializePrivateKey`: the 32-byte seed, copied.
   * @throws {InvalidLengthError} unless 32 bytes
   */
  async deserializePrivateKey(key: ArrayBufferLike | ArrayBufferView): Promise<CryptoKey> {
    return new XWingKey('private', expectBytes('privateKey', asBytes(key), this.privateKeySize));
  }

  /** `raw` only: a 1216-byte public key or, with `isPublic = false`, a 32-byte seed. */
  async importKey(format: 'raw' | 'jwk', key: ArrayBuffer | JsonWebKey, isPublic = true): Promise<CryptoKey> {
    if (format !== 'raw' || !(key instanceof ArrayBuffer || ArrayBuffer.isView(key))) {
      throw new InvalidArgumentError('format', 'only "raw" X-Wing keys can be imported');
    }
    return isPublic ? this.deserializePublicKey(key) : this.deserializePrivateKey(key);
  }

  /** RFC 9180 §4 `GenerateKeyPair`: a fresh 32-byte seed from the platform CSPRNG. */
  async generateKeyPair(): Promise<CryptoKeyPair> {
    const { publicKey, privateKey } = this.kem.keygen();
    try {
      return { publicKey: new XWingKey('public', publicKey), privateKey: new XWingKey('private', privateKey) };
    } finally {
      privateKey.fill(0);
    }
  }

  /**
   * RFC 9180 §7.1.3 `DeriveKeyPair`, draft-ietf-hpke-pq §4:
   * seed = SHAKE256.LabeledDerive(ikm, "DeriveKeyPair", "", 32), then X-Wing's keys for seed.
   * @throws {InvalidArgumentError} when ikm is not 32 to 8192 bytes
   */
  async deriveKeyPair(ikm: ArrayBufferLike | ArrayBufferView): Promise<CryptoKeyPair> {
    const seed = deriveXWingSeed(asBytes(ikm));
    try {
      const { publicKey } = this.kem.keygen(seed);
      return { publicKey: new XWingKey('public', publicKey), privateKey: new XWingKey('private', seed) };
    } finally {
      seed.fill(0);
    }
  }

  /**
   * RFC 9180 §4 `Encap(pkR)`: X-Wing encapsulation. With `ekm` (64 bytes) it
   * is `EncapDerand` (draft-ietf-hpke-pq Appendix A): `ekm` is X-Wing's
   * encapsulation randomness `m ‖ ephemeral X25519 key`, as in the published
   * vectors' `ikmE`. For test vectors only.
   * @throws {InvalidLengthError} when `ekm` is not 64 bytes
   * @throws {InvalidMlKemKeyError} / {InvalidGroupElementError} for a bad public key
   */
  async encap(params: SenderContextParams): Promise<{ sharedSecret: ArrayBuffer; enc: ArrayBuffer }> {
    if (params.senderKey !== undefined) {
      throw new InvalidArgumentError('senderKey', 'X-Wing has no AuthEncap (draft-ietf-hpke-pq §7.2)');
    }
    const publicKey = keyBytes('recipientPublicKey', params.recipientPublicKey, 'public');
    let randomness: Uint8Array | undefined;
    if (params.ekm !== undefined) {
      if (!(params.ekm instanceof ArrayBuffer || ArrayBuffer.isView(params.ekm))) {
        throw new InvalidArgumentError('ekm', 'expected 64 bytes of encapsulation randomness');
      }
      randomness = asBytes(params.ekm);
    }
    const { ciphertext, sharedSecret } = this.kem.encapsulate(publicKey, randomness);
    try {
      return { sharedSecret: toArrayBuffer(sharedSecret), enc: toArrayBuffer(ciphertext) };
    } finally {
      sharedSecret.fill(0);
    }
  }

  /**
   * RFC 9180 §4 `Decap(enc, skR)`: X-Wing decapsulation. A changed ML-KEM
   * part of `enc` gives an unrelated secret (implicit rejection, FIPS 203
   * §7.3), so the AEAD, not this function, reports it.
   * @throws {InvalidLengthError} unless enc is 1120 bytes
   * @throws {InvalidGroupElementError} for a low-order X25519 ephemeral key
   */
  async decap(params: RecipientContextParams): Promise<ArrayBuffer> {
    if (params.senderPublicKey !== undefined) {
      throw new InvalidArgumentError('senderPublicKey', 'X-Wing has no AuthDecap (draft-ietf-hpke-pq §7.2)');
    }
    const rk = params.recipientKey;
    const key = 'privateKey' in rk ? rk.privateKey : rk;
    const seed = keyBytes('recipientKey', key, 'private');
    const enc = expectBytes('enc', asBytes(params.enc), this.encSize);
    const sharedSecret = this.kem.decapsulate(seed, enc);
    try {
      return toArrayBuffer(sharedSecret);
    } finally {
      sharedSecret.fill(0);
    }
  }
}
