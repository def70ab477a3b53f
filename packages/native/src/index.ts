/**
 * @hybridkem/native: the native backend. Every suite runs in the native core
 * (Rust on AWS-LC, native/include/hybridkem.h), called through an N-API addon:
 * synchronous calls for single operations (the `backend` that core's
 * getBackend() picks first), asynchronous batches on the libuv thread pool,
 * and composite-signature primitives (`signatureBackend`, which
 * @hybridkem/signing's getSignatureBackend() picks first).
 *
 * Importing this module throws when no binary for this platform is found or
 * it does not match (the error says why and how to build from source, the
 * original is in `cause`); core's getBackend() then reports it and uses the
 * next backend.
 * @module
 */
export { addonFile } from './addon.js';
export { backend, encapsulateRandom, generatePrivateKey } from './backend.js';
export { decapsulateBatch, encapsulateBatch, type EncapsulateBatchOptions } from './batch.js';
export { NativeCoreError, Status } from './errors.js';
export { signatureBackend } from './signing.js';
