/**
 * Wycheproof vectors (../shared/vectors/wycheproof) for a backend's
 * component primitives: ML-DSA-44/65/87 verification, ML-DSA-65/87 signing
 * from a seed (deterministic, rnd = 0^32, except one hedged case that gives
 * its rnd), Ed25519 and Ed448 verification.
 * @module
 */
import { bytesToHex } from '@hybridkem/core';
import { describe, expect, it } from 'vitest';
import type { SignatureBackend } from '../backend.js';
import { MLDSA44_ED25519_SHA512, MLDSA65_ED25519_SHA512, MLDSA87_ED448_SHAKE256, type EdDsaParams, type MlDsaParams } from '../suites.js';
import { outcome } from './assertions.js';
import { hex, readVectors, requireVectorFile, type EdDsaVerifyGroup, type MlDsaSignGroup, type MlDsaVerifyGroup, type WycheproofCase, type WycheproofFile } from './vectors.js';

const MAX_CONTEXT = 255;
const level = (p: MlDsaParams) => p.name.slice('ML-DSA-'.length);

interface VerifyCase {
  readonly tcId: number;
  readonly result: WycheproofCase['result'];
  readonly flags: readonly string[];
  /** Every size is the parameter set's (key, signature; context at most 255 bytes). */
  readonly wellFormed: boolean;
  readonly run: () => unknown;
}

/**
 * Registers the two verification checks for one file:
 * - well-formed sizes: valid → true, invalid → false, never a throw (the
 *   contract of MlDsaPrimitive.verify / EdDsaPrimitive.verify);
 * - malformed sizes (wrong-length key or signature, context over 255 bytes,
 *   which the composite layer never passes down): false as well, never a
 *   throw and never true.
 */
function verifyChecks(title: string, file: string, cases: VerifyCase[], numberOfTests: number): void {
  const wellFormed = cases.filter((c) => c.wellFormed);
  const malformed = cases.filter((c) => !c.wellFormed);

  it(`${title}: ${wellFormed.length} cases of well-formed sizes, valid → true, invalid → false, never throws`, () => {
    expect(cases.length, `${file}: numberOfTests`).toBe(numberOfTests);
    expect(wellFormed.filter((c) => c.result === 'valid').length).toBeGreaterThan(0);
    expect(wellFormed.filter((c) => c.result === 'invalid').length).toBeGreaterThan(0);
    const failures: string[] = [];
    for (const c of wellFormed) {
      const got = outcome(c.run);
      const ok = c.result === 'acceptable' ? typeof got === 'boolean' : got === (c.result === 'valid');
      if (!ok) failures.push(`tcId ${c.tcId} (${c.result}; ${c.flags.join(', ')}): got ${String(got)}`);
    }
    expect(failures).toEqual([]);
  });

  if (malformed.length > 0) {
    it(`${title}: ${malformed.length} cases of malformed sizes give false, never a throw`, () => {
      const failures: string[] = [];
      for (const c of malformed) {
        const got = outcome(c.run);
        if (c.result !== 'invalid' || got !== false) {
          failures.push(`tcId ${c.tcId} (${c.result}; ${c.flags.join(', ')}): got ${String(got)}`);
        }
      }
      expect(failures).toEqual([]);
    });
  }
}

/** Registers every Wycheproof component check; `dir` is the shared vectors folder. */
export function runWycheproofSignatureChecks(backend: SignatureBackend, dir: string | undefined): void {
  describe('Wycheproof component vectors (backend.mldsa() / backend.eddsa())', () => {
    for (const params of [MLDSA44_ED25519_SHA512.mldsa, MLDSA65_ED25519_SHA512.mldsa, MLDSA87_ED448_SHAKE256.mldsa]) {
      mlDsaVerify(backend, params, dir);
    }
    for (const params of [MLDSA65_ED25519_SHA512.mldsa, MLDSA87_ED448_SHAKE256.mldsa]) mlDsaSignFromSeed(backend, params, dir);
    eddsaVerify(backend, MLDSA44_ED25519_SHA512.eddsa, 'wycheproof/ed25519_test.json', dir);
    eddsaVerify(backend, MLDSA87_ED448_SHAKE256.eddsa, 'wycheproof/ed448_test.json', dir);
  });
}

function mlDsaVerify(backend: SignatureBackend, params: MlDsaParams, dir: string | undefined): void {
  const file = `wycheproof/mldsa_${level(params)}_verify_test.json`;
  if (!requireVectorFile(dir, file)) return;
  const data = readVectors<WycheproofFile<MlDsaVerifyGroup>>(dir!, file);
  const mldsa = backend.mldsa(params);
  const cases = data.testGroups.flatMap((g) =>
    g.tests.map((t): VerifyCase => {
      const size = (h: string | undefined) => (h ?? '').length / 2;
      return {
        tcId: t.tcId,
        result: t.result,
        flags: t.flags,
        wellFormed: size(g.publicKey) === params.lengths.publicKey && size(t.sig) === params.lengths.signature && size(t.ctx) <= MAX_CONTEXT,
        run: () => mldsa.verify(hex(g.publicKey), hex(t.msg), hex(t.sig), hex(t.ctx)),
      };
    }),
  );
  it(`${file} is for ${params.name}`, () => expect(data.algorithm).toBe(params.name));
  verifyChecks(`${params.name} verify`, file, cases, data.numberOfTests);
}

function mlDsaSignFromSeed(backend: SignatureBackend, params: MlDsaParams, dir: string | undefined): void {
  const file = `wycheproof/mldsa_${level(params)}_sign_seed_test.json`;
  if (!requireVectorFile(dir, file)) return;
  const data = readVectors<WycheproofFile<MlDsaSignGroup>>(dir!, file);
  const mldsa = backend.mldsa(params);
  const all = data.testGroups.flatMap((g) => g.tests.map((t) => ({ g, t })));
  // External-μ cases give μ and no message: they are for Sign_internal, which the primitive does not expose.
  const externalMu = all.filter(({ t }) => t.msg === undefined);
  const valid = all.filter(({ t }) => t.msg !== undefined && t.result === 'valid');
  const invalid = all.filter(({ t }) => t.result !== 'valid');

  it(`${file}: ${params.name}, ${all.length} cases (${externalMu.length} external-μ cases need Sign_internal and are not applicable)`, () => {
    expect(data.algorithm).toBe(params.name);
    expect(all.length).toBe(data.numberOfTests);
    for (const { t } of externalMu) expect(t.flags, `tcId ${t.tcId}`).toContain('Internal');
    expect(invalid.every(({ t }) => t.result === 'invalid')).toBe(true);
  });

  // A hedged-only backend (deterministicSigning: false) cannot reproduce sig:
  // its keys must match, the published sig must verify under them, and its
  // own hedged signature of the same message and context must verify too.
  const det = backend.deterministicSigning !== false;
  const someRnd = new Uint8Array(32).fill(0x5a);
  if (!det) it(`${params.name} sign from seed (hedged-only backend): ${valid.length} valid cases, keygen(privateSeed) = publicKey, sig verifies, our hedged signature verifies`, () => {
    const failures: string[] = [];
    const keys = new Map<MlDsaSignGroup, ReturnType<typeof mldsa.keygen>>();
    for (const { g, t } of valid) {
      let k = keys.get(g);
      if (!k) {
        k = mldsa.keygen(hex(g.privateSeed));
        keys.set(g, k);
        if (bytesToHex(k.publicKey) !== g.publicKey) failures.push(`tcId ${t.tcId}: keygen(privateSeed) is not publicKey`);
      }
      const [msg, ctx] = [hex(t.msg), hex(t.ctx)];
      if (!mldsa.verify(k.publicKey, msg, hex(t.sig), ctx)) failures.push(`tcId ${t.tcId}: the published sig does not verify`);
      const ours = outcome(() => mldsa.sign(k.secretKey, msg, ctx, someRnd));
      if (typeof ours === 'string' || !mldsa.verify(k.publicKey, msg, ours, ctx)) failures.push(`tcId ${t.tcId}: our signature ${typeof ours === 'string' ? ours : 'does not verify'}`);
    }
    expect(failures).toEqual([]);
  });

  if (det) it(`${params.name} sign from seed: ${valid.length} valid cases, keygen(privateSeed) = publicKey and signing gives exactly sig (rnd = 0^32 unless given)`, () => {
    const zeros = new Uint8Array(32);
    const failures: string[] = [];
    const keys = new Map<MlDsaSignGroup, ReturnType<typeof mldsa.keygen>>();
    let hedged = 0;
    for (const { g, t } of valid) {
      let k = keys.get(g);
      if (!k) {
        k = mldsa.keygen(hex(g.privateSeed));
        keys.set(g, k);
        if (bytesToHex(k.publicKey) !== g.publicKey) failures.push(`tcId ${t.tcId}: keygen(privateSeed) is not publicKey`);
      }
      if (t.rnd !== undefined) hedged++;
      const [msg, ctx] = [hex(t.msg), hex(t.ctx)];
      const sig = outcome(() => bytesToHex(mldsa.sign(k.secretKey, msg, ctx, t.rnd === undefined ? zeros : hex(t.rnd))));
      if (sig !== t.sig) failures.push(`tcId ${t.tcId} (${t.flags.join(', ')}): ${sig.startsWith('throws') ? sig : 'another signature'}`);
    }
    expect(failures).toEqual([]);
    expect(hedged, 'the hedged (Randomized) case with its rnd').toBe(1);
  });

  it(`${params.name} sign from seed: ${invalid.length} invalid cases (${[...new Set(invalid.flatMap(({ t }) => t.flags))].join(', ')}) throw`, () => {
    expect(invalid.length).toBeGreaterThan(0);
    for (const { g, t } of invalid) {
      expect(() => {
        const { secretKey } = mldsa.keygen(hex(g.privateSeed));
        mldsa.sign(secretKey, hex(t.msg), hex(t.ctx), det ? new Uint8Array(32) : someRnd);
      }, `tcId ${t.tcId} (${t.comment})`).toThrow();
    }
  });
}

function eddsaVerify(backend: SignatureBackend, params: EdDsaParams, file: string, dir: string | undefined): void {
  if (!requireVectorFile(dir, file)) return;
  const data = readVectors<WycheproofFile<EdDsaVerifyGroup>>(dir!, file);
  const eddsa = backend.eddsa(params);
  const cases = data.testGroups.flatMap((g) =>
    g.tests.map((t): VerifyCase => {
      return {
        tcId: t.tcId,
        result: t.result,
        flags: t.flags,
        wellFormed: g.publicKey.pk.length / 2 === params.lengths.publicKey && t.sig.length / 2 === params.lengths.signature,
        run: () => eddsa.verify(hex(g.publicKey.pk), hex(t.msg), hex(t.sig)),
      };
    }),
  );
  it(`${file} is for ${params.name}`, () => {
    expect(data.schema).toBe('eddsa_verify_schema_v1.json');
    for (const g of data.testGroups) expect(g.publicKey.curve).toBe(params.name === 'Ed25519' ? 'edwards25519' : 'edwards448');
  });
  verifyChecks(`${params.name} verify`, file, cases, data.numberOfTests);
}
