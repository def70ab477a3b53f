// M' = Prefix ‖ Label ‖ len(ctx) ‖ ctx ‖ PH(M) (draft-ietf-lamps-pq-composite-sigs-19
// §2.2, §4), checked byte by byte against a concatenation built here by hand,
// with PH from node:crypto rather than @noble/hashes.
import { createHash, randomBytes } from 'node:crypto';
import { expectCode } from '@hybridkem/core/testing';
import { describe, expect, it } from 'vitest';
import {
  DIGEST_LENGTH,
  MAX_CONTEXT_LENGTH,
  MLDSA44_ED25519_SHA512,
  MLDSA65_ED25519_SHA512,
  MLDSA87_ED448_SHAKE256,
  PREFIX,
  SIGNATURE_SUITES,
  createPrehash,
  messageRepresentative,
  type SignatureSuite,
} from '../src/index.js';

const ascii = (s: string) => Uint8Array.from(s, (c) => c.charCodeAt(0));
const hex = (b: Uint8Array) => Buffer.from(b).toString('hex');

/** PH of the draft, from node:crypto. */
function ph(suite: SignatureSuite, message: Uint8Array): Uint8Array {
  const h = suite.prehash === 'SHA-512' ? createHash('sha512') : createHash('shake256', { outputLength: 64 });
  return new Uint8Array(h.update(message).digest());
}

function byHand(suite: SignatureSuite, message: Uint8Array, context: Uint8Array): Uint8Array {
  return Uint8Array.from([...ascii('CompositeAlgorithmSignatures2025'), ...ascii(suite.label), context.length, ...context, ...ph(suite, message)]);
}

const messages = [new Uint8Array(0), ascii('abc'), ascii('The quick brown fox jumps over the lazy dog.'), new Uint8Array(randomBytes(3000))];
const contexts = [new Uint8Array(0), Uint8Array.of(0), ascii('application'), new Uint8Array(randomBytes(255))];

describe('constants', () => {
  it('Prefix is the 32 ASCII bytes "CompositeAlgorithmSignatures2025"', () => {
    expect(hex(PREFIX)).toBe('436f6d706f73697465416c676f726974686d5369676e61747572657332303235');
    expect(PREFIX.length).toBe(32);
  });
  it('digests are 64 bytes; contexts at most 255 bytes', () => {
    expect(DIGEST_LENGTH).toBe(64);
    expect(MAX_CONTEXT_LENGTH).toBe(255);
  });
  it('PH: SHA-512 for the Ed25519 suites, SHAKE256 with 64 bytes of output for Ed448', () => {
    expect(MLDSA44_ED25519_SHA512.prehash).toBe('SHA-512');
    expect(MLDSA65_ED25519_SHA512.prehash).toBe('SHA-512');
    expect(MLDSA87_ED448_SHAKE256.prehash).toBe('SHAKE256-64');
  });
});

describe.each(SIGNATURE_SUITES.map((s) => [s.name, s] as const))('%s', (_, suite) => {
  const label = ascii(suite.label);

  it('PH matches node:crypto, in one piece and in chunks', () => {
    for (const m of messages) {
      const want = hex(ph(suite, m));
      expect(hex(createPrehash(suite).update(m).digest())).toBe(want);
      const chunked = createPrehash(suite);
      for (let i = 0; i < m.length; i += 17) chunked.update(m.subarray(i, i + 17));
      expect(hex(chunked.digest())).toBe(want);
    }
  });

  it('PH of the empty message is the published SHA-512 / SHAKE256 value', () => {
    const empty = hex(createPrehash(suite).update(new Uint8Array(0)).digest());
    expect(empty).toBe(
      suite.prehash === 'SHA-512'
        ? 'cf83e1357eefb8bdf1542850d66d8007d620e4050b5715dc83f4a921d36ce9ce47d0d13c5d85f2b0ff8318d2877eec2f63b931bd47417a81a538327af927da3e'
        : '46b9dd2b0ba88d13233b3feb743eeb243fcd52ea62b81b82b50c27646ed5762fd75dc4ddd8c0f200cb05019d67b592f6fc821c49479ab48640292eacb3b7c4be',
    );
  });

  it('M’ equals the hand-built concatenation for every message and context', () => {
    for (const m of messages) {
      for (const ctx of contexts) {
        const got = messageRepresentative(suite, createPrehash(suite).update(m).digest(), ctx);
        expect(hex(got), `|m| = ${m.length}, |ctx| = ${ctx.length}`).toBe(hex(byHand(suite, m, ctx)));
      }
    }
  });

  it('M’ field by field: Prefix, Label, one length byte, ctx, PH(M)', () => {
    const m = ascii('message');
    const ctx = ascii('ctx!');
    const digest = ph(suite, m);
    const out = messageRepresentative(suite, digest, ctx);
    let o = 0;
    const field = (n: number) => out.subarray(o, (o += n));
    expect(hex(field(32))).toBe(hex(ascii('CompositeAlgorithmSignatures2025')));
    expect(new TextDecoder().decode(field(label.length))).toBe(suite.label);
    expect(Array.from(field(1))).toEqual([4]);
    expect(hex(field(4))).toBe(hex(ctx));
    expect(hex(field(64))).toBe(hex(digest));
    expect(o).toBe(out.length);
    expect(out.length).toBe(32 + label.length + 1 + 4 + 64);
  });

  it('the length byte is written even for an empty context, and reaches 255', () => {
    const digest = new Uint8Array(64).fill(0xaa);
    const empty = messageRepresentative(suite, digest, new Uint8Array(0));
    expect(empty.length).toBe(32 + label.length + 1 + 64);
    expect(empty[32 + label.length]).toBe(0);
    const max = messageRepresentative(suite, digest, new Uint8Array(255).fill(0x55));
    expect(max[32 + label.length]).toBe(255);
    expect(max.length).toBe(32 + label.length + 1 + 255 + 64);
  });

  it('a 256-byte context, or one that is not bytes, is ERR_INVALID_ARGUMENT', () => {
    const digest = new Uint8Array(64);
    const e = expectCode(() => messageRepresentative(suite, digest, new Uint8Array(256)), 'ERR_INVALID_ARGUMENT');
    expect(e.message).toBe('context: at most 255 bytes, got 256');
    expectCode(() => messageRepresentative(suite, digest, 'ctx' as unknown as Uint8Array), 'ERR_INVALID_ARGUMENT');
    expectCode(() => messageRepresentative(suite, digest, [1, 2] as unknown as Uint8Array), 'ERR_INVALID_ARGUMENT');
  });

  it('different labels, contexts and digests give different M’', () => {
    const digest = ph(suite, ascii('x'));
    const base = hex(messageRepresentative(suite, digest, ascii('a')));
    expect(hex(messageRepresentative(suite, digest, ascii('b')))).not.toBe(base);
    expect(hex(messageRepresentative(suite, ph(suite, ascii('y')), ascii('a')))).not.toBe(base);
    for (const other of SIGNATURE_SUITES.filter((s) => s !== suite)) {
      expect(hex(messageRepresentative(other, digest, ascii('a')))).not.toBe(base);
    }
  });
});
