/**
 * Distribution of directory records and key envelopes (spec/MESH.md §7).
 * @module
 */
export { connectDistribution, parseNatsUrl, type ConnectDistributionOptions } from './connect.js';
export { DistributionError, type DistributionFailure } from './errors.js';
export { createMemoryDistribution, type MemoryDistributionOptions } from './memory.js';
export {
  connectNatsDistribution,
  consumerName,
  DIRECTORY_BUCKET,
  ENVELOPE_STREAM,
  ENVELOPE_SUBJECT_PREFIX,
  type NatsDistributionOptions,
} from './nats.js';
export {
  MAX_DIRECTORY_RECORD_BYTES,
  MAX_ENVELOPE_BYTES,
  type DirectoryEntry,
  type DirectoryRole,
  type DirectoryStore,
  type DirectoryWatch,
  type Distribution,
  type EnvelopeDelivery,
  type EnvelopeHandler,
  type EnvelopeSubscription,
  type HandlerVerdict,
  type PublishAck,
  type SubscribeOptions,
} from './types.js';
