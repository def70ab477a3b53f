// Expanded keys on the openssl backend: the same secrets as the seed for
// every suite, a tampered ciphertext rejected implicitly as with the seed,
// and a destroyed or foreign key refused with InvalidArgumentError.
import { BackendUnavailableError, createKem, getSuite, InvalidArgumentError, SUITES } from '@hybridkem/core';
import { describe, expect, it } from 'vitest';
import { nodeHasMlKem } from './support.js';

// Imported only where it loads: vitest collects a skipped describe's body too.
const backend = nodeHasMlKem ? (await import('../src/index.js')).backend : (undefined as never);

describe.runIf(nodeHasMlKem)('openssl expanded keys', () => {

  it('give the seed decapsulation secrets, also for a tampered ciphertext', () => {
    for (const suite of SUITES) {
      const kem = createKem(suite, backend);
      const { publicKey, privateKey } = kem.keygen();
      const key = backend.expandPrivateKey!(suite, privateKey);
      const { ciphertext, sharedSecret } = kem.encapsulate(publicKey);
      expect(backend.decapsulateExpanded!(suite, key, ciphertext), suite.name).toEqual(sharedSecret);
      ciphertext[3]! ^= 1;
      const rejected = backend.decapsulateExpanded!(suite, key, ciphertext);
      expect(rejected).toEqual(backend.decapsulate(suite, privateKey, ciphertext));
      expect(rejected).not.toEqual(sharedSecret);
      key.destroy();
    }
  });

  it('refuse a destroyed key, a key of another suite and a foreign token', () => {
    const suite = getSuite('X-Wing');
    const kem = createKem(suite, backend);
    const { publicKey, privateKey } = kem.keygen();
    const { ciphertext } = kem.encapsulate(publicKey);
    const key = backend.expandPrivateKey!(suite, privateKey);
    expect(() => backend.decapsulateExpanded!(getSuite('X25519-MLKEM768'), key, ciphertext)).toThrow(InvalidArgumentError);
    expect(() => backend.decapsulateExpanded!(suite, { destroy() {} }, ciphertext)).toThrow(InvalidArgumentError);
    key.destroy();
    key.destroy();
    expect(() => backend.decapsulateExpanded!(suite, key, ciphertext)).toThrow(InvalidArgumentError);
    const handle = kem.importPrivateKey(privateKey);
    handle.destroy();
    expect(() => kem.decapsulate(handle, ciphertext)).toThrow(InvalidArgumentError);
  });
});

// Not a skip: on a Node without ML-KEM the package must refuse to load.
describe.runIf(!nodeHasMlKem)(`Node ${process.version}`, () => {
  it('has no ML-KEM in node:crypto: importing the package throws BackendUnavailableError, so there are no keys to expand', async () => {
    await expect(import('../src/index.js')).rejects.toBeInstanceOf(BackendUnavailableError);
  });
});
