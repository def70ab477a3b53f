/**
 * The published vector files the signature conformance suite reads, their
 * field layouts, and small byte helpers. Node only.
 * @module
 */
import { createHash } from 'node:crypto';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { hexToBytes } from '@hybridkem/core';
import { inCI, readJson } from '@hybridkem/core/testing';
import { base64 } from '@scure/base';
import { it } from 'vitest';
import type { SignatureSuite } from '../suites.js';

/** lamps-wg/draft-composite-sigs `src/testvectors.json` (draft-19), under ../shared/vectors. */
export const COMPOSITE_VECTORS_FILE = 'composite-sigs/testvectors.json';

/** One entry of the composite vector file; every field is base64. */
export interface CompositeVector {
  /** e.g. `id-MLDSA65-Ed25519-SHA512` (composite) or `id-ML-DSA-65` (pure ML-DSA). */
  tcId: string;
  /** mldsaPK ‖ tradPK (pure ML-DSA: the ML-DSA public key). */
  pk: string;
  /** A self-signed X.509 certificate (DER) for pk. */
  x5c: string;
  /** mldsaSeed ‖ tradSK (pure ML-DSA: the 32-byte seed). */
  sk: string;
  /** sk in a PKCS#8 OneAsymmetricKey (DER). */
  sk_pkcs8: string;
  /** Signature over m, empty context. */
  s: string;
  /** Signature over m with context ctx. */
  sWithContext: string;
}

export interface CompositeVectorFile {
  /** The message every entry signs (base64). */
  m: string;
  /** The context of sWithContext (base64). */
  ctx: string;
  tests: CompositeVector[];
}

/** The composite vector file's tcId for a suite: `id-` and the suite name. */
export const compositeTcId = (suite: SignatureSuite) => `id-${suite.name}`;

// Wycheproof v1 layouts (C2SP/wycheproof testvectors_v1, schemas mldsa_verify,
// mldsa_sign_seed, eddsa_verify_v1). Bytes are hex.
export type WycheproofResult = 'valid' | 'invalid' | 'acceptable';

export interface WycheproofFile<G> {
  algorithm: string;
  schema: string;
  numberOfTests: number;
  testGroups: G[];
}

export interface WycheproofCase {
  tcId: number;
  comment: string;
  flags: string[];
  result: WycheproofResult;
}

export interface MlDsaVerifyGroup {
  publicKey: string;
  tests: (WycheproofCase & { msg: string; ctx?: string; sig: string })[];
}

export interface MlDsaSignGroup {
  /** The 32-byte seed (other lengths in IncorrectPrivateKeyLength cases). */
  privateSeed: string;
  /** Null when the seed is invalid. */
  publicKey: string | null;
  /**
   * `msg` is absent in the external-μ (`Internal`) cases, which give only μ.
   * `rnd` is present in the hedged (`Randomized`) case; the others are
   * deterministic (rnd = 0^32).
   */
  tests: (WycheproofCase & { msg?: string; ctx?: string; mu?: string; rnd?: string; sig: string })[];
}

export interface EdDsaVerifyGroup {
  publicKey: { curve: string; pk: string };
  tests: (WycheproofCase & { msg: string; sig: string })[];
}

export const hex = (s: string | undefined | null): Uint8Array => hexToBytes('vector', s ?? '');
export const b64 = (s: string): Uint8Array => base64.decode(s);
export const utf8 = (s: string): Uint8Array => new TextEncoder().encode(s);

export function concatBytes(...parts: ArrayLike<number>[]): Uint8Array {
  const out = new Uint8Array(parts.reduce((n, p) => n + p.length, 0));
  let o = 0;
  for (const p of parts) {
    out.set(p, o);
    o += p.length;
  }
  return out;
}

/** A copy of `bytes` with the byte at `index` XORed with `mask`. */
export function flipped(bytes: Uint8Array, index: number, mask = 0x01): Uint8Array {
  const out = bytes.slice();
  out[index]! ^= mask;
  return out;
}

const PREFIX_TEXT = 'CompositeAlgorithmSignatures2025';

/**
 * M' = Prefix ‖ Label ‖ len(ctx) ‖ ctx ‖ PH(M) (draft-19 §2.2, §4), built
 * here with node:crypto from the draft's text, independently of message.ts.
 */
export function referenceMessageRepresentative(suite: SignatureSuite, message: Uint8Array, context: Uint8Array): Uint8Array {
  const ph =
    suite.prehash === 'SHA-512' ? createHash('sha512').update(message).digest() : createHash('shake256', { outputLength: 64 }).update(message).digest();
  return concatBytes(utf8(PREFIX_TEXT), utf8(suite.label), [context.length], context, ph);
}

/**
 * The path of `file` under the shared vectors folder. When it is missing,
 * registers (inside the current describe) a test that fails in CI (CI=true)
 * or a skipped test that says what is missing, and returns undefined.
 */
export function requireVectorFile(dir: string | undefined, file: string): string | undefined {
  const path = dir === undefined ? undefined : join(dir, file);
  if (path !== undefined && existsSync(path)) return path;
  const where = path ?? `../shared/vectors/${file} (no shared vectors folder found; set HYBRIDKEM_SHARED_VECTORS)`;
  if (inCI) {
    it(`${file} is present`, () => {
      throw new Error(`${where} is missing: the published vectors are required in CI (CI=true)`);
    });
  } else {
    it.skip(`${file} not found at ${where}: skipped outside CI`, () => {});
  }
  return undefined;
}

const cache = new Map<string, unknown>();

/** readJson, parsed once per file per test file. */
export function readVectors<T>(dir: string, file: string): T {
  const key = join(dir, file);
  if (!cache.has(key)) cache.set(key, readJson<T>(dir, file));
  return cache.get(key) as T;
}
