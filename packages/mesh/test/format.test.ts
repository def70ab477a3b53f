// spec/MESH.md §2: the key envelope's layout and the decoder's bounds,
// against envelopes built from the spec's offsets (test/wire.ts).
import { armor, dearmor, HybridKemError } from '@hybridkem/core';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { decodeKeyEnvelope } from '../src/envelope/format.js';
import { encodeEnvelopeHeader } from '../src/envelope/format.js';
import { fill, handEnvelope, handHeader, hex, sampleFields, SIGNATURE_LENGTHS, type HandFields } from './wire.js';

function codeOf(bytes: Uint8Array): string {
  try {
    decodeKeyEnvelope(bytes);
  } catch (e) {
    expect(e).toBeInstanceOf(HybridKemError);
    return (e as HybridKemError).code;
  }
  return 'ok';
}

function fieldOf(bytes: Uint8Array): string | undefined {
  try {
    decodeKeyEnvelope(bytes);
  } catch (e) {
    return (e as { field?: string }).field;
  }
  return undefined;
}

const set = (b: Uint8Array, off: number, ...v: number[]) => {
  const c = b.slice();
  c.set(v, off);
  return c;
};
const u64 = (v: bigint) => {
  const b = new Uint8Array(8);
  new DataView(b.buffer).setBigUint64(0, v);
  return [...b];
};

describe('key envelope format (spec/MESH.md §2)', () => {
  it('decodes every field at its offset', () => {
    const f = sampleFields();
    const bytes = handEnvelope(f);
    expect(bytes.length).toBe(81 + 6 + 10 + 2484);
    const e = decodeKeyEnvelope(bytes);
    expect(e.issuerSuiteId).toBe(0xfe01);
    expect(e.issuerKeyId).toBe('11'.repeat(16));
    expect(e.recipientKeyId).toBe('22'.repeat(16));
    expect(e.envelopeId).toBe('33'.repeat(16));
    expect(e.version).toBe(7);
    expect(e.issuedAt).toBe(1_767_225_600_000);
    expect(e.expiresAt).toBe(1_767_226_500_000);
    expect(e.keyName).toBe('svc-db');
    expect(hex(e.header)).toBe(hex(bytes.subarray(0, 83)));
    expect(hex(e.sealedPayload)).toBe('44'.repeat(10));
    expect(hex(e.signed)).toBe(hex(bytes.subarray(0, 97)));
    expect(hex(e.signature)).toBe('5a'.repeat(2484));
    expect(hex(e.bytes)).toBe(hex(bytes));
  });

  it('encodes the header byte for byte as the spec lays it out', () => {
    const f = sampleFields({ suite: 0xfe02, version: 2n ** 53n - 1n, keyName: 'a.b_C-9' });
    const mine = encodeEnvelopeHeader({
      issuerSuiteId: 0xfe02,
      issuerKeyId: '11'.repeat(16),
      recipientKeyId: '22'.repeat(16),
      envelopeId: '33'.repeat(16),
      version: Number.MAX_SAFE_INTEGER,
      issuedAt: 1_767_225_600_000,
      expiresAt: 1_767_226_500_000,
      keyName: 'a.b_C-9',
    });
    expect(hex(mine)).toBe(hex(handHeader(f)));
    // Spot checks against literal offsets: kind at 1, suite at 2, version's top byte at 52, n at 76.
    expect([mine[0], mine[1], mine[2], mine[3], mine[52], mine[53], mine[76]]).toEqual([1, 0x0a, 0xfe, 0x02, 0x00, 0x1f, 7]);
  });

  it('accepts each signature suite with its own signature length', () => {
    for (const suite of [0xfe01, 0xfe02, 0xfe03]) {
      const e = decodeKeyEnvelope(handEnvelope(sampleFields({ suite })));
      expect(e.signature.length).toBe(SIGNATURE_LENGTHS[suite]);
    }
  });

  it('refuses the wrong version, kind or suite', () => {
    const b = handEnvelope(sampleFields());
    expect(codeOf(set(b, 0, 2))).toBe('ERR_UNSUPPORTED_VERSION');
    expect(codeOf(set(b, 1, 0x04))).toBe('ERR_WRONG_KIND');
    expect(codeOf(set(b, 1, 0x0b))).toBe('ERR_WRONG_KIND');
    expect(codeOf(set(b, 1, 0xee))).toBe('ERR_UNKNOWN_KIND');
    expect(codeOf(set(b, 2, 0xfe, 0x04))).toBe('ERR_UNKNOWN_SUITE');
    expect(codeOf(set(b, 2, 0x64, 0x7a))).toBe('ERR_UNKNOWN_SUITE'); // a KEM suite id
  });

  it('bounds the version, times and their order', () => {
    const b = handEnvelope(sampleFields());
    expect(fieldOf(set(b, 52, ...u64(0n)))).toBe('version');
    expect(fieldOf(set(b, 52, ...u64(2n ** 53n)))).toBe('version');
    expect(codeOf(set(b, 52, ...u64(2n ** 53n - 1n)))).toBe('ok');
    expect(codeOf(set(b, 52, ...u64(1n)))).toBe('ok');
    expect(fieldOf(set(b, 60, ...u64(2n ** 53n)))).toBe('issuedAt');
    expect(fieldOf(set(b, 68, ...u64(2n ** 53n)))).toBe('expiresAt');
    expect(fieldOf(set(b, 68, ...u64(1_767_225_600_000n)))).toBe('expiresAt'); // = issued-at
    expect(fieldOf(set(b, 68, ...u64(1_767_225_599_999n)))).toBe('expiresAt');
    expect(codeOf(set(b, 68, ...u64(1_767_225_600_001n)))).toBe('ok');
  });

  it('bounds the key name: length 1..128, its characters and dots', () => {
    expect(codeOf(handEnvelope(sampleFields({ keyName: 'k'.repeat(128) })))).toBe('ok');
    expect(codeOf(handEnvelope(sampleFields({ keyName: 'a' })))).toBe('ok');
    expect(fieldOf(handEnvelope(sampleFields({ keyName: '' })))).toBe('key name length');
    expect(fieldOf(handEnvelope(sampleFields({ keyName: 'k'.repeat(129) })))).toBe('key name length');
    for (const bad of ['a/b', 'a b', '.a', 'a.', 'a..b', 'ä', 'a*', '..']) {
      expect(fieldOf(handEnvelope(sampleFields({ keyName: bad }))), bad).toBe('keyName');
    }
    expect(codeOf(handEnvelope(sampleFields({ keyName: 'svc.db_main-1' })))).toBe('ok');
  });

  it('armors the largest envelope within core\'s armor limit (spec/MESH.md §2.1)', () => {
    // n = 128, L = 6144, an MLDSA87-Ed448 signature (0xfe03, 4741 bytes): 11,094 bytes.
    const largest = handEnvelope(sampleFields({ suite: 0xfe03, keyName: 'k'.repeat(128), sealed: fill(6144, 1) }));
    expect(largest.length).toBe(81 + 128 + 6144 + 4741);
    expect(codeOf(largest)).toBe('ok');
    const text = armor(largest);
    expect(text.length).toBeLessThanOrEqual(16384);
    expect(text.startsWith('-----BEGIN HYBRIDKEM MESH KEY ENVELOPE-----\n')).toBe(true);
    const back = dearmor(text);
    expect(back.kind).toBe('meshKeyEnvelope');
    expect(hex(back.encoded)).toBe(hex(largest));
  });

  it('bounds the sealed payload length before reading it', () => {
    expect(codeOf(handEnvelope(sampleFields({ sealed: fill(6144, 1) })))).toBe('ok');
    expect(fieldOf(handEnvelope(sampleFields({ sealed: fill(6145, 1) })))).toBe('sealed payload length');
    expect(fieldOf(handEnvelope(sampleFields({ sealed: new Uint8Array(0) })))).toBe('sealed payload length');
    // L = 2^32 − 1 with nothing behind it: refused for its value, not as truncated.
    const head = handHeader(sampleFields());
    const b = new Uint8Array(head.length + 4);
    b.set(head);
    b.set([0xff, 0xff, 0xff, 0xff], head.length);
    expect(codeOf(b)).toBe('ERR_INVALID_ARGUMENT');
    expect(fieldOf(b)).toBe('sealed payload length');
  });

  it('is ERR_TRUNCATED at every cut and ERR_TRAILING_DATA for any byte after the signature', () => {
    const b = handEnvelope(sampleFields());
    for (let n = 0; n < b.length; n++) expect(codeOf(b.subarray(0, n)), `cut at ${n}`).toBe('ERR_TRUNCATED');
    const longer = new Uint8Array(b.length + 1);
    longer.set(b);
    expect(codeOf(longer)).toBe('ERR_TRAILING_DATA');
    // A signature of another suite's length (fe02's, 3373) under suite fe01 is trailing data.
    expect(codeOf(handEnvelope(sampleFields({ signature: fill(3373, 1) })))).toBe('ERR_TRAILING_DATA');
    expect(codeOf(handEnvelope(sampleFields({ signature: fill(2483, 1) })))).toBe('ERR_TRUNCATED');
  });

  it('refuses a non-Uint8Array with ERR_INVALID_ARGUMENT', () => {
    expect(() => decodeKeyEnvelope('x' as unknown as Uint8Array)).toThrow(expect.objectContaining({ code: 'ERR_INVALID_ARGUMENT' }));
  });

  it('round-trips any valid fields (property)', () => {
    const nameChar = fc.constantFrom(...'abcXYZ019_-'.split(''));
    const keyName = fc
      .tuple(fc.array(nameChar, { minLength: 1, maxLength: 60 }), fc.array(nameChar, { minLength: 0, maxLength: 60 }), fc.boolean())
      .map(([a, b, dot]) => (dot && b.length > 0 ? `${a.join('')}.${b.join('')}` : a.join('')));
    const arb = fc.record({
      suite: fc.constantFrom(0xfe01, 0xfe02, 0xfe03),
      issuerKeyId: fc.uint8Array({ minLength: 16, maxLength: 16 }),
      recipientKeyId: fc.uint8Array({ minLength: 16, maxLength: 16 }),
      envelopeId: fc.uint8Array({ minLength: 16, maxLength: 16 }),
      version: fc.bigInt(1n, 2n ** 53n - 1n),
      issuedAt: fc.bigInt(0n, 2n ** 53n - 2n),
      lifetime: fc.bigInt(1n, 2n ** 40n),
      keyName,
      sealed: fc.uint8Array({ minLength: 1, maxLength: 300 }),
    });
    fc.assert(
      fc.property(arb, (r) => {
        const expiresAt = r.issuedAt + r.lifetime > 2n ** 53n - 1n ? 2n ** 53n - 1n : r.issuedAt + r.lifetime;
        const f: HandFields = { ...r, expiresAt };
        const bytes = handEnvelope(f);
        const e = decodeKeyEnvelope(bytes);
        expect([e.issuerSuiteId, e.issuerKeyId, e.recipientKeyId, e.envelopeId]).toEqual([r.suite, hex(r.issuerKeyId), hex(r.recipientKeyId), hex(r.envelopeId)]);
        expect([BigInt(e.version), BigInt(e.issuedAt), BigInt(e.expiresAt), e.keyName]).toEqual([r.version, r.issuedAt, expiresAt, r.keyName]);
        expect(hex(e.sealedPayload)).toBe(hex(r.sealed));
        const header = encodeEnvelopeHeader({ ...e });
        expect(hex(header)).toBe(hex(handHeader(f)));
      }),
      { numRuns: 300 },
    );
  });
});
