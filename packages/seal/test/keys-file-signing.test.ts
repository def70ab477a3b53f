/**
 * Passphrase-encrypted composite signing private keys (spec/WIRE-FORMAT.md
 * §8, kind 0x08 wrapping a kind 0x06 object of §6.3). The expected lengths
 * are the spec's table (§8.2), written out here, and a file written from the
 * spec's description alone (the `specWritten` helper: @noble/hashes' KDFs and
 * @hpke/chacha20poly1305 directly) must decrypt, so the code under test is
 * not its own reference.
 */
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { armor, createKem, encodePrivateKey, encodePublicKey, HybridKemError, keyId } from '@hybridkem/core';
import { backend } from '@hybridkem/noble';
import { signatureBackend } from '@hybridkem/noble';
import { createSigner, encodeSigningPrivateKey, SIGNATURE_SUITES, type SignatureSuite } from '@hybridkem/signing';
import { Chacha20Poly1305 } from '@hpke/chacha20poly1305';
import { argon2idAsync } from '@noble/hashes/argon2.js';
import { scryptAsync } from '@noble/hashes/scrypt.js';
import { describe, expect, it } from 'vitest';
import { FileKeyStore } from '../src/node.js';
import {
  decryptPrivateKey,
  decryptPrivateKeyArmored,
  encryptPrivateKey,
  encryptPrivateKeyArmored,
  KeyFileError,
  parseEncryptedPrivateKey,
  type KdfParams,
} from '../src/keys/index.js';

const CHEAP: KdfParams = { name: 'argon2id', m: 64, t: 1, p: 1 };
const CHEAP_SCRYPT: KdfParams = { name: 'scrypt', log2N: 4, r: 8, p: 1 };
const PASS = 'correct horse battery staple';

/** spec/WIRE-FORMAT.md §6.1 ids and §8.2's total lengths, written out. */
const EXPECTED: Record<string, { id: number; encoded: number; argon2id: number; scrypt: number }> = {
  'MLDSA44-Ed25519-SHA512': { id: 0xfe01, encoded: 68, argon2id: 126, scrypt: 123 },
  'MLDSA65-Ed25519-SHA512': { id: 0xfe02, encoded: 68, argon2id: 126, scrypt: 123 },
  'MLDSA87-Ed448-SHAKE256': { id: 0xfe03, encoded: 93, argon2id: 151, scrypt: 148 },
};

/** A random composite private key of `suite`, encoded (kind 0x06). Not a real key pair: the wire format does not check components. */
function randomSigningKey(suite: SignatureSuite): Uint8Array {
  return encodeSigningPrivateKey(suite, crypto.getRandomValues(new Uint8Array(suite.lengths.privateKey)));
}

const hex = (b: Uint8Array) => Buffer.from(b).toString('hex');

async function expectError(p: Promise<unknown>, code: string, secrets: Uint8Array[] = []): Promise<HybridKemError> {
  const e = await p.then(
    () => undefined,
    (err: unknown) => err,
  );
  expect(e).toBeInstanceOf(HybridKemError);
  expect((e as HybridKemError).code).toBe(code);
  const msg = String((e as Error).message).toLowerCase();
  expect(msg).not.toContain(PASS);
  for (const s of secrets) expect(msg).not.toContain(hex(s.subarray(4, 20)));
  return e as HybridKemError;
}

/**
 * An encrypted private key written from spec/WIRE-FORMAT.md §8.1-§8.3 alone:
 * header ‖ KDF id ‖ params ‖ salt ‖ nonce, then ChaCha20-Poly1305 of
 * `plaintext` with all of that as AAD. The header's suite id is `suiteId`,
 * whatever `plaintext` holds (for the faulty-writer cases).
 */
async function specWritten(suiteId: number, kdf: KdfParams, plaintext: Uint8Array): Promise<Uint8Array> {
  const params = kdf.name === 'argon2id' ? new Uint8Array(9) : new Uint8Array(6);
  const pv = new DataView(params.buffer);
  if (kdf.name === 'argon2id') {
    pv.setUint32(0, kdf.m);
    pv.setUint32(4, kdf.t);
    params[8] = kdf.p;
  } else {
    params[0] = kdf.log2N;
    pv.setUint32(1, kdf.r);
    params[5] = kdf.p;
  }
  const salt = crypto.getRandomValues(new Uint8Array(16));
  const nonce = crypto.getRandomValues(new Uint8Array(12));
  const aad = new Uint8Array([0x01, 0x08, suiteId >> 8, suiteId & 0xff, kdf.name === 'argon2id' ? 0x01 : 0x02, ...params, ...salt, ...nonce]);
  const pass = new TextEncoder().encode(PASS);
  const key =
    kdf.name === 'argon2id'
      ? await argon2idAsync(pass, salt, { m: kdf.m, t: kdf.t, p: kdf.p, dkLen: 32 })
      : await scryptAsync(pass, salt, { N: 2 ** kdf.log2N, r: kdf.r, p: kdf.p, dkLen: 32 });
  const ct = await new Chacha20Poly1305().createEncryptionContext(key.slice().buffer).seal(nonce.slice().buffer, plaintext.slice().buffer, aad.slice().buffer);
  return new Uint8Array([...aad, ...new Uint8Array(ct)]);
}

describe('encrypted composite signing private keys (spec §8)', () => {
  it('the signing suites are the three of §6.1', () => {
    expect(SIGNATURE_SUITES.map((s) => s.name).sort()).toEqual(Object.keys(EXPECTED).sort());
  });

  for (const suite of SIGNATURE_SUITES) {
    const want = EXPECTED[suite.name]!;
    for (const kdf of [CHEAP, CHEAP_SCRYPT]) {
      it(`${suite.name} with ${kdf.name}: round trip, layout and lengths of §8.1/§8.2`, async () => {
        const key = randomSigningKey(suite);
        expect(key.length).toBe(want.encoded);
        const enc = await encryptPrivateKey(key, PASS, { kdf });
        expect(enc.length).toBe(want[kdf.name]);
        expect([...enc.subarray(0, 5)]).toEqual([0x01, 0x08, want.id >> 8, want.id & 0xff, kdf.name === 'argon2id' ? 0x01 : 0x02]);
        // The encoded key's bytes do not appear in the file.
        expect(hex(enc)).not.toContain(hex(key.subarray(4, 20)));
        const info = parseEncryptedPrivateKey(enc);
        expect(info.family).toBe('signing');
        expect(info.wrappedKind).toBe('signingPrivateKey');
        expect(info.suite.id).toBe(want.id);
        expect(info.kdf).toEqual(kdf);
        expect(info.ciphertext.length).toBe(want.encoded + 16);
        expect(await decryptPrivateKey(enc, PASS)).toEqual(key);
      });

      it(`${suite.name} with ${kdf.name}: a file written from the spec alone decrypts`, async () => {
        const key = randomSigningKey(suite);
        const file = await specWritten(want.id, kdf, key);
        expect(file.length).toBe(want[kdf.name]);
        expect(await decryptPrivateKey(file, PASS)).toEqual(key);
      });
    }
  }

  it('a real MLDSA65-Ed25519 key still signs after the round trip (armored, default KDF)', async () => {
    const signer = createSigner('MLDSA65-Ed25519-SHA512', signatureBackend);
    const kp = signer.keygen();
    const encoded = encodeSigningPrivateKey('MLDSA65-Ed25519-SHA512', kp.privateKey);
    const text = await encryptPrivateKeyArmored(encoded, PASS);
    expect(text.startsWith('-----BEGIN HYBRIDKEM ENCRYPTED PRIVATE KEY-----\n')).toBe(true);
    expect(text.endsWith('-----END HYBRIDKEM ENCRYPTED PRIVATE KEY-----\n')).toBe(true);
    const back = await decryptPrivateKeyArmored(text, PASS);
    expect(back).toEqual(encoded);
    const message = new TextEncoder().encode('signed after unlocking');
    const sig = signer.sign(back.subarray(4), message);
    expect(signer.verify(kp.publicKey, message, sig).valid).toBe(true);
  });

  it('armored: wrong passphrase, wrong label and an unencrypted signing key are refused', async () => {
    const key = randomSigningKey(SIGNATURE_SUITES[2]!);
    const text = await encryptPrivateKeyArmored(key, PASS, { kdf: CHEAP });
    expect(await decryptPrivateKeyArmored(text, PASS)).toEqual(key);
    const e = await expectError(decryptPrivateKeyArmored(text, 'wrong'), 'ERR_AUTHENTICATION', [key]);
    expect(e).toBeInstanceOf(KeyFileError);
    await expectError(decryptPrivateKeyArmored(text.replace(/ENCRYPTED PRIVATE/g, 'SIGNING PRIVATE'), PASS), 'ERR_ARMOR', [key]);
    await expectError(decryptPrivateKeyArmored(armor(key), PASS), 'ERR_WRONG_KIND', [key]);
  });

  it('encryptPrivateKey refuses other kinds and malformed signing keys', async () => {
    const key = randomSigningKey(SIGNATURE_SUITES[0]!);
    await expectError(encryptPrivateKey(key.subarray(0, key.length - 1), PASS, { kdf: CHEAP }), 'ERR_TRUNCATED');
    await expectError(encryptPrivateKey(new Uint8Array([...key, 0]), PASS, { kdf: CHEAP }), 'ERR_TRAILING_DATA');
    const kemSuiteUnderSigningKind = key.slice();
    kemSuiteUnderSigningKind[2] = 0x64;
    kemSuiteUnderSigningKind[3] = 0x7a;
    await expectError(encryptPrivateKey(kemSuiteUnderSigningKind, PASS, { kdf: CHEAP }), 'ERR_UNKNOWN_SUITE');
    const signature = key.slice();
    signature[1] = 0x07;
    await expectError(encryptPrivateKey(signature, PASS, { kdf: CHEAP }), 'ERR_WRONG_KIND');
  });
});

describe('tampering with an encrypted signing key', () => {
  const flip = (b: Uint8Array, i: number, mask = 0x01) => {
    const c = b.slice();
    c[i]! ^= mask;
    return c;
  };

  // Argon2id: 0 version, 1 kind, 2-3 suite, 4 kdf, 5-8 m, 9-12 t, 13 p, 14-29 salt, 30-41 nonce, 42.. ct, last 16 tag
  it('every authenticated byte of an Argon2id MLDSA87-Ed448 file (151 bytes) is ERR_AUTHENTICATION when changed', async () => {
    const key = randomSigningKey(SIGNATURE_SUITES[2]!);
    const enc = await encryptPrivateKey(key, PASS, { kdf: CHEAP });
    expect(enc.length).toBe(151);
    // m's low bit, t (1 → 2), p (1 → 2): still within the limits, so the KDF runs and the tag fails.
    const cases: [string, Uint8Array][] = [
      ['m', flip(enc, 8)],
      ['t', flip(enc, 12, 0x03)],
      ['p', flip(enc, 13, 0x03)],
    ];
    for (let i = 14; i < enc.length; i++) cases.push([`byte ${i}`, flip(enc, i)]);
    for (const [, c] of cases) await expectError(decryptPrivateKey(c, PASS), 'ERR_AUTHENTICATION', [key]);
    expect(cases.length).toBe(3 + 151 - 14);
  });

  it('scrypt: log2N, r, p, salt, nonce, ciphertext and tag changes are ERR_AUTHENTICATION', async () => {
    const key = randomSigningKey(SIGNATURE_SUITES[0]!);
    const enc = await encryptPrivateKey(key, PASS, { kdf: CHEAP_SCRYPT });
    expect(enc.length).toBe(123);
    // 5 log2N (4 → 5), 9 r's low byte (8 → 9), 10 p (1 → 3), 11 salt, 27 nonce, 39 ct, 39+67 last ct byte, 122 last tag byte
    for (const [i, mask] of [[5, 0x01], [9, 0x01], [10, 0x02], [11, 0x01], [27, 0x01], [39, 0x01], [106, 0x80], [122, 0x01]] as const) {
      await expectError(decryptPrivateKey(flip(enc, i, mask), PASS), 'ERR_AUTHENTICATION', [key]);
    }
  });

  it('the suite id changed to the other 68-byte signing suite is ERR_AUTHENTICATION (the header is AAD)', async () => {
    const key = randomSigningKey(SIGNATURE_SUITES[0]!); // 0xfe01
    const enc = await encryptPrivateKey(key, PASS, { kdf: CHEAP });
    const other = enc.slice();
    other[3] = 0x02; // 0xfe02, same lengths
    expect(parseEncryptedPrivateKey(other).suite.name).toBe('MLDSA65-Ed25519-SHA512');
    await expectError(decryptPrivateKey(other, PASS), 'ERR_AUTHENTICATION', [key]);
  });

  it('a suite id of another length, or of the KEM family, is a length error before any KDF', async () => {
    const k44 = await encryptPrivateKey(randomSigningKey(SIGNATURE_SUITES[0]!), PASS, { kdf: CHEAP }); // 126 bytes
    const as87 = k44.slice();
    as87[3] = 0x03; // MLDSA87-Ed448 wants 151
    await expectError(decryptPrivateKey(as87, PASS), 'ERR_TRUNCATED');
    const asXWing = k44.slice();
    asXWing[2] = 0x64;
    asXWing[3] = 0x7a; // X-Wing wants 94
    await expectError(decryptPrivateKey(asXWing, PASS), 'ERR_TRAILING_DATA');
    const unknown = k44.slice();
    unknown[3] = 0x04; // 0xfe04: neither family
    await expectError(decryptPrivateKey(unknown, PASS), 'ERR_UNKNOWN_SUITE');
    const k87 = await encryptPrivateKey(randomSigningKey(SIGNATURE_SUITES[2]!), PASS, { kdf: CHEAP_SCRYPT });
    const as65 = k87.slice();
    as65[3] = 0x02;
    await expectError(decryptPrivateKey(as65, PASS), 'ERR_TRAILING_DATA');
  });

  it('wrong total lengths: one byte short, one byte over, and a KEM-sized body', async () => {
    for (const suite of SIGNATURE_SUITES) {
      for (const kdf of [CHEAP, CHEAP_SCRYPT]) {
        const enc = await encryptPrivateKey(randomSigningKey(suite), PASS, { kdf });
        await expectError(decryptPrivateKey(enc.subarray(0, enc.length - 1), PASS), 'ERR_TRUNCATED');
        await expectError(decryptPrivateKey(new Uint8Array([...enc, 0]), PASS), 'ERR_TRAILING_DATA');
        const kemSized = enc.subarray(0, kdf.name === 'argon2id' ? 94 : 91);
        await expectError(decryptPrivateKey(kemSized, PASS), 'ERR_TRUNCATED');
        expect(() => parseEncryptedPrivateKey(kemSized)).toThrow(HybridKemError);
      }
    }
  });

  it('a wrong passphrase is ERR_AUTHENTICATION, naming neither passphrase nor key', async () => {
    const key = randomSigningKey(SIGNATURE_SUITES[1]!);
    const enc = await encryptPrivateKey(key, PASS, { kdf: CHEAP_SCRYPT });
    const e = await expectError(decryptPrivateKey(enc, `${PASS}?`), 'ERR_AUTHENTICATION', [key]);
    expect(e).toBeInstanceOf(KeyFileError);
  });
});

describe('faulty writers: the decrypted key must be of the header suite and family', () => {
  it('an MLDSA65 key under an MLDSA44 header (same length, authentic) is KeyFileError', async () => {
    const file = await specWritten(0xfe01, CHEAP, randomSigningKey(SIGNATURE_SUITES[1]!));
    const e = await expectError(decryptPrivateKey(file, PASS), 'ERR_AUTHENTICATION');
    expect(e).toBeInstanceOf(KeyFileError);
    expect(e.message).toContain('not of the suite its header names');
  });

  it('68 bytes that are not a signing private key object under a signing header are KeyFileError', async () => {
    const signature = randomSigningKey(SIGNATURE_SUITES[0]!);
    signature[1] = 0x02; // a KEM private key kind, of a signing suite id and 64-byte body
    const e = await expectError(decryptPrivateKey(await specWritten(0xfe01, CHEAP_SCRYPT, signature), PASS), 'ERR_AUTHENTICATION');
    expect(e).toBeInstanceOf(KeyFileError);
    expect(e.message).toContain('not a v1 private key');
  });

  it('a signing kind byte inside a KEM header (36 bytes) is KeyFileError', async () => {
    const kemKey = encodePrivateKey('X-Wing', crypto.getRandomValues(new Uint8Array(32)));
    const odd = kemKey.slice();
    odd[1] = 0x06;
    const e = await expectError(decryptPrivateKey(await specWritten(0x647a, CHEAP, odd), PASS), 'ERR_AUTHENTICATION');
    expect(e).toBeInstanceOf(KeyFileError);
  });
});

describe('KEM keys are unchanged', () => {
  it('X-Wing and MLKEM1024-P384 keys round-trip at 94 / 91 bytes, family kem', async () => {
    for (const name of ['X-Wing', 'MLKEM1024-P384'] as const) {
      const key = encodePrivateKey(name, crypto.getRandomValues(new Uint8Array(32)));
      for (const kdf of [CHEAP, CHEAP_SCRYPT]) {
        const enc = await encryptPrivateKey(key, PASS, { kdf });
        expect(enc.length).toBe(kdf.name === 'argon2id' ? 94 : 91);
        const info = parseEncryptedPrivateKey(enc);
        expect(info.family).toBe('kem');
        expect(info.wrappedKind).toBe('privateKey');
        expect(info.suite.name).toBe(name);
        expect(await decryptPrivateKey(enc, PASS)).toEqual(key);
        expect(await decryptPrivateKey(await specWritten(info.suite.id, kdf, key), PASS)).toEqual(key);
      }
    }
  });
});

describe('key stores hold KEM keys only', () => {
  it('FileKeyStore.unlock of a .key file holding an encrypted signing key is ERR_WRONG_KIND, and nothing stays unlocked', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'hybridkem-signing-key-'));
    try {
      const store = new FileKeyStore(dir, { passphrase: PASS, kdf: CHEAP });
      const kp = createKem('X-Wing', backend).keygen();
      const pub = encodePublicKey('X-Wing', kp.publicKey);
      await store.put({ publicKey: pub, privateKey: encodePrivateKey('X-Wing', kp.privateKey), name: 'svc' });
      const id = keyId(pub);
      const signingKey = randomSigningKey(SIGNATURE_SUITES[1]!);
      // Swapped in by hand: the store itself never writes one (put decodes KEM keys only).
      await writeFile(join(dir, `${id}.key`), await encryptPrivateKeyArmored(signingKey, PASS, { kdf: CHEAP }), { mode: 0o600 });
      await expectError(store.unlock('svc', PASS), 'ERR_WRONG_KIND', [signingKey]);
      await expectError((await store.get('svc'))!.privateKey!(), 'ERR_KEY_LOCKED');
      await expectError(store.put({ publicKey: pub, privateKey: signingKey }), 'ERR_WRONG_KIND', [signingKey]);
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });
});
