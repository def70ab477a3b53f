/**
 * A stand-in X-Wing backend for tests of the createKem facade: outputs of the
 * right sizes, all zero, and no cryptography. `overrides` replace or add
 * members (a recording encapsulate, expanded-key support, …).
 */
import { XWING, type Backend } from '../src/index.js';

export function standInBackend(overrides: Record<string, unknown> = {}): Backend {
  return {
    name: 'noble',
    version: '0',
    implementation: 'stand-in',
    constantTime: false,
    suites: [XWING.id],
    derivePublicKey: () => new Uint8Array(XWING.lengths.publicKey),
    encapsulate: () => ({ ciphertext: new Uint8Array(XWING.lengths.ciphertext), sharedSecret: new Uint8Array(32) }),
    decapsulate: () => new Uint8Array(32),
    ...overrides,
  } as unknown as Backend;
}
