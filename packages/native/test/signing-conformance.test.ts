// @hybridkem/signing's conformance suite on the native backend's signature
// primitives: the published composite vectors (draft-ietf-lamps-pq-composite-sigs-19),
// Wycheproof ML-DSA-44/65/87 and Ed25519/Ed448, the properties of every
// suite, and cross-checks with noble both ways.
import { signatureBackend as nobleSignatures } from '@hybridkem/noble';
import { runSignatureConformanceSuite } from '@hybridkem/signing/testing';
import { requireNative } from './load.js';

const native = requireNative();
if (native) runSignatureConformanceSuite(native.signatureBackend, { peers: [nobleSignatures] });
