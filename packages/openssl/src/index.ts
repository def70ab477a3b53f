/**
 * @hybridkem/openssl: the backend over node:crypto, i.e. OpenSSL 3.5's
 * ML-KEM, X25519, P-256/P-384, SHAKE256, SHA3-256 and HKDF, and its ML-DSA
 * and EdDSA for composite signatures. Nothing to install or compile; Node.js
 * ≥ 24.7. Importing it elsewhere throws BackendUnavailableError saying which
 * Node it needs and which one runs, so that getBackend() moves on to the
 * next backend.
 *
 * Encapsulation draws its own randomness (`derandomizedEncapsulation:
 * false`): node:crypto has no derandomised ML-KEM. See the README.
 * @module
 */
import { BackendUnavailableError, type Backend } from '@hybridkem/core';
import type { SignatureBackend } from '@hybridkem/signing';
import { unavailableReason } from './availability.js';
import { createOpensslBackend } from './kem.js';
import { createOpensslSignatureBackend } from './signing.js';

const reason = unavailableReason();
if (reason !== undefined) throw new BackendUnavailableError(reason);

const info = {
  version: __OPENSSL_BACKEND_VERSION__,
  implementation: `OpenSSL ${process.versions.openssl} through node:crypto (Node.js v${process.versions.node})`,
};

/** The openssl backend of every suite. Constant time as OpenSSL is: see the README. */
export const backend: Backend = createOpensslBackend(info);

/** ML-DSA and EdDSA for @hybridkem/signing (hedged ML-DSA only: see the README). */
export const signatureBackend: SignatureBackend = createOpensslSignatureBackend(info);

export { MIN_NODE_VERSION } from './availability.js';
