/**
 * @hybridkem/mesh: signed, sealed key envelopes for service meshes
 * (spec/MESH.md). An issuer seals a key to a node's hybrid KEM key and signs
 * the envelope with a composite signature; a node checks it against a
 * directory signed by its trust anchor, refuses replays, rollbacks and stale
 * envelopes, and commits what it applies to a durable store.
 * @module
 */
export { systemClock, type Clock } from './clock.js';
export type { MeshCrypto } from './crypto.js';
export type { AuditData, AuditEventType, AuditSink } from './audit/sink.js';
export { isRefusalReason, REFUSAL_REASON_DESCRIPTIONS, REFUSAL_REASONS, type RefusalReason } from './refusals.js';
export {
  DirectoryError,
  EnvelopeRefusedError,
  NodeStoreError,
  REFUSAL_CODES,
  type DirectoryRefusal,
  type NodeStoreFailure,
  type RefusedEnvelopeInfo,
  type SignatureVerdicts,
} from './errors.js';
export {
  checkKeyName,
  decodeKeyEnvelope,
  ENVELOPE_LABEL,
  isValidKeyName,
  KEY_ENVELOPE_KIND,
  MAX_KEY_LENGTH,
  MAX_KEY_NAME_LENGTH,
  MAX_SEALED_PAYLOAD_LENGTH,
  type DecodedKeyEnvelope,
  type EnvelopeHeader,
} from './envelope/format.js';
export {
  createDirectoryRecord,
  decodeDirectoryRecord,
  DEFAULT_STORAGE_TIER,
  DIRECTORY_LABEL,
  DIRECTORY_RECORD_KIND,
  isStorageTier,
  isValidKeyNamePattern,
  isValidRecordName,
  patternCovers,
  STORAGE_TIER_BYTES,
  STORAGE_TIERS,
  type DirectoryRecord,
  type DirectoryRecordOptions,
  type DirectoryRole,
  type StorageTier,
} from './directory/record.js';
export { TrustedDirectory } from './directory/trusted.js';
export type { NodeStore, StoredEnvelope } from './store/types.js';
export { createMemoryNodeStore } from './store/memory.js';
export { DEFAULT_COMPACT_BYTES, JOURNAL_FILE, openFileNodeStore, type FileNodeStoreOptions } from './store/file.js';
export { createMeshMetrics, DELIVERY_LATENCY_BUCKETS, MESH_METRICS, type MeshMetricDescription, type MeshMetrics } from './metrics.js';
export { createIssuer, DEFAULT_LIFETIME_MS, type IssuedEnvelope, type Issuer, type IssueRequest, type IssuerOptions } from './issuer.js';
export {
  createReceiver,
  DEFAULT_SKEW_MS,
  DEFAULT_WINDOW_MS,
  refusalReason,
  type AppliedEnvelope,
  type Receiver,
  type ReceiverOptions,
} from './receiver.js';
export {
  generateIdentity,
  IDENTITY_FILES,
  IDENTITY_FORMAT_VERSION,
  IDENTITY_ROLES,
  IdentityError,
  loadIdentity,
  loadPublicIdentity,
  publicIdentity,
  saveIdentity,
  wipeIdentity,
  type EncodedKeyPair,
  type GenerateIdentityOptions,
  type IdentityFailure,
  type IdentityRole,
  type LoadIdentityOptions,
  type MeshIdentity,
  type PublicIdentity,
  type SaveIdentityOptions,
} from './identity.js';
export {
  AUDIT_ENTRY_TYPES,
  AUDIT_FAILURES,
  AUDIT_LABEL,
  AUDIT_SIGNATURE_CONTEXT,
  AUDIT_STREAM,
  AUDIT_SUBJECT,
  AuditLogError,
  DEFAULT_CHECKPOINT_EVERY,
  DEFAULT_MAX_ENTRIES,
  MAX_CHECKPOINT_EVERY,
  MAX_LINE_BYTES,
  ZERO_HASH,
  entryHash,
  mirrorAuditLog,
  openAuditLog,
  readAuditHead,
  readAuditHeadAt,
  verifyAuditLog,
  type AppendedEntry,
  type AuditEntry,
  type AuditEntryBody,
  type AuditEntryType,
  type AuditFailureReason,
  type AuditHead,
  type AuditLog,
  type AuditLogErrorReason,
  type AuditMirror,
  type AuditMirrorOptions,
  type AuditVerifyFailure,
  type AuditVerifyOk,
  type AuditVerifyResult,
  type OpenAuditLogOptions,
  type VerifyAuditLogOptions,
} from './audit/index.js';
export {
  connectDistribution,
  connectNatsDistribution,
  consumerName,
  createMemoryDistribution,
  DIRECTORY_BUCKET,
  DistributionError,
  ENVELOPE_STREAM,
  ENVELOPE_SUBJECT_PREFIX,
  MAX_DIRECTORY_RECORD_BYTES,
  MAX_ENVELOPE_BYTES,
  parseNatsUrl,
  type ConnectDistributionOptions,
  type DirectoryEntry,
  type DirectoryStore,
  type DirectoryWatch,
  type Distribution,
  type DistributionFailure,
  type EnvelopeDelivery,
  type EnvelopeHandler,
  type EnvelopeSubscription,
  type HandlerVerdict,
  type MemoryDistributionOptions,
  type NatsDistributionOptions,
  type PublishAck,
  type SubscribeOptions,
} from './distribution/index.js';
export { runAgentMain, startNodeAgent, type AgentMainHooks, type NodeAgent, type NodeAgentOptions, type NodeAgentStats } from './agent/index.js';
export {
  decodePkcs11Blob,
  KEY_STORE_FAILURES,
  KeyStoreError,
  loadTieredIdentity,
  MAX_PKCS11_LABEL_LENGTH,
  MAX_PKCS11_PLAINTEXT_LENGTH,
  openPkcs11Tier,
  passphraseFileTier,
  PKCS11_BLOB_LABEL,
  PKCS11_BLOB_VERSION,
  PKCS11_GCM_IV_LENGTH,
  PKCS11_GCM_TAG_LENGTH,
  PROTECTED_KEY_OBJECT_KINDS,
  saveTieredIdentity,
  SOFTHSM2_MODULE,
  TIER_KEY_FILES,
  type KeyBinding,
  type KeyStorageTier,
  type KeyStoreFailure,
  type LoadTieredIdentityOptions,
  type PassphraseFileTierOptions,
  type Pkcs11BlobParts,
  type Pkcs11Tier,
  type Pkcs11TierOptions,
  type ProtectedKeyKind,
  type SaveTieredIdentityOptions,
} from './keystore/index.js';
