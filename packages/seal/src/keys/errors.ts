/**
 * Typed errors of the key-file and key-store code. Every one extends core's
 * {@link HybridKemError} with one of core's `ErrorCode`s. Messages name
 * fields, bounds and key ids, never a passphrase, a derived key or key bytes.
 * @module
 */
import { HybridKemError, InvalidArgumentError, UnknownSuiteError } from '@hybridkem/core';

/**
 * A passphrase-encrypted private key did not decrypt: the wrong passphrase,
 * or any changed byte of the header, KDF id, KDF parameters, salt, nonce,
 * ciphertext or tag (they are all authenticated). The cases cannot be told
 * apart, on purpose. Code `ERR_AUTHENTICATION`.
 */
export class KeyFileError extends HybridKemError {
  constructor(message = 'encrypted private key: authentication failed (wrong passphrase or modified file)', options?: { cause?: unknown }) {
    super('ERR_AUTHENTICATION', message, options);
    this.name = 'KeyFileError';
  }
}

/** A KDF id this version does not define (code `ERR_UNKNOWN_SUITE`, like an unknown suite or HPKE algorithm id). */
export class UnknownKdfError extends UnknownSuiteError {
  readonly field = 'kdf';
  constructor(readonly kdfId: number) {
    super(kdfId);
    this.name = 'UnknownKdfError';
    this.message = `kdf: unknown KDF id 0x${(kdfId & 0xff).toString(16).padStart(2, '0')}`;
  }
}

/**
 * A KDF parameter outside the limits in force (code `ERR_INVALID_ARGUMENT`):
 * the message names the parameter, the bounds and the limit (e.g.
 * `argon2id.mMax`, raised with a read call's `limits` option). Raised before
 * any KDF runs, on reading and on writing, so a hostile file cannot make us
 * allocate or compute without limit.
 */
export class KdfParameterError extends InvalidArgumentError {
  constructor(
    field: string,
    readonly min: number,
    readonly max: number,
    readonly actual: number,
    /** Which limit of `KdfLimits` `max` comes from, e.g. `argon2id.mMax`. */
    readonly limit?: string,
  ) {
    super(field, `expected ${min} ≤ value ≤ ${max}${limit !== undefined ? ` (limit ${limit})` : ''}, got ${actual}`);
    this.name = 'KdfParameterError';
  }
}

/**
 * The private key is passphrase-encrypted and not unlocked (code
 * `ERR_KEY_LOCKED`): call `store.unlock(name, passphrase)` first. Raised at
 * once, without reading the passphrase KDF's parameters, so that a message
 * naming a locked key costs no KDF run.
 */
export class KeyLockedError extends HybridKemError {
  constructor(readonly keyId: string) {
    super('ERR_KEY_LOCKED', `key ${keyId} is locked: unlock it with its passphrase first`);
    this.name = 'KeyLockedError';
  }
}

export type KeyStoreErrorReason =
  | 'invalid-name'
  | 'name-taken'
  | 'not-found'
  | 'key-mismatch'
  | 'corrupt-index'
  | 'corrupt-file'
  | 'not-a-regular-file'
  | 'store-busy';

/**
 * A key-store operation failed for a reason other than the wire format (whose
 * own typed errors pass through). Code `ERR_INVALID_ARGUMENT` — core's
 * ErrorCode has no store-specific code; `reason` tells the cases apart.
 */
export class KeyStoreError extends InvalidArgumentError {
  constructor(
    readonly reason: KeyStoreErrorReason,
    field: string,
    message: string,
    options?: { cause?: unknown },
  ) {
    super(field, message);
    this.name = 'KeyStoreError';
    if (options?.cause !== undefined) (this as { cause?: unknown }).cause = options.cause;
  }
}
