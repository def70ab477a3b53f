/**
 * Runs inside a real runtime (a Chromium page, a workerd worker): composite
 * signatures through @hybridkem/signing over the wasm `signatureBackend`,
 * on the published vectors the test sends (spec/vectors/signatures). It only
 * reports what the runtime computed; the test compares that with the vectors
 * (signature-vectors.ts), so a wrong result cannot pass here.
 * @module
 */
import { bytesToHex, hexToBytes } from '@hybridkem/core';
import { createSigner, getSignatureSuite, type SignatureBackend } from '@hybridkem/signing';

/** One published vector, as the test sends it. */
export interface SignatureVector {
  suite: string;
  /** The composite private key (ML-DSA seed ‖ EdDSA private key), hex. */
  seed: string;
  publicKey: string;
  message: string;
  context: string;
  /** The published deterministic signature, hex. */
  signature: string;
}

/** What the runtime computed for one vector. */
export interface SignatureOutcome {
  suite: string;
  /** keygen(seed).publicKey, hex. */
  publicKey: string;
  /** sign(privateKey, message, { context, deterministic: true }), hex. */
  signature: string;
  /** verify() of the published signature under the published public key. */
  publishedVerifies: boolean;
  /** verify() of the published signature with its last byte flipped. */
  tamperedVerifies: boolean;
}

export interface SignatureSummary {
  runtime: string;
  backend: { name: string; implementation: string };
  outcomes: SignatureOutcome[];
}

const hex = (s: string): Uint8Array => hexToBytes('vector', s);

export function runSignatureVectors(backend: SignatureBackend, vectors: readonly SignatureVector[], runtime: string): SignatureSummary {
  const outcomes = vectors.map((v): SignatureOutcome => {
    // getSignatureSuite throws for a suite name it does not know.
    const signer = createSigner(getSignatureSuite(v.suite), backend);
    const { publicKey, privateKey } = signer.keygen(hex(v.seed));
    const message = hex(v.message);
    const context = hex(v.context);
    const signature = signer.sign(privateKey, message, { context, deterministic: true });
    privateKey.fill(0);
    const published = hex(v.signature);
    const tampered = published.slice();
    tampered[tampered.length - 1]! ^= 0x01;
    return {
      suite: v.suite,
      publicKey: bytesToHex(publicKey),
      signature: bytesToHex(signature),
      publishedVerifies: signer.verify(hex(v.publicKey), message, published, { context }).valid,
      tamperedVerifies: signer.verify(hex(v.publicKey), message, tampered, { context }).valid,
    };
  });
  return { runtime, backend: { name: backend.name, implementation: backend.implementation }, outcomes };
}
