/**
 * HPKE cipher suites (RFC 9180 §7): any @hybridkem/core suite as the KEM
 * (spec/WIRE-FORMAT.md §7.1: the registered X-Wing 0x647a, MLKEM768-P256
 * 0x0050 and MLKEM1024-P384 0x0051 of draft-ietf-hpke-pq, and our own
 * 0xff01-0xff04), HKDF-SHA256,
 * -SHA384 or -SHA512 as the KDF, AES-128-GCM, AES-256-GCM or
 * ChaCha20-Poly1305 as the AEAD. hpke-js's `CipherSuite` runs the key
 * schedule (RFC 9180 §5.1), the AEAD and the exporter.
 * @module
 */
import { CipherSuite, HkdfSha256, HkdfSha384, HkdfSha512, type KdfInterface } from '@hpke/core';
import { InvalidArgumentError, type Backend } from '@hybridkem/core';
import { makeAead, type AeadImplementation } from './aead/index.js';
import { HPKE_AEAD_IDS, HPKE_AEADS, HPKE_KDF_IDS, HPKE_KDFS, type HpkeAeadName, type HpkeKdfName } from './algorithms.js';
import { i2osp2 } from './bytes.js';
import { HPKE_KEM_NAMES_TEXT, HybridHpkeKem, HYBRID_HPKE_KEM_IDS, type HybridHpkeKemName } from './kem.js';

export type HpkeKemName = HybridHpkeKemName;
export type { HpkeAeadName, HpkeKdfName };

export interface HpkeSuiteOptions {
  kem: HpkeKemName;
  kdf: HpkeKdfName;
  aead: HpkeAeadName;
  /** The @hybridkem backend that does the KEM's arithmetic (e.g. `backend` of @hybridkem/noble). */
  backend: Backend;
}

export interface HpkeSuite {
  readonly kem: HpkeKemName;
  readonly kdf: HpkeKdfName;
  readonly aead: HpkeAeadName;
  /** RFC 9180 §7 values: kem = the suite's wire id (spec §7.1), kdf 0x0001 to 0x0003, aead 0x0001 to 0x0003. */
  readonly ids: { readonly kem: number; readonly kdf: number; readonly aead: number };
  /** `suite_id` = "HPKE" ‖ I2OSP(kem_id, 2) ‖ I2OSP(kdf_id, 2) ‖ I2OSP(aead_id, 2) (RFC 9180 §5.1). */
  readonly suiteId: Uint8Array;
  /** The KEM adapter; its `kem` makes key pairs (`kem.keygen()`: Npk-byte public key, 32-byte seed). */
  readonly hpkeKem: HybridHpkeKem;
  /** hpke-js's suite, for multi-shot contexts and the exporter (RFC 9180 §5.2, §5.3). */
  readonly cipherSuite: CipherSuite;
  /**
   * Which code runs the AEAD: `'node:crypto'` (OpenSSL, where the runtime has
   * node:crypto with the cipher) or `'hpke-js'` (WebCrypto AES-GCM, JavaScript
   * ChaCha20-Poly1305, e.g. in browsers). Same bytes either way.
   */
  readonly aeadImplementation: AeadImplementation;
}

export { HPKE_AEAD_IDS, HPKE_KDF_IDS };
/** HPKE KEM ids this package implements (spec/WIRE-FORMAT.md §7.1): every suite's wire id. */
export const HPKE_KEM_IDS: readonly number[] = Object.freeze(Object.values(HYBRID_HPKE_KEM_IDS));

function makeKdf(name: HpkeKdfName): KdfInterface {
  if (name === 'HKDF-SHA384') return new HkdfSha384();
  if (name === 'HKDF-SHA512') return new HkdfSha512();
  return new HkdfSha256();
}

const quote = (v: unknown) => JSON.stringify(String(v).slice(0, 64));

/**
 * An HPKE suite.
 * @throws {InvalidArgumentError} for a KEM, KDF or AEAD this package does not offer
 * @throws {SuiteNotSupportedError} when the backend lacks the KEM
 */
export function createHpkeSuite(options: HpkeSuiteOptions): HpkeSuite {
  return createHpkeSuiteWith(options, 'node:crypto');
}

/**
 * {@link createHpkeSuite} with the AEAD implementation preferred: tests use
 * 'hpke-js' to compare it byte for byte with node:crypto's.
 * @internal
 */
export function createHpkeSuiteWith(options: HpkeSuiteOptions, preferAead: AeadImplementation): HpkeSuite {
  if (typeof options !== 'object' || options === null) throw new InvalidArgumentError('options', 'expected an object');
  const { kem, kdf, aead, backend } = options;
  if (typeof kem !== 'string' || !Object.hasOwn(HYBRID_HPKE_KEM_IDS, kem)) {
    throw new InvalidArgumentError('kem', `expected ${HPKE_KEM_NAMES_TEXT}, got ${quote(kem)}`);
  }
  if (typeof kdf !== 'string' || !Object.hasOwn(HPKE_KDFS, kdf)) {
    throw new InvalidArgumentError('kdf', `expected "HKDF-SHA256", "HKDF-SHA384" or "HKDF-SHA512", got ${quote(kdf)}`);
  }
  if (typeof aead !== 'string' || !Object.hasOwn(HPKE_AEADS, aead)) {
    throw new InvalidArgumentError('aead', `expected "AES-128-GCM", "AES-256-GCM" or "ChaCha20-Poly1305", got ${quote(aead)}`);
  }
  const hpkeKem = new HybridHpkeKem(kem, backend);
  const { aead: hpkeAead, implementation: aeadImplementation } = makeAead(aead, preferAead);
  const cipherSuite = new CipherSuite({ kem: hpkeKem, kdf: makeKdf(kdf), aead: hpkeAead });
  const ids = Object.freeze({ kem: hpkeKem.id as number, kdf: HPKE_KDFS[kdf] as number, aead: HPKE_AEADS[aead].id as number });
  const suiteId = new Uint8Array([0x48, 0x50, 0x4b, 0x45, ...i2osp2(ids.kem), ...i2osp2(ids.kdf), ...i2osp2(ids.aead)]);
  return Object.freeze({ kem, kdf, aead, ids, suiteId, hpkeKem, cipherSuite, aeadImplementation });
}
