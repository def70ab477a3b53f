// The composite construction of signer.ts over a recording stand-in backend
// (no real cryptography): what each primitive is given (M', ML-DSA's context
// = Label, rnd), what is wiped, and how verdicts are formed when a primitive
// says no or throws. The real primitives are checked by each backend's run of
// @hybridkem/signing/testing.
import { createHash } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import {
  SIGNATURE_SUITES,
  createSigner,
  type EdDsaParams,
  type EdDsaPrimitive,
  type MlDsaParams,
  type MlDsaPrimitive,
  type SignatureBackend,
  type SignatureSuite,
} from '../src/index.js';

const ascii = (s: string) => Uint8Array.from(s, (c) => c.charCodeAt(0));
const hex = (b: Uint8Array) => Buffer.from(b).toString('hex');

/** SHAKE256 of the parts, `n` bytes: the stand-in "keys" and "signatures". */
function xof(n: number, ...parts: Uint8Array[]): Uint8Array {
  const h = createHash('shake256', { outputLength: n });
  for (const p of parts) h.update(Uint8Array.of(p.length >> 8, p.length & 0xff)).update(p);
  return new Uint8Array(h.digest());
}

interface Calls {
  mldsaSign: { secretKey: Uint8Array; message: Uint8Array; context: Uint8Array; rnd: Uint8Array; rndCopy: Uint8Array }[];
  mldsaVerify: { publicKey: Uint8Array; message: Uint8Array; signature: Uint8Array; context: Uint8Array }[];
  eddsaSign: { privateKey: Uint8Array; message: Uint8Array }[];
  eddsaVerify: { publicKey: Uint8Array; message: Uint8Array; signature: Uint8Array }[];
}

/**
 * A toy scheme with the primitives' shapes: a "signature" is a hash of the
 * public key, context and message (and, for ML-DSA, rnd appended), so
 * verification is checkable and every argument is recorded.
 */
function recordingBackend(options: { mldsaVerify?: () => boolean; eddsaVerify?: () => boolean } = {}): SignatureBackend & { calls: Calls } {
  const calls: Calls = { mldsaSign: [], mldsaVerify: [], eddsaSign: [], eddsaVerify: [] };
  const mldsa = (p: MlDsaParams): MlDsaPrimitive => {
    const pkOf = (seed: Uint8Array) => xof(p.lengths.publicKey, ascii('pk'), seed);
    const body = (pk: Uint8Array, msg: Uint8Array, ctx: Uint8Array) => xof(p.lengths.signature - 32, pk, ctx, msg);
    return {
      keygen: (seed) => ({ publicKey: pkOf(seed), secretKey: seed.slice() }),
      sign(secretKey, message, context, rnd) {
        calls.mldsaSign.push({ secretKey, message: message.slice(), context: context.slice(), rnd, rndCopy: rnd.slice() });
        const out = new Uint8Array(p.lengths.signature);
        out.set(body(pkOf(secretKey), message, context));
        out.set(rnd, p.lengths.signature - 32);
        return out;
      },
      verify(publicKey, message, signature, context) {
        calls.mldsaVerify.push({ publicKey, message, signature, context });
        if (options.mldsaVerify) return options.mldsaVerify();
        return hex(signature.subarray(0, p.lengths.signature - 32)) === hex(body(publicKey, message, context));
      },
    };
  };
  const eddsa = (p: EdDsaParams): EdDsaPrimitive => {
    const pkOf = (sk: Uint8Array) => xof(p.lengths.publicKey, ascii('ed'), sk);
    return {
      getPublicKey: pkOf,
      sign(privateKey, message) {
        calls.eddsaSign.push({ privateKey, message: message.slice() });
        return xof(p.lengths.signature, pkOf(privateKey), message);
      },
      verify(publicKey, message, signature) {
        calls.eddsaVerify.push({ publicKey, message, signature });
        if (options.eddsaVerify) return options.eddsaVerify();
        return hex(signature) === hex(xof(p.lengths.signature, publicKey, message));
      },
    };
  };
  return { name: 'recording', version: '0', implementation: 'test stand-in', constantTime: false, mldsa, eddsa, calls };
}

function mPrime(suite: SignatureSuite, message: Uint8Array, context: Uint8Array): string {
  const ph = suite.prehash === 'SHA-512' ? createHash('sha512') : createHash('shake256', { outputLength: 64 });
  return hex(Uint8Array.from([...ascii('CompositeAlgorithmSignatures2025'), ...ascii(suite.label), context.length, ...context, ...ph.update(message).digest()]));
}

describe.each(SIGNATURE_SUITES.map((s) => [s.name, s] as const))('%s over a recording backend', (_, suite) => {
  const seed = Uint8Array.from({ length: suite.lengths.seed }, (_, i) => i);
  const message = ascii('message');
  const context = ascii('context');
  const mSig = suite.mldsa.lengths.signature;

  it('keys: privateKey = seed; publicKey = ML-DSA pk(seed[0..32]) ‖ EdDSA pk(seed[32..])', () => {
    const b = recordingBackend();
    const { publicKey, privateKey } = createSigner(suite, b).keygen(seed);
    expect(hex(privateKey)).toBe(hex(seed));
    const want = [b.mldsa(suite.mldsa).keygen(seed.subarray(0, 32)).publicKey, b.eddsa(suite.eddsa).getPublicKey(seed.subarray(32))];
    expect(hex(publicKey)).toBe(want.map(hex).join(''));
  });

  it('sign: both primitives get M’; ML-DSA gets context = Label; signature = ML-DSA sig ‖ EdDSA sig', () => {
    const b = recordingBackend();
    const signer = createSigner(suite, b);
    const sig = signer.sign(seed, message, { context, deterministic: true });
    const [m] = b.calls.mldsaSign;
    const [e] = b.calls.eddsaSign;
    expect(hex(m!.message)).toBe(mPrime(suite, message, context));
    expect(new TextDecoder().decode(m!.context)).toBe(suite.label);
    expect(hex(e!.message)).toBe(mPrime(suite, message, context));
    expect(hex(e!.privateKey)).toBe(hex(seed.subarray(32)));
    expect(sig.length).toBe(suite.lengths.signature);
    expect(hex(sig.subarray(mSig))).toBe(hex(xof(suite.eddsa.lengths.signature, b.eddsa(suite.eddsa).getPublicKey(seed.subarray(32)), e!.message)));
  });

  it('sign: deterministic gives rnd = 0^32; hedged gives 32 fresh bytes; both are wiped afterwards, as is the secret key', () => {
    const b = recordingBackend();
    const signer = createSigner(suite, b);
    signer.sign(seed, message, { deterministic: true });
    signer.sign(seed, message);
    signer.sign(seed, message);
    const [det, h1, h2] = b.calls.mldsaSign;
    expect(hex(det!.rndCopy)).toBe(hex(new Uint8Array(32)));
    expect(h1!.rndCopy.length).toBe(32);
    expect(hex(h1!.rndCopy)).not.toBe(hex(h2!.rndCopy));
    expect(hex(h1!.rndCopy)).not.toBe(hex(new Uint8Array(32)));
    for (const c of [det, h1, h2]) {
      expect(hex(c!.rnd), 'rnd wiped').toBe(hex(new Uint8Array(32)));
      expect(hex(c!.secretKey), 'expanded secret key wiped').toBe(hex(new Uint8Array(c!.secretKey.length)));
    }
    expect(hex(seed)).toBe(hex(Uint8Array.from({ length: suite.lengths.seed }, (_, i) => i)));
  });

  it('verify: the halves of key and signature go to their own primitive, over M’, ML-DSA with context = Label', () => {
    const b = recordingBackend();
    const signer = createSigner(suite, b);
    const { publicKey } = signer.keygen(seed);
    const sig = signer.sign(seed, message, { context });
    const r = signer.verify(publicKey, message, sig, { context });
    expect(r).toEqual({ valid: true, mldsa: { algorithm: suite.mldsa.name, valid: true }, eddsa: { algorithm: suite.eddsa.name, valid: true } });
    const [m] = b.calls.mldsaVerify;
    const [e] = b.calls.eddsaVerify;
    const split = suite.mldsa.lengths.publicKey;
    expect(hex(m!.publicKey)).toBe(hex(publicKey.subarray(0, split)));
    expect(hex(e!.publicKey)).toBe(hex(publicKey.subarray(split)));
    expect(hex(m!.signature)).toBe(hex(sig.subarray(0, mSig)));
    expect(hex(e!.signature)).toBe(hex(sig.subarray(mSig)));
    expect(hex(m!.message)).toBe(mPrime(suite, message, context));
    expect(hex(e!.message)).toBe(mPrime(suite, message, context));
    expect(new TextDecoder().decode(m!.context)).toBe(suite.label);
  });

  it('verify: valid only when both components are; each verdict says why it failed', () => {
    const cases = [
      [true, false],
      [false, true],
      [false, false],
    ] as const;
    for (const [mOk, eOk] of cases) {
      const b = recordingBackend({ mldsaVerify: () => mOk, eddsaVerify: () => eOk });
      const signer = createSigner(suite, b);
      const { publicKey } = signer.keygen(seed);
      const r = signer.verify(publicKey, message, signer.sign(seed, message));
      expect([r.valid, r.mldsa.valid, r.eddsa.valid]).toEqual([false, mOk, eOk]);
      if (!mOk) expect(r.mldsa.reason).toBe(`${suite.mldsa.name} signature does not verify`);
      if (!eOk) expect(r.eddsa.reason).toBe(`${suite.eddsa.name} signature does not verify`);
      // Both components are always evaluated.
      expect([b.calls.mldsaVerify.length, b.calls.eddsaVerify.length]).toEqual([1, 1]);
    }
  });

  it('verify: a primitive that throws gives an invalid verdict ("malformed"), not an exception', () => {
    const boom = () => {
      throw new Error('malformed input');
    };
    for (const [mThrows, eThrows] of [
      [true, false],
      [false, true],
      [true, true],
    ] as const) {
      const b = recordingBackend({ mldsaVerify: mThrows ? boom : undefined, eddsaVerify: eThrows ? boom : undefined });
      const signer = createSigner(suite, b);
      const { publicKey } = signer.keygen(seed);
      const r = signer.verify(publicKey, message, signer.sign(seed, message));
      expect([r.valid, r.mldsa.valid, r.eddsa.valid]).toEqual([false, !mThrows, !eThrows]);
      if (mThrows) expect(r.mldsa.reason).toBe(`${suite.mldsa.name} public key or signature is malformed`);
      if (eThrows) expect(r.eddsa.reason).toBe(`${suite.eddsa.name} public key or signature is malformed`);
    }
  });

  it('verify: a signature of the wrong length reaches no primitive', () => {
    const b = recordingBackend();
    const signer = createSigner(suite, b);
    const { publicKey } = signer.keygen(seed);
    const r = signer.verify(publicKey, message, new Uint8Array(suite.lengths.signature - 1));
    expect(r.valid).toBe(false);
    expect(r.mldsa.reason).toBe(`signature is ${suite.lengths.signature - 1} bytes, expected ${suite.lengths.signature}`);
    expect(r.eddsa.reason).toBe(r.mldsa.reason);
    expect([b.calls.mldsaVerify.length, b.calls.eddsaVerify.length]).toEqual([0, 0]);
  });
});

describe('streams and backend outputs', () => {
  const suite = SIGNATURE_SUITES[1]!;
  const signer = createSigner(suite, recordingBackend());
  const { publicKey, privateKey } = signer.keygen(new Uint8Array(suite.lengths.seed).fill(4));
  const parts = [ascii('hello, '), ascii('composite '), ascii('world')];
  const whole = ascii('hello, composite world');

  it('accepts plain iterables of chunks, like async ones', async () => {
    const expected = signer.sign(privateKey, whole, { deterministic: true });
    expect(await signer.signStream(privateKey, parts, { deterministic: true })).toEqual(expected);
    expect((await signer.verifyStream(publicKey, parts, expected)).valid).toBe(true);
  });

  it('refuses what is not a stream with a typed error', async () => {
    for (const bad of [null, whole, 42]) {
      await expect(signer.signStream(privateKey, bad as never)).rejects.toMatchObject({ code: 'ERR_INVALID_ARGUMENT' });
    }
  });

  it('checks keys and context before reading any of the stream', async () => {
    let read = 0;
    const stream = {
      async *[Symbol.asyncIterator]() {
        read++;
        yield whole;
      },
    };
    await expect(signer.signStream(privateKey.subarray(1), stream)).rejects.toMatchObject({ code: 'ERR_INVALID_LENGTH' });
    await expect(signer.signStream(privateKey, stream, { context: new Uint8Array(256) })).rejects.toMatchObject({ code: 'ERR_INVALID_ARGUMENT' });
    await expect(signer.verifyStream(publicKey.subarray(1), stream, new Uint8Array(suite.lengths.signature))).rejects.toMatchObject({ code: 'ERR_INVALID_LENGTH' });
    expect(read).toBe(0);
  });

  it('refuses a backend output of the wrong size instead of shifting the halves', () => {
    const base = recordingBackend();
    const short: SignatureBackend = {
      ...base,
      eddsa: (p) => ({ ...base.eddsa(p), sign: (sk, m) => base.eddsa(p).sign(sk, m).subarray(1) }),
    };
    const s = createSigner(suite, short);
    expect(() => s.sign(privateKey, whole)).toThrow('EdDSA signature from the backend: expected 64 bytes, got 63');
  });
});
