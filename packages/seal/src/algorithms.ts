/**
 * The HPKE KDFs and AEADs this package implements, one row each: the RFC
 * 9180 §7.2 / §7.3 ids, and for each AEAD its key size and the cipher name
 * node:crypto (OpenSSL) gives it. Every other table (ids, names by id, the
 * node:crypto adapter's parameters) is derived from these.
 * @module
 */

/** Two-stage HKDF only: hpke-js 1.9 has no one-stage (SHAKE) key schedule. */
export const HPKE_KDFS = Object.freeze({
  'HKDF-SHA256': 0x0001,
  'HKDF-SHA384': 0x0002,
  'HKDF-SHA512': 0x0003,
} as const);
export type HpkeKdfName = keyof typeof HPKE_KDFS;

export const HPKE_AEADS = Object.freeze({
  'AES-128-GCM': Object.freeze({ id: 0x0001, keySize: 16, cipher: 'aes-128-gcm' } as const),
  'AES-256-GCM': Object.freeze({ id: 0x0002, keySize: 32, cipher: 'aes-256-gcm' } as const),
  'ChaCha20-Poly1305': Object.freeze({ id: 0x0003, keySize: 32, cipher: 'chacha20-poly1305' } as const),
} as const);
export type HpkeAeadName = keyof typeof HPKE_AEADS;

/** HPKE KDF ids (RFC 9180 §7.2) this package implements. */
export const HPKE_KDF_IDS: readonly number[] = Object.freeze(Object.values(HPKE_KDFS));
/** HPKE AEAD ids (RFC 9180 §7.3) this package implements. */
export const HPKE_AEAD_IDS: readonly number[] = Object.freeze(Object.values(HPKE_AEADS).map((aead) => aead.id));

/** The KDF with this id, or undefined. */
export function kdfById(id: number): HpkeKdfName | undefined {
  return (Object.keys(HPKE_KDFS) as HpkeKdfName[]).find((name) => HPKE_KDFS[name] === id);
}

/** The AEAD with this id, or undefined. */
export function aeadById(id: number): HpkeAeadName | undefined {
  return (Object.keys(HPKE_AEADS) as HpkeAeadName[]).find((name) => HPKE_AEADS[name].id === id);
}
