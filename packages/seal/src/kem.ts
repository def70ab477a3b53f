/**
 * The hybrid KEMs of draft-ietf-hpke-pq as hpke-js KEMs: `KemInterface` of
 * @hpke/core over @hybridkem/core's `createKem(suite, backend)` for X-Wing
 * (0x647a), MLKEM768-P256 (0x0050) and MLKEM1024-P384 (0x0051). hpke-js does
 * the rest of HPKE (key schedule, AEAD, export); this class does only
 * RFC 9180 §4's KEM functions, as draft-ietf-hpke-pq §4 maps them onto the
 * hybrid KEMs.
 * @module
 */
import type { KemInterface, RecipientContextParams, SenderContextParams } from '@hpke/core';
import type { KemId } from '@hpke/core';
import { createKem, InvalidArgumentError, type Backend, type Kem } from '@hybridkem/core';
import { asBytes, expectBytes, toArrayBuffer } from './bytes.js';
import { deriveHybridSeed, MLKEM1024_P384_KEM_ID, MLKEM768_P256_KEM_ID, XWING_KEM_ID } from './derive.js';
import { keyBytes, XWingKey } from './key.js';

/** The @hybridkem/core suites that have an HPKE KEM id (equal to their wire suite id). */
export type HybridHpkeKemName = 'X-Wing' | 'HPKE-MLKEM768-P256' | 'HPKE-MLKEM1024-P384';

/** HPKE KEM id of each {@link HybridHpkeKemName} (draft-ietf-hpke-pq §8.2). */
export const HYBRID_HPKE_KEM_IDS: Readonly<Record<HybridHpkeKemName, number>> = Object.freeze({
  'X-Wing': XWING_KEM_ID,
  'HPKE-MLKEM768-P256': MLKEM768_P256_KEM_ID,
  'HPKE-MLKEM1024-P384': MLKEM1024_P384_KEM_ID,
});

/**
 * An HPKE hybrid KEM for hpke-js (draft-ietf-hpke-pq §8.2):
 *
 * | KEM | id | Nsecret | Nenc | Npk | Nsk | ekm |
 * |-----|----|--------:|-----:|----:|----:|----:|
 * | X-Wing | 0x647a | 32 | 1120 | 1216 | 32 | 64 |
 * | MLKEM768-P256 | 0x0050 | 32 | 1153 | 1249 | 32 | 128 |
 * | MLKEM1024-P384 | 0x0051 | 32 | 1665 | 1665 | 32 | 80 |
 *
 * Errors are @hybridkem/core's typed errors, not hpke-js's
 * `EncapError`/`DecapError`.
 */
export class HybridHpkeKem implements KemInterface {
  /** The HPKE KEM id; hpke-js's `KemId` enum lacks 0x0050 / 0x0051, hence the cast. */
  readonly id: KemId;
  readonly secretSize: number;
  readonly encSize: number;
  readonly publicKeySize: number;
  readonly privateKeySize: number;
  /** Length of `ekm` for {@link encap} (derandomised encapsulation): the KEM's encapsulation randomness. */
  readonly ekmSize: number;
  /** The @hybridkem/core KEM this adapter calls. */
  readonly kem: Kem;

  /**
   * @throws {InvalidArgumentError} for a suite without an HPKE KEM id
   * @throws {SuiteNotSupportedError} when the backend lacks the suite
   */
  constructor(name: HybridHpkeKemName, backend: Backend) {
    if (typeof name !== 'string' || !Object.hasOwn(HYBRID_HPKE_KEM_IDS, name)) {
      throw new InvalidArgumentError(
        'kem',
        `expected "X-Wing", "HPKE-MLKEM768-P256" or "HPKE-MLKEM1024-P384", got ${JSON.stringify(String(name).slice(0, 64))}`,
      );
    }
    const id = HYBRID_HPKE_KEM_IDS[name];
    this.kem = createKem(name, backend);
    const { suite } = this.kem;
    if (suite.id !== id) throw new InvalidArgumentError('kem', `expected suite 0x${id.toString(16).padStart(4, '0')}`);
    this.id = id as KemId;
    this.secretSize = suite.lengths.sharedSecret;
    this.encSize = suite.lengths.ciphertext;
    this.publicKeySize = suite.lengths.publicKey;
    this.privateKeySize = suite.lengths.privateKey;
    this.ekmSize = suite.lengths.randomness;
  }

  /** RFC 9180 §4 `SerializePublicKey`: the identity (draft-ietf-hpke-pq §4). */
  async serializePublicKey(key: CryptoKey): Promise<ArrayBuffer> {
    return toArrayBuffer(keyBytes('publicKey', key, 'public'));
  }

  /**
   * RFC 9180 §4 `DeserializePublicKey`: the identity, after the length check.
   * The ML-KEM modulus check (FIPS 203 §7.2) and the group element check run
   * at encapsulation.
   * @throws {InvalidLengthError} unless Npk bytes
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

  /** `raw` only: an Npk-byte public key or, with `isPublic = false`, a 32-byte seed. */
  async importKey(format: 'raw' | 'jwk', key: ArrayBuffer | JsonWebKey, isPublic = true): Promise<CryptoKey> {
    if (format !== 'raw' || !(key instanceof ArrayBuffer || ArrayBuffer.isView(key))) {
      throw new InvalidArgumentError('format', `only "raw" ${this.kem.suite.name} keys can be imported`);
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
   * seed = SHAKE256.LabeledDerive(ikm, "DeriveKeyPair", "", 32) with
   * suite_id "KEM" ‖ I2OSP(kem_id, 2), then the KEM's keys for seed.
   * @throws {InvalidArgumentError} when ikm is not 32 to 8192 bytes
   */
  async deriveKeyPair(ikm: ArrayBufferLike | ArrayBufferView): Promise<CryptoKeyPair> {
    const seed = deriveHybridSeed(this.id, asBytes(ikm));
    try {
      const { publicKey } = this.kem.keygen(seed);
      return { publicKey: new XWingKey('public', publicKey), privateKey: new XWingKey('private', seed) };
    } finally {
      seed.fill(0);
    }
  }

  /**
   * RFC 9180 §4 `Encap(pkR)`. With `ekm` ({@link ekmSize} bytes) it is
   * `EncapDerand` (draft-ietf-hpke-pq Appendix A): `ekm` is the KEM's
   * encapsulation randomness — ML-KEM's m (32) ‖ the ephemeral key's
   * randomness (X25519: 32, P-256: 96, P-384: 48) — as in the published
   * vectors' `ikmE`. For test vectors only.
   * @throws {InvalidLengthError} when `ekm` is not {@link ekmSize} bytes
   * @throws {InvalidMlKemKeyError} / {InvalidGroupElementError} for a bad public key
   */
  async encap(params: SenderContextParams): Promise<{ sharedSecret: ArrayBuffer; enc: ArrayBuffer }> {
    if (params.senderKey !== undefined) {
      throw new InvalidArgumentError('senderKey', `${this.kem.suite.name} has no AuthEncap (draft-ietf-hpke-pq §7.2)`);
    }
    const publicKey = keyBytes('recipientPublicKey', params.recipientPublicKey, 'public');
    let randomness: Uint8Array | undefined;
    if (params.ekm !== undefined) {
      if (!(params.ekm instanceof ArrayBuffer || ArrayBuffer.isView(params.ekm))) {
        throw new InvalidArgumentError('ekm', `expected ${this.ekmSize} bytes of encapsulation randomness`);
      }
      randomness = expectBytes('ekm', asBytes(params.ekm), this.ekmSize);
    }
    const { ciphertext, sharedSecret } = this.kem.encapsulate(publicKey, randomness);
    try {
      return { sharedSecret: toArrayBuffer(sharedSecret), enc: toArrayBuffer(ciphertext) };
    } finally {
      sharedSecret.fill(0);
    }
  }

  /**
   * RFC 9180 §4 `Decap(enc, skR)`. A changed ML-KEM part of `enc` gives an
   * unrelated secret (implicit rejection, FIPS 203 §7.3), so the AEAD, not
   * this function, reports it.
   * @throws {InvalidLengthError} unless enc is Nenc bytes
   * @throws {InvalidGroupElementError} for an invalid or low-order ephemeral key
   */
  async decap(params: RecipientContextParams): Promise<ArrayBuffer> {
    if (params.senderPublicKey !== undefined) {
      throw new InvalidArgumentError('senderPublicKey', `${this.kem.suite.name} has no AuthDecap (draft-ietf-hpke-pq §7.2)`);
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

/**
 * HPKE KEM 0x647a (MLKEM768-X25519 = X-Wing) for hpke-js. Nsecret 32, Nenc
 * 1120, Npk 1216, Nsk 32 (draft-ietf-hpke-pq §8.2): `HybridHpkeKem('X-Wing')`.
 */
export class XWingHpkeKem extends HybridHpkeKem {
  constructor(backend: Backend) {
    super('X-Wing', backend);
  }
}
