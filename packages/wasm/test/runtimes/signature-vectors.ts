/**
 * The test side of the signature runtime tests: the published composite
 * vectors (spec/vectors/signatures/*.json) to send to the runtime, and the
 * check of what it sends back against them.
 * @module
 */
import { listJson, readJson, specVectorsDir } from '@hybridkem/core/testing';
import { SIGNATURE_SUITES } from '@hybridkem/signing';
import { join } from 'node:path';
import { expect } from 'vitest';
import type { SignatureSummary, SignatureVector } from './run-signature-vectors.js';
import { EXPECTED_BACKEND } from './tools.js';

interface SignatureVectorFile {
  suite: string;
  deterministic: boolean;
  vectors: Omit<SignatureVector, 'suite'>[];
}

/** Every published vector of every composite suite; throws when the folder is missing or a suite has none. */
export function loadSignatureVectors(): SignatureVector[] {
  const spec = specVectorsDir();
  if (!spec) throw new Error('spec/vectors not found');
  const dir = join(spec, 'signatures');
  const vectors: SignatureVector[] = [];
  for (const name of listJson(dir)) {
    const file = readJson<SignatureVectorFile>(dir, name);
    // Only deterministic vectors can be reproduced byte for byte.
    if (!file.deterministic) throw new Error(`${name}: not deterministic`);
    for (const v of file.vectors) {
      vectors.push({ suite: file.suite, seed: v.seed, publicKey: v.publicKey, message: v.message, context: v.context, signature: v.signature });
    }
  }
  const suites = new Set(vectors.map((v) => v.suite));
  const missing = SIGNATURE_SUITES.filter((s) => !suites.has(s.name)).map((s) => s.name);
  if (missing.length) throw new Error(`spec/vectors/signatures has no vector for ${missing.join(', ')}`);
  return vectors;
}

/** The runtime ran every vector on the wasm backend: same keys, the published signatures reproduced and verified, a tampered one refused. */
export function expectSignatureSummary(summary: SignatureSummary, vectors: readonly SignatureVector[]): void {
  expect(summary.backend.name, 'the signature backend the runtime used').toBe(EXPECTED_BACKEND);
  expect(summary.outcomes).toHaveLength(vectors.length);
  for (const [i, v] of vectors.entries()) {
    const got = summary.outcomes[i]!;
    const where = `${summary.runtime}: ${v.suite} vector #${i}`;
    expect(got.suite, where).toBe(v.suite);
    expect(got.publicKey, `${where}: public key from the seed`).toBe(v.publicKey);
    expect(got.signature, `${where}: deterministic signature`).toBe(v.signature);
    expect(got.publishedVerifies, `${where}: the published signature verifies`).toBe(true);
    expect(got.tamperedVerifies, `${where}: a tampered signature verifies`).toBe(false);
  }
}
