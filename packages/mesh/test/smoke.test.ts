import { describe, expect, it } from 'vitest';
import { createIssuer, createMemoryNodeStore, createReceiver } from '../src/index.js';
import { makeCrypto, makeMesh, ManualClock, utf8 } from './helpers.js';

describe('smoke', () => {
  it('issues and receives', async () => {
    const crypto = makeCrypto();
    const mesh = makeMesh(crypto);
    const clock = new ManualClock();
    const issuer = createIssuer({ crypto, signingPrivateKey: mesh.issuer.privateKey, signingPublicKey: mesh.issuer.publicKey, clock });
    const node = mesh.nodes[0]!;
    const receiver = createReceiver({ crypto, kemPrivateKey: node.kem.privateKey, kemPublicKey: node.kem.publicKey, directory: mesh.directory(), store: createMemoryNodeStore({ clock }), clock });
    const env = await issuer.issue({ recipientKemPublicKey: node.kem.publicKey, keyName: 'svc-db', version: 1, key: utf8('secret') });
    const got = await receiver.receive(env.bytes);
    expect(new TextDecoder().decode(got.key)).toBe('secret');
  });
});
