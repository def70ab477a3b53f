/**
 * ML-DSA (@noble/post-quantum) and EdDSA (@noble/curves) as the primitives
 * of @hybridkem/signing's composite suites.
 * @module
 */
import type { EdDsaParams, EdDsaPrimitive, MlDsaParams, MlDsaPrimitive, SignatureBackend } from '@hybridkem/signing';
import { ed25519 } from '@noble/curves/ed25519.js';
import { ed448 } from '@noble/curves/ed448.js';
import { ml_dsa44, ml_dsa65, ml_dsa87 } from '@noble/post-quantum/ml-dsa.js';

const DSA = { 'ML-DSA-44': ml_dsa44, 'ML-DSA-65': ml_dsa65, 'ML-DSA-87': ml_dsa87 } as const;
const ED = { Ed25519: ed25519, Ed448: ed448 } as const;

function falseOnThrow(verify: () => boolean): boolean {
  try {
    return verify();
  } catch {
    return false;
  }
}

function mldsa(params: MlDsaParams): MlDsaPrimitive {
  const dsa = DSA[params.name];
  return {
    keygen: (seed) => dsa.keygen(seed),
    // noble's sign(msg, sk, { context }) is FIPS 204 ML-DSA.Sign; extraEntropy is rnd.
    sign: (secretKey, message, context, rnd) => dsa.sign(message, secretKey, { context, extraEntropy: rnd }),
    // The contract is false, never a throw, for anything that does not verify;
    // noble throws for wrong sizes and contexts over 255 bytes.
    verify: (publicKey, message, signature, context) => falseOnThrow(() => dsa.verify(signature, message, publicKey, { context })),
  };
}

function eddsa(params: EdDsaParams): EdDsaPrimitive {
  const curve = ED[params.name];
  return {
    getPublicKey: (privateKey) => curve.getPublicKey(privateKey),
    sign: (privateKey, message) => curve.sign(message, privateKey),
    // zip215: false is RFC 8032's strict decoding, which Wycheproof expects.
    verify: (publicKey, message, signature) => falseOnThrow(() => curve.verify(signature, message, publicKey, { zip215: false })),
  };
}

/** The noble backend's composite-signature primitives. Not constant time. */
export const signatureBackend: SignatureBackend = /* @__PURE__ */ Object.freeze({
  name: 'noble',
  version: __NOBLE_BACKEND_VERSION__,
  implementation: `@noble/post-quantum ${__NOBLE_POST_QUANTUM_VERSION__} (ML-DSA), @noble/curves ${__NOBLE_CURVES_VERSION__} (Ed25519, Ed448)`,
  constantTime: false,
  mldsa,
  eddsa,
});
