/**
 * `@hybridkem/seal/node`: the parts that need Node's file system — the
 * directory key store and durable file writes. They live behind their own
 * entry so that `@hybridkem/seal` itself imports no `node:` module and
 * bundles for browsers, Deno and workers without configuration.
 * @module
 */
export { FileKeyStore, INDEX_FILE, LOCK_FILE, type FileKeyStoreOptions, type UnlockOptions } from './keys/file-store.js';
export { syncDirectory, writeFileAtomic, type WriteFileAtomicOptions } from './keys/node-fs.js';
