/**
 * Multi-recipient sealed messages (spec/WIRE-FORMAT.md §10).
 * @module
 */
export { MAX_RECIPIENTS, MULTI_RECIPIENT_KIND, parseMultiRecipientHeader, type MultiRecipientHeader, type MultiRecipientStanza } from './format.js';
export { openWithIdentities, MAX_TRIAL_DECAPSULATIONS, type MultiIdentity } from './open.js';
export { sealToRecipients, type MultiRecipient, type MultiSealOptions } from './seal.js';
export { openWithIdentitiesNodeStream, sealToRecipientsNodeStream } from './node-stream.js';
