/**
 * Every @hybridkem/core suite as an hpke-js KEM: `KemInterface` of
 * @hpke/core over @hybridkem/core's `createKem(suite, backend)`. X-Wing
 * (0x647a), HPKE-MLKEM768-P256 (0x0050) and HPKE-MLKEM1024-P384 (0x0051) are
 * the registered KEMs of draft-ietf-hpke-pq; X25519-MLKEM768,
 * X25519-MLKEM1024, MLKEM768-P256 and MLKEM1024-P384 (0xff01-0xff04) are
 * KEM ids of our own (spec/WIRE-FORMAT.md §7.1), used the same way. hpke-js
 * does the rest of HPKE (key schedule, AEAD, export); this class does only
 * RFC 9180 §4's KEM functions, as draft-ietf-hpke-pq §4 maps them onto a
 * hybrid KEM.
 * @module
 */
import type { KemInterface, RecipientContextParams, SenderContextParams } from '@hpke/core';
import type { KemId } from '@hpke/core';
import { createKem, InvalidArgumentError, SUITES, type Backend, type HybridSuite, type Kem, type SuiteName } from '@hybridkem/core';
import { asBytes, expectBytes, toArrayBuffer } from './bytes.js';
import { deriveHybridSeed } from './derive.js';
import { keyBytes, XWingKey } from './key.js';

/**
 * The @hybridkem/core suites usable as HPKE KEMs: the hybrid ones
 * (spec/WIRE-FORMAT.md §7.1). ML-KEM-768, ML-KEM-1024 and
 * DHKEM-X25519-HKDF-SHA256 (§1.4) are not sealed with: their HPKE KEMs derive
 * keys and shared secrets differently (RFC 9180 §4.1, draft-ietf-hpke-pq §3),
 * and §7.1 lists only the hybrids. They get the same typed errors as any
 * other KEM this package does not offer.
 */
export type HybridHpkeKemName = Exclude<SuiteName, 'ML-KEM-768' | 'ML-KEM-1024' | 'DHKEM-X25519-HKDF-SHA256'>;

/** The suites sealing accepts, in core's order: the hybrids (spec §7.1). */
export const SEALING_SUITES: readonly (HybridSuite & { readonly name: HybridHpkeKemName })[] = Object.freeze(
  SUITES.filter((s): s is HybridSuite & { readonly name: HybridHpkeKemName } => s.family === 'hybrid'),
);

/**
 * HPKE KEM id of each {@link HybridHpkeKemName}: the suite's wire id
 * (spec/WIRE-FORMAT.md §7.1), read from core's table so there is one copy.
 */
export const HYBRID_HPKE_KEM_IDS: Readonly<Record<HybridHpkeKemName, number>> = Object.freeze(
  Object.fromEntries(SEALING_SUITES.map((s) => [s.name, s.id])) as Record<HybridHpkeKemName, number>,
);

/** `"A", "B" or "C"`: the KEM names, for error messages. */
export const HPKE_KEM_NAMES_TEXT: string = (() => {
  const q = SEALING_SUITES.map((s) => JSON.stringify(s.name));
  return `${q.slice(0, -1).join(', ')} or ${q[q.length - 1]}`;
})();

/**
 * A hybrid KEM as an HPKE KEM for hpke-js. Nsecret, Nenc, Npk and Nsk are
 * the suite's shared secret, ciphertext, public key and private key lengths
 * in @hybridkem/core's table; `ekm` is its encapsulation randomness. The
 * ids and lengths are listed in spec/WIRE-FORMAT.md §7.1.
 *
 * Errors are @hybridkem/core's typed errors, not hpke-js's
 * `EncapError`/`DecapError`.
 */
export class HybridHpkeKem implements KemInterface {
  /** The HPKE KEM id; hpke-js's `KemId` enum lacks these ids, hence the cast. */
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
   * @throws {InvalidArgumentError} for a name that is not a suite of @hybridkem/core
   * @throws {SuiteNotSupportedError} when the backend lacks the suite
   */
  constructor(name: HybridHpkeKemName, backend: Backend) {
    if (typeof name !== 'string' || !Object.hasOwn(HYBRID_HPKE_KEM_IDS, name)) {
      throw new InvalidArgumentError(
        'kem',
        `expected ${HPKE_KEM_NAMES_TEXT}, got ${JSON.stringify(String(name).slice(0, 64))}`,
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
    return new XWingKey('public', expectBytes('publicKey', asBytes(key), this.publicKeySize), this.kem.suite.name);
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
    return new XWingKey('private', expectBytes('privateKey', asBytes(key), this.privateKeySize), this.kem.suite.name);
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
      return { publicKey: new XWingKey('public', publicKey, this.kem.suite.name), privateKey: new XWingKey('private', privateKey, this.kem.suite.name) };
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
      return { publicKey: new XWingKey('public', publicKey, this.kem.suite.name), privateKey: new XWingKey('private', seed, this.kem.suite.name) };
    } finally {
      seed.fill(0);
    }
  }

  /**
   * RFC 9180 §4 `Encap(pkR)`. With `ekm` ({@link ekmSize} bytes) it is
   * `EncapDerand` (draft-ietf-hpke-pq Appendix A): `ekm` is the KEM's
   * encapsulation randomness — ML-KEM's m ‖ the ephemeral key's randomness
   * (spec/WIRE-FORMAT.md §1.1) — as in the published vectors' `ikmE`. For
   * test vectors only.
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

/** HPKE KEM 0x647a (MLKEM768-X25519 = X-Wing) for hpke-js: `HybridHpkeKem('X-Wing')`. */
export class XWingHpkeKem extends HybridHpkeKem {
  constructor(backend: Backend) {
    super('X-Wing', backend);
  }
}
