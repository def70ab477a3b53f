/**
 * The one error this package adds to @hybridkem/core's typed errors: a sealed
 * message that does not open.
 * @module
 */
import { HybridKemError } from '@hybridkem/core';

/** The code {@link OpenError} carries (one of core's `ErrorCode`s). */
export const ERR_AUTHENTICATION = 'ERR_AUTHENTICATION';

/**
 * A sealed message failed to open: the AEAD tag did not verify (RFC 9180
 * §5.2, `Open` raises `OpenError`). A changed `enc`, ciphertext, tag, `aad`
 * or `info`, or the wrong private key, all end here and cannot be told apart,
 * on purpose. The message names no key, secret or plaintext bytes.
 */
export class OpenError extends HybridKemError {
  constructor(options?: { cause?: unknown }) {
    super(ERR_AUTHENTICATION, 'open: authentication failed (wrong key, enc, ciphertext, aad or info)', options);
  }
}
