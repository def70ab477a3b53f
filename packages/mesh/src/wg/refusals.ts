/**
 * Why a node refuses a PSK exchange message: one frozen table in receiving
 * order (spec/MESH.md §10.3), with each reason's core code. Errors, the
 * metric's labels and the spec's table all come from it; a test holds the
 * spec to it.
 * @module
 */
import { HybridKemError, type ErrorCode } from '@hybridkem/core';
import type { SignatureVerdicts } from '../errors.js';

export const PSK_REFUSALS = Object.freeze({
  malformed: { step: 1, code: undefined, description: 'The bytes are not a well-formed PSK exchange message.' },
  'unknown-sender': {
    step: 2,
    code: 'ERR_AUTHENTICATION',
    description: 'No verified node record has the sender\'s name with this signing key id and suite (an old key of a node whose record was replaced is unknown).',
  },
  revoked: {
    step: 2,
    code: 'ERR_AUTHENTICATION',
    description: 'The sender\'s node record has a revision this node was told to refuse (an emergency rotation revoked it) and no newer record arrived yet.',
  },
  'bad-signature': {
    step: 3,
    code: 'ERR_AUTHENTICATION',
    description: 'The sender\'s composite signature does not verify (the error says which of ML-DSA and EdDSA failed).',
  },
  'wrong-recipient': {
    step: 4,
    code: 'ERR_INVALID_ARGUMENT',
    description: 'The message names another recipient than this node, or another KEM key id than this node\'s.',
  },
  'pair-not-allowed': {
    step: 5,
    code: 'ERR_INVALID_ARGUMENT',
    description: 'The pair is not one of this node\'s pairs (topology), or the message type does not match the pair\'s order (initiations come from the lower name).',
  },
  'not-yet-valid': { step: 6, code: 'ERR_INVALID_ARGUMENT', description: 'The message was issued later than now plus the allowed clock skew.' },
  expired: {
    step: 6,
    code: 'ERR_INVALID_ARGUMENT',
    description: 'Now is at or past expires-at plus the skew, or expires-at minus issued-at exceeds the freshness window.',
  },
  replay: {
    step: 7,
    code: 'ERR_INVALID_ARGUMENT',
    description: 'A message with this exchange id was already accepted (ids are kept until their expires-at plus the skew).',
  },
  'old-epoch': {
    step: 8,
    code: 'ERR_INVALID_ARGUMENT',
    description: 'An initiation whose epoch is not above the pair\'s current epoch, or a response that does not answer the initiation this node is waiting for (epoch and in-reply-to hash).',
  },
  undecapsulable: {
    step: 9,
    code: 'ERR_AUTHENTICATION',
    description: 'The KEM refused the ciphertext (e.g. a classical part that is not a valid group element).',
  },
} as const satisfies Record<string, { step: number; code: ErrorCode | undefined; description: string }>);

export type PskRefusalReason = keyof typeof PSK_REFUSALS;

/** The reasons in receiving order. */
export const PSK_REFUSAL_REASONS = Object.freeze(Object.keys(PSK_REFUSALS) as PskRefusalReason[]);

/** What is known of a refused message (as claimed, unverified when refused at steps 1 to 3). */
export interface RefusedPskMessageInfo {
  readonly exchangeId?: string;
  readonly sender?: string;
  readonly recipient?: string;
  readonly epoch?: number;
  readonly type?: 'initiation' | 'response';
}

/**
 * A node refused a PSK exchange message (spec/MESH.md §10.3). `code` is the
 * table's, or for `malformed` the decoder's (the decoder's error is the cause).
 */
export class PskExchangeRefusedError extends HybridKemError {
  readonly reason: PskRefusalReason;
  readonly verdicts: SignatureVerdicts | undefined;
  /** What is known of the refused message. */
  readonly exchange: RefusedPskMessageInfo;
  constructor(
    reason: PskRefusalReason,
    detail: string,
    options: { cause?: unknown; code?: ErrorCode; verdicts?: SignatureVerdicts; message?: RefusedPskMessageInfo } = {},
  ) {
    const code = PSK_REFUSALS[reason].code ?? options.code ?? 'ERR_INVALID_ARGUMENT';
    super(code, `PSK exchange message refused (${reason}): ${detail}`, options.cause === undefined ? undefined : { cause: options.cause });
    this.name = 'PskExchangeRefusedError';
    this.reason = reason;
    this.verdicts = options.verdicts;
    this.exchange = Object.freeze({ ...options.message });
  }

  get description(): string {
    return PSK_REFUSALS[this.reason].description;
  }
}
