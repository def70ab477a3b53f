/**
 * @hybridkem/signing/testing: the conformance suite every signature backend
 * runs against itself under vitest, and the helpers it is built from.
 *
 *     import { runSignatureConformanceSuite } from '@hybridkem/signing/testing';
 *     runSignatureConformanceSuite(signatureBackend, { peers: [otherBackend] });
 *
 * Published vectors come from ../shared/vectors (found by walking up from the
 * working directory, or $HYBRIDKEM_SHARED_VECTORS): a missing file fails the
 * run when CI=true and is skipped, with a message, otherwise. Node only.
 * @module
 */
import { sharedVectorsDir } from '@hybridkem/core/testing';
import { describe, expect, it } from 'vitest';
import type { SignatureBackend } from '../backend.js';
import { SIGNATURE_SUITES } from '../suites.js';
import { runCompositeVectorChecks } from './composite-vectors.js';
import { runSignaturePeerChecks, runSignaturePropertyChecks } from './properties.js';
import { runSpecSignatureVectorChecks } from './spec-vectors.js';
import { runWycheproofSignatureChecks } from './wycheproof.js';

export interface SignatureConformanceOptions {
  /** Backends to cross-check against: each verifies the other's signatures. */
  peers?: readonly SignatureBackend[];
  /** Where ../shared/vectors is; found by walking up from the working directory otherwise. */
  sharedVectors?: string;
}

/** Every check a signature backend must pass: published vectors, Wycheproof, properties, peers. */
export function runSignatureConformanceSuite(backend: SignatureBackend, options: SignatureConformanceOptions = {}): void {
  const dir = options.sharedVectors ?? sharedVectorsDir();
  describe(`signature backend ${backend.name}: conformance`, () => {
    it('describes itself and gives primitives for every suite', () => {
      for (const field of [backend.name, backend.version, backend.implementation]) expect(field).toMatch(/\S/);
      expect(typeof backend.constantTime).toBe('boolean');
      for (const suite of SIGNATURE_SUITES) {
        const mldsa = backend.mldsa(suite.mldsa);
        const eddsa = backend.eddsa(suite.eddsa);
        for (const f of [mldsa.keygen, mldsa.sign, mldsa.verify, eddsa.getPublicKey, eddsa.sign, eddsa.verify]) expect(typeof f).toBe('function');
      }
    });

    runCompositeVectorChecks(backend, dir);
    runSpecSignatureVectorChecks(backend);
    runWycheproofSignatureChecks(backend, dir);
    for (const suite of SIGNATURE_SUITES) runSignaturePropertyChecks(backend, suite);

    for (const peer of options.peers ?? []) {
      describe(`interoperability with ${peer.name}`, () => {
        for (const suite of SIGNATURE_SUITES) runSignaturePeerChecks(backend, peer, suite);
      });
    }
  });
}

export { expectBothInvalid, expectCodeAsync, expectValid, expectVerdicts, outcome } from './assertions.js';
export { runCompositeVectorChecks } from './composite-vectors.js';
export { derChildren, encodeOid, parseCertificate, parsePkcs8, readDer, type DerNode } from './der.js';
export { runSignaturePeerChecks, runSignaturePropertyChecks, testMessage, testSeed, unevenChunks } from './properties.js';
export {
  COMPOSITE_VECTORS_FILE,
  compositeTcId,
  concatBytes,
  flipped,
  referenceMessageRepresentative,
  requireVectorFile,
  type CompositeVector,
  type CompositeVectorFile,
  type EdDsaVerifyGroup,
  type MlDsaSignGroup,
  type MlDsaVerifyGroup,
  type WycheproofCase,
  type WycheproofFile,
} from './vectors.js';
export { runWycheproofSignatureChecks } from './wycheproof.js';
export { runSpecSignatureVectorChecks } from './spec-vectors.js';
export { resetSignatureBackendsForTesting } from '../registry.js';
