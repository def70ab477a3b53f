// The composite-signature conformance suite, run against OpenSSL's ML-DSA
// and EdDSA through node:crypto, with noble as the peer.
import { runSignatureConformanceSuite } from '@hybridkem/signing/testing';
import { signatureBackend as noble } from '@hybridkem/noble';
import { BackendUnavailableError } from '@hybridkem/core';
import { describe, expect, it } from 'vitest';
import { nodeHasMlKem } from './support.js';

if (nodeHasMlKem) {
  const { signatureBackend } = await import('../src/index.js');
  runSignatureConformanceSuite(signatureBackend, { peers: [noble] });
} else {
  // Not a skip: on this Node the package must refuse to load (unavailable.test.ts checks the message).
  describe(`Node ${process.version}`, () => {
    it('has no ML-KEM in node:crypto: importing the package throws BackendUnavailableError instead of running the signature conformance suite', async () => {
      await expect(import('../src/index.js')).rejects.toBeInstanceOf(BackendUnavailableError);
    });
  });
}
