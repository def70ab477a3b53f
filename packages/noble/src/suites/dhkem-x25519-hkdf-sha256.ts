/**
 * @hybridkem/noble/dhkem-x25519-hkdf-sha256: the noble backend of
 * DHKEM(X25519, HKDF-SHA256) alone (RFC 9180 §4.1, spec/WIRE-FORMAT.md §1.4):
 * @noble/curves' X25519 under core's RFC 9180 key schedule (@noble/hashes
 * HKDF-SHA256). A bundle that imports it carries no ML-KEM.
 *
 *     import { createKem } from '@hybridkem/core';
 *     import { dhkemX25519 } from '@hybridkem/noble/dhkem-x25519-hkdf-sha256';
 *     const kem = createKem('DHKEM-X25519-HKDF-SHA256', dhkemX25519);
 * @module
 */
import { DHKEM_X25519_HKDF_SHA256, type Backend } from '@hybridkem/core';
import { dhkemSuiteBackend } from '../info.js';
import { x25519Group } from '../primitives/x25519.js';

/** DHKEM-X25519-HKDF-SHA256 on noble; `suites` lists 0x0020 alone. Not constant time: see the README's security notes. */
export const dhkemX25519: Backend = /* @__PURE__ */ dhkemSuiteBackend(DHKEM_X25519_HKDF_SHA256, x25519Group);
