/**
 * @hybridkem/seal: sealed messages with HPKE (RFC 9180) base mode, one-shot,
 * X-Wing as the KEM (draft-ietf-hpke-pq, KEM id 0x647a). hpke-js
 * (@hpke/core) runs the key schedule, the AEAD and the exporter; this package
 * supplies the KEM and a small API. Work in progress (issue #3).
 * @module
 */
export { createHpkeSuite, type HpkeAeadName, type HpkeKdfName, type HpkeKemName, type HpkeSuite, type HpkeSuiteOptions } from './suite.js';
export { MAX_INFO_LENGTH, open, seal, type Sealed, type SealOptions } from './seal.js';
export { XWingHpkeKem } from './kem.js';
export { XWingKey } from './key.js';
export { deriveXWingSeed, shake256LabeledDerive, XWING_KEM_ID, XWING_KEM_SUITE_ID } from './derive.js';
export { ERR_AUTHENTICATION, OpenError } from './errors.js';
