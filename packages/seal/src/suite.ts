/**
 * HPKE cipher suites (RFC 9180 §7): X-Wing as the KEM, HKDF-SHA256 as the
 * KDF, ChaCha20-Poly1305 or AES-256-GCM as the AEAD. hpke-js's `CipherSuite`
 * runs the key schedule (RFC 9180 §5.1), the AEAD and the exporter.
 * @module
 */
import { Chacha20Poly1305 } from '@hpke/chacha20poly1305';
import { Aes256Gcm, CipherSuite, HkdfSha256, type AeadInterface } from '@hpke/core';
import { InvalidArgumentError, type Backend } from '@hybridkem/core';
import { i2osp2 } from './bytes.js';
import { XWingHpkeKem } from './kem.js';

export type HpkeKemName = 'X-Wing';
/** Two-stage HKDF only: hpke-js 1.9 has no one-stage (SHAKE) key schedule. */
export type HpkeKdfName = 'HKDF-SHA256';
export type HpkeAeadName = 'ChaCha20-Poly1305' | 'AES-256-GCM';

export interface HpkeSuiteOptions {
  kem: HpkeKemName;
  kdf: HpkeKdfName;
  aead: HpkeAeadName;
  /** The @hybridkem backend that does X-Wing's arithmetic (e.g. `backend` of @hybridkem/noble). */
  backend: Backend;
}

export interface HpkeSuite {
  readonly kem: HpkeKemName;
  readonly kdf: HpkeKdfName;
  readonly aead: HpkeAeadName;
  /** RFC 9180 §7 registry values: kem 0x647a, kdf 0x0001, aead 0x0002 / 0x0003. */
  readonly ids: { readonly kem: number; readonly kdf: number; readonly aead: number };
  /** `suite_id` = "HPKE" ‖ I2OSP(kem_id, 2) ‖ I2OSP(kdf_id, 2) ‖ I2OSP(aead_id, 2) (RFC 9180 §5.1). */
  readonly suiteId: Uint8Array;
  /** The KEM adapter; its `kem` makes key pairs (`kem.keygen()`: 1216-byte public key, 32-byte seed). */
  readonly hpkeKem: XWingHpkeKem;
  /** hpke-js's suite, for multi-shot contexts and the exporter (RFC 9180 §5.2, §5.3). */
  readonly cipherSuite: CipherSuite;
}

const KDF_IDS: Record<HpkeKdfName, number> = { 'HKDF-SHA256': 0x0001 };
const AEAD_IDS: Record<HpkeAeadName, number> = { 'AES-256-GCM': 0x0002, 'ChaCha20-Poly1305': 0x0003 };

function makeAead(name: HpkeAeadName): AeadInterface {
  return name === 'AES-256-GCM' ? new Aes256Gcm() : new Chacha20Poly1305();
}

/**
 * An HPKE suite.
 * @throws {InvalidArgumentError} for a KEM, KDF or AEAD this package does not offer
 * @throws {SuiteNotSupportedError} when the backend lacks X-Wing
 */
export function createHpkeSuite(options: HpkeSuiteOptions): HpkeSuite {
  if (typeof options !== 'object' || options === null) throw new InvalidArgumentError('options', 'expected an object');
  const { kem, kdf, aead, backend } = options;
  if (kem !== 'X-Wing') {
    throw new InvalidArgumentError('kem', `expected "X-Wing", got ${JSON.stringify(String(kem).slice(0, 64))}`);
  }
  if (!Object.hasOwn(KDF_IDS, kdf)) {
    throw new InvalidArgumentError('kdf', `expected "HKDF-SHA256", got ${JSON.stringify(String(kdf).slice(0, 64))}`);
  }
  if (!Object.hasOwn(AEAD_IDS, aead)) {
    throw new InvalidArgumentError(
      'aead',
      `expected "ChaCha20-Poly1305" or "AES-256-GCM", got ${JSON.stringify(String(aead).slice(0, 64))}`,
    );
  }
  const hpkeKem = new XWingHpkeKem(backend);
  const cipherSuite = new CipherSuite({ kem: hpkeKem, kdf: new HkdfSha256(), aead: makeAead(aead) });
  const ids = Object.freeze({ kem: hpkeKem.id, kdf: KDF_IDS[kdf], aead: AEAD_IDS[aead] });
  const suiteId = new Uint8Array([0x48, 0x50, 0x4b, 0x45, ...i2osp2(ids.kem), ...i2osp2(ids.kdf), ...i2osp2(ids.aead)]);
  return Object.freeze({ kem, kdf, aead, ids, suiteId, hpkeKem, cipherSuite });
}
