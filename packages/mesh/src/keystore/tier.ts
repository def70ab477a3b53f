/**
 * Key-storage tiers (spec/MESH.md §14): how a node keeps its identity's
 * private keys (the encoded v1 KEM private key, kind 0x02, and composite
 * signing private key, kind 0x06) at rest. A tier turns a private key into
 * an opaque blob and back; the tier a node uses is part of its directory
 * record (spec/MESH.md §3, byte 21), signed by the trust anchor.
 *
 * - `passphrase-file`: the blob is a passphrase-encrypted private key,
 *   spec/WIRE-FORMAT.md §8 (seal's encryptPrivateKey: Argon2id + AEAD),
 *   as {@link saveIdentity} writes.
 * - `pkcs11`: the blob is the key encrypted with AES-256-GCM by a PKCS#11
 *   token under a key generated on the token that cannot leave it
 *   (./pkcs11.ts).
 * @module
 */
import { HybridKemError, type ErrorCode } from '@hybridkem/core';
import { decryptPrivateKey, encryptPrivateKey, type KdfLimitsOverride, type KdfParams } from '@hybridkem/seal';
import type { StorageTier } from '../directory/record.js';

/** Which of an identity's private keys a blob holds; bound into the blob so blobs cannot be swapped. */
export type ProtectedKeyKind = 'kem' | 'signing';

/** What a blob is bound to: the identity's name (a directory record name) and which of its keys. */
export interface KeyBinding {
  /** The identity's name: 1-64 characters of [a-z0-9-]. */
  readonly identity: string;
  readonly key: ProtectedKeyKind;
}

/**
 * A key-storage tier. `protect` and `unprotect` take and give encoded v1
 * private keys (secret: the caller wipes what `unprotect` returns).
 */
export interface KeyStorageTier {
  readonly tier: StorageTier;
  /** Protects an encoded private key (kind 0x02 for `kem`, 0x06 for `signing`) bound to `binding`. */
  protect(encodedPrivateKey: Uint8Array, binding: KeyBinding): Promise<Uint8Array>;
  /**
   * Recovers the encoded private key; refuses a blob bound to another
   * identity or key (`mismatch`) and a modified one (`authentication`).
   */
  unprotect(blob: Uint8Array, binding: KeyBinding): Promise<Uint8Array>;
  /** Releases what the tier holds (a PKCS#11 session); the passphrase tier has nothing to release. */
  close(): Promise<void>;
}

/** Why a key-storage operation failed. */
export type KeyStoreFailure =
  | 'invalid-argument'
  | 'unavailable'
  | 'token-not-found'
  | 'pin-incorrect'
  | 'pin-locked'
  | 'key-not-found'
  | 'key-exists'
  | 'key-policy'
  | 'malformed'
  | 'mismatch'
  | 'authentication'
  | 'token';

const FAILURE_CODES = Object.freeze({
  'invalid-argument': 'ERR_INVALID_ARGUMENT',
  unavailable: 'ERR_BACKEND_UNAVAILABLE',
  'token-not-found': 'ERR_BACKEND_UNAVAILABLE',
  'pin-incorrect': 'ERR_AUTHENTICATION',
  'pin-locked': 'ERR_KEY_LOCKED',
  'key-not-found': 'ERR_INVALID_ARGUMENT',
  'key-exists': 'ERR_INVALID_ARGUMENT',
  'key-policy': 'ERR_INVALID_ARGUMENT',
  malformed: 'ERR_INVALID_ARGUMENT',
  mismatch: 'ERR_INVALID_ARGUMENT',
  authentication: 'ERR_AUTHENTICATION',
  token: 'ERR_BACKEND_UNAVAILABLE',
} as const satisfies Record<KeyStoreFailure, ErrorCode>);

/** Every {@link KeyStoreFailure}, for tests and documentation. */
export const KEY_STORE_FAILURES = Object.freeze(Object.keys(FAILURE_CODES) as KeyStoreFailure[]);

/**
 * A key-storage operation failed. `reason` is stable; `pkcs11Code` is the
 * PKCS#11 return value's name (e.g. `CKR_PIN_INCORRECT`) when a token call
 * failed. Messages never hold a PIN, passphrase or key bytes.
 */
export class KeyStoreError extends HybridKemError {
  readonly reason: KeyStoreFailure;
  readonly pkcs11Code: string | undefined;
  constructor(reason: KeyStoreFailure, message: string, options: { cause?: unknown; pkcs11Code?: string } = {}) {
    super(FAILURE_CODES[reason], message, options.cause === undefined ? undefined : { cause: options.cause });
    this.name = 'KeyStoreError';
    this.reason = reason;
    this.pkcs11Code = options.pkcs11Code;
  }
}

const NAME = /^[a-z0-9-]{1,64}$/;

/** Checks a binding (identity name as a directory record name, key 'kem' or 'signing'). */
export function checkBinding(binding: KeyBinding): KeyBinding {
  if (typeof binding !== 'object' || binding === null) throw new KeyStoreError('invalid-argument', 'binding: expected { identity, key }');
  if (typeof binding.identity !== 'string' || !NAME.test(binding.identity)) {
    throw new KeyStoreError('invalid-argument', 'binding.identity: expected 1 to 64 characters of a-z 0-9 -');
  }
  if (binding.key !== 'kem' && binding.key !== 'signing') throw new KeyStoreError('invalid-argument', 'binding.key: expected "kem" or "signing"');
  return binding;
}

/** The v1 object kind of each bound key (spec/WIRE-FORMAT.md §2). */
export const PROTECTED_KEY_OBJECT_KINDS = Object.freeze({ kem: 0x02, signing: 0x06 } as const);

/** Checks that `encoded` is a v1 object of the kind `key` names (version 0x01, kind byte), before it is protected. */
export function checkEncodedPrivateKey(encoded: Uint8Array, key: ProtectedKeyKind): Uint8Array {
  if (!(encoded instanceof Uint8Array)) throw new KeyStoreError('invalid-argument', 'encodedPrivateKey: expected a Uint8Array');
  if (encoded.length < 4 || encoded[0] !== 0x01 || encoded[1] !== PROTECTED_KEY_OBJECT_KINDS[key]) {
    throw new KeyStoreError(
      'invalid-argument',
      `encodedPrivateKey: expected an encoded v1 ${key === 'kem' ? 'KEM private key (kind 0x02)' : 'signing private key (kind 0x06)'}`,
    );
  }
  return encoded;
}

export interface PassphraseFileTierOptions {
  /** Non-empty; a string is used as the UTF-8 of its NFC form (seal). */
  readonly passphrase: string | Uint8Array;
  /** seal's DEFAULT_KDF when omitted. */
  readonly kdf?: KdfParams;
  /** Read limits for the KDF parameters of a blob (seal's KDF_LIMITS by default). */
  readonly limits?: KdfLimitsOverride;
}

/**
 * The `passphrase-file` tier: each private key encrypted under a passphrase
 * as spec/WIRE-FORMAT.md §8 says (what {@link saveIdentity} writes, unarmored
 * here). The §8 object authenticates its header (suite, KDF, salt) and names
 * the key's family, which `unprotect` checks against the binding; the
 * identity name is not in it, so a key file moved between identities under
 * the same passphrase is caught by loadIdentity's public-key check instead.
 */
export function passphraseFileTier(options: PassphraseFileTierOptions): KeyStorageTier {
  if (typeof options !== 'object' || options === null) throw new KeyStoreError('invalid-argument', 'options: expected { passphrase }');
  const { passphrase } = options;
  if (!(typeof passphrase === 'string' || passphrase instanceof Uint8Array) || passphrase.length === 0) {
    throw new KeyStoreError('invalid-argument', 'passphrase: expected a non-empty string or Uint8Array');
  }
  return Object.freeze({
    tier: 'passphrase-file' as const,
    async protect(encodedPrivateKey: Uint8Array, binding: KeyBinding) {
      checkEncodedPrivateKey(encodedPrivateKey, checkBinding(binding).key);
      return encryptPrivateKey(encodedPrivateKey, passphrase, options.kdf === undefined ? {} : { kdf: options.kdf });
    },
    async unprotect(blob: Uint8Array, binding: KeyBinding) {
      const { key } = checkBinding(binding);
      let plain: Uint8Array;
      try {
        plain = await decryptPrivateKey(blob, passphrase, options.limits === undefined ? {} : { limits: options.limits });
      } catch (e) {
        if (e instanceof HybridKemError && e.code === 'ERR_AUTHENTICATION') {
          throw new KeyStoreError('authentication', 'wrong passphrase or modified key blob', { cause: e });
        }
        throw new KeyStoreError('malformed', `not a passphrase-encrypted private key: ${e instanceof Error ? e.message : String(e)}`, { cause: e });
      }
      if (plain[1] !== PROTECTED_KEY_OBJECT_KINDS[key]) {
        plain.fill(0);
        throw new KeyStoreError('mismatch', `the blob holds another kind of key than the ${key} key`);
      }
      return plain;
    },
    async close() {},
  });
}
