/**
 * Why a receiver refuses a key envelope: one frozen table, in the order the
 * checks run (spec/MESH.md §4). Errors, metric labels and the spec's table
 * all come from it; a test holds the spec to it.
 * @module
 */

/** Each refusal reason with its one-line description, in opening order (spec/MESH.md §4). */
export const REFUSAL_REASON_DESCRIPTIONS = Object.freeze({
  malformed: 'The bytes are not a well-formed key envelope (version, kind, suite, a length or field out of bounds, truncated, trailing data).',
  'unknown-issuer': 'No verified directory record of role issuer has the envelope\'s issuer key id with its signing suite.',
  'bad-signature': 'The issuer\'s composite signature does not verify (the error says which of ML-DSA and EdDSA failed).',
  'issuer-not-authorized': 'The issuer\'s key-name pattern in the directory does not cover the envelope\'s key name.',
  'wrong-recipient': 'The envelope is addressed to another KEM key id than this node\'s.',
  'not-yet-valid': 'The envelope was issued later than now plus the allowed clock skew.',
  expired: 'Now is at or past expires-at plus the skew, or expires-at minus issued-at exceeds the freshness window.',
  replay: 'An envelope with this envelope id was already applied (ids are kept until their expires-at plus the skew).',
  rollback: 'The version is not above the version this node holds for the key name.',
  undecryptable: 'The sealed payload is not sealed to this node\'s key with the configured HPKE suite, or does not open.',
} as const);

export type RefusalReason = keyof typeof REFUSAL_REASON_DESCRIPTIONS;

/** The refusal reasons in opening order (spec/MESH.md §4). */
export const REFUSAL_REASONS = Object.freeze([
  'malformed',
  'unknown-issuer',
  'bad-signature',
  'issuer-not-authorized',
  'wrong-recipient',
  'not-yet-valid',
  'expired',
  'replay',
  'rollback',
  'undecryptable',
] as const satisfies readonly RefusalReason[]);

/** True for a string that is one of {@link REFUSAL_REASONS}. */
export function isRefusalReason(value: unknown): value is RefusalReason {
  return typeof value === 'string' && (REFUSAL_REASONS as readonly string[]).includes(value);
}
