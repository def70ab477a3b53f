/**
 * The errors this package adds to @hybridkem/core's typed errors: a sealed
 * message that does not open, and an HPKE KDF or AEAD id it does not know.
 * @module
 */
import { OpenError as HpkeOpenError } from '@hpke/core';
import { HybridKemError, UnknownSuiteError } from '@hybridkem/core';

/** The code {@link OpenError} carries (one of core's `ErrorCode`s). */
export const ERR_AUTHENTICATION = 'ERR_AUTHENTICATION';

/**
 * A sealed message failed to open: an AEAD tag did not verify (RFC 9180
 * §5.2, `Open` raises `OpenError`). A changed `enc`, header field bound by
 * the key schedule, ciphertext, tag or final-chunk flag, a truncated, reordered
 * or extended chunk sequence, another `aad` or `info`, or the wrong private
 * key all end here and cannot be told apart, on purpose. The message names no
 * key, secret or plaintext bytes.
 */
export class OpenError extends HybridKemError {
  constructor(options?: { cause?: unknown }) {
    super(ERR_AUTHENTICATION, 'open: authentication failed (wrong key, enc, ciphertext, aad or info)', options);
    this.name = 'OpenError';
  }
}

/**
 * An HPKE KDF or AEAD id in a sealed-message header that this package does
 * not implement (code `ERR_UNKNOWN_SUITE`, like an unknown KEM suite id).
 */
export class UnknownHpkeAlgorithmError extends UnknownSuiteError {
  constructor(
    readonly field: 'kdf' | 'aead',
    id: number,
  ) {
    super(id);
    this.name = 'UnknownHpkeAlgorithmError';
    this.message = `${field}: unknown HPKE ${field.toUpperCase()} id 0x${id.toString(16).padStart(4, '0')}`;
  }
}

/** hpke-js's OpenError (or anything thrown by its AEAD on open) as our {@link OpenError}; our own typed errors pass through. */
export function toOpenError(e: unknown): unknown {
  if (e instanceof HybridKemError) return e;
  if (e instanceof HpkeOpenError || (e instanceof Error && e.name === 'OpenError')) return new OpenError();
  return e;
}
