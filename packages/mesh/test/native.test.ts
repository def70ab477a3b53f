// The envelope contract is backend-neutral: an envelope issued with the
// native backends (C core, @hybridkem/native) opens with noble's, and the
// other way round, and a native receiver refuses what a noble one refuses.
import { backend as nativeBackend, signatureBackend as nativeSignatureBackend } from '@hybridkem/native';
import { describe, expect, it } from 'vitest';
import { createIssuer, createMemoryNodeStore, createReceiver, EnvelopeRefusedError } from '../src/index.js';
import { makeCrypto, makeMesh, ManualClock, utf8 } from './helpers.js';

describe('backend neutrality (@hybridkem/native and @hybridkem/noble)', () => {
  it('native issues, noble receives; noble issues, native receives', async () => {
    const native = makeCrypto(nativeBackend, nativeSignatureBackend);
    const noble = makeCrypto();
    expect(native.signer.backend.name).not.toBe(noble.signer.backend.name);
    const mesh = makeMesh(native, { nodes: 1 });
    const clock = new ManualClock();
    const node = mesh.nodes[0]!;
    const issuerWith = (crypto: typeof native) =>
      createIssuer({ crypto, signingPrivateKey: mesh.issuer.privateKey, signingPublicKey: mesh.issuer.publicKey, clock });
    const receiverWith = (crypto: typeof native) =>
      createReceiver({ crypto, kemPrivateKey: node.kem.privateKey, kemPublicKey: node.kem.publicKey, directory: mesh.directory(), store: createMemoryNodeStore({ clock }), clock });

    const fromNative = await issuerWith(native).issue({ recipientKemPublicKey: node.kem.publicKey, keyName: 'svc-a', version: 1, key: utf8('native') });
    const byNoble = receiverWith(noble);
    expect(new TextDecoder().decode((await byNoble.receive(fromNative.bytes)).key)).toBe('native');

    const fromNoble = await issuerWith(noble).issue({ recipientKemPublicKey: node.kem.publicKey, keyName: 'svc-a', version: 2, key: utf8('noble') });
    const byNative = receiverWith(native);
    expect(new TextDecoder().decode((await byNative.receive(fromNoble.bytes)).key)).toBe('noble');

    const tampered = fromNative.bytes.slice();
    tampered[40]! ^= 1; // an envelope-id byte
    await expect(byNative.receive(tampered)).rejects.toSatisfy((e) => e instanceof EnvelopeRefusedError && e.reason === 'bad-signature');
    await expect(byNative.receive(fromNoble.bytes)).rejects.toSatisfy((e) => e instanceof EnvelopeRefusedError && e.reason === 'replay');
  });
});
