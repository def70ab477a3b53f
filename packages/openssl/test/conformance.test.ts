// The shared conformance suite, run against the openssl backend. It draws
// its own encapsulation randomness, so its encapsulations are checked by the
// noble backend's decapsulation (and noble's by it) against every vector.
// On a Node without ML-KEM the package is unavailable (unavailable.test.ts).
import { runConformanceSuite } from '@hybridkem/core/testing';
import { backend as noble } from '@hybridkem/noble';
import { BackendUnavailableError } from '@hybridkem/core';
import { describe, expect, it } from 'vitest';
import { nodeHasMlKem } from './support.js';

if (nodeHasMlKem) {
  const { backend } = await import('../src/index.js');
  runConformanceSuite(backend, { peers: [noble] });
} else {
  // Not a skip: on this Node the package must refuse to load (unavailable.test.ts checks the message).
  describe(`Node ${process.version}`, () => {
    it('has no ML-KEM in node:crypto: importing the package throws BackendUnavailableError instead of running the conformance suite', async () => {
      await expect(import('../src/index.js')).rejects.toBeInstanceOf(BackendUnavailableError);
    });
  });
}
