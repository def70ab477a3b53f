/**
 * Keys at rest (issue #3): passphrase-protected private key files (v1 kind
 * 0x08, packages/seal/KEYS.md) and key stores by key id and name.
 * `FileKeyStore` imports `node:fs` lazily, on first use, so the rest runs in
 * browsers.
 * @module
 */
export {
  checkKdfParams,
  decryptPrivateKey,
  decryptPrivateKeyArmored,
  DEFAULT_KDF,
  encryptPrivateKey,
  encryptPrivateKeyArmored,
  KDF_LIMITS,
  KdfId,
  resolveKdfLimits,
  NONCE_LENGTH,
  parseEncryptedPrivateKey,
  SALT_LENGTH,
  SCRYPT_KDF,
  TAG_LENGTH,
  type Argon2idParams,
  type DecryptPrivateKeyOptions,
  type EncryptedPrivateKeyInfo,
  type EncryptPrivateKeyOptions,
  type KdfLimits,
  type KdfLimitsOverride,
  type KdfParams,
  type ScryptParams,
} from './key-file.js';
export {
  checkKeyName,
  isKeyId,
  MemoryKeyStore,
  resolveRecipient,
  type KeyInfo,
  type KeyStore,
  type PutKeyInput,
  type ResolvedRecipient,
  type StoredKey,
} from './store.js';
export { FileKeyStore, INDEX_FILE, LOCK_FILE, type FileKeyStoreOptions, type UnlockOptions } from './file-store.js';
export { syncDirectory, writeFileAtomic, type WriteFileAtomicOptions } from './node-fs.js';
export {
  KdfParameterError,
  KeyFileError,
  KeyLockedError,
  KeyStoreError,
  UnknownKdfError,
  type KeyStoreErrorReason,
} from './errors.js';
