// An expanded key holds OpenSSL's KeyObjects: decapsulating through it must
// use them, not import the key again. node:crypto is wrapped (the originals
// still do the work) so the test sees which KeyObject each decapsulation got.
import * as crypto from 'node:crypto';
import { createKem, SUITES } from '@hybridkem/core';
import { describe, expect, it, vi } from 'vitest';
import { nodeHasMlKem } from './support.js';

vi.mock('node:crypto', async (importOriginal) => {
  const original = await importOriginal<typeof import('node:crypto')>();
  return {
    ...original,
    default: original,
    createPrivateKey: vi.fn(original.createPrivateKey),
    diffieHellman: vi.fn(original.diffieHellman),
    // Node 22 has no decapsulate: left undefined there.
    ...(original.decapsulate ? { decapsulate: vi.fn(original.decapsulate) } : {}),
  };
});

const createPrivateKey = vi.mocked(crypto.createPrivateKey);
const diffieHellman = vi.mocked(crypto.diffieHellman);

describe.runIf(nodeHasMlKem)('openssl expanded keys hold their KeyObjects', () => {
  it('decapsulating through a key imports nothing and hands OpenSSL the same ML-KEM (DHKEM: X25519) KeyObject each time', async () => {
    const { backend } = await import('../src/index.js');
    // Read here, not at the top: on Node 22 the mock has no decapsulate, and vitest throws on reading it.
    const decapsulate = vi.mocked(crypto.decapsulate as (key: crypto.KeyObject, ct: Uint8Array) => Buffer);
    for (const suite of SUITES) {
      const kem = createKem(suite, backend);
      const { publicKey, privateKey } = kem.keygen();
      const handle = kem.importPrivateKey(privateKey);
      const ciphertexts = [0, 1, 2].map(() => kem.encapsulate(publicKey));

      createPrivateKey.mockClear();
      decapsulate.mockClear();
      diffieHellman.mockClear();
      for (const { ciphertext, sharedSecret } of ciphertexts) {
        expect(kem.decapsulate(handle, ciphertext), suite.name).toEqual(sharedSecret);
      }
      expect(createPrivateKey, suite.name).not.toHaveBeenCalled();
      // The suites with ML-KEM hand OpenSSL their ML-KEM key; DHKEM alone its X25519 key.
      const keys = suite.mlkem
        ? decapsulate.mock.calls.map(([key]) => key)
        : diffieHellman.mock.calls.map(([options]) => options.privateKey as crypto.KeyObject);
      expect(keys.length, suite.name).toBe(3);
      const [first, second, third] = keys;
      expect(first).toBeInstanceOf(crypto.KeyObject);
      expect(first!.type).toBe('private');
      expect(second).toBe(first);
      expect(third).toBe(first);

      // The seed route, for contrast, imports the keys on every call.
      createPrivateKey.mockClear();
      kem.decapsulate(privateKey, ciphertexts[0]!.ciphertext);
      expect(createPrivateKey.mock.calls.length, suite.name).toBeGreaterThanOrEqual(1);
      handle.destroy();
    }
  });
});

// Not a skip: on a Node without ML-KEM there is nothing to hold (the package's
// refusal to load is asserted in key-handles.test.ts).
describe.runIf(!nodeHasMlKem)(`Node ${process.version}`, () => {
  it('has no ML-KEM decapsulation in node:crypto', async () => {
    const real = await vi.importActual<Record<string, unknown>>('node:crypto');
    expect(real.decapsulate).toBeUndefined();
  });
});
