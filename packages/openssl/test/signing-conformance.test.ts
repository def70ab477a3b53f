// The composite-signature conformance suite, run against OpenSSL's ML-DSA
// and EdDSA through node:crypto, with noble as the peer.
import { runSignatureConformanceSuite } from '@hybridkem/signing/testing';
import { signatureBackend as noble } from '@hybridkem/noble';
import { describe, it } from 'vitest';
import { nodeHasMlKem } from './support.js';

if (nodeHasMlKem) {
  const { signatureBackend } = await import('../src/index.js');
  runSignatureConformanceSuite(signatureBackend, { peers: [noble] });
} else {
  describe(`Node ${process.version}`, () => {
    it.skip('has no ML-KEM in node:crypto: the package is unavailable (unavailable.test.ts)', () => {});
  });
}
