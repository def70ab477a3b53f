// The shared conformance suite against the wasm backend: every published
// vector and spec vector, and interoperability with noble both ways.
import { runConformanceSuite } from '@hybridkem/core/testing';
import { backend as nobleBackend } from '@hybridkem/noble';
import { describe, it } from 'vitest';
import { built, NOT_BUILT } from './built.js';

if (built()) {
  const { backend } = await import('../src/index.js');
  runConformanceSuite(backend, { peers: [nobleBackend] });
} else {
  describe.skip(`wasm backend (${NOT_BUILT})`, () => it('conformance', () => {}));
}
