/**
 * Properties every backend must show for every suite: round trips (hedged
 * and deterministic), the layout of keys and signatures, per-component
 * verdicts for each kind of tampering, typed errors for bad input, and the
 * streaming and pre-hashed paths giving the signature sign() gives.
 * @module
 */
import { bytesToHex, hexToBytes } from '@hybridkem/core';
import { expectCode } from '@hybridkem/core/testing';
import { describe, expect, it } from 'vitest';
import type { SignatureBackend } from '../backend.js';
import { createPrehash } from '../message.js';
import { createSigner, type ByteStream, type CompositeSigner, type SignatureKeyPair } from '../signer.js';
import type { SignatureSuite } from '../suites.js';
import { expectBothInvalid, expectCodeAsync, expectValid, expectVerdicts } from './assertions.js';
import { concatBytes, flipped, referenceMessageRepresentative, utf8 } from './vectors.js';

/** A deterministic key-generation seed for `suite`, different for each `n`. */
export function testSeed(suite: SignatureSuite, n: number): Uint8Array {
  return Uint8Array.from({ length: suite.lengths.seed }, (_, i) => (i * 29 + n * 101 + 7) & 0xff);
}

/** `total` pseudo-random bytes (a fixed xorshift stream). */
export function testMessage(total: number, seed = 0x9e3779b9): Uint8Array {
  const out = new Uint8Array(total);
  let x = seed >>> 0 || 1;
  for (let i = 0; i < total; i++) {
    x ^= x << 13;
    x ^= x >>> 17;
    x ^= x << 5;
    out[i] = x & 0xff;
  }
  return out;
}

/** `bytes` cut at uneven boundaries (1, 7, 4 KiB + 3, 64 KiB + 1, …), as copies. */
export function unevenChunks(bytes: Uint8Array): Uint8Array[] {
  const sizes = [1, 7, 4099, 65537, 13, 100003, 255, 262147, 31];
  const out: Uint8Array[] = [];
  for (let o = 0, i = 0; o < bytes.length; i++) {
    const n = sizes[i % sizes.length]!;
    out.push(bytes.slice(o, o + n));
    o += n;
  }
  return out;
}

async function* asyncIterable(chunks: Uint8Array[]): AsyncIterable<Uint8Array> {
  for (const c of chunks) {
    await Promise.resolve();
    yield c;
  }
}

function readableStream(chunks: Uint8Array[]): ReadableStream<Uint8Array> {
  let i = 0;
  return new ReadableStream<Uint8Array>({
    pull(controller) {
      const c = chunks[i++];
      if (c) controller.enqueue(c);
      else controller.close();
    },
  });
}

/** A ReadableStream without Symbol.asyncIterator, as some browsers have: read through getReader() only. */
function readerOnlyStream(chunks: Uint8Array[]): ReadableStream<Uint8Array> {
  const stream = readableStream(chunks);
  return { getReader: () => stream.getReader() } as unknown as ReadableStream<Uint8Array>;
}

const STREAMS: [string, (chunks: Uint8Array[]) => ByteStream][] = [
  ['AsyncIterable', asyncIterable],
  ['ReadableStream', readableStream],
  ['ReadableStream read through getReader()', readerOnlyStream],
];

/**
 * Whether the backend signs ML-DSA deterministically on request (absent
 * means it does). A hedged-only backend's signatures are checked by
 * verification and by their deterministic EdDSA half instead of by equality.
 */
export const signsDeterministically = (backend: SignatureBackend): boolean => backend.deterministicSigning !== false;

export function runSignaturePropertyChecks(backend: SignatureBackend, suite: SignatureSuite): void {
  describe(`${suite.name}: properties`, () => {
    const signer = createSigner(suite, backend);
    const det = signsDeterministically(backend);
    // The signatures the tests below change or compare: deterministic where the backend can.
    const fixedOptions = { deterministic: det };
    const L = suite.lengths;
    const mPk = suite.mldsa.lengths.publicKey;
    const mSig = suite.mldsa.lengths.signature;
    const message = utf8('hybridkem composite signature conformance');
    const context = utf8('an application context');
    let pairs: [SignatureKeyPair, SignatureKeyPair] | undefined;
    const keys = () => (pairs ??= [signer.keygen(testSeed(suite, 1)), signer.keygen(testSeed(suite, 2))]);

    it('keygen: sizes as declared; deterministic from a seed, fresh otherwise; pk = ML-DSA pk ‖ EdDSA pk', () => {
      const seed = testSeed(suite, 1);
      const a = signer.keygen(seed);
      expect([a.publicKey.length, a.privateKey.length]).toEqual([L.publicKey, L.privateKey]);
      expect(bytesToHex(a.privateKey), 'the private key is the seed').toBe(bytesToHex(seed));
      a.privateKey.fill(0);
      expect(bytesToHex(seed), 'keygen keeps no reference to the seed').toBe(bytesToHex(testSeed(suite, 1)));
      expect(signer.keygen(seed).publicKey).toEqual(a.publicKey);
      expect(signer.getPublicKey(seed)).toEqual(a.publicKey);
      expect(signer.keygen(testSeed(suite, 2)).publicKey).not.toEqual(a.publicKey);
      const fresh = [signer.keygen(), signer.keygen()];
      expect(fresh[0]!.privateKey).not.toEqual(fresh[1]!.privateKey);
      expect(signer.getPublicKey(fresh[0]!.privateKey)).toEqual(fresh[0]!.publicKey);
      const { publicKey } = backend.mldsa(suite.mldsa).keygen(seed.subarray(0, suite.mldsa.lengths.seed));
      const edPk = backend.eddsa(suite.eddsa).getPublicKey(seed.subarray(suite.mldsa.lengths.seed));
      expect(bytesToHex(a.publicKey)).toBe(bytesToHex(concatBytes(publicKey, edPk)));
    });

    it('signature = ML-DSA.Sign(M’, ctx = Label) ‖ EdDSA.Sign(M’), with M’ built independently', () => {
      const [{ publicKey, privateKey }] = keys();
      const mldsa = backend.mldsa(suite.mldsa);
      const eddsa = backend.eddsa(suite.eddsa);
      const seedLength = suite.mldsa.lengths.seed;
      const label = utf8(suite.label);
      for (const ctx of [new Uint8Array(0), context]) {
        const mPrime = referenceMessageRepresentative(suite, message, ctx);
        const sig = signer.sign(privateKey, message, { deterministic: det, context: ctx });
        if (det) {
          const { secretKey } = mldsa.keygen(privateKey.subarray(0, seedLength));
          expect(bytesToHex(sig.subarray(0, mSig)), 'ML-DSA part').toBe(bytesToHex(mldsa.sign(secretKey, mPrime, label, new Uint8Array(32))));
        }
        expect(bytesToHex(sig.subarray(mSig)), 'EdDSA part').toBe(bytesToHex(eddsa.sign(privateKey.subarray(seedLength), mPrime)));
        expect(mldsa.verify(publicKey.subarray(0, mPk), mPrime, sig.subarray(0, mSig), label)).toBe(true);
        expect(mldsa.verify(publicKey.subarray(0, mPk), mPrime, sig.subarray(0, mSig), new Uint8Array(0)), 'ML-DSA context must be the Label').toBe(false);
      }
    });

    it('round trip, hedged: verifies; two signatures of one message differ in ML-DSA only', () => {
      const [{ publicKey, privateKey }] = keys();
      const a = signer.sign(privateKey, message);
      const b = signer.sign(privateKey, message);
      expect(a.length).toBe(L.signature);
      expect(bytesToHex(a.subarray(0, mSig))).not.toBe(bytesToHex(b.subarray(0, mSig)));
      expect(bytesToHex(a.subarray(mSig)), 'EdDSA is deterministic').toBe(bytesToHex(b.subarray(mSig)));
      expectValid(signer.verify(publicKey, message, a), suite, 'first');
      expectValid(signer.verify(publicKey, message, b), suite, 'second');
      const withContext = signer.sign(privateKey, message, { context });
      expectValid(signer.verify(publicKey, message, withContext, { context }), suite, 'with context');
    });

    if (!det) {
      it('hedged only: { deterministic: true } is refused with ERR_INVALID_ARGUMENT by sign, signDigest and signStream', async () => {
        const [{ privateKey }] = keys();
        const e = expectCode(() => signer.sign(privateKey, message, { deterministic: true }), 'ERR_INVALID_ARGUMENT');
        expect(e.message).toMatch(/^deterministic: /);
        expectCode(() => signer.signDigest(privateKey, new Uint8Array(64), { deterministic: true }), 'ERR_INVALID_ARGUMENT');
        await expectCodeAsync(signer.signStream(privateKey, asyncIterable([message]), { deterministic: true }), 'ERR_INVALID_ARGUMENT');
      });
    }

    if (det) it('round trip, deterministic: two signatures are equal and verify; the empty message too', () => {
      const [{ publicKey, privateKey }] = keys();
      const a = signer.sign(privateKey, message, { deterministic: true });
      expect(signer.sign(privateKey, message, { deterministic: true })).toEqual(a);
      expectValid(signer.verify(publicKey, message, a), suite);
      const empty = signer.sign(privateKey, new Uint8Array(0), { deterministic: true });
      expectValid(signer.verify(publicKey, new Uint8Array(0), empty), suite, 'empty message');
      expectBothInvalid(signer.verify(publicKey, message, empty), suite, 'empty message’s signature on another');
    });

    it('a changed byte in the ML-DSA part fails ML-DSA only (EdDSA still valid)', () => {
      const [{ publicKey, privateKey }] = keys();
      const sig = signer.sign(privateKey, message, fixedOptions);
      for (const at of [0, Math.floor(mSig / 2), mSig - 1]) {
        expectVerdicts(signer.verify(publicKey, message, flipped(sig, at)), suite, { mldsa: false, eddsa: true }, `ML-DSA byte ${at}`);
      }
    });

    it('a changed byte in the EdDSA part fails EdDSA only (ML-DSA still valid)', () => {
      const [{ publicKey, privateKey }] = keys();
      const sig = signer.sign(privateKey, message, fixedOptions);
      for (const at of [mSig, mSig + suite.eddsa.lengths.signature / 2, L.signature - 1]) {
        expectVerdicts(signer.verify(publicKey, message, flipped(sig, at, 0x02)), suite, { mldsa: true, eddsa: false }, `EdDSA byte ${at}`);
      }
    });

    it('a changed message or context fails both components', () => {
      const [{ publicKey, privateKey }] = keys();
      const sig = signer.sign(privateKey, message, { context });
      expectBothInvalid(signer.verify(publicKey, flipped(message, 3), sig, { context }), suite, 'changed message');
      expectBothInvalid(signer.verify(publicKey, concatBytes(message, [0]), sig, { context }), suite, 'extended message');
      expectBothInvalid(signer.verify(publicKey, message, sig, { context: flipped(context, 0) }), suite, 'changed context');
      expectBothInvalid(signer.verify(publicKey, message, sig, { context: context.subarray(1) }), suite, 'shorter context');
      expectBothInvalid(signer.verify(publicKey, message, sig), suite, 'no context');
      const noContext = signer.sign(privateKey, message);
      expectBothInvalid(signer.verify(publicKey, message, noContext, { context: new Uint8Array(1) }), suite, 'context 00 vs none');
    });

    it('another key pair, whole or one half swapped, fails the right components', () => {
      const [a, b] = keys();
      const sig = signer.sign(a.privateKey, message);
      expectBothInvalid(signer.verify(b.publicKey, message, sig), suite, 'other key pair');
      const otherMlDsa = concatBytes(b.publicKey.subarray(0, mPk), a.publicKey.subarray(mPk));
      expectVerdicts(signer.verify(otherMlDsa, message, sig), suite, { mldsa: false, eddsa: true }, 'other ML-DSA key');
      const otherEdDsa = concatBytes(a.publicKey.subarray(0, mPk), b.publicKey.subarray(mPk));
      expectVerdicts(signer.verify(otherEdDsa, message, sig), suite, { mldsa: true, eddsa: false }, 'other EdDSA key');
    });

    it('a signature of the wrong length, or all zeros or all ones, is invalid with reasons, never a throw', () => {
      const [{ publicKey, privateKey }] = keys();
      const sig = signer.sign(privateKey, message);
      for (const bad of [new Uint8Array(0), sig.subarray(0, mSig), sig.subarray(1), concatBytes(sig, [0]), concatBytes(sig, sig)]) {
        const r = signer.verify(publicKey, message, bad);
        expectBothInvalid(r, suite, `${bad.length}-byte signature`);
        expect(r.mldsa.reason).toContain(String(L.signature));
      }
      expectBothInvalid(signer.verify(publicKey, message, new Uint8Array(L.signature)), suite, 'all zeros');
      expectBothInvalid(signer.verify(publicKey, message, new Uint8Array(L.signature).fill(0xff)), suite, 'all ones');
      expectBothInvalid(signer.verify(new Uint8Array(L.publicKey), message, sig), suite, 'all-zero public key');
    });

    it('wrong-length keys, seeds and digests: ERR_INVALID_LENGTH, "field: expected N bytes, got M"', async () => {
      const [{ publicKey, privateKey }] = keys();
      const sig = signer.sign(privateKey, message);
      const cases: [string, () => unknown, number, number][] = [
        ['privateKey', () => signer.sign(privateKey.subarray(1), message), L.privateKey, L.privateKey - 1],
        ['privateKey', () => signer.sign(concatBytes(privateKey, [0]), message), L.privateKey, L.privateKey + 1],
        ['privateKey', () => signer.getPublicKey(new Uint8Array(0)), L.privateKey, 0],
        ['privateKey', () => signer.signDigest(privateKey.subarray(0, 32), new Uint8Array(64)), L.privateKey, 32],
        ['seed', () => signer.keygen(new Uint8Array(L.seed - 1)), L.seed, L.seed - 1],
        ['publicKey', () => signer.verify(publicKey.subarray(1), message, sig), L.publicKey, L.publicKey - 1],
        ['publicKey', () => signer.verify(concatBytes(publicKey, [0]), message, sig), L.publicKey, L.publicKey + 1],
        ['publicKey', () => signer.verify(publicKey.subarray(0, mPk), message, sig), L.publicKey, mPk],
        ['digest', () => signer.signDigest(privateKey, new Uint8Array(63)), 64, 63],
        ['digest', () => signer.verifyDigest(publicKey, new Uint8Array(65), sig), 64, 65],
      ];
      for (const [field, fn, expected, actual] of cases) {
        const e = expectCode(fn, 'ERR_INVALID_LENGTH');
        expect(e.message).toBe(`${field}: expected ${expected} bytes, got ${actual}`);
      }
      const s = await expectCodeAsync(signer.signStream(privateKey.subarray(1), asyncIterable([message])), 'ERR_INVALID_LENGTH');
      expect(s.message).toBe(`privateKey: expected ${L.privateKey} bytes, got ${L.privateKey - 1}`);
      const v = await expectCodeAsync(signer.verifyStream(publicKey.subarray(1), asyncIterable([message]), sig), 'ERR_INVALID_LENGTH');
      expect(v.message).toBe(`publicKey: expected ${L.publicKey} bytes, got ${L.publicKey - 1}`);
    });

    it('a context of 256 bytes: ERR_INVALID_ARGUMENT everywhere; 255 bytes is fine', async () => {
      const [{ publicKey, privateKey }] = keys();
      const long = new Uint8Array(256).fill(0x63);
      const sig = signer.sign(privateKey, message);
      const digest = createPrehash(suite).update(message).digest();
      for (const fn of [
        () => signer.sign(privateKey, message, { context: long }),
        () => signer.verify(publicKey, message, sig, { context: long }),
        () => signer.signDigest(privateKey, digest, { context: long }),
        () => signer.verifyDigest(publicKey, digest, sig, { context: long }),
      ]) {
        expect(expectCode(fn, 'ERR_INVALID_ARGUMENT').message).toMatch(/^context: .*256/);
      }
      await expectCodeAsync(signer.signStream(privateKey, asyncIterable([message]), { context: long }), 'ERR_INVALID_ARGUMENT');
      await expectCodeAsync(signer.verifyStream(publicKey, asyncIterable([message]), sig, { context: long }), 'ERR_INVALID_ARGUMENT');
      const max = long.subarray(1);
      expectValid(signer.verify(publicKey, message, signer.sign(privateKey, message, { context: max }), { context: max }), suite, '255-byte context');
    });

    it('non-byte input: ERR_INVALID_ARGUMENT', async () => {
      const [{ publicKey, privateKey }] = keys();
      const sig = signer.sign(privateKey, message);
      const notBytes = (x: unknown) => x as Uint8Array;
      expectCode(() => signer.sign(privateKey, notBytes('a message')), 'ERR_INVALID_ARGUMENT');
      expectCode(() => signer.sign(notBytes(Array.from(privateKey)), message), 'ERR_INVALID_ARGUMENT');
      expectCode(() => signer.verify(publicKey, message, notBytes(null)), 'ERR_INVALID_ARGUMENT');
      expectCode(() => signer.verify(notBytes(undefined), message, sig), 'ERR_INVALID_ARGUMENT');
      expectCode(() => signer.sign(privateKey, message, { context: notBytes('ctx') }), 'ERR_INVALID_ARGUMENT');
      expectCode(() => signer.keygen(notBytes('seed')), 'ERR_INVALID_ARGUMENT');
      await expectCodeAsync(signer.signStream(privateKey, asyncIterable([message, notBytes('chunk')])), 'ERR_INVALID_ARGUMENT');
    });

    it('does not alter the caller’s keys, message or signature', () => {
      const [{ publicKey, privateKey }] = keys();
      const before = [privateKey, publicKey, message, context].map(bytesToHex);
      const sig = signer.sign(privateKey, message, { context });
      const sigHex = bytesToHex(sig);
      signer.verify(publicKey, message, sig, { context });
      signer.getPublicKey(privateKey);
      expect([privateKey, publicKey, message, context].map(bytesToHex)).toEqual(before);
      expect(bytesToHex(sig)).toBe(sigHex);
    });

    it(`signDigest(PH(m)) = sign(m) (${det ? 'deterministic' : 'hedged: verifies as sign(m), same EdDSA half'}); verifyDigest accepts it`, () => {
      const [{ publicKey, privateKey }] = keys();
      const m = testMessage(5000, 7);
      const digest = createPrehash(suite).update(m.subarray(0, 1234)).update(m.subarray(1234)).digest();
      expect(digest.length).toBe(64);
      const sig = signer.sign(privateKey, m, { ...fixedOptions, context });
      const fromDigest = signer.signDigest(privateKey, digest, { ...fixedOptions, context });
      if (det) expect(bytesToHex(fromDigest)).toBe(bytesToHex(sig));
      else {
        expect(bytesToHex(fromDigest.subarray(mSig))).toBe(bytesToHex(sig.subarray(mSig)));
        expectValid(signer.verify(publicKey, m, fromDigest, { context }), suite, 'verify of signDigest');
      }
      expectValid(signer.verifyDigest(publicKey, digest, sig, { context }), suite, 'verifyDigest');
      expectBothInvalid(signer.verifyDigest(publicKey, flipped(digest, 0), sig, { context }), suite, 'verifyDigest, another digest');
    });

    it('signStream/verifyStream over 1 MiB in uneven chunks: the signature sign() gives; a changed chunk fails', async () => {
      const [{ publicKey, privateKey }] = keys();
      const m = testMessage(1 << 20);
      const chunks = unevenChunks(m);
      expect(chunks.length).toBeGreaterThan(8);
      const expected = bytesToHex(signer.sign(privateKey, m, { ...fixedOptions, context }));
      const sig = hexToBytes('signature', expected);
      for (const [name, make] of STREAMS) {
        const streamed = await signer.signStream(privateKey, make(chunks), { ...fixedOptions, context });
        if (det) expect(bytesToHex(streamed), name).toBe(expected);
        else {
          expect(bytesToHex(streamed.subarray(mSig)), `${name}: EdDSA half`).toBe(expected.slice(2 * mSig));
          expectValid(signer.verify(publicKey, m, streamed, { context }), suite, `verify of signStream, ${name}`);
        }
        expectValid(await signer.verifyStream(publicKey, make(chunks), sig, { context }), suite, `verifyStream, ${name}`);
      }
      const tampered = chunks.slice();
      tampered[3] = flipped(tampered[3]!, 100);
      for (const [name, make] of STREAMS) {
        expectBothInvalid(await signer.verifyStream(publicKey, make(tampered), sig, { context }), suite, `tampered ${name}`);
      }
      expectBothInvalid(await signer.verifyStream(publicKey, asyncIterable(chunks.slice(0, -1)), sig, { context }), suite, 'truncated stream');
      const empty = await signer.signStream(privateKey, asyncIterable([]), fixedOptions);
      if (det) expect(empty).toEqual(signer.sign(privateKey, new Uint8Array(0), { deterministic: true }));
      else expectValid(signer.verify(publicKey, new Uint8Array(0), empty), suite, 'empty stream');
    });
  });
}

/**
 * Signatures from one backend verify on the other, both ways; deterministic
 * signatures are identical where both backends make them.
 */
export function runSignaturePeerChecks(backend: SignatureBackend, peer: SignatureBackend, suite: SignatureSuite): void {
  it(`${suite.name}: interoperates with ${peer.name} both ways`, () => {
    const message = utf8('interoperability');
    const context = utf8('peer');
    const ours = createSigner(suite, backend);
    const theirs = createSigner(suite, peer);
    const pairs: [string, CompositeSigner, CompositeSigner][] = [
      [`${backend.name} → ${peer.name}`, ours, theirs],
      [`${peer.name} → ${backend.name}`, theirs, ours],
    ];
    for (const [what, a, b] of pairs) {
      const { publicKey, privateKey } = a.keygen();
      expect(bytesToHex(b.getPublicKey(privateKey)), `${what}: public key`).toBe(bytesToHex(publicKey));
      const hedged = a.sign(privateKey, message, { context });
      expectValid(b.verify(publicKey, message, hedged, { context }), suite, `${what}: hedged`);
      expectBothInvalid(b.verify(publicKey, message, hedged), suite, `${what}: without its context`);
      const both = signsDeterministically(backend) && signsDeterministically(peer);
      const fixed = a.sign(privateKey, message, { deterministic: both });
      if (both) expect(bytesToHex(b.sign(privateKey, message, { deterministic: true })), `${what}: deterministic signatures`).toBe(bytesToHex(fixed));
      else expect(bytesToHex(b.sign(privateKey, message).subarray(mSigOf(suite))), `${what}: EdDSA halves`).toBe(bytesToHex(fixed.subarray(mSigOf(suite))));
      expectValid(b.verify(publicKey, message, fixed), suite, `${what}: ${both ? 'deterministic' : 'hedged, no context'}`);
      expectVerdicts(b.verify(publicKey, message, flipped(fixed, 0)), suite, { mldsa: false, eddsa: true }, `${what}: ML-DSA part changed`);
    }
  });
}

const mSigOf = (suite: SignatureSuite) => suite.mldsa.lengths.signature;
