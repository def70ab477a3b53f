import { createKem, encodePrivateKey, encodePublicKey, keyId } from '@hybridkem/core';
import { backend } from '@hybridkem/noble';
import { describe, expect, it } from 'vitest';
import { MemoryKeyStore, openFrom, sealFor } from '../src/index.js';

const utf8 = (s: string) => new TextEncoder().encode(s);

describe('sealing by recipient name through a key store', () => {
  const kem = createKem('X-Wing', backend);

  async function storeWith(name: string) {
    const store = new MemoryKeyStore();
    const { publicKey, privateKey } = kem.keygen();
    const encodedPublicKey = encodePublicKey(kem.suite, publicKey);
    await store.put({ publicKey: encodedPublicKey, privateKey: encodePrivateKey(kem.suite, privateKey), name });
    return { store, id: keyId(encodedPublicKey) };
  }

  it('seals to a name and opens by the key id in the header, for both AEADs', async () => {
    const { store, id } = await storeWith('billing-service');
    const aad = utf8('invoice 42');
    for (const aead of ['ChaCha20-Poly1305', 'AES-256-GCM'] as const) {
      const sealed = await sealFor(store, 'billing-service', utf8('payload'), { aad, aead, backend });
      expect(Buffer.from(sealed.subarray(8, 24)).toString('hex')).toBe(id);
      expect(await openFrom(store, sealed, { aad, backend })).toEqual(utf8('payload'));
      await expect(openFrom(store, sealed, { aad: utf8('invoice 43'), backend })).rejects.toMatchObject({ code: 'ERR_AUTHENTICATION' });
    }
    expect(await openFrom(store, await sealFor(store, id, utf8('by id'), { backend }), { backend })).toEqual(utf8('by id'));
  });

  it('unknown recipients and missing private keys are typed errors', async () => {
    const { store } = await storeWith('billing-service');
    await expect(sealFor(store, 'payroll', utf8('x'), { backend })).rejects.toMatchObject({ reason: 'not-found' });
    const other = await storeWith('billing-service');
    const sealed = await sealFor(other.store, 'billing-service', utf8('x'), { backend });
    await expect(openFrom(store, sealed, { backend })).rejects.toMatchObject({ reason: 'not-found' });
  });
});
