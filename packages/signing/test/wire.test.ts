// Wire format v1 for composite signatures: kinds 0x05 (signing public key),
// 0x06 (signing private key), 0x07 (signature) in the shared envelope, strict
// decoding with one error code per failure, in the order of spec/WIRE-FORMAT.md §2.
import {
  ARMOR_LABELS,
  HybridKemError,
  XWING,
  armor,
  dearmor,
  decodeCiphertext,
  decodeObject,
  decodePrivateKey,
  decodePublicKey,
  encodeCiphertext,
  encodePrivateKey,
  encodePublicKey,
  type ErrorCode,
} from '@hybridkem/core';
import { expectCode } from '@hybridkem/core/testing';
import { describe, expect, it } from 'vitest';
import {
  SIGNATURE_SUITES,
  decodeSignature,
  decodeSigningObject,
  decodeSigningPrivateKey,
  decodeSigningPublicKey,
  encodeSignature,
  encodeSigningPrivateKey,
  encodeSigningPublicKey,
  type SignatureSuite,
  type SigningKindName,
} from '../src/index.js';

const KINDS: { kind: SigningKindName; byte: number; length: keyof SignatureSuite['lengths'] }[] = [
  { kind: 'signingPublicKey', byte: 0x05, length: 'publicKey' },
  { kind: 'signingPrivateKey', byte: 0x06, length: 'privateKey' },
  { kind: 'signature', byte: 0x07, length: 'signature' },
];

const ENCODE = { signingPublicKey: encodeSigningPublicKey, signingPrivateKey: encodeSigningPrivateKey, signature: encodeSignature };
const DECODE = {
  signingPublicKey: (b: Uint8Array) => decodeSigningPublicKey(b).publicKey,
  signingPrivateKey: (b: Uint8Array) => decodeSigningPrivateKey(b).privateKey,
  signature: (b: Uint8Array) => decodeSignature(b).signature,
};

const body = (n: number, seed = 1) => Uint8Array.from({ length: n }, (_, i) => (i * 7 + seed) & 0xff);
const hex = (b: Uint8Array) => Buffer.from(b).toString('hex');
const object = (header: number[], bodyLength: number) => Uint8Array.from([...header, ...body(bodyLength)]);

function codeOf(fn: () => unknown): ErrorCode | 'no error' {
  try {
    fn();
  } catch (e) {
    if (e instanceof HybridKemError) return e.code;
    throw e;
  }
  return 'no error';
}

describe('encode and decode', () => {
  for (const suite of SIGNATURE_SUITES) {
    for (const { kind, byte, length } of KINDS) {
      it(`${suite.name} ${kind}: header 01 ${byte.toString(16).padStart(2, '0')} ${suite.id.toString(16)} by hand, and back`, () => {
        const raw = body(suite.lengths[length]);
        const encoded = ENCODE[kind](suite, raw);
        expect(hex(encoded.subarray(0, 4))).toBe(`01${byte.toString(16).padStart(2, '0')}${suite.id.toString(16).padStart(4, '0')}`);
        expect(hex(encoded.subarray(4))).toBe(hex(raw));
        expect(encoded.length).toBe(4 + suite.lengths[length]);
        expect(hex(DECODE[kind](encoded))).toBe(hex(raw));
        const o = decodeSigningObject(encoded);
        expect([o.version, o.kind, o.suite]).toEqual([1, kind, suite]);
        expect(decodeSigningObject(encoded, kind).kind).toBe(kind);
        // The suite can be named by object, name or id.
        expect(ENCODE[kind](suite.name, raw)).toEqual(encoded);
        expect(ENCODE[kind](suite.id, raw)).toEqual(encoded);
      });
    }
  }

  it('encoded sizes, header included, as spec/WIRE-FORMAT.md §6.3 lists them', () => {
    const sizes = SIGNATURE_SUITES.map((s) => KINDS.map(({ kind, length }) => ENCODE[kind](s, body(s.lengths[length])).length));
    expect(sizes).toEqual([
      [1348, 68, 2488],
      [1988, 68, 3377],
      [2653, 93, 4745],
    ]);
  });

  it('decoded bodies are copies', () => {
    const suite = SIGNATURE_SUITES[0]!;
    const encoded = encodeSignature(suite, body(suite.lengths.signature));
    const { signature } = decodeSignature(encoded);
    encoded[4]! ^= 0xff;
    expect(signature[0]).toBe(body(1)[0]);
  });

  it('armor: the signing labels, and back', () => {
    const suite = SIGNATURE_SUITES[1]!;
    const cases: [SigningKindName, string][] = [
      ['signingPublicKey', 'HYBRIDKEM SIGNING PUBLIC KEY'],
      ['signingPrivateKey', 'HYBRIDKEM SIGNING PRIVATE KEY'],
      ['signature', 'HYBRIDKEM SIGNATURE'],
    ];
    for (const [kind, label] of cases) {
      expect(ARMOR_LABELS[kind]).toBe(label);
      const encoded = ENCODE[kind](suite, body(suite.lengths[KINDS.find((k) => k.kind === kind)!.length]));
      const text = armor(encoded);
      expect(text.startsWith(`-----BEGIN ${label}-----\n`)).toBe(true);
      expect(text.endsWith(`-----END ${label}-----\n`)).toBe(true);
      const back = dearmor(text);
      expect(back.kind).toBe(kind);
      expect(back.encoded).toEqual(encoded);
    }
  });

  it('encoders reject a body of the wrong length (ERR_INVALID_LENGTH) and unknown suites (ERR_UNKNOWN_SUITE)', () => {
    const [a] = SIGNATURE_SUITES;
    expect(expectCode(() => encodeSigningPublicKey(a!, new Uint8Array(1343)), 'ERR_INVALID_LENGTH').message).toBe(
      'signingPublicKey: expected 1344 bytes, got 1343',
    );
    expect(expectCode(() => encodeSigningPrivateKey(a!, new Uint8Array(65)), 'ERR_INVALID_LENGTH').message).toBe(
      'signingPrivateKey: expected 64 bytes, got 65',
    );
    expect(expectCode(() => encodeSignature(a!, new Uint8Array(0)), 'ERR_INVALID_LENGTH').message).toBe('signature: expected 2484 bytes, got 0');
    expectCode(() => encodeSignature(0xfe04, new Uint8Array(2484)), 'ERR_UNKNOWN_SUITE');
    expectCode(() => encodeSignature('X-Wing' as never, new Uint8Array(2484)), 'ERR_UNKNOWN_SUITE');
  });
});

describe('decoding errors, one code each', () => {
  const suite = SIGNATURE_SUITES[2]!;
  const [hi, lo] = [suite.id >> 8, suite.id & 0xff];
  const pk = suite.lengths.publicKey;

  it('ERR_TRUNCATED: fewer than 4 bytes, or a short body', () => {
    for (const n of [0, 1, 3]) {
      expect(expectCode(() => decodeSigningObject(new Uint8Array(n)), 'ERR_TRUNCATED').message).toContain(`expected 4 bytes, got ${n}`);
    }
    const e = expectCode(() => decodeSigningObject(object([1, 0x05, hi, lo], pk - 1)), 'ERR_TRUNCATED');
    expect(e.message).toContain(`expected ${4 + pk} bytes, got ${3 + pk}`);
    expectCode(() => decodeSignature(object([1, 0x07, hi, lo], 0)), 'ERR_TRUNCATED');
    expectCode(() => decodeSigningPrivateKey(object([1, 0x06, hi, lo], suite.lengths.privateKey - 1)), 'ERR_TRUNCATED');
  });

  it('ERR_TRAILING_DATA: anything after the body', () => {
    const e = expectCode(() => decodeSigningObject(object([1, 0x05, hi, lo], pk + 1)), 'ERR_TRAILING_DATA');
    expect(e.message).toContain(`1 trailing bytes, expected ${4 + pk} bytes, got ${5 + pk}`);
    expectCode(() => decodeSignature(object([1, 0x07, hi, lo], suite.lengths.signature + 100)), 'ERR_TRAILING_DATA');
  });

  it('ERR_UNSUPPORTED_VERSION: a version byte other than 1', () => {
    for (const v of [0, 2, 0xff]) {
      expect(expectCode(() => decodeSigningObject(object([v, 0x05, hi, lo], pk)), 'ERR_UNSUPPORTED_VERSION').message).toBe(
        `wire format version: expected 1, got ${v}`,
      );
    }
  });

  it('ERR_UNKNOWN_KIND: undefined kind bytes, whatever was asked for', () => {
    // 0xff stands for "not defined", so the next kind reserved (0x0d, ...) does not change this test.
    for (const k of [0x00, 0x80, 0xff]) {
      expectCode(() => decodeSigningObject(object([1, k, hi, lo], pk)), 'ERR_UNKNOWN_KIND');
      expectCode(() => decodeSigningPublicKey(object([1, k, hi, lo], pk)), 'ERR_UNKNOWN_KIND');
    }
    expect(expectCode(() => decodeSignature(object([1, 0xff, hi, lo], 0)), 'ERR_UNKNOWN_KIND').message).toBe('object kind: unknown kind byte 0xff');
  });

  it('ERR_WRONG_KIND: a sealed message (0x04, 0x09), an encrypted private key (0x08) or a mesh object (0x0a-0x0c) is not a signature object', () => {
    for (const k of [0x04, 0x08, 0x09, 0x0a, 0x0b, 0x0c]) {
      expectCode(() => decodeSigningObject(object([1, k, hi, lo], pk)), 'ERR_WRONG_KIND');
      expectCode(() => decodeSigningPublicKey(object([1, k, hi, lo], pk)), 'ERR_WRONG_KIND');
    }
  });

  it('ERR_WRONG_KIND: another signing kind than asked for', () => {
    const sig = encodeSignature(suite, body(suite.lengths.signature));
    expect(expectCode(() => decodeSigningPublicKey(sig), 'ERR_WRONG_KIND').message).toBe('object kind: expected signingPublicKey, got signature');
    expectCode(() => decodeSigningPrivateKey(sig), 'ERR_WRONG_KIND');
    expectCode(() => decodeSignature(encodeSigningPublicKey(suite, body(pk))), 'ERR_WRONG_KIND');
    expectCode(() => decodeSigningObject(sig, 'signingPrivateKey'), 'ERR_WRONG_KIND');
  });

  it('ERR_WRONG_KIND: KEM objects given to the signing decoders', () => {
    const kemObjects = [
      encodePublicKey(XWING, body(XWING.lengths.publicKey)),
      encodePrivateKey(XWING, body(32)),
      encodeCiphertext(XWING, body(XWING.lengths.ciphertext)),
    ];
    for (const o of kemObjects) {
      expectCode(() => decodeSigningObject(o), 'ERR_WRONG_KIND');
      expectCode(() => decodeSigningPublicKey(o), 'ERR_WRONG_KIND');
      expectCode(() => decodeSignature(o), 'ERR_WRONG_KIND');
    }
    expect(expectCode(() => decodeSigningObject(kemObjects[0]!), 'ERR_WRONG_KIND').message).toMatch(/expected a signature object .*got publicKey/);
  });

  it('ERR_WRONG_KIND: signing objects given to core’s KEM decoders', () => {
    const signing = [
      encodeSigningPublicKey(suite, body(pk)),
      encodeSigningPrivateKey(suite, body(suite.lengths.privateKey)),
      encodeSignature(suite, body(suite.lengths.signature)),
    ];
    for (const o of signing) {
      expectCode(() => decodeObject(o), 'ERR_WRONG_KIND');
      expectCode(() => decodePublicKey(o), 'ERR_WRONG_KIND');
      expectCode(() => decodePrivateKey(o), 'ERR_WRONG_KIND');
      expectCode(() => decodeCiphertext(o), 'ERR_WRONG_KIND');
    }
    expect(expectCode(() => decodeObject(signing[0]!), 'ERR_WRONG_KIND').message).toMatch(/expected a KEM object .*got signingPublicKey/);
  });

  it('ERR_UNKNOWN_SUITE: a suite id no signature suite has, including KEM suite ids', () => {
    for (const id of [0x0000, 0xfe00, 0xfe04, 0xffff, XWING.id, 0xff01]) {
      const e = expectCode(() => decodeSigningObject(object([1, 0x05, id >> 8, id & 0xff], pk)), 'ERR_UNKNOWN_SUITE');
      expect(e.message).toBe(`suite: unknown suite id 0x${id.toString(16).padStart(4, '0')}`);
    }
  });

  it('checks in order: version, kind, expected kind, suite, length', () => {
    // A bad version hides everything after it, and so on down the list.
    expect(codeOf(() => decodeSigningObject(object([2, 0x04, 0, 0], 0)))).toBe('ERR_UNSUPPORTED_VERSION');
    expect(codeOf(() => decodeSigningObject(object([1, 0xff, 0, 0], 0), 'signature'))).toBe('ERR_UNKNOWN_KIND');
    expect(codeOf(() => decodeSigningObject(object([1, 0x05, 0, 0], 0), 'signature'))).toBe('ERR_WRONG_KIND');
    expect(codeOf(() => decodeSigningObject(object([1, 0x01, 0, 0], 0)))).toBe('ERR_WRONG_KIND');
    expect(codeOf(() => decodeSigningObject(object([1, 0x05, 0, 0], 0)))).toBe('ERR_UNKNOWN_SUITE');
    expect(codeOf(() => decodeSigningObject(object([1, 0x05, hi, lo], 0)))).toBe('ERR_TRUNCATED');
  });

  it('non-byte input: ERR_INVALID_ARGUMENT', () => {
    expectCode(() => decodeSigningObject('0105fe03' as unknown as Uint8Array), 'ERR_INVALID_ARGUMENT');
    expectCode(() => decodeSigningObject([1, 5, 0xfe, 3] as unknown as Uint8Array), 'ERR_INVALID_ARGUMENT');
    expectCode(() => decodeSignature(null as unknown as Uint8Array), 'ERR_INVALID_ARGUMENT');
  });
});
