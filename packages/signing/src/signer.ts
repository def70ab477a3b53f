/**
 * Composite ML-DSA signing and verification over a backend's primitives
 * (draft-ietf-lamps-pq-composite-sigs-19, "Composite ML-DSA" sign and verify). Signing is hedged by default;
 * verification reports each component's verdict and fails closed: the
 * signature is valid only when both components are.
 * @module
 */
import { InvalidArgumentError, InvalidLengthError } from '@hybridkem/core';
import type { SignatureBackend } from './backend.js';
import { DIGEST_LENGTH, checkContext, createPrehash, labelBytes, messageRepresentative } from './message.js';
import { getSignatureSuite, type SignatureSuite, type SignatureSuiteRef } from './suites.js';

export interface SignatureKeyPair {
  readonly publicKey: Uint8Array;
  /** ML-DSA seed ‖ EdDSA private key. Secret: wipe it when done. */
  readonly privateKey: Uint8Array;
}

export interface SignOptions {
  /** Application context, at most 255 bytes (bound into M'). */
  context?: Uint8Array;
  /** ML-DSA's deterministic variant (rnd = 0^32), for test vectors. Default: hedged. */
  deterministic?: boolean;
}

export interface VerifyOptions {
  context?: Uint8Array;
}

export interface ComponentVerdict {
  readonly algorithm: string;
  readonly valid: boolean;
  /** Why not, when not valid. */
  readonly reason?: string;
}

export interface VerifyResult {
  /** True only when both components verify. */
  readonly valid: boolean;
  readonly mldsa: ComponentVerdict;
  readonly eddsa: ComponentVerdict;
}

export type ByteStream = AsyncIterable<Uint8Array> | Iterable<Uint8Array> | ReadableStream<Uint8Array>;

export interface CompositeSigner {
  readonly suite: SignatureSuite;
  readonly backend: SignatureBackend;
  /** A key pair; deterministic with `seed` (suite.lengths.seed bytes), else from the CSPRNG. */
  keygen(seed?: Uint8Array): SignatureKeyPair;
  getPublicKey(privateKey: Uint8Array): Uint8Array;
  sign(privateKey: Uint8Array, message: Uint8Array, options?: SignOptions): Uint8Array;
  verify(publicKey: Uint8Array, message: Uint8Array, signature: Uint8Array, options?: VerifyOptions): VerifyResult;
  /** Signs PH(M) computed elsewhere (64 bytes): the same signature as sign(M). */
  signDigest(privateKey: Uint8Array, digest: Uint8Array, options?: SignOptions): Uint8Array;
  verifyDigest(publicKey: Uint8Array, digest: Uint8Array, signature: Uint8Array, options?: VerifyOptions): VerifyResult;
  /** Signs a stream of any size in bounded memory (pre-hashed). */
  signStream(privateKey: Uint8Array, stream: ByteStream, options?: SignOptions): Promise<Uint8Array>;
  verifyStream(publicKey: Uint8Array, stream: ByteStream, signature: Uint8Array, options?: VerifyOptions): Promise<VerifyResult>;
}

const EMPTY = new Uint8Array(0);

function bytes(field: string, value: unknown, length?: number): Uint8Array {
  if (!(value instanceof Uint8Array)) throw new InvalidArgumentError(field, 'expected a Uint8Array');
  if (length !== undefined && value.length !== length) throw new InvalidLengthError(field, length, value.length);
  return value;
}

/** A backend's output of the wrong size would shift the halves of a composite: refuse it. */
function expectOutput(what: string, value: Uint8Array, length: number): Uint8Array {
  if (value.length !== length) throw new InvalidLengthError(`${what} from the backend`, length, value.length);
  return value;
}

function random(n: number): Uint8Array {
  return globalThis.crypto.getRandomValues(new Uint8Array(n));
}

async function* chunks(stream: ByteStream): AsyncIterable<Uint8Array> {
  if (stream !== null && typeof stream === 'object' && (Symbol.asyncIterator in stream || Symbol.iterator in stream) && !(stream instanceof Uint8Array)) {
    for await (const c of stream as AsyncIterable<Uint8Array>) yield bytes('stream chunk', c);
    return;
  }
  if (typeof (stream as ReadableStream<Uint8Array> | null)?.getReader !== 'function') {
    throw new InvalidArgumentError('stream', 'expected an AsyncIterable or Iterable of Uint8Array chunks, or a ReadableStream');
  }
  const reader = (stream as ReadableStream<Uint8Array>).getReader();
  try {
    for (;;) {
      const { done, value } = await reader.read();
      if (done) return;
      yield bytes('stream chunk', value);
    }
  } finally {
    reader.releaseLock();
  }
}

/**
 * A composite signer for one suite over one backend.
 * @throws {UnknownSuiteError}
 */
export function createSigner(suiteRef: SignatureSuiteRef, backend: SignatureBackend): CompositeSigner {
  const suite = getSignatureSuite(suiteRef);
  const mldsa = backend.mldsa(suite.mldsa);
  const eddsa = backend.eddsa(suite.eddsa);
  const L = suite.lengths;
  const seedLength = suite.mldsa.lengths.seed;
  const label = labelBytes(suite);

  function split(privateKey: Uint8Array) {
    bytes('privateKey', privateKey, L.privateKey);
    return { mldsaSeed: privateKey.subarray(0, seedLength), eddsaKey: privateKey.subarray(seedLength) };
  }

  function publicKeyOf(privateKey: Uint8Array): Uint8Array {
    const { mldsaSeed, eddsaKey } = split(privateKey);
    const m = mldsa.keygen(mldsaSeed);
    m.secretKey.fill(0);
    const out = new Uint8Array(L.publicKey);
    out.set(expectOutput('ML-DSA public key', m.publicKey, suite.mldsa.lengths.publicKey));
    out.set(expectOutput('EdDSA public key', eddsa.getPublicKey(eddsaKey), suite.eddsa.lengths.publicKey), m.publicKey.length);
    return out;
  }

  function checkDeterministic(options: SignOptions): void {
    if (options.deterministic && backend.deterministicSigning === false) {
      throw new InvalidArgumentError(
        'deterministic',
        `backend ${backend.name} signs ML-DSA hedged only (its library draws rnd itself); use another backend for deterministic signatures`,
      );
    }
  }

  function signDigest(privateKey: Uint8Array, digest: Uint8Array, options: SignOptions = {}): Uint8Array {
    checkDeterministic(options);
    bytes('digest', digest, DIGEST_LENGTH);
    const context = options.context ?? EMPTY;
    const mPrime = messageRepresentative(suite, digest, context);
    const { mldsaSeed, eddsaKey } = split(privateKey);
    const { secretKey } = mldsa.keygen(mldsaSeed);
    const rnd = options.deterministic ? new Uint8Array(32) : random(32);
    try {
      // ML-DSA signs M' with its own context set to the Label (draft-19, "Composite-ML-DSA.Sign").
      const mldsaSig = expectOutput('ML-DSA signature', mldsa.sign(secretKey, mPrime, label, rnd), suite.mldsa.lengths.signature);
      const eddsaSig = expectOutput('EdDSA signature', eddsa.sign(eddsaKey, mPrime), suite.eddsa.lengths.signature);
      const out = new Uint8Array(L.signature);
      out.set(mldsaSig);
      out.set(eddsaSig, mldsaSig.length);
      return out;
    } finally {
      secretKey.fill(0);
      rnd.fill(0);
    }
  }

  function verifyDigest(publicKey: Uint8Array, digest: Uint8Array, signature: Uint8Array, options: VerifyOptions = {}): VerifyResult {
    bytes('publicKey', publicKey, L.publicKey);
    bytes('digest', digest, DIGEST_LENGTH);
    bytes('signature', signature);
    const context = options.context ?? EMPTY;
    checkContext(context);
    const mName = suite.mldsa.name;
    const eName = suite.eddsa.name;
    if (signature.length !== L.signature) {
      const reason = `signature is ${signature.length} bytes, expected ${L.signature}`;
      return { valid: false, mldsa: { algorithm: mName, valid: false, reason }, eddsa: { algorithm: eName, valid: false, reason } };
    }
    const mPrime = messageRepresentative(suite, digest, context);
    const mSplit = suite.mldsa.lengths.publicKey;
    const sSplit = suite.mldsa.lengths.signature;
    const verdict = (algorithm: string, check: () => boolean): ComponentVerdict => {
      try {
        return check() ? { algorithm, valid: true } : { algorithm, valid: false, reason: `${algorithm} signature does not verify` };
      } catch {
        return { algorithm, valid: false, reason: `${algorithm} public key or signature is malformed` };
      }
    };
    const m = verdict(mName, () => mldsa.verify(publicKey.subarray(0, mSplit), mPrime, signature.subarray(0, sSplit), label));
    const e = verdict(eName, () => eddsa.verify(publicKey.subarray(mSplit), mPrime, signature.subarray(sSplit)));
    return { valid: m.valid && e.valid, mldsa: m, eddsa: e };
  }

  const digestOf = (message: Uint8Array) => createPrehash(suite).update(bytes('message', message)).digest();

  async function digestStream(stream: ByteStream): Promise<Uint8Array> {
    const ph = createPrehash(suite);
    for await (const c of chunks(stream)) ph.update(c);
    return ph.digest();
  }

  return Object.freeze({
    suite,
    backend,
    keygen(seed?: Uint8Array): SignatureKeyPair {
      const privateKey = seed === undefined ? random(L.seed) : bytes('seed', seed, L.seed).slice();
      return { publicKey: publicKeyOf(privateKey), privateKey };
    },
    getPublicKey: publicKeyOf,
    sign: (privateKey, message, options) => signDigest(privateKey, digestOf(message), options),
    verify: (publicKey, message, signature, options) => verifyDigest(publicKey, digestOf(message), signature, options),
    signDigest,
    verifyDigest,
    // Arguments are checked before a possibly long stream is read.
    signStream: async (privateKey, stream, options = {}) => {
      checkDeterministic(options);
      split(privateKey);
      checkContext(options.context ?? EMPTY);
      return signDigest(privateKey, await digestStream(stream), options);
    },
    verifyStream: async (publicKey, stream, signature, options = {}) => {
      bytes('publicKey', publicKey, L.publicKey);
      bytes('signature', signature);
      checkContext(options.context ?? EMPTY);
      return verifyDigest(publicKey, await digestStream(stream), signature, options);
    },
  } satisfies CompositeSigner);
}

