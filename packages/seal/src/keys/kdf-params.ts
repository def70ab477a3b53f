/**
 * The passphrase KDFs' parameters and the limits a reader holds them to
 * (spec/WIRE-FORMAT.md §8.4). The parameters come from the key file, so a
 * file of 91 bytes could otherwise ask for gigabytes of memory and minutes of
 * CPU: they are checked against {@link KDF_LIMITS} before any KDF runs or any
 * buffer is allocated for one.
 * @module
 */
import { InvalidArgumentError } from '@hybridkem/core';
import { KdfParameterError } from './errors.js';

export interface Argon2idParams {
  readonly name: 'argon2id';
  /** Memory in KiB (u32 on the wire). */
  readonly m: number;
  /** Passes (u32 on the wire). */
  readonly t: number;
  /** Lanes (u8 on the wire). */
  readonly p: number;
}

export interface ScryptParams {
  readonly name: 'scrypt';
  /** log2 of N (u8 on the wire). */
  readonly log2N: number;
  /** Block size (u32 on the wire). */
  readonly r: number;
  /** Parallelism (u8 on the wire). */
  readonly p: number;
}

export type KdfParams = Argon2idParams | ScryptParams;

/** OWASP Password Storage Cheat Sheet's minimum for Argon2id: 19 MiB, 2 passes, 1 lane. */
export const DEFAULT_KDF: Argon2idParams = Object.freeze({ name: 'argon2id', m: 19456, t: 2, p: 1 });

/** The alternative when Argon2id is unwanted: scrypt N = 2^17, r = 8, p = 1 (128 MiB; OWASP's scrypt setting). */
export const SCRYPT_KDF: ScryptParams = Object.freeze({ name: 'scrypt', log2N: 17, r: 8, p: 1 });

export interface KdfLimits {
  readonly argon2id: { readonly mMax: number; readonly tMax: number; readonly pMax: number };
  readonly scrypt: { readonly log2NMax: number; readonly rMax: number; readonly pMax: number; readonly memoryMax: number };
}

/** Some of {@link KdfLimits}; what is left out keeps its {@link KDF_LIMITS} value. */
export interface KdfLimitsOverride {
  readonly argon2id?: Partial<KdfLimits['argon2id']>;
  readonly scrypt?: Partial<KdfLimits['scrypt']>;
}

/**
 * The default read limits, and the limits every write is held to (so that
 * whatever this library writes, a reader with the defaults can read).
 * Sized for services; spec/WIRE-FORMAT.md §8.4 has the rationale and the
 * sources. At most 256 MiB of memory and, for Argon2id, 4 passes over it: a
 * few seconds of pure-JS CPU at worst, where the old bounds (1 GiB, 10
 * passes) allowed about a minute. Fits: RFC 9106 §4's second recommended
 * option (t = 3, p = 4, 64 MiB), OWASP's Argon2id settings with t ≤ 4 (e.g.
 * 19 MiB / t = 2, 46 MiB / t = 1) and OWASP's scrypt N = 2^17, r = 8, p = 1.
 * Does not fit, on purpose: RFC 9106's first option (2 GiB). A reader that
 * needs more passes `limits` to the read calls.
 */
export const KDF_LIMITS: KdfLimits = Object.freeze({
  argon2id: Object.freeze({ mMax: 256 * 1024, tMax: 4, pMax: 4 }),
  scrypt: Object.freeze({ log2NMax: 21, rMax: 32, pMax: 4, memoryMax: 256 * 2 ** 20 }),
});

/** `override` on top of {@link KDF_LIMITS}; every value given must be a positive safe integer. */
export function resolveKdfLimits(override?: KdfLimitsOverride): KdfLimits {
  if (override === undefined) return KDF_LIMITS;
  if (override === null || typeof override !== 'object') throw new InvalidArgumentError('limits', 'expected { argon2id?, scrypt? }');
  const merge = <T extends object>(kdf: 'argon2id' | 'scrypt', base: T, part: Partial<T> | undefined): T => {
    const out = { ...base };
    for (const [k, v] of Object.entries(part ?? {})) {
      if (!(k in base)) throw new InvalidArgumentError(`limits.${kdf}.${k}`, 'unknown limit');
      if (typeof v !== 'number' || !Number.isSafeInteger(v) || v < 1) {
        throw new InvalidArgumentError(`limits.${kdf}.${k}`, 'expected a positive integer');
      }
      (out as Record<string, number>)[k] = v;
    }
    return Object.freeze(out);
  };
  return Object.freeze({
    argon2id: merge('argon2id', KDF_LIMITS.argon2id, override.argon2id),
    scrypt: merge('scrypt', KDF_LIMITS.scrypt, override.scrypt),
  });
}

/**
 * Checks KDF parameters against `limits` ({@link KDF_LIMITS} when omitted).
 * The error names the parameter and the limit it broke.
 * @throws {KdfParameterError}
 */
export function checkKdfParams(kdf: KdfParams, limits: KdfLimits = KDF_LIMITS): KdfParams {
  const int = (field: string, v: unknown, min: number, max: number, limit: string): number => {
    if (typeof v !== 'number' || !Number.isInteger(v) || v < min || v > max) {
      throw new KdfParameterError(field, min, max, typeof v === 'number' ? v : NaN, limit);
    }
    return v;
  };
  if (kdf === null || typeof kdf !== 'object') throw new InvalidArgumentError('kdf', 'expected { name: "argon2id" | "scrypt", … }');
  if (kdf.name === 'argon2id') {
    const L = limits.argon2id;
    const p = int('kdf.p (argon2id lanes)', kdf.p, 1, Math.min(L.pMax, 255), 'argon2id.pMax');
    const t = int('kdf.t (argon2id passes)', kdf.t, 1, Math.min(L.tMax, 2 ** 32 - 1), 'argon2id.tMax');
    // Argon2 needs 8 KiB per lane (RFC 9106 §3.1); noble's maxmem is a u32 of bytes.
    const m = int('kdf.m (argon2id memory, KiB)', kdf.m, 8 * p, Math.min(L.mMax, 2 ** 22 - 1), 'argon2id.mMax');
    return Object.freeze({ name: 'argon2id', m, t, p });
  }
  if (kdf.name === 'scrypt') {
    const L = limits.scrypt;
    const log2N = int('kdf.log2N (scrypt)', kdf.log2N, 1, Math.min(L.log2NMax, 255), 'scrypt.log2NMax');
    const r = int('kdf.r (scrypt)', kdf.r, 1, Math.min(L.rMax, 2 ** 32 - 1), 'scrypt.rMax');
    const p = int('kdf.p (scrypt)', kdf.p, 1, Math.min(L.pMax, 255), 'scrypt.pMax');
    const memory = 128 * 2 ** log2N * r;
    if (memory > L.memoryMax) {
      throw new KdfParameterError('kdf (scrypt memory 128·N·r, bytes)', 1, L.memoryMax, memory, 'scrypt.memoryMax');
    }
    return Object.freeze({ name: 'scrypt', log2N, r, p });
  }
  throw new InvalidArgumentError('kdf.name', `expected "argon2id" or "scrypt", got ${JSON.stringify(String((kdf as { name?: unknown }).name).slice(0, 32))}`);
}
