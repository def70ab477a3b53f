// Property tests: no input, however malformed, makes the signing decoders
// throw anything but a typed HybridKemError, and what decodes is exactly the
// size its suite declares.
import { HybridKemError } from '@hybridkem/core';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { SIGNATURE_SUITES, decodeSigningObject, encodeSignature, encodeSigningPrivateKey, encodeSigningPublicKey, type SigningKindName } from '../src/index.js';

const RUNS = 4000;
const LENGTH = { signingPublicKey: 'publicKey', signingPrivateKey: 'privateKey', signature: 'signature' } as const;
const kinds: (SigningKindName | undefined)[] = ['signingPublicKey', 'signingPrivateKey', 'signature', undefined];

function onlyTypedErrors(fn: () => unknown): void {
  try {
    fn();
  } catch (e) {
    if (!(e instanceof HybridKemError)) throw e;
    expect(e.code).toMatch(/^ERR_/);
  }
}

const header = fc.tuple(
  fc.integer({ min: 0, max: 2 }),
  fc.integer({ min: 0, max: 8 }),
  fc.constantFrom(...SIGNATURE_SUITES.map((s) => s.id), 0, 0xfe00, 0xfe04, 0xff01, 0x647a, 0xffff),
);

describe('decodeSigningObject under arbitrary input', () => {
  it(`${RUNS} random byte strings: only HybridKemError`, () => {
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 5000 }), fc.constantFrom(...kinds), (bytes, kind) => {
        onlyTypedErrors(() => decodeSigningObject(bytes, kind));
      }),
      { numRuns: RUNS },
    );
  });

  it(`${RUNS} plausible headers with bodies of any length: only HybridKemError; what decodes has its declared size`, () => {
    fc.assert(
      fc.property(header, fc.nat({ max: 5000 }), fc.constantFrom(...kinds), ([version, kind, suite], length, expected) => {
        const bytes = new Uint8Array(4 + length);
        bytes.set([version, kind, suite >> 8, suite & 0xff]);
        onlyTypedErrors(() => {
          const o = decodeSigningObject(bytes, expected);
          expect(o.body.length).toBe(o.suite.lengths[LENGTH[o.kind]]);
          expect([version, o.suite.id]).toEqual([1, suite]);
        });
      }),
      { numRuns: RUNS },
    );
  });

  it(`${RUNS} single-byte mutations and truncations of valid objects: only HybridKemError`, () => {
    const valid = SIGNATURE_SUITES.flatMap((s) => [
      encodeSigningPublicKey(s, new Uint8Array(s.lengths.publicKey).fill(1)),
      encodeSigningPrivateKey(s, new Uint8Array(s.lengths.privateKey).fill(2)),
      encodeSignature(s, new Uint8Array(s.lengths.signature).fill(3)),
    ]);
    fc.assert(
      fc.property(fc.constantFrom(...valid), fc.nat(), fc.integer({ min: 0, max: 255 }), fc.nat(), (obj, at, xor, cut) => {
        const bytes = obj.slice(0, obj.length - (cut % 3 === 0 ? cut % obj.length : 0));
        if (bytes.length > 0) bytes[at % bytes.length]! ^= xor;
        onlyTypedErrors(() => decodeSigningObject(bytes));
      }),
      { numRuns: RUNS },
    );
  });

  it('values that are not Uint8Array: only HybridKemError', () => {
    fc.assert(
      fc.property(fc.anything(), (value) => {
        onlyTypedErrors(() => decodeSigningObject(value as Uint8Array));
      }),
      { numRuns: 500 },
    );
  });
});
