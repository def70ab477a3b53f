/**
 * Key-storage tiers for node identities (spec/MESH.md §14): passphrase-
 * encrypted files, or AES-256-GCM under a key that never leaves a PKCS#11
 * token. The tier is also part of the node's directory record (§3).
 * @module
 */
export {
  checkBinding,
  KEY_STORE_FAILURES,
  KeyStoreError,
  passphraseFileTier,
  PROTECTED_KEY_OBJECT_KINDS,
  type KeyBinding,
  type KeyStorageTier,
  type KeyStoreFailure,
  type PassphraseFileTierOptions,
  type ProtectedKeyKind,
} from './tier.js';
export {
  decodePkcs11Blob,
  MAX_PKCS11_LABEL_LENGTH,
  MAX_PKCS11_PLAINTEXT_LENGTH,
  openPkcs11Tier,
  PKCS11_BLOB_LABEL,
  PKCS11_BLOB_VERSION,
  PKCS11_GCM_IV_LENGTH,
  PKCS11_GCM_TAG_LENGTH,
  SOFTHSM2_MODULE,
  type Pkcs11BlobParts,
  type Pkcs11Tier,
  type Pkcs11TierOptions,
} from './pkcs11.js';
export { loadTieredIdentity, saveTieredIdentity, TIER_KEY_FILES, type LoadTieredIdentityOptions, type SaveTieredIdentityOptions } from './identity.js';
