/**
 * The distribution's own failure: the transport could not do what was asked
 * (spec/MESH.md §7). Refusals of records and envelopes are the receiver's
 * (errors.ts); this is only about moving bytes.
 * @module
 */
import { HybridKemError } from '@hybridkem/core';

/**
 * - `unavailable`: the server did not answer within the publish retry time (code ERR_BACKEND_UNAVAILABLE)
 * - `closed`: the distribution was closed (ERR_INVALID_ARGUMENT)
 * - `busy`: the node already has a subscriber in this process (ERR_INVALID_ARGUMENT)
 * - `url`: the URL names no distribution this package has (ERR_INVALID_ARGUMENT)
 */
export type DistributionFailure = 'unavailable' | 'closed' | 'busy' | 'url';

export class DistributionError extends HybridKemError {
  constructor(
    readonly failure: DistributionFailure,
    detail: string,
    options?: { cause?: unknown },
  ) {
    super(failure === 'unavailable' ? 'ERR_BACKEND_UNAVAILABLE' : 'ERR_INVALID_ARGUMENT', `distribution: ${detail}`, options);
    this.name = 'DistributionError';
  }
}
