/**
 * The tamper-evident audit log (spec/MESH.md §8): writer, verifier and
 * JetStream mirror.
 * @module
 */
export type { AuditData, AuditEventType, AuditSink } from './sink.js';
export {
  AUDIT_ENTRY_TYPES,
  AUDIT_LABEL,
  AUDIT_SIGNATURE_CONTEXT,
  MAX_LINE_BYTES,
  ZERO_HASH,
  entryHash,
  type AuditEntry,
  type AuditEntryBody,
  type AuditEntryType,
  type AuditHead,
} from './entry.js';
export { AUDIT_FAILURES, AuditLogError, type AuditFailureReason, type AuditLogErrorReason } from './errors.js';
export {
  DEFAULT_CHECKPOINT_EVERY,
  MAX_CHECKPOINT_EVERY,
  openAuditLog,
  type AppendedEntry,
  type AuditLog,
  type OpenAuditLogOptions,
} from './log.js';
export {
  DEFAULT_MAX_ENTRIES,
  verifyAuditLog,
  type AuditVerifyFailure,
  type AuditVerifyOk,
  type AuditVerifyResult,
  type VerifyAuditLogOptions,
} from './verify.js';
export { AUDIT_STREAM, AUDIT_SUBJECT, mirrorAuditLog, readAuditHead, readAuditHeadAt, type AuditMirror, type AuditMirrorOptions } from './mirror.js';
