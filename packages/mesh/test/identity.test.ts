/**
 * Mesh identities at rest (src/identity.ts): both private keys encrypted
 * (spec/WIRE-FORMAT.md §8, the signing key as kind 0x08 wrapping 0x06), the
 * files' modes, strict reading, typed errors that name no secret. The file
 * contents are checked with the libraries' own decoders and @hybridkem/seal's
 * decryptPrivateKeyArmored, not with the code under test.
 */
import { mkdtemp, readFile, readdir, rm, stat, symlink, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { inspect } from 'node:util';
import { createKem, dearmor, decodePrivateKey, decodePublicKey, HybridKemError, keyId } from '@hybridkem/core';
import { backend, signatureBackend } from '@hybridkem/noble';
import { createHpkeSuite, decryptPrivateKeyArmored, type KdfParams } from '@hybridkem/seal';
import { createSigner, decodeSigningPrivateKey, decodeSigningPublicKey, signingKeyId } from '@hybridkem/signing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { MeshCrypto } from '../src/crypto.js';
import {
  generateIdentity,
  IDENTITY_FILES,
  IdentityError,
  loadIdentity,
  loadPublicIdentity,
  publicIdentity,
  saveIdentity,
  wipeIdentity,
  type MeshIdentity,
} from '../src/identity.js';

const crypto: MeshCrypto = Object.freeze({
  hpke: createHpkeSuite({ kem: 'X-Wing', kdf: 'HKDF-SHA256', aead: 'AES-128-GCM', backend }),
  signer: createSigner('MLDSA65-Ed25519-SHA512', signatureBackend),
});
const CHEAP: KdfParams = { name: 'argon2id', m: 64, t: 1, p: 1 };
const PASS = 'node passphrase ü 42';

let root: string;
beforeAll(async () => {
  root = await mkdtemp(join(tmpdir(), 'hybridkem-mesh-identity-'));
});
afterAll(async () => {
  await rm(root, { recursive: true, force: true });
});
let n = 0;
const freshDir = () => join(root, `id-${++n}`);

const hex = (b: Uint8Array) => Buffer.from(b).toString('hex');

/** The error of `p`, which must reject with an IdentityError of `reason` whose message holds no passphrase and none of `secrets`. */
async function refused(p: Promise<unknown>, reason: string, secrets: readonly Uint8Array[] = []): Promise<IdentityError> {
  const e = await p.then(
    () => undefined,
    (err: unknown) => err,
  );
  expect(e).toBeInstanceOf(IdentityError);
  expect(e).toBeInstanceOf(HybridKemError);
  const err = e as IdentityError;
  expect(err.reason).toBe(reason);
  const text = `${err.message} ${inspect(err)}`.toLowerCase();
  expect(text).not.toContain(PASS.toLowerCase());
  for (const s of secrets) expect(text).not.toContain(hex(s.subarray(4, 20)));
  return err;
}

/** Every private byte string an identity holds: the encoded keys and their bodies. */
const secretsOf = (i: MeshIdentity) => [i.signing.privateKey, ...(i.kem ? [i.kem.privateKey] : [])];

describe('generateIdentity', () => {
  it('a node has an X-Wing KEM key pair and an MLDSA65-Ed25519 signing key pair, as encoded v1 objects', () => {
    const id = generateIdentity({ crypto, role: 'node', name: 'node-1' });
    expect(id.name).toBe('node-1');
    expect(id.role).toBe('node');
    expect([...id.kem!.publicKey.subarray(0, 4)]).toEqual([0x01, 0x01, 0x64, 0x7a]);
    expect([...id.kem!.privateKey.subarray(0, 4)]).toEqual([0x01, 0x02, 0x64, 0x7a]);
    expect(id.kem!.privateKey.length).toBe(36);
    expect([...id.signing.publicKey.subarray(0, 4)]).toEqual([0x01, 0x05, 0xfe, 0x02]);
    expect([...id.signing.privateKey.subarray(0, 4)]).toEqual([0x01, 0x06, 0xfe, 0x02]);
    expect(id.signing.privateKey.length).toBe(68);
    expect(id.kemKeyId).toBe(keyId(id.kem!.publicKey));
    expect(id.signingKeyId).toBe(signingKeyId(id.signing.publicKey));
    // The pairs belong together.
    expect(createKem('X-Wing', backend).getPublicKey(decodePrivateKey(id.kem!.privateKey).privateKey)).toEqual(decodePublicKey(id.kem!.publicKey).publicKey);
    expect(crypto.signer.getPublicKey(decodeSigningPrivateKey(id.signing.privateKey).privateKey)).toEqual(decodeSigningPublicKey(id.signing.publicKey).publicKey);
  });

  it('an issuer or anchor has no KEM key unless asked; a node cannot go without', () => {
    expect(generateIdentity({ crypto, role: 'anchor', name: 'root' }).kem).toBeUndefined();
    expect(generateIdentity({ crypto, role: 'issuer', name: 'issuer-a' }).kemKeyId).toBeUndefined();
    expect(generateIdentity({ crypto, role: 'issuer', name: 'issuer-b', kem: true }).kem?.publicKey.length).toBe(1220);
    expect(() => generateIdentity({ crypto, role: 'node', name: 'n', kem: false })).toThrow(IdentityError);
  });

  it('refuses bad names and roles (invalid-argument)', () => {
    for (const name of ['', 'Node-1', 'a/b', '..', 'x'.repeat(65), 'node_1']) {
      expect(() => generateIdentity({ crypto, role: 'node', name })).toThrow(expect.objectContaining({ reason: 'invalid-argument', code: 'ERR_INVALID_ARGUMENT' }));
    }
    expect(() => generateIdentity({ crypto, role: 'admin' as never, name: 'x' })).toThrow(expect.objectContaining({ reason: 'invalid-argument' }));
  });

  it('JSON, toString and util.inspect show the public part only', () => {
    const id = generateIdentity({ crypto, role: 'node', name: 'node-2' });
    const shown = [JSON.stringify(id), String(id), inspect(id), inspect({ id }, { depth: 5 })].join('\n');
    for (const s of secretsOf(id)) {
      expect(shown).not.toContain(hex(s.subarray(4, 20)));
      expect(shown).not.toContain(Buffer.from(s).toString('base64').slice(8, 40));
    }
    expect(shown).toContain(id.signingKeyId);
    expect(shown).toContain(id.kemKeyId!);
    const json = JSON.parse(JSON.stringify(id)) as Record<string, unknown>;
    expect(Object.keys(json).sort()).toEqual(['kemKeyId', 'kemPublicKey', 'name', 'role', 'signingKeyId', 'signingPublicKey']);
  });
});

describe('saveIdentity / loadIdentity', () => {
  it('round trip of a node: files, modes, encrypted keys readable with seal, the same identity back', async () => {
    const dir = freshDir();
    const id = generateIdentity({ crypto, role: 'node', name: 'node-7' });
    await saveIdentity(dir, id, { passphrase: PASS, kdf: CHEAP });

    expect((await readdir(dir)).sort()).toEqual(['identity.json', 'kem.key', 'kem.pub', 'signing.key', 'signing.pub']);
    const mode = async (f: string) => (await stat(join(dir, f))).mode & 0o777;
    expect(await mode('kem.key')).toBe(0o600);
    expect(await mode('signing.key')).toBe(0o600);
    expect(await mode('kem.pub')).toBe(0o644);
    expect(await mode('signing.pub')).toBe(0o644);
    expect(await mode('identity.json')).toBe(0o644);
    expect((await stat(dir)).mode & 0o777).toBe(0o700);

    // Encrypted keys (kind 0x08; 94 bytes for X-Wing, 126 for MLDSA65-Ed25519 with Argon2id: spec §8.1), read back by seal itself.
    const kemText = await readFile(join(dir, 'kem.key'), 'utf8');
    const signingText = await readFile(join(dir, 'signing.key'), 'utf8');
    for (const [text, length, suiteHi] of [[kemText, 94, 0x64], [signingText, 126, 0xfe]] as const) {
      expect(text.split('\n')[0]).toBe('-----BEGIN HYBRIDKEM ENCRYPTED PRIVATE KEY-----');
      const encoded = dearmor(text).encoded;
      expect(encoded.length).toBe(length);
      expect([encoded[0], encoded[1], encoded[2], encoded[4]]).toEqual([0x01, 0x08, suiteHi, 0x01]);
    }
    expect(await decryptPrivateKeyArmored(kemText, PASS)).toEqual(id.kem!.privateKey);
    expect(await decryptPrivateKeyArmored(signingText, PASS)).toEqual(id.signing.privateKey);
    // No file holds a private key in the clear.
    for (const f of await readdir(dir)) {
      const content = await readFile(join(dir, f));
      for (const s of secretsOf(id)) {
        expect(content.toString('hex')).not.toContain(hex(s.subarray(4, 20)));
        expect(content.toString('latin1')).not.toContain(Buffer.from(s).toString('base64').slice(8, 40));
      }
    }
    expect(dearmor(await readFile(join(dir, 'kem.pub'), 'utf8')).encoded).toEqual(id.kem!.publicKey);
    expect(dearmor(await readFile(join(dir, 'signing.pub'), 'utf8')).encoded).toEqual(id.signing.publicKey);
    expect(JSON.parse(await readFile(join(dir, 'identity.json'), 'utf8'))).toEqual({
      version: 1,
      name: 'node-7',
      role: 'node',
      kem: { suite: 'X-Wing', keyId: keyId(id.kem!.publicKey) },
      signing: { suite: 'MLDSA65-Ed25519-SHA512', keyId: signingKeyId(id.signing.publicKey) },
    });

    for (const loaded of [await loadIdentity(dir, { passphrase: PASS }), await loadIdentity(dir, { passphrase: PASS, crypto })]) {
      expect(loaded.name).toBe('node-7');
      expect(loaded.role).toBe('node');
      expect(loaded.kem!.privateKey).toEqual(id.kem!.privateKey);
      expect(loaded.kem!.publicKey).toEqual(id.kem!.publicKey);
      expect(loaded.signing.privateKey).toEqual(id.signing.privateKey);
      expect(loaded.signing.publicKey).toEqual(id.signing.publicKey);
      expect(loaded.kemKeyId).toBe(id.kemKeyId);
      expect(loaded.signingKeyId).toBe(id.signingKeyId);
    }
    const pub = await loadPublicIdentity(dir);
    expect(pub).toEqual(publicIdentity(id));
    expect(Object.keys(pub)).not.toContain('signing');
  });

  it('an anchor without a KEM key: two key files fewer, loads back without one', async () => {
    const dir = freshDir();
    const id = generateIdentity({ crypto, role: 'anchor', name: 'trust-root' });
    await saveIdentity(dir, id, { passphrase: PASS, kdf: { name: 'scrypt', log2N: 4, r: 8, p: 1 } });
    expect((await readdir(dir)).sort()).toEqual(['identity.json', 'signing.key', 'signing.pub']);
    expect(dearmor(await readFile(join(dir, 'signing.key'), 'utf8')).encoded.length).toBe(123); // scrypt, MLDSA65: spec §8.2
    const loaded = await loadIdentity(dir, { passphrase: new TextEncoder().encode(PASS), crypto });
    expect(loaded.kem).toBeUndefined();
    expect(loaded.role).toBe('anchor');
    expect(loaded.signing.privateKey).toEqual(id.signing.privateKey);
    // A loaded key signs.
    const sig = crypto.signer.sign(decodeSigningPrivateKey(loaded.signing.privateKey).privateKey, new Uint8Array([1, 2, 3]));
    expect(crypto.signer.verify(decodeSigningPublicKey(id.signing.publicKey).publicKey, new Uint8Array([1, 2, 3]), sig).valid).toBe(true);
  });

  it('the default KDF (Argon2id m = 19 MiB, t = 2, p = 1) is written when none is given', async () => {
    const dir = freshDir();
    await saveIdentity(dir, generateIdentity({ crypto, role: 'issuer', name: 'issuer-x' }), { passphrase: PASS });
    const e = dearmor(await readFile(join(dir, 'signing.key'), 'utf8')).encoded;
    const v = new DataView(e.buffer, e.byteOffset);
    expect([e[4], v.getUint32(5), v.getUint32(9), e[13]]).toEqual([0x01, 19456, 2, 1]);
  });

  it('a wrong passphrase is IdentityError authentication (ERR_AUTHENTICATION), naming the file, not the passphrase or a key', async () => {
    const dir = freshDir();
    const id = generateIdentity({ crypto, role: 'node', name: 'node-8' });
    await saveIdentity(dir, id, { passphrase: PASS, kdf: CHEAP });
    const e = await refused(loadIdentity(dir, { passphrase: 'not the passphrase' }), 'authentication', secretsOf(id));
    expect(e.code).toBe('ERR_AUTHENTICATION');
    expect(e.file).toBe(join(dir, 'signing.key'));
    expect(e.message).toContain('signing.key');
    expect(e.message).not.toContain('not the passphrase');
    expect((e.cause as HybridKemError).code).toBe('ERR_AUTHENTICATION');
  });

  it('a modified key file is authentication; a key file of another family or suite is mismatch before any KDF', async () => {
    const dir = freshDir();
    const id = generateIdentity({ crypto, role: 'node', name: 'node-9' });
    await saveIdentity(dir, id, { passphrase: PASS, kdf: CHEAP });
    const original = await readFile(join(dir, 'kem.key'), 'utf8');
    const bytes = dearmor(original).encoded;
    bytes[50]! ^= 1; // a ciphertext byte (spec §8.1: ciphertext from offset 42)
    const { armor } = await import('@hybridkem/core');
    await writeFile(join(dir, 'kem.key'), armor(bytes));
    await refused(loadIdentity(dir, { passphrase: PASS }), 'authentication', secretsOf(id));
    // The signing key's file where the KEM key's should be.
    await writeFile(join(dir, 'kem.key'), await readFile(join(dir, 'signing.key')));
    const e = await refused(loadIdentity(dir, { passphrase: 'wrong: never asked for' }), 'mismatch', secretsOf(id));
    expect(e.message).toContain('kem.key');
    await writeFile(join(dir, 'kem.key'), original);
    expect((await loadIdentity(dir, { passphrase: PASS })).kem!.privateKey).toEqual(id.kem!.privateKey);
  });

  it('a key file swapped in from another identity under the same passphrase is mismatch when crypto is given', async () => {
    const a = freshDir();
    const b = freshDir();
    await saveIdentity(a, generateIdentity({ crypto, role: 'node', name: 'node-a' }), { passphrase: PASS, kdf: CHEAP });
    await saveIdentity(b, generateIdentity({ crypto, role: 'node', name: 'node-b' }), { passphrase: PASS, kdf: CHEAP });
    await writeFile(join(a, 'signing.key'), await readFile(join(b, 'signing.key')));
    const e = await refused(loadIdentity(a, { passphrase: PASS, crypto }), 'mismatch');
    expect(e.message).toContain('signing.key');
  });

  it('public files inconsistent with identity.json are mismatch or corrupt; loadPublicIdentity needs no passphrase', async () => {
    const a = freshDir();
    const b = freshDir();
    await saveIdentity(a, generateIdentity({ crypto, role: 'node', name: 'node-c' }), { passphrase: PASS, kdf: CHEAP });
    await saveIdentity(b, generateIdentity({ crypto, role: 'node', name: 'node-d' }), { passphrase: PASS, kdf: CHEAP });
    const kemPub = await readFile(join(a, 'kem.pub'));
    await writeFile(join(a, 'kem.pub'), await readFile(join(b, 'kem.pub')));
    await refused(loadPublicIdentity(a), 'mismatch');
    await writeFile(join(a, 'kem.pub'), await readFile(join(b, 'signing.pub')));
    const wrongKind = await refused(loadPublicIdentity(a), 'corrupt');
    expect((wrongKind.cause as HybridKemError).code).toBe('ERR_WRONG_KIND');
    await writeFile(join(a, 'kem.pub'), kemPub);
    expect((await loadPublicIdentity(a)).name).toBe('node-c');

    const manifest = await readFile(join(a, 'identity.json'), 'utf8');
    for (const bad of ['{', '[]', '{"version":2}', manifest.replace('"node"', '"king"'), manifest.replace('"node-c"', '"Node C"'), manifest.replace(/\}\n$/, ',"extra":1}\n')]) {
      await writeFile(join(a, 'identity.json'), bad);
      await refused(loadPublicIdentity(a), 'corrupt');
    }
    await writeFile(join(a, 'identity.json'), manifest.replace(/"suite": "MLDSA65-Ed25519-SHA512"/, '"suite": "MLDSA44-Ed25519-SHA512"'));
    await refused(loadPublicIdentity(a), 'mismatch');
    await writeFile(join(a, 'identity.json'), manifest);
  });

  it('missing files are not-found; a symlink, a directory or an oversized file is refused before reading', async () => {
    await refused(loadPublicIdentity(join(root, 'no-such-identity')), 'not-found');
    const dir = freshDir();
    await saveIdentity(dir, generateIdentity({ crypto, role: 'issuer', name: 'issuer-y' }), { passphrase: PASS, kdf: CHEAP });
    await rm(join(dir, 'signing.key'));
    await refused(loadIdentity(dir, { passphrase: PASS }), 'not-found');
    await symlink(join(dir, 'signing.pub'), join(dir, 'signing.key'));
    await refused(loadIdentity(dir, { passphrase: PASS }), 'not-a-regular-file');
    await rm(join(dir, 'signing.key'));
    const big = freshDir();
    await saveIdentity(big, generateIdentity({ crypto, role: 'issuer', name: 'issuer-z' }), { passphrase: PASS, kdf: CHEAP });
    await writeFile(join(big, 'signing.pub'), 'x'.repeat(16_385));
    const e = await refused(loadPublicIdentity(big), 'corrupt');
    expect(e.message).toContain('16385 bytes');
  });

  it('saving over an identity is exists unless overwrite; overwrite replaces it (and drops stale KEM files)', async () => {
    const dir = freshDir();
    const first = generateIdentity({ crypto, role: 'issuer', name: 'issuer-w', kem: true });
    await saveIdentity(dir, first, { passphrase: PASS, kdf: CHEAP });
    const second = generateIdentity({ crypto, role: 'issuer', name: 'issuer-w' });
    const e = await refused(saveIdentity(dir, second, { passphrase: PASS, kdf: CHEAP }), 'exists');
    expect(e.file).toBe(join(dir, IDENTITY_FILES.manifest));
    expect((await loadIdentity(dir, { passphrase: PASS })).signingKeyId).toBe(first.signingKeyId);
    await saveIdentity(dir, second, { passphrase: PASS, kdf: CHEAP, overwrite: true });
    expect((await readdir(dir)).sort()).toEqual(['identity.json', 'signing.key', 'signing.pub']);
    const loaded = await loadIdentity(dir, { passphrase: PASS });
    expect(loaded.signingKeyId).toBe(second.signingKeyId);
    expect(loaded.kem).toBeUndefined();
  });

  it('an empty passphrase or a KDF beyond the limits writes nothing', async () => {
    const dir = freshDir();
    const id = generateIdentity({ crypto, role: 'node', name: 'node-e' });
    await expect(saveIdentity(dir, id, { passphrase: '' })).rejects.toMatchObject({ code: 'ERR_INVALID_ARGUMENT' });
    await expect(saveIdentity(dir, id, { passphrase: PASS, kdf: { name: 'argon2id', m: 64, t: 5, p: 1 } })).rejects.toMatchObject({ code: 'ERR_INVALID_ARGUMENT' });
    await expect(stat(dir)).rejects.toMatchObject({ code: 'ENOENT' });
  });

  it('KDF parameters beyond the read limits are refused before any KDF, unless the caller raises them', async () => {
    const dir = freshDir();
    await saveIdentity(dir, generateIdentity({ crypto, role: 'anchor', name: 'anchor-2' }), { passphrase: PASS, kdf: { name: 'argon2id', m: 64, t: 4, p: 1 } });
    const e = await loadIdentity(dir, { passphrase: PASS, limits: { argon2id: { tMax: 3 } } }).catch((x: unknown) => x as HybridKemError);
    expect(e).toBeInstanceOf(HybridKemError);
    expect((e as HybridKemError).code).toBe('ERR_INVALID_ARGUMENT');
    expect((e as Error).message).toContain('argon2id.tMax');
    expect((await loadIdentity(dir, { passphrase: PASS })).role).toBe('anchor');
  });

  it('wipeIdentity zeroes the private keys of the identity it is given, and only those', async () => {
    const dir = freshDir();
    const id = generateIdentity({ crypto, role: 'node', name: 'node-f' });
    await saveIdentity(dir, id, { passphrase: PASS, kdf: CHEAP });
    const loaded = await loadIdentity(dir, { passphrase: PASS });
    wipeIdentity(loaded);
    expect(loaded.kem!.privateKey.every((b) => b === 0)).toBe(true);
    expect(loaded.signing.privateKey.every((b) => b === 0)).toBe(true);
    expect(id.signing.privateKey.some((b) => b !== 0)).toBe(true);
  });
});
