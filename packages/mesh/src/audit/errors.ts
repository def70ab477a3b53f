/**
 * Why an audit log does not verify (spec/MESH.md §8.5), as one frozen table
 * of stable reason codes, and the typed error of the log writer.
 * @module
 */
import { HybridKemError } from '@hybridkem/core';

/**
 * Every reason verifyAuditLog names, in the order the checks of
 * spec/MESH.md §8.5 apply them to a line.
 */
export const AUDIT_FAILURES = Object.freeze([
  /** Too many entries, or the file is larger than the reader accepts. */
  'too-large',
  /** A line longer than MAX_LINE_BYTES. */
  'line-too-long',
  /** The last line has no LF: cut mid-line (or a writer died mid-write). */
  'partial-line',
  /** Not UTF-8 JSON. */
  'bad-json',
  /** JSON, but not the members, types or bounds of an entry. */
  'malformed',
  /** Not byte for byte the canonical form of its entry. */
  'not-canonical',
  /** seq is not the previous seq + 1: an entry deleted, reordered or duplicated. */
  'bad-seq',
  /** prev is not the previous entry's hash: an entry edited, replaced or reordered. */
  'prev-mismatch',
  /** Signed by a key the verifier was not given. */
  'unknown-signer',
  /** The composite signature does not verify (either component): the entry was edited. */
  'bad-signature',
  /** A checkpoint whose data is not {count: seq − 1, head: prev}. */
  'bad-checkpoint',
  /** Nothing in the file. */
  'empty',
  /** Entries after the last checkpoint: truncated, or the writer did not close the log. */
  'not-checkpointed',
  /** The log ends before the expected head's count: truncated (also exactly at a checkpoint). */
  'head-missing',
  /** The log goes on past the expected head's count. */
  'head-exceeded',
  /** The entry at the expected head's count has another hash: the log was rewritten. */
  'head-mismatch',
] as const);

export type AuditFailureReason = (typeof AUDIT_FAILURES)[number];

export type AuditLogErrorReason = AuditFailureReason | 'log-busy' | 'log-closed' | 'log-failed' | 'key-mismatch';

/**
 * An audit-log operation refused. `reason` is one of AUDIT_FAILURES when an
 * existing log did not verify on open (code `ERR_AUTHENTICATION`), else
 * `log-busy` (another writer holds the lock), `log-closed`, `log-failed` (an
 * earlier write failed: the file's tail is unknown until it is reopened) or
 * `key-mismatch` (the signing keys given do not belong together), with code
 * `ERR_INVALID_ARGUMENT`: core's ErrorCode has no log-specific code.
 * Messages name lines, sequence numbers and key ids, never key bytes.
 */
export class AuditLogError extends HybridKemError {
  constructor(
    readonly reason: AuditLogErrorReason,
    message: string,
    options?: { cause?: unknown },
  ) {
    super((AUDIT_FAILURES as readonly string[]).includes(reason) ? 'ERR_AUTHENTICATION' : 'ERR_INVALID_ARGUMENT', message, options);
    this.name = 'AuditLogError';
  }
}
