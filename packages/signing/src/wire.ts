/**
 * Wire format v1 objects for composite signatures (spec/WIRE-FORMAT.md §6):
 * the same envelope as the KEM objects, with kinds 0x05 (signing public
 * key), 0x06 (signing private key) and 0x07 (signature) and the suite ids of
 * suites.ts. Text form: core's armor, labels HYBRIDKEM SIGNING PUBLIC KEY,
 * HYBRIDKEM SIGNING PRIVATE KEY, HYBRIDKEM SIGNATURE.
 * @module
 */
import { InvalidArgumentError, InvalidLengthError, KEY_ID_LENGTH, bytesToHex, decodeEnvelope, encodeEnvelope, type SuiteTable } from '@hybridkem/core';
import { sha256 } from '@noble/hashes/sha2.js';
import { getSignatureSuite, type SignatureSuite, type SignatureSuiteRef } from './suites.js';

export type SigningKindName = 'signingPublicKey' | 'signingPrivateKey' | 'signature';

const LENGTH: Record<SigningKindName, keyof SignatureSuite['lengths']> = {
  signingPublicKey: 'publicKey',
  signingPrivateKey: 'privateKey',
  signature: 'signature',
};

const TABLE: SuiteTable<SignatureSuite, SigningKindName> = Object.freeze({
  kinds: Object.freeze(['signingPublicKey', 'signingPrivateKey', 'signature'] as const),
  description: 'a signature object (signingPublicKey, signingPrivateKey or signature)',
  lookup: (id: number) => getSignatureSuite(id),
  bodyLength: (suite: SignatureSuite, kind: SigningKindName) => suite.lengths[LENGTH[kind]],
});

export interface DecodedSigningObject {
  readonly version: number;
  readonly kind: SigningKindName;
  readonly suite: SignatureSuite;
  /** Raw bytes: public key, private key (secret) or signature. A copy. */
  readonly body: Uint8Array;
}

function encode(kind: SigningKindName, ref: SignatureSuiteRef, body: Uint8Array): Uint8Array {
  const suite = getSignatureSuite(ref);
  const want = TABLE.bodyLength(suite, kind);
  if (!(body instanceof Uint8Array)) throw new InvalidArgumentError(kind, 'expected a Uint8Array');
  if (body.length !== want) throw new InvalidLengthError(kind, want, body.length);
  return encodeEnvelope(kind, suite.id, body);
}

export const encodeSigningPublicKey = (suite: SignatureSuiteRef, publicKey: Uint8Array) => encode('signingPublicKey', suite, publicKey);
/** The result is secret. */
export const encodeSigningPrivateKey = (suite: SignatureSuiteRef, privateKey: Uint8Array) => encode('signingPrivateKey', suite, privateKey);
export const encodeSignature = (suite: SignatureSuiteRef, signature: Uint8Array) => encode('signature', suite, signature);

/** Decodes any v1 signature object (header, kind, suite, exact length). */
export function decodeSigningObject(bytes: Uint8Array, expected?: SigningKindName): DecodedSigningObject {
  return decodeEnvelope(bytes, expected, TABLE);
}

export function decodeSigningPublicKey(bytes: Uint8Array): { readonly suite: SignatureSuite; readonly publicKey: Uint8Array } {
  const o = decodeSigningObject(bytes, 'signingPublicKey');
  return { suite: o.suite, publicKey: o.body };
}

/** The result is secret: wipe it when done. */
export function decodeSigningPrivateKey(bytes: Uint8Array): { readonly suite: SignatureSuite; readonly privateKey: Uint8Array } {
  const o = decodeSigningObject(bytes, 'signingPrivateKey');
  return { suite: o.suite, privateKey: o.body };
}

export function decodeSignature(bytes: Uint8Array): { readonly suite: SignatureSuite; readonly signature: Uint8Array } {
  const o = decodeSigningObject(bytes, 'signature');
  return { suite: o.suite, signature: o.body };
}

/**
 * The key id of an encoded signing public key: SHA-256 of the whole object,
 * first 16 bytes, as 32 hex digits (the rule of spec/WIRE-FORMAT.md §4).
 */
export function signingKeyId(encodedPublicKey: Uint8Array): string {
  decodeSigningPublicKey(encodedPublicKey);
  return bytesToHex(sha256(encodedPublicKey).subarray(0, KEY_ID_LENGTH));
}
