/**
 * @hybridkem/signing: composite ML-DSA + EdDSA signatures
 * (draft-ietf-lamps-pq-composite-sigs-19) over any backend's primitives.
 *
 *     import { createSigner } from '@hybridkem/signing';
 *     import { signatureBackend } from '@hybridkem/noble';
 *     const signer = createSigner('MLDSA65-Ed25519-SHA512', signatureBackend);
 *
 * @module
 */
export type { EdDsaPrimitive, MlDsaPrimitive, SignatureBackend } from './backend.js';
export { DIGEST_LENGTH, MAX_CONTEXT_LENGTH, PREFIX, createPrehash, messageRepresentative, type Prehash } from './message.js';
export {
  createSigner,
  type ByteStream,
  type ComponentVerdict,
  type CompositeSigner,
  type SignatureKeyPair,
  type SignOptions,
  type VerifyOptions,
  type VerifyResult,
} from './signer.js';
export {
  getSignatureSuite,
  MLDSA44_ED25519_SHA512,
  MLDSA65_ED25519_SHA512,
  MLDSA87_ED448_SHAKE256,
  SIGNATURE_SUITES,
  type EdDsaParams,
  type MlDsaParams,
  type SignatureSuite,
  type SignatureSuiteName,
  type SignatureSuiteRef,
} from './suites.js';
export {
  decodeSignature,
  decodeSigningObject,
  decodeSigningPrivateKey,
  decodeSigningPublicKey,
  encodeSignature,
  encodeSigningPrivateKey,
  encodeSigningPublicKey,
  signingKeyId,
  type DecodedSigningObject,
  type SigningKindName,
} from './wire.js';
export {
  exportPkcs8,
  exportSpki,
  fromPem,
  importPkcs8,
  importSpki,
  MAX_PEM_LENGTH,
  PKCS8_VERSION_1,
  PKCS8_VERSION_2,
  privateKeyFromPem,
  privateKeyToPem,
  publicKeyFromPem,
  publicKeyToPem,
  toPem,
  type ImportedPkcs8,
  type ImportedSpki,
  type PemLabel,
  type Pkcs8Options,
} from './pkix.js';
export { getSignatureBackend, loadSignatureBackend, type GetSignatureBackendOptions } from './registry.js';
