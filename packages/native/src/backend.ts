/**
 * The native backend: every suite operation is one synchronous call into the
 * native core's C ABI (seed expansion, RandomScalar, ML-KEM, the curve and
 * the combiner all happen in Rust on AWS-LC). Outputs are allocated here and
 * written by the core directly, so no secret passes through a C++ buffer.
 * @module
 */
import {
  InvalidArgumentError,
  InvalidLengthError,
  SuiteNotSupportedError,
  SUITES,
  type Backend,
  type Encapsulation,
  type ExpandedPrivateKey,
  type Suite,
} from '@hybridkem/core';
import { addon, type NativePrivateKey } from './addon.js';
import { Status, throwStatus } from './errors.js';
import manifest from '../package.json' with { type: 'json' };

/** Suites of @hybridkem/core that the loaded native core implements (addon.ts checked their sizes). */
export const NATIVE_SUITE_IDS: readonly number[] = Object.freeze(
  SUITES.filter((s) => addon.suites().some((n) => n.id === s.id)).map((s) => s.id),
);

/** The suite as this backend knows it, or SuiteNotSupportedError. */
export function nativeSuite(suite: Suite): Suite {
  const known = suite && typeof suite === 'object' ? SUITES.find((s) => s.id === suite.id) : undefined;
  if (!known) throw new InvalidArgumentError('suite', 'expected a Suite of @hybridkem/core');
  if (!NATIVE_SUITE_IDS.includes(known.id)) throw new SuiteNotSupportedError('native', known.name);
  return known;
}

/** A Uint8Array of exactly `length` bytes, or the typed error naming `field`. */
export function bytesArg(field: string, value: unknown, length: number): Uint8Array {
  if (!(value instanceof Uint8Array)) {
    throw new InvalidArgumentError(field, `expected a Uint8Array, got ${value === null ? 'null' : Array.isArray(value) ? 'an array' : typeof value}`);
  }
  if (value.length !== length) throw new InvalidLengthError(field, length, value.length);
  return value;
}

/**
 * A fresh private key (the suite's seed: 32 bytes, or ML-KEM's 64-byte
 * d ‖ z) from the operating system's CSPRNG, drawn by the native core
 * (AWS-LC RAND_bytes).
 */
export function generatePrivateKey(suite: Suite): Uint8Array {
  const s = nativeSuite(suite);
  const privateKey = new Uint8Array(s.lengths.privateKey);
  const status = addon.generatePrivateKey(s.id, privateKey);
  if (status !== Status.OK) throwStatus(status, s, { operation: 'generatePrivateKey' });
  return privateKey;
}

/** Randomised encapsulation: the native core draws the randomness (CSPRNG) itself. */
export function encapsulateRandom(suite: Suite, publicKey: Uint8Array): Encapsulation {
  const s = nativeSuite(suite);
  bytesArg('publicKey', publicKey, s.lengths.publicKey);
  const ciphertext = new Uint8Array(s.lengths.ciphertext);
  const sharedSecret = new Uint8Array(s.lengths.sharedSecret);
  const status = addon.encapsulate(s.id, publicKey, ciphertext, sharedSecret);
  if (status !== Status.OK) throwStatus(status, s, { operation: 'encapsulate', publicKey });
  return { ciphertext, sharedSecret };
}

const AWS_LC = addon.implementation();

/**
 * Expanded keys of this backend. The token core's facade holds has only
 * destroy(); the addon key stays here, so nothing outside this module can
 * reach it. destroy() frees (wipes) the native key at once; a token dropped
 * without destroy() is freed by the addon's finalizer when collected.
 */
const expandedKeys = new WeakMap<ExpandedPrivateKey, { suite: Suite; key: NativePrivateKey | undefined }>();

/**
 * The native backend. Constant time as far as its libraries are: AWS-LC's
 * ML-KEM (mlkem-native), X25519 and P-256/P-384 code paths are written to run
 * in constant time on secret data (see README.md, "Security").
 */
export const backend: Backend = Object.freeze({
  name: 'native',
  version: manifest.version,
  implementation: `${AWS_LC} through the hybridkem native core ${addon.libraryVersion()} (Rust, C ABI ${addon.abiVersion()}), N-API addon`,
  constantTime: true,
  suites: NATIVE_SUITE_IDS,

  derivePublicKey(suite: Suite, seed: Uint8Array): Uint8Array {
    const s = nativeSuite(suite);
    bytesArg('seed', seed, s.lengths.seed);
    const publicKey = new Uint8Array(s.lengths.publicKey);
    const status = addon.derivePublicKey(s.id, seed, publicKey);
    if (status !== Status.OK) throwStatus(status, s, { operation: 'derivePublicKey', privateKey: seed, fields: { privateKey: 'seed' } });
    return publicKey;
  },

  encapsulate(suite: Suite, publicKey: Uint8Array, randomness: Uint8Array): Encapsulation {
    const s = nativeSuite(suite);
    bytesArg('publicKey', publicKey, s.lengths.publicKey);
    bytesArg('randomness', randomness, s.lengths.randomness);
    const ciphertext = new Uint8Array(s.lengths.ciphertext);
    const sharedSecret = new Uint8Array(s.lengths.sharedSecret);
    const status = addon.encapsulateDerand(s.id, publicKey, randomness, ciphertext, sharedSecret);
    if (status !== Status.OK) throwStatus(status, s, { operation: 'encapsulate', publicKey, randomness });
    return { ciphertext, sharedSecret };
  },

  decapsulate(suite: Suite, seed: Uint8Array, ciphertext: Uint8Array): Uint8Array {
    const s = nativeSuite(suite);
    bytesArg('seed', seed, s.lengths.seed);
    bytesArg('ciphertext', ciphertext, s.lengths.ciphertext);
    const sharedSecret = new Uint8Array(s.lengths.sharedSecret);
    const status = addon.decapsulate(s.id, seed, ciphertext, sharedSecret);
    if (status !== Status.OK) {
      throwStatus(status, s, { operation: 'decapsulate', privateKey: seed, ciphertext, fields: { privateKey: 'seed' } });
    }
    return sharedSecret;
  },

  expandPrivateKey(suite: Suite, seed: Uint8Array): ExpandedPrivateKey {
    const s = nativeSuite(suite);
    bytesArg('seed', seed, s.lengths.seed);
    const key = addon.importPrivateKey(s.id, seed);
    if (typeof key === 'number') throwStatus(key, s, { operation: 'derivePublicKey', privateKey: seed, fields: { privateKey: 'seed' } });
    const entry: { suite: Suite; key: NativePrivateKey | undefined } = { suite: s, key };
    const token: ExpandedPrivateKey = Object.freeze({
      destroy(): void {
        const k = entry.key;
        entry.key = undefined;
        if (k !== undefined) addon.destroyPrivateKey(k);
      },
    });
    expandedKeys.set(token, entry);
    return token;
  },

  decapsulateExpanded(suite: Suite, key: ExpandedPrivateKey, ciphertext: Uint8Array): Uint8Array {
    const s = nativeSuite(suite);
    const entry = expandedKeys.get(key);
    if (!entry || entry.suite.id !== s.id) throw new InvalidArgumentError('privateKey', `not a ${s.name} key of the native backend`);
    if (entry.key === undefined) throw new InvalidArgumentError('privateKey', 'the key was destroyed');
    bytesArg('ciphertext', ciphertext, s.lengths.ciphertext);
    const sharedSecret = new Uint8Array(s.lengths.sharedSecret);
    const status = addon.decapsulateWithKey(entry.key, ciphertext, sharedSecret);
    if (status !== Status.OK) throwStatus(status, s, { operation: 'decapsulate', ciphertext });
    return sharedSecret;
  },
} satisfies Backend);
