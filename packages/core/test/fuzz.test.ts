// Property tests: no input, however malformed, crashes a decoder, makes it
// throw anything but a typed error, or makes it allocate more than its size.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  HybridKemError,
  SUITES,
  armor,
  dearmor,
  decodeObject,
  encodeCiphertext,
  encodePrivateKey,
  type KemKindName,
} from '../src/index.js';

const RUNS = 5000;

function onlyTypedErrors(fn: () => unknown): void {
  try {
    fn();
  } catch (e) {
    if (!(e instanceof HybridKemError)) throw e;
  }
}

const kinds: KemKindName[] = ['publicKey', 'privateKey', 'ciphertext'];
const header = fc.tuple(fc.integer({ min: 0, max: 3 }), fc.integer({ min: 0, max: 5 }), fc.constantFrom(...SUITES.map((s) => s.id), 0, 0x0052, 0xffff));

describe('decoders under arbitrary input', () => {
  it(`decodeObject: ${RUNS} random byte strings`, () => {
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 2000 }), fc.constantFrom(...kinds, undefined), (bytes, kind) => {
        onlyTypedErrors(() => decodeObject(bytes, kind));
      }),
      { numRuns: RUNS },
    );
  });

  it(`decodeObject: ${RUNS} plausible headers with bodies of any length`, () => {
    fc.assert(
      fc.property(header, fc.nat({ max: 1800 }), ([version, kind, suite], length) => {
        const bytes = new Uint8Array(4 + length);
        bytes.set([version, kind, suite >> 8, suite & 0xff]);
        onlyTypedErrors(() => {
          const o = decodeObject(bytes);
          // What decodes is exactly its declared size.
          expect(o.body.length).toBe(o.suite.lengths[o.kind]);
        });
      }),
      { numRuns: RUNS },
    );
  });

  it(`decodeObject: ${RUNS} single-byte mutations of valid private keys and ciphertexts`, () => {
    const valid = SUITES.flatMap((s) => [
      encodePrivateKey(s, new Uint8Array(s.lengths.privateKey).fill(3)),
      encodeCiphertext(s, new Uint8Array(s.lengths.ciphertext).fill(0x55)),
    ]);
    fc.assert(
      fc.property(fc.constantFrom(...valid), fc.nat(), fc.integer({ min: 1, max: 255 }), (obj, at, xor) => {
        const bytes = obj.slice();
        bytes[at % bytes.length]! ^= xor;
        onlyTypedErrors(() => decodeObject(bytes));
      }),
      { numRuns: RUNS },
    );
  });

  it(`dearmor: ${RUNS} random strings and mutated armor`, () => {
    const text = armor(encodePrivateKey(SUITES[0]!, new Uint8Array(32).fill(9)));
    fc.assert(
      fc.property(
        fc.oneof(
          fc.string({ maxLength: 400 }),
          fc.tuple(fc.nat({ max: text.length - 1 }), fc.string({ minLength: 1, maxLength: 3 })).map(([at, s]) => text.slice(0, at) + s + text.slice(at + 1)),
        ),
        (s) => onlyTypedErrors(() => decodeObject(dearmor(s).encoded)),
      ),
      { numRuns: RUNS },
    );
  });
});
