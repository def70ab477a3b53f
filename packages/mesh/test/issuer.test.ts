// The issuer keeps each recipient's validated KEM key (src/issuer.ts): the
// envelope must still be addressed by the bytes given on every call
// (spec/MESH.md §2: recipient key id = keyId of the encoded KEM public key,
// spec/WIRE-FORMAT.md §4: the first 16 bytes of its SHA-256), and a key that
// fails validation must fail on every call, before or after valid ones.
import { bytesToHex, decodePublicKey, encodePublicKey, InvalidArgumentError, InvalidGroupElementError } from '@hybridkem/core';
import { sha256 } from '@noble/hashes/sha2.js';
import { beforeAll, describe, expect, it } from 'vitest';
import { createIssuer, createMemoryNodeStore, createReceiver, EnvelopeRefusedError, type Issuer, type MeshCrypto } from '../src/index.js';
import { makeCrypto, makeMesh, utf8 } from './helpers.js';

let crypto: MeshCrypto;
let mesh: ReturnType<typeof makeMesh>;
let issuer: Issuer;

beforeAll(() => {
  crypto = makeCrypto();
  mesh = makeMesh(crypto, { nodes: 2 });
  issuer = createIssuer({ crypto, signingPrivateKey: mesh.issuer.privateKey, signingPublicKey: mesh.issuer.publicKey });
});

/** Recipient key id field of an envelope: bytes [20, 36) (spec/MESH.md §2). */
const recipientField = (envelope: Uint8Array) => bytesToHex(envelope.subarray(20, 36));
/** spec/WIRE-FORMAT.md §4, computed here from the definition. */
const specKeyId = (encoded: Uint8Array) => bytesToHex(sha256(encoded).subarray(0, 16));

const receiverOf = (n: number) =>
  createReceiver({
    crypto,
    kemPrivateKey: mesh.nodes[n]!.kem.privateKey,
    kemPublicKey: mesh.nodes[n]!.kem.publicKey,
    directory: mesh.directory(),
    store: createMemoryNodeStore(),
  });

describe('issuer: recipients', () => {
  it('addresses and seals every envelope to the key given, also when it repeats', async () => {
    const receiver = receiverOf(0);
    const to = mesh.nodes[0]!.kem.publicKey;
    for (let version = 1; version <= 3; version++) {
      const e = await issuer.issue({ recipientKemPublicKey: to, keyName: 'svc-a', version, key: utf8(`k${version}`) });
      expect(recipientField(e.bytes)).toBe(specKeyId(to));
      const opened = await receiver.receive(e.bytes);
      expect(new TextDecoder().decode(opened.key)).toBe(`k${version}`);
    }
  });

  it('follows an array changed in place between calls (never a stale key)', async () => {
    const bytes = mesh.nodes[0]!.kem.publicKey.slice();
    const first = await issuer.issue({ recipientKemPublicKey: bytes, keyName: 'svc-b', version: 1, key: utf8('to 0') });
    expect(recipientField(first.bytes)).toBe(specKeyId(mesh.nodes[0]!.kem.publicKey));
    bytes.set(mesh.nodes[1]!.kem.publicKey);
    const second = await issuer.issue({ recipientKemPublicKey: bytes, keyName: 'svc-b', version: 2, key: utf8('to 1') });
    expect(recipientField(second.bytes)).toBe(specKeyId(mesh.nodes[1]!.kem.publicKey));
    const opened = await receiverOf(1).receive(second.bytes);
    expect(new TextDecoder().decode(opened.key)).toBe('to 1');
    await expect(receiverOf(0).receive(second.bytes)).rejects.toSatisfy((e) => e instanceof EnvelopeRefusedError && e.reason === 'wrong-recipient');
  });

  it('refuses a low-order X25519 part every time, before and after valid issues', async () => {
    const good = mesh.nodes[0]!.kem.publicKey;
    const bad = good.slice();
    bad.fill(0, bad.length - 32); // the X25519 part is last (spec/WIRE-FORMAT.md §1.1); 0 is a low-order point (RFC 7748 §6.1)
    const attempt = () => issuer.issue({ recipientKemPublicKey: bad, keyName: 'svc-c', version: 1, key: utf8('x') });
    await expect(attempt()).rejects.toBeInstanceOf(InvalidGroupElementError);
    await issuer.issue({ recipientKemPublicKey: good, keyName: 'svc-c', version: 1, key: utf8('x') });
    await expect(attempt()).rejects.toBeInstanceOf(InvalidGroupElementError);
  });

  it('refuses a valid key of another KEM suite every time', async () => {
    const raw = decodePublicKey(mesh.nodes[0]!.kem.publicKey).publicKey;
    const other = encodePublicKey(0xff01, raw); // X25519-MLKEM768: the same lengths, another suite
    for (let i = 0; i < 2; i++) {
      await expect(issuer.issue({ recipientKemPublicKey: other, keyName: 'svc-d', version: 1, key: utf8('x') })).rejects.toSatisfy(
        (e) => e instanceof InvalidArgumentError && e.code === 'ERR_INVALID_ARGUMENT' && /X25519-MLKEM768/.test(e.message),
      );
    }
  });
});
