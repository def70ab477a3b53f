// The shared conformance suite, run against the openssl backend. It draws
// its own encapsulation randomness, so its encapsulations are checked by the
// noble backend's decapsulation (and noble's by it) against every vector.
// On a Node without ML-KEM the package is unavailable (unavailable.test.ts).
import { runConformanceSuite } from '@hybridkem/core/testing';
import { backend as noble } from '@hybridkem/noble';
import { describe, it } from 'vitest';
import { nodeHasMlKem } from './support.js';

if (nodeHasMlKem) {
  const { backend } = await import('../src/index.js');
  runConformanceSuite(backend, { peers: [noble] });
} else {
  describe(`Node ${process.version}`, () => {
    it.skip('has no ML-KEM in node:crypto: the conformance suite runs on Node >= 24.7 (unavailable.test.ts checks the refusal)', () => {});
  });
}
