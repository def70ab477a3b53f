import { createHash } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import {
  ARMOR_LABELS,
  HybridKemError,
  SUITES,
  XWING,
  armor,
  bytesToHex,
  dearmor,
  decodeCiphertext,
  decodeObject,
  decodePrivateKey,
  decodePublicKey,
  encodeCiphertext,
  encodePrivateKey,
  encodePublicKey,
  hexToBytes,
  keyId,
  type KemKindName,
} from '../src/index.js';
import { inCI, readJson, specVectorsDir, type SpecVectorFile } from '../src/testing/vectors.js';

const dir = specVectorsDir();

function codeOf(fn: () => unknown): string {
  try {
    fn();
  } catch (e) {
    if (e instanceof HybridKemError) return e.code;
    throw e;
  }
  return 'no error';
}

describe.runIf(dir || inCI)('wire format against spec/vectors', () => {
  for (const suite of SUITES) {
    it(`${suite.name}: encodes, decodes, armors and ids as the vectors say`, () => {
      const file = readJson<SpecVectorFile>(dir!, `${suite.name.toLowerCase()}.json`);
      expect(file.suiteId).toBe(suite.id);
      for (const v of file.vectors) {
        const pk = hexToBytes('pk', v.publicKey);
        const sk = hexToBytes('sk', v.seed);
        const ct = hexToBytes('ct', v.ciphertext);
        expect(bytesToHex(encodePublicKey(suite, pk))).toBe(v.encoded.publicKey);
        expect(bytesToHex(encodePrivateKey(suite, sk))).toBe(v.encoded.privateKey);
        expect(bytesToHex(encodeCiphertext(suite, ct))).toBe(v.encoded.ciphertext);
        // Header by hand: version 1, kind, suite id big-endian.
        const header = (kind: number) => `01${kind.toString(16).padStart(2, '0')}${suite.id.toString(16).padStart(4, '0')}`;
        expect(v.encoded.publicKey.slice(0, 8)).toBe(header(1));
        expect(v.encoded.privateKey.slice(0, 8)).toBe(header(2));
        expect(v.encoded.ciphertext.slice(0, 8)).toBe(header(3));
        const decoded = decodePublicKey(dearmor(v.armored.publicKey).encoded);
        expect(decoded.suite).toBe(suite);
        expect(bytesToHex(decoded.publicKey)).toBe(v.publicKey);
        expect(bytesToHex(decodePrivateKey(dearmor(v.armored.privateKey).encoded).privateKey)).toBe(v.seed);
        expect(bytesToHex(decodeCiphertext(dearmor(v.armored.ciphertext).encoded).ciphertext)).toBe(v.ciphertext);
        expect(armor(hexToBytes('x', v.encoded.publicKey))).toBe(v.armored.publicKey);
        // Key id recomputed with node:crypto, not the code under test.
        const sha = createHash('sha256').update(hexToBytes('x', v.encoded.publicKey)).digest('hex');
        expect(keyId(hexToBytes('x', v.encoded.publicKey))).toBe(sha.slice(0, 32));
        expect(v.keyId).toBe(sha.slice(0, 32));
      }
    });
  }

  it('every case of invalid.json gives its error code', () => {
    const { cases } = readJson<{ cases: { description: string; kind: KemKindName; hex?: string; armored?: string; error: string }[] }>(dir!, 'invalid.json');
    expect(cases.length).toBeGreaterThan(25);
    const codes = new Set(cases.map((c) => c.error));
    for (const code of ['ERR_TRUNCATED', 'ERR_TRAILING_DATA', 'ERR_UNSUPPORTED_VERSION', 'ERR_UNKNOWN_KIND', 'ERR_WRONG_KIND', 'ERR_UNKNOWN_SUITE', 'ERR_INVALID_MLKEM_KEY', 'ERR_INVALID_GROUP_ELEMENT', 'ERR_ARMOR']) {
      expect(codes, code).toContain(code);
    }
    for (const c of cases) {
      const got = codeOf(() => decodeObject(c.hex !== undefined ? hexToBytes('hex', c.hex) : dearmor(c.armored!).encoded, c.kind));
      expect(got, c.description).toBe(c.error);
    }
  });
});

describe('wire format errors', () => {
  const body = new Uint8Array(XWING.lengths.privateKey).fill(1);
  const priv = encodePrivateKey(XWING, body);

  it('name the field with expected and actual values', () => {
    expect(() => decodePrivateKey(priv.subarray(0, 20))).toThrow('privateKey (X-Wing): truncated, expected 36 bytes, got 20');
    expect(() => decodePrivateKey(new Uint8Array([...priv, 0, 0]))).toThrow('privateKey (X-Wing): 2 trailing bytes, expected 36 bytes, got 38');
    expect(() => decodePrivateKey(Uint8Array.of(9, 2, 0x64, 0x7a))).toThrow('wire format version: expected 1, got 9');
    expect(() => decodePublicKey(priv)).toThrow('object kind: expected publicKey, got privateKey');
    expect(() => decodePrivateKey(Uint8Array.of(1, 2, 0x12, 0x34))).toThrow('suite: unknown suite id 0x1234');
  });

  it('never echo private key bytes', () => {
    const secret = new Uint8Array(32).fill(0xee);
    const enc = encodePrivateKey(XWING, secret);
    for (const bad of [enc.subarray(0, 30), new Uint8Array([...enc, 1])]) {
      try {
        decodePrivateKey(bad);
        expect.unreachable();
      } catch (e) {
        expect(String((e as Error).message)).not.toMatch(/eeee/i);
      }
    }
  });

  it('encoders check raw lengths', () => {
    expect(() => encodePublicKey(XWING, new Uint8Array(10))).toThrow('publicKey: expected 1216 bytes, got 10');
  });

  it('armor uses the labels and 64-character lines of spec §3', () => {
    const text = armor(priv);
    const lines = text.split('\n');
    expect(lines[0]).toBe(`-----BEGIN ${ARMOR_LABELS.privateKey}-----`);
    expect(lines[1]).toBe(Buffer.from(priv).toString('base64'));
    expect(text.endsWith(`-----END ${ARMOR_LABELS.privateKey}-----\n`)).toBe(true);
    expect(dearmor(text.replaceAll('\n', '\r\n')).encoded).toEqual(priv);
    expect(dearmor(`\n  ${text}  \n`).encoded).toEqual(priv);
  });

  it('dearmor refuses oversized input before parsing', () => {
    expect(codeOf(() => dearmor('A'.repeat(1 << 20)))).toBe('ERR_ARMOR');
  });
});
