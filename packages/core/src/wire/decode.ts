/**
 * Strict decoders for wire format v1 objects. The order of checks and the
 * error of each is fixed by spec/WIRE-FORMAT.md §2. Decoding allocates at
 * most one copy of the body, never more than the input's own size.
 * @module
 */
import { expectBytes } from '../bytes.js';
import {
  TrailingDataError,
  TruncatedError,
  UnknownKindError,
  UnsupportedVersionError,
  WrongKindError,
} from '../errors.js';
import { getSuite, type Suite } from '../suites.js';
import { HEADER_LENGTH, KIND_NAMES, WIRE_VERSION, bodyLength, type KindName } from './format.js';
import { checkGroupElement, checkMlKemEncapsulationKey } from './validate.js';

export interface DecodedObject {
  readonly version: number;
  readonly kind: KindName;
  readonly suite: Suite;
  /** The raw suite bytes: public key, private seed or ciphertext (a copy). */
  readonly body: Uint8Array;
}

/**
 * Decodes any v1 object, checking header, lengths and the public values in it.
 * @param expected - when given, the kind the caller wants (ERR_WRONG_KIND otherwise)
 */
export function decodeObject(bytes: Uint8Array, expected?: KindName): DecodedObject {
  expectBytes('encoded object', bytes);
  const field = expected ?? 'encoded object';
  if (bytes.length < HEADER_LENGTH) throw new TruncatedError(`${field} header`, HEADER_LENGTH, bytes.length);
  const version = bytes[0]!;
  if (version !== WIRE_VERSION) throw new UnsupportedVersionError(WIRE_VERSION, version);
  const kind = KIND_NAMES[bytes[1]!];
  if (kind === undefined) throw new UnknownKindError(bytes[1]!);
  if (expected !== undefined && kind !== expected) throw new WrongKindError(expected, kind);
  const suite = getSuite((bytes[2]! << 8) | bytes[3]!);
  const want = HEADER_LENGTH + bodyLength(suite, kind);
  if (bytes.length < want) throw new TruncatedError(`${kind} (${suite.name})`, want, bytes.length);
  if (bytes.length > want) throw new TrailingDataError(`${kind} (${suite.name})`, want, bytes.length);
  const body = bytes.slice(HEADER_LENGTH);
  checkBody(suite, kind, body);
  return Object.freeze({ version, kind, suite, body });
}

function checkBody(suite: Suite, kind: KindName, body: Uint8Array): void {
  const pqLength = kind === 'publicKey' ? suite.mlkem.lengths.publicKey : suite.mlkem.lengths.ciphertext;
  if (kind === 'publicKey') checkMlKemEncapsulationKey(suite.mlkem, body.subarray(0, pqLength), 'publicKey');
  if (kind === 'publicKey' || kind === 'ciphertext') checkGroupElement(suite.group, body.subarray(pqLength), kind);
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

/** Decodes a v1 private key (the 32-byte seed). The result is secret: wipe it when done. */
export function decodePrivateKey(bytes: Uint8Array): { readonly suite: Suite; readonly privateKey: Uint8Array } {
  const o = decodeObject(bytes, 'privateKey');
  return { suite: o.suite, privateKey: o.body };
}

/** Decodes a v1 ciphertext, checking the ephemeral traditional key. */
export function decodeCiphertext(bytes: Uint8Array): { readonly suite: Suite; readonly ciphertext: Uint8Array } {
  const o = decodeObject(bytes, 'ciphertext');
  return { suite: o.suite, ciphertext: o.body };
}
