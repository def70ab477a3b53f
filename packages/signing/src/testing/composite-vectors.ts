/**
 * The published composite vectors (lamps-wg/draft-composite-sigs,
 * draft-19): keys, both published signatures, our signatures with the
 * published keys, and an exact known answer for M' and the EdDSA component
 * (EdDSA is deterministic; the published ML-DSA signatures are hedged).
 * @module
 */
import { bytesToHex } from '@hybridkem/core';
import { describe, expect, it } from 'vitest';
import type { SignatureBackend } from '../backend.js';
import { createPrehash } from '../message.js';
import { createSigner } from '../signer.js';
import { MLDSA44_ED25519_SHA512, MLDSA65_ED25519_SHA512, MLDSA87_ED448_SHAKE256, SIGNATURE_SUITES, type MlDsaParams, type SignatureSuite } from '../suites.js';
import { expectBothInvalid, expectValid, expectVerdicts } from './assertions.js';
import { derChildren, encodeOid, parseCertificate, parsePkcs8 } from './der.js';
import {
  COMPOSITE_VECTORS_FILE,
  b64,
  compositeTcId,
  readVectors,
  referenceMessageRepresentative,
  requireVectorFile,
  type CompositeVector,
  type CompositeVectorFile,
} from './vectors.js';

const EMPTY = new Uint8Array(0);

/** Registers the checks against composite-sigs/testvectors.json under `dir`. */
export function runCompositeVectorChecks(backend: SignatureBackend, dir: string | undefined): void {
  describe(`published composite vectors (${COMPOSITE_VECTORS_FILE}, draft-ietf-lamps-pq-composite-sigs-19)`, () => {
    if (!requireVectorFile(dir, COMPOSITE_VECTORS_FILE)) return;
    const file = readVectors<CompositeVectorFile>(dir!, COMPOSITE_VECTORS_FILE);
    const m = b64(file.m);
    const ctx = b64(file.ctx);

    it('hold an entry for each of the three suites, and a non-empty context', () => {
      for (const suite of SIGNATURE_SUITES) expect(file.tests.map((t) => t.tcId)).toContain(compositeTcId(suite));
      expect(ctx.length).toBeGreaterThan(0);
    });

    for (const suite of SIGNATURE_SUITES) {
      const v = file.tests.find((t) => t.tcId === compositeTcId(suite));
      if (v) describeVector(backend, suite, v, m, ctx);
    }

    const pure: [string, MlDsaParams][] = [
      ['id-ML-DSA-44', MLDSA44_ED25519_SHA512.mldsa],
      ['id-ML-DSA-65', MLDSA65_ED25519_SHA512.mldsa],
      ['id-ML-DSA-87', MLDSA87_ED448_SHAKE256.mldsa],
    ];
    for (const [tcId, params] of pure) {
      const v = file.tests.find((t) => t.tcId === tcId);
      if (!v) continue;
      it(`${tcId} (pure ML-DSA) through backend.mldsa(): keygen(sk) = pk; s and sWithContext verify, with their own contexts only`, () => {
        const mldsa = backend.mldsa(params);
        const { publicKey } = mldsa.keygen(b64(v.sk));
        expect(bytesToHex(publicKey)).toBe(bytesToHex(b64(v.pk)));
        expect(mldsa.verify(publicKey, m, b64(v.s), EMPTY)).toBe(true);
        expect(mldsa.verify(publicKey, m, b64(v.sWithContext), ctx)).toBe(true);
        expect(mldsa.verify(publicKey, m, b64(v.s), ctx)).toBe(false);
        expect(mldsa.verify(publicKey, m, b64(v.sWithContext), EMPTY)).toBe(false);
      });
    }
  });
}

function describeVector(backend: SignatureBackend, suite: SignatureSuite, v: CompositeVector, m: Uint8Array, ctx: Uint8Array): void {
  const signer = createSigner(suite, backend);
  const L = suite.lengths;
  const pk = b64(v.pk);
  const sk = b64(v.sk);
  const s = b64(v.s);
  const sWithContext = b64(v.sWithContext);
  const eddsaPart = (sig: Uint8Array) => bytesToHex(sig.subarray(suite.mldsa.lengths.signature));

  describe(v.tcId, () => {
    it('sizes are the suite’s; the public key from sk is pk', () => {
      expect([pk.length, sk.length, s.length, sWithContext.length]).toEqual([L.publicKey, L.privateKey, L.signature, L.signature]);
      expect(bytesToHex(signer.getPublicKey(sk))).toBe(bytesToHex(pk));
    });

    it('the published s verifies over m with the empty context (both components valid)', () => {
      expectValid(signer.verify(pk, m, s), suite, 's');
      expectValid(signer.verify(pk, m, s, { context: EMPTY }), suite, 's, explicit empty context');
    });

    it('the published sWithContext verifies over m with ctx, also through verifyDigest and verifyStream', async () => {
      expectValid(signer.verify(pk, m, sWithContext, { context: ctx }), suite, 'verify');
      const digest = createPrehash(suite).update(m.subarray(0, 5)).update(m.subarray(5)).digest();
      expectValid(signer.verifyDigest(pk, digest, sWithContext, { context: ctx }), suite, 'verifyDigest');
      const chunks = async function* () {
        for (let i = 0; i < m.length; i += 7) yield m.slice(i, i + 7);
      };
      expectValid(await signer.verifyStream(pk, chunks(), sWithContext, { context: ctx }), suite, 'verifyStream');
    });

    it('s verified with ctx, and sWithContext without it, fail in both components', () => {
      expectBothInvalid(signer.verify(pk, m, s, { context: ctx }), suite, 's with ctx');
      expectBothInvalid(signer.verify(pk, m, sWithContext), suite, 'sWithContext without ctx');
      expectBothInvalid(signer.verify(pk, m.subarray(1), s), suite, 's over another message');
    });

    it('the published components are over M’ built independently (ML-DSA with context = Label)', () => {
      const mldsa = backend.mldsa(suite.mldsa);
      const eddsa = backend.eddsa(suite.eddsa);
      const split = suite.mldsa.lengths.publicKey;
      const sigSplit = suite.mldsa.lengths.signature;
      const label = new TextEncoder().encode(suite.label);
      for (const [sig, context] of [
        [s, EMPTY],
        [sWithContext, ctx],
      ] as const) {
        const mPrime = referenceMessageRepresentative(suite, m, context);
        expect(mldsa.verify(pk.subarray(0, split), mPrime, sig.subarray(0, sigSplit), label)).toBe(true);
        expect(mldsa.verify(pk.subarray(0, split), mPrime, sig.subarray(0, sigSplit), EMPTY)).toBe(false);
        expect(eddsa.verify(pk.subarray(split), mPrime, sig.subarray(sigSplit))).toBe(true);
      }
    });

    // A hedged-only backend (deterministicSigning: false) signs hedged alone.
    const variants = backend.deterministicSigning === false ? [false] : [false, true];

    it(`our signatures with the published keys verify (${variants.length === 2 ? 'hedged and deterministic' : 'hedged'}, with and without ctx)`, () => {
      for (const deterministic of variants) {
        for (const context of [undefined, ctx]) {
          const sig = signer.sign(sk, m, { deterministic, context });
          expect(sig.length).toBe(L.signature);
          expectValid(signer.verify(pk, m, sig, { context }), suite, `deterministic=${deterministic}, ctx=${context !== undefined}`);
        }
      }
    });

    it('the EdDSA half of our signature equals the published one (known answer for M’ and EdDSA)', () => {
      for (const deterministic of variants) {
        expect(eddsaPart(signer.sign(sk, m, { deterministic })), `s, deterministic=${deterministic}`).toBe(eddsaPart(s));
        expect(eddsaPart(signer.sign(sk, m, { deterministic, context: ctx })), `sWithContext, deterministic=${deterministic}`).toBe(
          eddsaPart(sWithContext),
        );
      }
    });

    it('a published signature with one component broken fails that component only', () => {
      const badMlDsa = s.slice();
      badMlDsa[0]! ^= 0x80;
      expectVerdicts(signer.verify(pk, m, badMlDsa), suite, { mldsa: false, eddsa: true }, 'ML-DSA part changed');
      const badEdDsa = s.slice();
      badEdDsa[suite.mldsa.lengths.signature]! ^= 0x01;
      expectVerdicts(signer.verify(pk, m, badEdDsa), suite, { mldsa: true, eddsa: false }, 'EdDSA part changed');
    });

    it(`x5c is a certificate for pk under OID ${suite.oid} whose self-signature verifies`, () => {
      const cert = parseCertificate(b64(v.x5c));
      const oid = bytesToHex(encodeOid(suite.oid));
      expect(bytesToHex(derChildren(cert.signatureAlgorithm)[0]!.bytes)).toBe(oid);
      expect(bytesToHex(derChildren(cert.spkiAlgorithm)[0]!.bytes)).toBe(oid);
      expect(bytesToHex(cert.spkiKey)).toBe(bytesToHex(pk));
      expectValid(signer.verify(pk, cert.tbs.bytes, cert.signature), suite, 'certificate signature');
    });

    it(`sk_pkcs8 holds sk under OID ${suite.oid}`, () => {
      const p8 = parsePkcs8(b64(v.sk_pkcs8));
      expect(bytesToHex(derChildren(p8.algorithm)[0]!.bytes)).toBe(bytesToHex(encodeOid(suite.oid)));
      expect(bytesToHex(p8.privateKey)).toBe(bytesToHex(sk));
    });
  });
}
