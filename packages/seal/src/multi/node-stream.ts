/**
 * Multi-recipient sealed messages (spec/WIRE-FORMAT.md §10) as Node
 * `Transform`s, with the same bytes and guarantees as the one-shot forms and
 * bounded memory: the opener holds the header (at most 110841 bytes) and
 * then one chunk, the sealer one chunk. node:stream is looked up only when
 * called (../node-stream.ts).
 * @module
 */
import type { Transform } from 'node:stream';
import { chunkerTransform } from '../node-stream.js';
import type { SealOptions } from '../raw.js';
import { prepareMultiOpen, type MultiIdentity } from './open.js';
import { prepareMultiSeal, type MultiRecipient, type MultiSealOptions } from './seal.js';

/**
 * A Node `Transform` that seals its input (Buffers / Uint8Arrays) to every
 * recipient, as {@link sealToRecipients}.
 * @throws {InvalidArgumentError} / {InvalidLengthError} at once, for bad arguments
 */
export function sealToRecipientsNodeStream(recipients: readonly MultiRecipient[], options?: MultiSealOptions): Transform {
  return chunkerTransform(prepareMultiSeal(recipients, options));
}

/**
 * A Node `Transform` that opens a multi-recipient sealed message with the
 * identities one holds, as {@link openWithIdentities}: nothing is pushed
 * before the header MAC verifies, then each chunk's plaintext only after its
 * tag verifies; the pipeline fails on the first error.
 * @throws {InvalidArgumentError} / {InvalidLengthError} at once, for bad arguments
 */
export function openWithIdentitiesNodeStream(identities: readonly MultiIdentity[], options?: SealOptions): Transform {
  const opener = prepareMultiOpen(identities, options);
  return chunkerTransform(async () => opener);
}
