/**
 * Strict decoders for wire format v1 objects. The order of checks and the
 * error of each is fixed by spec/WIRE-FORMAT.md §2. Decoding allocates at
 * most one copy of the body, never more than the input's own size.
 * @module
 */
import { getSuite, type Suite } from '../suites.js';
import { decodeEnvelope, type SuiteTable } from './envelope.js';
import { KEM_KINDS, bodyLength, type KemKindName } from './format.js';
import { checkPublicValues } from './validate.js';

export interface DecodedObject {
  readonly version: number;
  readonly kind: KemKindName;
  readonly suite: Suite;
  /** The raw suite bytes: public key, private seed or ciphertext (a copy). */
  readonly body: Uint8Array;
}

const KEM_TABLE: SuiteTable<Suite, KemKindName> = /* @__PURE__ */ Object.freeze({
  kinds: KEM_KINDS,
  description: 'a KEM object (publicKey, privateKey or ciphertext)',
  lookup: (id: number) => getSuite(id),
  bodyLength,
});

/**
 * Decodes any v1 KEM object, checking header, lengths and the public values in it.
 * @param expected - when given, the kind the caller wants (ERR_WRONG_KIND otherwise)
 */
export function decodeObject(bytes: Uint8Array, expected?: KemKindName): DecodedObject {
  const o = decodeEnvelope(bytes, expected, KEM_TABLE);
  checkBody(o.suite, o.kind, o.body);
  return o;
}

function checkBody(suite: Suite, kind: KemKindName, body: Uint8Array): void {
  if (kind === 'publicKey' || kind === 'ciphertext') checkPublicValues(suite, kind, body);
}

export interface DecodedKey {
  readonly suite: Suite;
  readonly publicKey: Uint8Array;
}

/** Decodes a v1 public key: header, length, ML-KEM modulus check, traditional key validity. */
export function decodePublicKey(bytes: Uint8Array): DecodedKey {
  const o = decodeObject(bytes, 'publicKey');
  return { suite: o.suite, publicKey: o.body };
}

/** Decodes a v1 private key (the seed: 32 bytes, 64 for ML-KEM alone). The result is secret: wipe it when done. */
export function decodePrivateKey(bytes: Uint8Array): { readonly suite: Suite; readonly privateKey: Uint8Array } {
  const o = decodeObject(bytes, 'privateKey');
  return { suite: o.suite, privateKey: o.body };
}

/** Decodes a v1 ciphertext, checking the ephemeral traditional key. */
export function decodeCiphertext(bytes: Uint8Array): { readonly suite: Suite; readonly ciphertext: Uint8Array } {
  const o = decodeObject(bytes, 'ciphertext');
  return { suite: o.suite, ciphertext: o.body };
}
