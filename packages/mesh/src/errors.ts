/**
 * Typed errors of the mesh. Each extends @hybridkem/core's HybridKemError
 * with one of core's stable codes (no new code was needed: the mesh-level
 * distinction is the `reason`, itself from a frozen table). Messages name
 * fields, ids, versions and times, never key bytes, seeds or plaintext.
 * @module
 */
import { HybridKemError, type ErrorCode } from '@hybridkem/core';
import type { ComponentVerdict } from '@hybridkem/signing';
import { REFUSAL_REASON_DESCRIPTIONS, type RefusalReason } from './refusals.js';

/** The per-component result of the composite signature check (bad-signature only). */
export interface SignatureVerdicts {
  readonly mldsa: ComponentVerdict;
  readonly eddsa: ComponentVerdict;
}

/**
 * The core code each refusal carries (spec/MESH.md §4). `malformed` keeps the
 * structural code of the decoder (ERR_TRUNCATED, ERR_TRAILING_DATA, …), so it
 * is not in this table; the trust failures are ERR_AUTHENTICATION and the
 * policy failures ERR_INVALID_ARGUMENT.
 */
export const REFUSAL_CODES = Object.freeze({
  'unknown-issuer': 'ERR_AUTHENTICATION',
  'bad-signature': 'ERR_AUTHENTICATION',
  'issuer-not-authorized': 'ERR_AUTHENTICATION',
  'wrong-recipient': 'ERR_INVALID_ARGUMENT',
  'not-yet-valid': 'ERR_INVALID_ARGUMENT',
  expired: 'ERR_INVALID_ARGUMENT',
  replay: 'ERR_INVALID_ARGUMENT',
  rollback: 'ERR_INVALID_ARGUMENT',
  undecryptable: 'ERR_AUTHENTICATION',
} as const satisfies Record<Exclude<RefusalReason, 'malformed'>, ErrorCode>);

/** What is known of the refused envelope (header fields only, as claimed before the signature check when it failed earlier). */
export interface RefusedEnvelopeInfo {
  readonly envelopeId?: string;
  readonly keyName?: string;
  readonly version?: number;
  readonly issuerKeyId?: string;
  readonly recipientKeyId?: string;
}

/**
 * A receiver refused a key envelope (spec/MESH.md §4). `reason` is one of
 * REFUSAL_REASONS; `code` is core's code for it (for `malformed` the
 * decoder's own code, the decoder's error being the `cause`); `verdicts` is
 * set for `bad-signature`.
 */
export class EnvelopeRefusedError extends HybridKemError {
  readonly reason: RefusalReason;
  readonly verdicts: SignatureVerdicts | undefined;
  readonly envelope: RefusedEnvelopeInfo;
  constructor(
    reason: RefusalReason,
    detail: string,
    options: { cause?: unknown; code?: ErrorCode; verdicts?: SignatureVerdicts; envelope?: RefusedEnvelopeInfo } = {},
  ) {
    const code = reason === 'malformed' ? (options.code ?? 'ERR_INVALID_ARGUMENT') : REFUSAL_CODES[reason];
    super(code, `key envelope refused (${reason}): ${detail}`, options.cause === undefined ? undefined : { cause: options.cause });
    this.name = 'EnvelopeRefusedError';
    this.reason = reason;
    this.verdicts = options.verdicts;
    this.envelope = Object.freeze({ ...options.envelope });
  }

  /** The reason's one-line description from the table. */
  get description(): string {
    return REFUSAL_REASON_DESCRIPTIONS[this.reason];
  }
}

/** Why a directory record was not accepted (spec/MESH.md §3). */
export type DirectoryRefusal = 'malformed' | 'unknown-anchor' | 'bad-signature' | 'rollback';

const DIRECTORY_CODES = Object.freeze({
  'unknown-anchor': 'ERR_AUTHENTICATION',
  'bad-signature': 'ERR_AUTHENTICATION',
  rollback: 'ERR_INVALID_ARGUMENT',
} as const satisfies Record<Exclude<DirectoryRefusal, 'malformed'>, ErrorCode>);

/**
 * A directory record was refused: not well formed (code of the decoder,
 * which is the `cause`), signed by another anchor, a bad anchor signature
 * (with the per-component verdicts), or an older or conflicting revision.
 */
export class DirectoryError extends HybridKemError {
  readonly reason: DirectoryRefusal;
  readonly verdicts: SignatureVerdicts | undefined;
  /** The record's name when it was readable. */
  readonly recordName: string | undefined;
  constructor(
    reason: DirectoryRefusal,
    detail: string,
    options: { cause?: unknown; code?: ErrorCode; verdicts?: SignatureVerdicts; recordName?: string } = {},
  ) {
    const code = reason === 'malformed' ? (options.code ?? 'ERR_INVALID_ARGUMENT') : DIRECTORY_CODES[reason];
    super(code, `directory record refused (${reason}): ${detail}`, options.cause === undefined ? undefined : { cause: options.cause });
    this.name = 'DirectoryError';
    this.reason = reason;
    this.verdicts = options.verdicts;
    this.recordName = options.recordName;
  }
}

/** Why a node store refused to open or to commit (spec/MESH.md §5). */
export type NodeStoreFailure = 'locked' | 'corrupt' | 'conflict' | 'closed';

/**
 * The node store refused: its directory is locked by another opener, its
 * journal is malformed beyond a torn last line, a commit would apply an id
 * twice or go back in version, or it is closed. Code ERR_INVALID_ARGUMENT;
 * `failure` says which.
 */
export class NodeStoreError extends HybridKemError {
  constructor(
    readonly failure: NodeStoreFailure,
    detail: string,
    options?: { cause?: unknown },
  ) {
    super('ERR_INVALID_ARGUMENT', `node store: ${detail}`, options);
    this.name = 'NodeStoreError';
  }
}
