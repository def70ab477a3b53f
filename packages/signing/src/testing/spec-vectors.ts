/**
 * Our own composite-signature vectors (spec/vectors/signatures, spec §6.8):
 * deterministic signatures, so every backend must reproduce them byte for
 * byte, with the keys' and the signature's encodings.
 * @module
 */
import { armor, bytesToHex, dearmor, hexToBytes } from '@hybridkem/core';
import { inCI, listJson, readJson, specVectorsDir } from '@hybridkem/core/testing';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { SignatureBackend } from '../backend.js';
import { privateKeyFromPem, publicKeyFromPem } from '../pkix.js';
import { createSigner } from '../signer.js';
import { SIGNATURE_SUITES, getSignatureSuite } from '../suites.js';
import { decodeSignature, decodeSigningPublicKey, signingKeyId } from '../wire.js';

interface SpecSignatureFile {
  suite: string;
  suiteId: number;
  oid: string;
  vectors: {
    seed: string;
    publicKey: string;
    message: string;
    context: string;
    signature: string;
    encoded: { publicKey: string; privateKey: string; signature: string };
    armored: { publicKey: string; privateKey: string; signature: string };
    keyId: string;
    pem: { publicKey: string; privateKey: string };
  }[];
}

const hex = (s: string) => hexToBytes('vector', s);

export function runSpecSignatureVectorChecks(backend: SignatureBackend, specDir: string | undefined = specVectorsDir()): void {
  describe('spec vectors (spec/vectors/signatures)', () => {
    const dir = specDir && join(specDir, 'signatures');
    if (!dir) {
      if (inCI) it('spec vectors are present', () => expect.fail('spec/vectors not found (CI=true)'));
      else it.skip('spec/vectors not found: skipped outside CI', () => {});
      return;
    }
    it('exist for every composite suite', () => {
      expect(listJson(dir).map((f) => readJson<SpecSignatureFile>(dir, f).suite).sort()).toEqual(SIGNATURE_SUITES.map((s) => s.name).sort());
    });
    for (const file of listJson(dir)) {
      const det = backend.deterministicSigning !== false;
      it(`${file}: keys, ${det ? 'deterministic signatures' : 'the signatures verify (hedged-only backend: our signature verifies, its EdDSA half is the vector’s)'} and every encoding`, () => {
        const data = readJson<SpecSignatureFile>(dir, file);
        const suite = getSignatureSuite(data.suite);
        expect([suite.id, suite.oid]).toEqual([data.suiteId, data.oid]);
        const signer = createSigner(suite, backend);
        for (const [i, v] of data.vectors.entries()) {
          const where = `${file} #${i}`;
          const { publicKey, privateKey } = signer.keygen(hex(v.seed));
          expect(bytesToHex(publicKey), `${where}: public key`).toBe(v.publicKey);
          const signature = signer.sign(privateKey, hex(v.message), { context: hex(v.context), deterministic: det });
          if (det) expect(bytesToHex(signature), `${where}: signature`).toBe(v.signature);
          else {
            const split = 2 * suite.mldsa.lengths.signature;
            expect(bytesToHex(signature).slice(split), `${where}: EdDSA half`).toBe(v.signature.slice(split));
            expect(signer.verify(publicKey, hex(v.message), signature, { context: hex(v.context) }).valid, `${where}: our signature`).toBe(true);
          }
          expect(signer.verify(publicKey, hex(v.message), hex(v.signature), { context: hex(v.context) }).valid, where).toBe(true);
          expect(bytesToHex(decodeSigningPublicKey(dearmor(v.armored.publicKey).encoded).publicKey), where).toBe(v.publicKey);
          expect(bytesToHex(decodeSignature(dearmor(v.armored.signature).encoded).signature), where).toBe(v.signature);
          expect(armor(hex(v.encoded.privateKey)), where).toBe(v.armored.privateKey);
          expect(signingKeyId(hex(v.encoded.publicKey)), where).toBe(v.keyId);
          expect(bytesToHex(publicKeyFromPem(v.pem.publicKey).publicKey), where).toBe(v.publicKey);
          expect(bytesToHex(privateKeyFromPem(v.pem.privateKey).privateKey), where).toBe(v.seed);
        }
      });
    }
  });
}
