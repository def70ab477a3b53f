import { armor, createKem, encodePrivateKey, HybridKemError, type Kem, type SuiteName } from '@hybridkem/core';
import { backend } from '@hybridkem/noble';
import { beforeAll, describe, expect, it, vi } from 'vitest';
import * as argon2 from '@noble/hashes/argon2.js';
import * as scrypt from '@noble/hashes/scrypt.js';
import {
  decryptPrivateKey,
  decryptPrivateKeyArmored,
  DEFAULT_KDF,
  encryptPrivateKey,
  encryptPrivateKeyArmored,
  KdfParameterError,
  KeyFileError,
  parseEncryptedPrivateKey,
  UnknownKdfError,
  type KdfParams,
} from '../src/keys/index.js';

// Count KDF runs, to show that hostile parameters are refused before one starts.
vi.mock('@noble/hashes/argon2.js', async (importOriginal) => {
  const actual = await importOriginal<typeof import('@noble/hashes/argon2.js')>();
  return { ...actual, argon2idAsync: vi.fn(actual.argon2idAsync) };
});
vi.mock('@noble/hashes/scrypt.js', async (importOriginal) => {
  const actual = await importOriginal<typeof import('@noble/hashes/scrypt.js')>();
  return { ...actual, scryptAsync: vi.fn(actual.scryptAsync) };
});
const argonSpy = argon2.argon2idAsync as unknown as ReturnType<typeof vi.fn>;
const scryptSpy = scrypt.scryptAsync as unknown as ReturnType<typeof vi.fn>;

const CHEAP: KdfParams = { name: 'argon2id', m: 64, t: 1, p: 1 };
const CHEAP_SCRYPT: KdfParams = { name: 'scrypt', log2N: 4, r: 8, p: 1 };
const PASS = 'correct horse battery staple';

let kem: Kem;
let encoded: Uint8Array;
let seedHex: string;

beforeAll(() => {
  kem = createKem('X-Wing', backend);
  const kp = kem.keygen();
  encoded = encodePrivateKey('X-Wing', kp.privateKey);
  seedHex = Buffer.from(kp.privateKey).toString('hex');
});

/** A copy of `b` with byte `i` set to `v` (Uint8Array#with is ES2023). */
function setAt(b: Uint8Array, i: number, v: number): Uint8Array {
  const c = b.slice();
  c[i] = v;
  return c;
}

async function expectError(p: Promise<unknown>, cls: abstract new (...a: never[]) => Error, code?: string): Promise<HybridKemError> {
  const e = await p.then(
    () => undefined,
    (err: unknown) => err,
  );
  expect(e).toBeInstanceOf(cls);
  expect(e).toBeInstanceOf(HybridKemError);
  if (code) expect((e as HybridKemError).code).toBe(code);
  const msg = String((e as Error).message);
  expect(msg).not.toContain(PASS);
  expect(msg.toLowerCase()).not.toContain(seedHex.slice(0, 16));
  return e as HybridKemError;
}

describe('encryptPrivateKey / decryptPrivateKey', () => {
  it('round-trips with the default Argon2id parameters (m=19456 KiB, t=2, p=1)', async () => {
    const t0 = performance.now();
    const enc = await encryptPrivateKey(encoded, PASS);
    const t1 = performance.now();
    const dec = await decryptPrivateKey(enc, PASS);
    const t2 = performance.now();
    expect(dec).toEqual(encoded);
    const info = parseEncryptedPrivateKey(enc);
    expect(info.kdf).toEqual(DEFAULT_KDF);
    expect(info.suite.name).toBe('X-Wing');
    expect(enc.length).toBe(94);
    console.log(`argon2id default: encrypt ${(t1 - t0).toFixed(0)} ms, decrypt ${(t2 - t1).toFixed(0)} ms`);
  });

  it('round-trips with cheap Argon2id and scrypt parameters', async () => {
    for (const kdf of [CHEAP, CHEAP_SCRYPT]) {
      const enc = await encryptPrivateKey(encoded, PASS, { kdf });
      expect(enc[0]).toBe(0x01);
      expect(enc[1]).toBe(0x08);
      expect((enc[2]! << 8) | enc[3]!).toBe(0x647a);
      expect(enc[4]).toBe(kdf.name === 'argon2id' ? 0x01 : 0x02);
      expect(enc.length).toBe(kdf.name === 'argon2id' ? 94 : 91);
      expect(parseEncryptedPrivateKey(enc).kdf).toEqual(kdf);
      expect(await decryptPrivateKey(enc, PASS)).toEqual(encoded);
    }
  });

  it('wraps the single-algorithm suites (spec §8.2: L = 68 for ML-KEM\'s 64-byte seed, 36 for DHKEM)', async () => {
    // Total lengths from spec/WIRE-FORMAT.md §8.2's table, written out here.
    const expected: [SuiteName, number, number][] = [
      ['ML-KEM-768', 126, 123],
      ['ML-KEM-1024', 126, 123],
      ['DHKEM-X25519-HKDF-SHA256', 94, 91],
    ];
    for (const [name, argonLength, scryptLength] of expected) {
      const key = encodePrivateKey(name, createKem(name, backend).keygen().privateKey);
      for (const kdf of [CHEAP, CHEAP_SCRYPT]) {
        const enc = await encryptPrivateKey(key, PASS, { kdf });
        expect(enc.length, name).toBe(kdf.name === 'argon2id' ? argonLength : scryptLength);
        expect(await decryptPrivateKey(enc, PASS), name).toEqual(key);
        // One byte short or long: the length is fixed by the suite, checked before any KDF runs.
        argonSpy.mockClear();
        scryptSpy.mockClear();
        await expectError(decryptPrivateKey(enc.subarray(0, enc.length - 1), PASS), HybridKemError, 'ERR_TRUNCATED');
        await expectError(decryptPrivateKey(new Uint8Array([...enc, 0]), PASS), HybridKemError, 'ERR_TRAILING_DATA');
        expect(argonSpy).not.toHaveBeenCalled();
        expect(scryptSpy).not.toHaveBeenCalled();
      }
    }
  });

  it('writes the exact byte layout of KEYS.md', async () => {
    const enc = await encryptPrivateKey(encoded, PASS, { kdf: { name: 'argon2id', m: 0x01020304 >>> 14, t: 3, p: 2 } });
    const dv = new DataView(enc.buffer, enc.byteOffset);
    expect(dv.getUint32(5)).toBe(0x01020304 >>> 14);
    expect(dv.getUint32(9)).toBe(3);
    expect(enc[13]).toBe(2);
    const s = await encryptPrivateKey(encoded, PASS, { kdf: { name: 'scrypt', log2N: 5, r: 7, p: 3 } });
    const sv = new DataView(s.buffer, s.byteOffset);
    expect(s[5]).toBe(5);
    expect(sv.getUint32(6)).toBe(7);
    expect(s[10]).toBe(3);
  });

  it('uses a fresh salt and nonce each time', async () => {
    const a = parseEncryptedPrivateKey(await encryptPrivateKey(encoded, PASS, { kdf: CHEAP }));
    const b = parseEncryptedPrivateKey(await encryptPrivateKey(encoded, PASS, { kdf: CHEAP }));
    expect(a.salt).not.toEqual(b.salt);
    expect(a.nonce).not.toEqual(b.nonce);
  });

  it('accepts bytes as passphrase, NFC-normalizes strings, and refuses an empty one', async () => {
    const enc = await encryptPrivateKey(encoded, 'caf\u00e9', { kdf: CHEAP });
    expect(await decryptPrivateKey(enc, 'cafe\u0301')).toEqual(encoded);
    expect(await decryptPrivateKey(enc, new TextEncoder().encode('caf\u00e9'))).toEqual(encoded);
    await expectError(encryptPrivateKey(encoded, '', { kdf: CHEAP }), HybridKemError, 'ERR_INVALID_ARGUMENT');
    await expectError(decryptPrivateKey(enc, ''), HybridKemError, 'ERR_INVALID_ARGUMENT');
  });

  it('refuses input that is not an encoded private key', async () => {
    const kp = kem.keygen();
    const pub = new Uint8Array([1, 1, 0x64, 0x7a, ...kp.publicKey]);
    await expectError(encryptPrivateKey(pub, PASS, { kdf: CHEAP }), HybridKemError, 'ERR_WRONG_KIND');
    await expectError(encryptPrivateKey(kp.privateKey, PASS, { kdf: CHEAP }), HybridKemError);
  });

  it('armors with the HYBRIDKEM ENCRYPTED PRIVATE KEY label and reads it back', async () => {
    const text = await encryptPrivateKeyArmored(encoded, PASS, { kdf: CHEAP });
    expect(text.startsWith('-----BEGIN HYBRIDKEM ENCRYPTED PRIVATE KEY-----\n')).toBe(true);
    expect(await decryptPrivateKeyArmored(text, PASS)).toEqual(encoded);
    await expectError(decryptPrivateKeyArmored(armor(encoded), PASS), HybridKemError, 'ERR_WRONG_KIND');
    await expectError(decryptPrivateKeyArmored(text.replace('ENCRYPTED PRIVATE', 'PRIVATE'), PASS), HybridKemError, 'ERR_ARMOR');
  });
});

describe('authentication', () => {
  let enc: Uint8Array;
  let encScrypt: Uint8Array;
  beforeAll(async () => {
    enc = await encryptPrivateKey(encoded, PASS, { kdf: CHEAP });
    encScrypt = await encryptPrivateKey(encoded, PASS, { kdf: CHEAP_SCRYPT });
  });
  const flip = (b: Uint8Array, i: number, mask = 0x01) => {
    const c = b.slice();
    c[i]! ^= mask;
    return c;
  };

  it('a wrong passphrase is ERR_AUTHENTICATION', async () => {
    await expectError(decryptPrivateKey(enc, `${PASS}!`), KeyFileError, 'ERR_AUTHENTICATION');
    await expectError(decryptPrivateKey(encScrypt, 'nope'), KeyFileError, 'ERR_AUTHENTICATION');
  });

  // Argon2id layout: 0 version, 1 kind, 2-3 suite, 4 kdf, 5-8 m, 9-12 t, 13 p, 14-29 salt, 30-41 nonce, 42-77 ct, 78-93 tag
  const argonAuthenticated: [string, number, number?][] = [
    ['suite id (to another known suite)', 3, 0x647a ^ 0xff01],
    ['m', 8],
    ['t', 12, 0x03],
    ['p', 13, 0x03],
    ...Array.from({ length: 16 }, (_, i) => [`salt[${i}]`, 14 + i] as [string, number]),
    ...Array.from({ length: 12 }, (_, i) => [`nonce[${i}]`, 30 + i] as [string, number]),
    ...Array.from({ length: 36 }, (_, i) => [`ciphertext[${i}]`, 42 + i] as [string, number]),
    ...Array.from({ length: 16 }, (_, i) => [`tag[${i}]`, 78 + i] as [string, number]),
  ];
  it.each(argonAuthenticated)('argon2id: a changed %s byte is ERR_AUTHENTICATION', async (_field, i, mask) => {
    let c: Uint8Array;
    if (mask !== undefined && mask > 0xff) {
      c = enc.slice();
      c[2] = 0xff;
      c[3] = 0x01; // X25519-MLKEM768, also a 32-byte seed suite
    } else c = flip(enc, i, mask);
    await expectError(decryptPrivateKey(c, PASS), KeyFileError, 'ERR_AUTHENTICATION');
  });

  // scrypt layout: 4 kdf, 5 log2N, 6-9 r, 10 p, 11-26 salt, 27-38 nonce, 39-74 ct, 75-90 tag
  it.each([
    ['log2N', 5, 0x01],
    ['r', 9, 0x01],
    ['p', 10, 0x02],
    ['salt', 11],
    ['nonce', 27],
    ['ciphertext', 39],
    ['tag', 90],
  ] as [string, number, number?][])('scrypt: a changed %s byte is ERR_AUTHENTICATION', async (_f, i, mask) => {
    await expectError(decryptPrivateKey(flip(encScrypt, i, mask), PASS), KeyFileError, 'ERR_AUTHENTICATION');
  });

  it('malformed headers give their own typed errors', async () => {
    await expectError(decryptPrivateKey(flip(enc, 0, 0x03), PASS), HybridKemError, 'ERR_UNSUPPORTED_VERSION');
    await expectError(decryptPrivateKey(flip(enc, 1, 0x40), PASS), HybridKemError, 'ERR_UNKNOWN_KIND');
    await expectError(decryptPrivateKey(flip(enc, 1, 0x0a), PASS), HybridKemError, 'ERR_WRONG_KIND'); // 0x02 private key
    await expectError(decryptPrivateKey(flip(enc, 2, 0x10), PASS), HybridKemError, 'ERR_UNKNOWN_SUITE');
    const e = await expectError(decryptPrivateKey(flip(enc, 4, 0x06), PASS), UnknownKdfError, 'ERR_UNKNOWN_SUITE');
    expect(e.message).toContain('0x07');
    await expectError(decryptPrivateKey(setAt(enc, 4, 0x00), PASS), UnknownKdfError);
    await expectError(decryptPrivateKey(setAt(enc, 4, 0xff), PASS), UnknownKdfError);
    // argon2id ↔ scrypt changes the expected length:
    await expectError(decryptPrivateKey(setAt(enc, 4, 0x02), PASS), HybridKemError, 'ERR_TRAILING_DATA');
    await expectError(decryptPrivateKey(setAt(encScrypt, 4, 0x01), PASS), HybridKemError, 'ERR_TRUNCATED');
    await expectError(decryptPrivateKey(enc.subarray(0, 3), PASS), HybridKemError, 'ERR_TRUNCATED');
    await expectError(decryptPrivateKey(enc.subarray(0, 4), PASS), HybridKemError, 'ERR_TRUNCATED');
    await expectError(decryptPrivateKey(enc.subarray(0, enc.length - 1), PASS), HybridKemError, 'ERR_TRUNCATED');
    await expectError(decryptPrivateKey(new Uint8Array([...enc, 0]), PASS), HybridKemError, 'ERR_TRAILING_DATA');
    await expectError(decryptPrivateKey(new Uint8Array(0), PASS), HybridKemError, 'ERR_TRUNCATED');
    await expectError(decryptPrivateKey('not bytes' as unknown as Uint8Array, PASS), HybridKemError, 'ERR_INVALID_ARGUMENT');
  });
});

/** Cheap Argon2id and scrypt key files, for the KDF-parameter tests to alter. */
let enc: Uint8Array;
let encScrypt: Uint8Array;
beforeAll(async () => {
  enc = await encryptPrivateKey(encoded, PASS, { kdf: CHEAP });
  encScrypt = await encryptPrivateKey(encoded, PASS, { kdf: CHEAP_SCRYPT });
});
/** A copy of `b` with the big-endian u32 at `at` set to `v`. */
const withU32 = (b: Uint8Array, at: number, v: number) => {
  const c = b.slice();
  new DataView(c.buffer).setUint32(at, v);
  return c;
};

describe('KDF parameter bounds (checked before any KDF runs)', () => {

  const hostile: [string, () => Uint8Array][] = [
    ['argon2id m = 2^31 KiB', () => withU32(enc, 5, 2 ** 31)],
    ['argon2id m = 2^32 - 1 KiB', () => withU32(enc, 5, 2 ** 32 - 1)],
    ['argon2id m = 1 GiB + 1 KiB', () => withU32(enc, 5, (1 << 20) + 1)],
    ['argon2id m = 7 (< 8·p)', () => withU32(enc, 5, 7)],
    ['argon2id t = 0', () => withU32(enc, 9, 0)],
    ['argon2id t = 11', () => withU32(enc, 9, 11)],
    ['argon2id t = 2^32 - 1', () => withU32(enc, 9, 2 ** 32 - 1)],
    ['argon2id p = 0', () => setAt(enc, 13, 0)],
    ['argon2id p = 17', () => setAt(enc, 13, 17)],
    ['argon2id p = 255', () => setAt(enc, 13, 255)],
    ['scrypt log2N = 0', () => setAt(encScrypt, 5, 0)],
    ['scrypt log2N = 23', () => setAt(encScrypt, 5, 23)],
    ['scrypt log2N = 255', () => setAt(encScrypt, 5, 255)],
    ['scrypt log2N = 22 with r = 8 (4 GiB)', () => setAt(encScrypt, 5, 22)],
    ['scrypt r = 0', () => withU32(encScrypt, 6, 0)],
    ['scrypt r = 2^32 - 1', () => withU32(encScrypt, 6, 2 ** 32 - 1)],
    ['scrypt p = 0', () => setAt(encScrypt, 10, 0)],
    ['scrypt p = 200', () => setAt(encScrypt, 10, 200)],
  ];
  it('the spy does see KDF runs (so the checks below mean something)', async () => {
    const calls = argonSpy.mock.calls.length;
    await decryptPrivateKey(enc, PASS);
    expect(argonSpy.mock.calls.length).toBe(calls + 1);
  });

  it.each(hostile)('%s is refused at once', async (_name, make) => {
    const bytes = make();
    const calls = argonSpy.mock.calls.length;
    const t0 = performance.now();
    const e = await expectError(decryptPrivateKey(bytes, PASS), KdfParameterError, 'ERR_INVALID_ARGUMENT');
    expect(performance.now() - t0).toBeLessThan(100);
    expect(argonSpy.mock.calls.length).toBe(calls);
    expect(() => parseEncryptedPrivateKey(bytes)).toThrow(KdfParameterError);
    expect(e.message).toMatch(/kdf/);
  });

  it('the same bounds apply when writing', async () => {
    for (const kdf of [
      { name: 'argon2id', m: 2 ** 31, t: 1, p: 1 },
      { name: 'argon2id', m: 64, t: 1.5, p: 1 },
      { name: 'argon2id', m: 64, t: 1, p: 0 },
      { name: 'scrypt', log2N: 30, r: 8, p: 1 },
      { name: 'scrypt', log2N: 20, r: 32, p: 1 },
      { name: 'bcrypt', cost: 10 },
    ] as unknown as KdfParams[]) {
      const calls = argonSpy.mock.calls.length;
      await expectError(encryptPrivateKey(encoded, PASS, { kdf }), HybridKemError, 'ERR_INVALID_ARGUMENT');
      expect(argonSpy.mock.calls.length).toBe(calls);
    }
  });

  it('the largest accepted scrypt parameters fit the memory bound', async () => {
    // 128 · 2^21 · 1 = 256 MiB: accepted by the header check (not run here); r = 2 doubles it.
    const c = setAt(encScrypt, 5, 21);
    new DataView(c.buffer).setUint32(6, 1);
    expect(parseEncryptedPrivateKey(c).kdf).toEqual({ name: 'scrypt', log2N: 21, r: 1, p: 1 });
    new DataView(c.buffer).setUint32(6, 2);
    expect(() => parseEncryptedPrivateKey(c)).toThrow(/scrypt\.memoryMax/);
  });
});

describe('default read limits for services, overridable per call', () => {
  /**
   * An encrypted private key written from spec/WIRE-FORMAT.md §8.1 / §8.3
   * directly (noble's Argon2id, hpke-js's ChaCha20-Poly1305), not by the code
   * under test, which refuses to write parameters beyond the default limits.
   */
  async function specWrittenArgon2id(m: number, t: number, p: number): Promise<Uint8Array> {
    const { Chacha20Poly1305 } = await import('@hpke/chacha20poly1305');
    const aad = new Uint8Array(42);
    const dv = new DataView(aad.buffer);
    aad.set([0x01, 0x08, 0x64, 0x7a, 0x01]);
    dv.setUint32(5, m);
    dv.setUint32(9, t);
    aad[13] = p;
    aad.set(crypto.getRandomValues(new Uint8Array(28)), 14); // salt ‖ nonce
    const key = await argon2.argon2idAsync(new TextEncoder().encode(PASS), aad.slice(14, 30), { m, t, p, dkLen: 32 });
    const ct = await new Chacha20Poly1305().createEncryptionContext(key.slice().buffer).seal(aad.slice(30, 42).buffer, encoded.slice().buffer, aad.buffer);
    return new Uint8Array([...aad, ...new Uint8Array(ct)]);
  }

  // Each: just past a default limit (all within the old ones), the parameter and the limit the error must name.
  const pastLimit: [string, () => Uint8Array, string, string, number][] = [
    ['argon2id m = 256 MiB + 1 KiB', () => withU32(enc, 5, 262144 + 1), 'kdf.m', 'argon2id.mMax', 262144],
    ['argon2id t = 5', () => withU32(enc, 9, 5), 'kdf.t', 'argon2id.tMax', 4],
    ['argon2id p = 5', () => setAt(enc, 13, 5), 'kdf.p', 'argon2id.pMax', 4],
    ['scrypt p = 5', () => setAt(encScrypt, 10, 5), 'kdf.p', 'scrypt.pMax', 4],
    ['scrypt log2N = 22', () => withU32(setAt(encScrypt, 5, 22), 6, 1), 'kdf.log2N', 'scrypt.log2NMax', 21],
    ['scrypt N = 2^21, r = 2 (512 MiB)', () => withU32(setAt(encScrypt, 5, 21), 6, 2), 'scrypt memory', 'scrypt.memoryMax', 256 * 2 ** 20],
  ];
  it.each(pastLimit)('%s is refused before any KDF, naming the parameter and the limit', async (_n, make, field, limit, max) => {
    const calls = argonSpy.mock.calls.length + scryptSpy.mock.calls.length;
    const e = await expectError(decryptPrivateKey(make(), PASS), KdfParameterError, 'ERR_INVALID_ARGUMENT');
    expect(e.message).toContain(field);
    expect(e.message).toContain(`(limit ${limit})`);
    expect(e.message).toContain(`≤ ${max} `);
    expect(argonSpy.mock.calls.length + scryptSpy.mock.calls.length).toBe(calls);
  });

  it('a key file with t = 5, written as the spec says, is read once the caller raises tMax', async () => {
    const file = await specWrittenArgon2id(64, 5, 1);
    const calls = argonSpy.mock.calls.length;
    await expectError(decryptPrivateKey(file, PASS), KdfParameterError, 'ERR_INVALID_ARGUMENT');
    expect(argonSpy.mock.calls.length).toBe(calls);
    expect(await decryptPrivateKey(file, PASS, { limits: { argon2id: { tMax: 5 } } })).toEqual(encoded);
    expect(argonSpy.mock.calls.length).toBe(calls + 1);
    // a raised limit is still a limit
    await expectError(decryptPrivateKey(file, PASS, { limits: { argon2id: { tMax: 4, mMax: 1 << 20 } } }), KdfParameterError);
    expect(parseEncryptedPrivateKey(file, { limits: { argon2id: { tMax: 5 } } }).kdf).toEqual({ name: 'argon2id', m: 64, t: 5, p: 1 });
  });

  it('override values are checked', async () => {
    for (const limits of [{ argon2id: { tMax: 0 } }, { scrypt: { pMax: 1.5 } }, { argon2id: { qMax: 3 } }, 'x']) {
      await expectError(decryptPrivateKey(enc, PASS, { limits } as never), HybridKemError, 'ERR_INVALID_ARGUMENT');
    }
  });

  it('writing stays within the default read limits', async () => {
    for (const kdf of [
      { name: 'argon2id', m: 64, t: 5, p: 1 },
      { name: 'argon2id', m: 64, t: 1, p: 5 },
      { name: 'argon2id', m: 262144 + 1, t: 1, p: 1 },
      { name: 'scrypt', log2N: 4, r: 8, p: 5 },
      { name: 'scrypt', log2N: 21, r: 2, p: 1 },
    ] as KdfParams[]) {
      const calls = argonSpy.mock.calls.length + scryptSpy.mock.calls.length;
      await expectError(encryptPrivateKey(encoded, PASS, { kdf }), KdfParameterError, 'ERR_INVALID_ARGUMENT');
      expect(argonSpy.mock.calls.length + scryptSpy.mock.calls.length).toBe(calls);
    }
  });
});
