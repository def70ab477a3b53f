/**
 * The native backend's composite-signature primitives for @hybridkem/signing:
 * ML-DSA-44/65/87 and Ed25519 in AWS-LC, Ed448 in the ed448-goldilocks crate,
 * each one synchronous call into the native core's C ABI
 * (native/include/hybridkem.h, "Signatures"). Byte formats are the
 * SignatureBackend contract's and noble's: an ML-DSA key pair from a 32-byte
 * seed with FIPS 204's expanded secret key, pure ML-DSA.Sign with a context
 * and a 32-byte rnd, pure EdDSA with RFC 8032 private keys.
 * @module
 */
import { InvalidArgumentError } from '@hybridkem/core';
import type { EdDsaParams, EdDsaPrimitive, MlDsaParams, MlDsaPrimitive, SignatureBackend } from '@hybridkem/signing';
import { addon } from './addon.js';
import { bytesArg } from './backend.js';
import { signingStatusError, Status } from './errors.js';
import manifest from '../package.json' with { type: 'json' };

/** The C ABI's algorithm ids and FIPS 204's expanded secret-key lengths. */
const MLDSA = {
  'ML-DSA-44': { id: 44, secretKey: 2560 },
  'ML-DSA-65': { id: 65, secretKey: 4032 },
  'ML-DSA-87': { id: 87, secretKey: 4896 },
} as const;
const EDDSA = { Ed25519: 25519, Ed448: 448 } as const;

/** FIPS 204 Algorithm 2: a context string is at most 255 bytes. */
const MAX_CONTEXT = 255;
const RND_LENGTH = 32;

/** The version of the Ed448 crate the native core is built with (native/Cargo.toml pins it exactly). */
export const ED448_CRATE = 'ed448-goldilocks 0.14.0-pre.15';

function fail(status: number, suiteName: string, operation: string): never {
  throw signingStatusError(status, suiteName, operation);
}

function message(field: string, value: unknown): Uint8Array {
  if (!(value instanceof Uint8Array)) throw new InvalidArgumentError(field, 'expected a Uint8Array');
  return value;
}

function context(value: unknown): Uint8Array {
  const ctx = message('context', value);
  if (ctx.length > MAX_CONTEXT) throw new InvalidArgumentError('context', `at most ${MAX_CONTEXT} bytes, got ${ctx.length}`);
  return ctx;
}

/** A verdict from the addon: a boolean, or a status number for arguments the core refused (never expected after our checks). */
function verdict(run: () => boolean | number): boolean {
  try {
    return run() === true;
  } catch {
    return false;
  }
}

const isBytes = (v: unknown, length?: number): v is Uint8Array => v instanceof Uint8Array && (length === undefined || v.length === length);

function mldsa(params: MlDsaParams): MlDsaPrimitive {
  const known = MLDSA[params?.name as keyof typeof MLDSA];
  if (!known) throw new InvalidArgumentError('params', 'expected ML-DSA-44, ML-DSA-65 or ML-DSA-87 parameters');
  const { id, secretKey: skLength } = known;
  const L = params.lengths;
  return Object.freeze({
    keygen(seed: Uint8Array) {
      bytesArg('seed', seed, L.seed);
      const publicKey = new Uint8Array(L.publicKey);
      const secretKey = new Uint8Array(skLength);
      const status = addon.mldsaKeygen(id, seed, publicKey, secretKey);
      if (status !== Status.OK) fail(status, params.name, 'keygen');
      return { publicKey, secretKey };
    },
    sign(secretKey: Uint8Array, msg: Uint8Array, ctx: Uint8Array, rnd: Uint8Array) {
      bytesArg('secretKey', secretKey, skLength);
      message('message', msg);
      context(ctx);
      bytesArg('rnd', rnd, RND_LENGTH);
      const signature = new Uint8Array(L.signature);
      const status = addon.mldsaSign(id, secretKey, msg, ctx, rnd, signature);
      if (status !== Status.OK) fail(status, params.name, 'sign');
      return signature;
    },
    // The contract: false, never a throw, for anything that does not verify,
    // wrong sizes and over-long contexts included.
    verify(publicKey: Uint8Array, msg: Uint8Array, signature: Uint8Array, ctx: Uint8Array) {
      if (!isBytes(publicKey, L.publicKey) || !isBytes(msg) || !isBytes(signature, L.signature) || !isBytes(ctx) || ctx.length > MAX_CONTEXT) {
        return false;
      }
      return verdict(() => addon.mldsaVerify(id, publicKey, msg, signature, ctx));
    },
  });
}

function eddsa(params: EdDsaParams): EdDsaPrimitive {
  const id = EDDSA[params?.name as keyof typeof EDDSA];
  if (!id) throw new InvalidArgumentError('params', 'expected Ed25519 or Ed448 parameters');
  const L = params.lengths;
  return Object.freeze({
    getPublicKey(privateKey: Uint8Array) {
      bytesArg('privateKey', privateKey, L.privateKey);
      const publicKey = new Uint8Array(L.publicKey);
      const status = addon.eddsaPublicKey(id, privateKey, publicKey);
      if (status !== Status.OK) fail(status, params.name, 'getPublicKey');
      return publicKey;
    },
    sign(privateKey: Uint8Array, msg: Uint8Array) {
      bytesArg('privateKey', privateKey, L.privateKey);
      message('message', msg);
      const signature = new Uint8Array(L.signature);
      const status = addon.eddsaSign(id, privateKey, msg, signature);
      if (status !== Status.OK) fail(status, params.name, 'sign');
      return signature;
    },
    verify(publicKey: Uint8Array, msg: Uint8Array, signature: Uint8Array) {
      if (!isBytes(publicKey, L.publicKey) || !isBytes(msg) || !isBytes(signature, L.signature)) return false;
      return verdict(() => addon.eddsaVerify(id, publicKey, msg, signature));
    },
  });
}

/**
 * The native backend's composite-signature primitives. `constantTime` is
 * false because one library does not promise it: AWS-LC's ML-DSA
 * (mldsa-native) and Ed25519 are written and documented to run in constant
 * time on secret data, but ed448-goldilocks (Ed448, suite
 * MLDSA87-Ed448-SHAKE256) documents no such property and is unaudited
 * (README.md, "Signatures").
 */
export const signatureBackend: SignatureBackend = Object.freeze({
  name: 'native',
  version: manifest.version,
  implementation: `${addon.implementation()} (ML-DSA, Ed25519), ${ED448_CRATE} (Ed448), through the hybridkem native core ${addon.libraryVersion()} (Rust, C ABI ${addon.abiVersion()}), N-API addon`,
  constantTime: false,
  mldsa,
  eddsa,
} satisfies SignatureBackend);
