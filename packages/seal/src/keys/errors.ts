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
  }
}

/** A KDF id this version does not define (code `ERR_UNKNOWN_SUITE`, like an unknown suite or HPKE algorithm id). */
export class UnknownKdfError extends UnknownSuiteError {
  readonly field = 'kdf';
  constructor(readonly kdfId: number) {
    super(kdfId);
    this.message = `kdf: unknown KDF id 0x${(kdfId & 0xff).toString(16).padStart(2, '0')}`;
  }
}

/**
 * A KDF parameter outside the bounds this library accepts (code
 * `ERR_INVALID_ARGUMENT`). Raised before any KDF runs, on reading and on
 * writing, so a hostile file cannot make us allocate or compute without limit.
 */
export class KdfParameterError extends InvalidArgumentError {
  constructor(
    field: string,
    readonly min: number,
    readonly max: number,
    readonly actual: number,
    reason?: string,
  ) {
    super(field, reason ?? `expected ${min} ≤ value ≤ ${max}, got ${actual}`);
  }
}

export type KeyStoreErrorReason =
  | 'invalid-name'
  | 'name-taken'
  | 'not-found'
  | 'passphrase-required'
  | 'key-mismatch'
  | 'corrupt-index'
  | 'corrupt-file';

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
    if (options?.cause !== undefined) (this as { cause?: unknown }).cause = options.cause;
  }
}
