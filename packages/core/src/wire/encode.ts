/**
 * Encoders for wire format v1 objects (spec/WIRE-FORMAT.md §2).
 * @module
 */
import { expectBytes } from '../bytes.js';
import { getSuite, type SuiteRef } from '../suites.js';
import { encodeEnvelope } from './envelope.js';
import { bodyLength, type KemKindName } from './format.js';

function encode(kind: KemKindName, suiteRef: SuiteRef, body: Uint8Array): Uint8Array {
  const suite = getSuite(suiteRef);
  expectBytes(kind, body, bodyLength(suite, kind));
  return encodeEnvelope(kind, suite.id, body);
}

/** Wraps a raw public key of `suite` in a v1 object. */
export function encodePublicKey(suite: SuiteRef, publicKey: Uint8Array): Uint8Array {
  return encode('publicKey', suite, publicKey);
}

/** Wraps a private key (the seed, suite.lengths.privateKey bytes) of `suite` in a v1 object. The result is secret. */
export function encodePrivateKey(suite: SuiteRef, privateKey: Uint8Array): Uint8Array {
  return encode('privateKey', suite, privateKey);
}

/** Wraps a raw ciphertext of `suite` in a v1 object. */
export function encodeCiphertext(suite: SuiteRef, ciphertext: Uint8Array): Uint8Array {
  return encode('ciphertext', suite, ciphertext);
}
