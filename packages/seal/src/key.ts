/**
 * The CryptoKey-shaped objects hpke-js passes between its key schedule and a
 * KEM (it keeps keys opaque; see `XCryptoKey` in @hpke/common). Our keys are
 * raw bytes; this module keeps them out of the object's enumerable fields, so
 * that logging or serialising a key does not print it.
 * @module
 */
import { InvalidArgumentError } from '@hybridkem/core';

const KEY_BYTES = new WeakMap<object, Uint8Array>();

/**
 * A hybrid KEM public key (the suite's Npk bytes) or private key (the 32-byte
 * seed) in the shape of a WebCrypto `CryptoKey`; named after X-Wing, the
 * first KEM, and used for every suite. `algorithm.name` is the suite's name.
 * Only this package can read its bytes.
 */
export class XWingKey implements CryptoKey {
  readonly algorithm: KeyAlgorithm;
  readonly extractable = true;
  readonly usages: KeyUsage[];
  /** Copies `bytes`. */
  constructor(
    readonly type: 'public' | 'private',
    bytes: Uint8Array,
    suiteName = 'X-Wing',
  ) {
    this.algorithm = Object.freeze({ name: String(suiteName) });
    this.usages = type === 'private' ? ['deriveBits'] : [];
    KEY_BYTES.set(this, bytes.slice());
  }
}

/**
 * The bytes inside a key made here (not a copy).
 * @throws {InvalidArgumentError} for any other object or the wrong key type
 */
export function keyBytes(field: string, key: unknown, type: 'public' | 'private'): Uint8Array {
  const bytes = typeof key === 'object' && key !== null ? KEY_BYTES.get(key) : undefined;
  if (!bytes) throw new InvalidArgumentError(field, 'expected a KEM key made by this package (XWingKey)');
  if ((key as XWingKey).type !== type) throw new InvalidArgumentError(field, `expected a ${type} key`);
  return bytes;
}

/** Overwrites a private key's bytes with zeros; the key is unusable after. */
export function wipeKey(key: XWingKey): void {
  KEY_BYTES.get(key)?.fill(0);
  KEY_BYTES.delete(key);
}
