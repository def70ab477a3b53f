/**
 * @hybridkem/seal: sealed messages with HPKE (RFC 9180) base mode and any
 * @hybridkem/core suite as the KEM (its wire id is its HPKE KEM id: X-Wing
 * 0x647a and the others of spec/WIRE-FORMAT.md §7.1), in the chunked wire
 * format of spec/WIRE-FORMAT.md §7 — one-shot, WHATWG streams and Node streams, all
 * byte-compatible. hpke-js (@hpke/core) runs the key schedule, the AEAD and
 * the exporter; this package supplies the KEM, the framing and a small API.
 * Nothing here imports a `node:` module; the file-system key store and
 * durable writes are in `@hybridkem/seal/node` (node.ts).
 * @module
 */
export { createHpkeSuite, type HpkeAeadName, type HpkeKdfName, type HpkeKemName, type HpkeSuite, type HpkeSuiteOptions } from './suite.js';
export { open, seal } from './message.js';
export { openStream, sealStream } from './stream.js';
export { openNodeStream, sealNodeStream } from './node-stream.js';
export {
  MAX_RECIPIENTS,
  MAX_TRIAL_DECAPSULATIONS,
  MULTI_RECIPIENT_KIND,
  openWithIdentities,
  openWithIdentitiesNodeStream,
  parseMultiRecipientHeader,
  sealToRecipients,
  sealToRecipientsNodeStream,
  type MultiIdentity,
  type MultiRecipient,
  type MultiRecipientHeader,
  type MultiRecipientStanza,
  type MultiSealOptions,
} from './multi/index.js';
export {
  armorSealedNodeStream,
  armorSealedStream,
  dearmorSealedNodeStream,
  dearmorSealedStream,
  isArmoredSealed,
  SEALED_ARMOR_DETECT_LENGTH,
} from './armor/index.js';
export {
  DEFAULT_CHUNK_SIZE_EXPONENT,
  MAX_CHUNK_SIZE_EXPONENT,
  MIN_CHUNK_SIZE_EXPONENT,
  parseHeader as parseSealedHeader,
  SEALED_HEADER_LENGTH,
  SEALED_INFO_LABEL,
  SEALED_MESSAGE_KIND,
  type SealedHeader,
} from './format.js';
export { MAX_INFO_LENGTH, openRaw, sealRaw, type RawSealed, type SealOptions } from './raw.js';
export { XWingHpkeKem } from './kem.js';
export { XWingKey } from './key.js';
export { deriveXWingSeed, shake256LabeledDerive, XWING_KEM_ID, XWING_KEM_SUITE_ID } from './derive.js';
export { ERR_AUTHENTICATION, OpenError, UnknownHpkeAlgorithmError } from './errors.js';
export * from './keys/index.js';
export { openFrom, sealFor, type KeyStoreSealOptions } from './key-store-seal.js';
export { HybridHpkeKem, HYBRID_HPKE_KEM_IDS, SEALING_SUITES, type HybridHpkeKemName } from './kem.js';
export { HPKE_AEAD_IDS, HPKE_KDF_IDS, HPKE_KEM_IDS } from './suite.js';
