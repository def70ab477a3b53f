// The composite-signature conformance suite, run against noble's ML-DSA and
// EdDSA primitives: published composite and Wycheproof vectors, properties.
import { runSignatureConformanceSuite } from '@hybridkem/signing/testing';
import { signatureBackend } from '../src/index.js';

runSignatureConformanceSuite(signatureBackend);
