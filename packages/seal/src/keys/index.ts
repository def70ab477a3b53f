/**
 * Keys at rest: passphrase-protected private key files (v1 kind 0x08,
 * packages/seal/KEYS.md) and key stores by key id and name. `FileKeyStore`
 * and `writeFileAtomic` need `node:fs` and are exported from
 * `@hybridkem/seal/node` (../node.ts) instead.
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
  type EncryptedKemPrivateKeyInfo,
  type EncryptedPrivateKeyInfo,
  type EncryptedSigningPrivateKeyInfo,
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
export {
  KdfParameterError,
  KeyFileError,
  KeyLockedError,
  KeyStoreError,
  UnknownKdfError,
  type KeyStoreErrorReason,
} from './errors.js';
