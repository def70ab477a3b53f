/**
 * The mesh key envelope, wire kind 0x0a (spec/MESH.md §2):
 *
 *     0x01 ‖ 0x0a ‖ issuer suite (2) ‖ issuer key id (16) ‖ recipient key id (16)
 *     ‖ envelope id (16) ‖ version (8) ‖ issued-at (8) ‖ expires-at (8)
 *     ‖ n (1) ‖ key name (n) ‖ L (4) ‖ sealed payload (L) ‖ signature (S)
 *
 * The header (bytes [0, 77 + n)) is the sealed payload's AAD; the signature
 * covers [0, 81 + n + L). Decoding is strict, like core's decoders: fields
 * are checked in offset order, every length against its fixed bound before
 * anything is sliced, the signature has exactly the issuer suite's length and
 * nothing may follow. No cryptography happens here.
 * @module
 */
import { bytesToHex, hexToBytes, InvalidArgumentError, KEY_ID_LENGTH, TrailingDataError, UnknownSuiteError } from '@hybridkem/core';
import { getSignatureSuite, type SignatureSuite } from '@hybridkem/signing';
import { ascii, checkBytes, checkU64, fromAscii, Reader, Writer } from './bytes.js';

/** Wire kind of a key envelope (spec/WIRE-FORMAT.md §2). */
export const KEY_ENVELOPE_KIND = 0x0a;
/** The HPKE `info` of the sealed payload and the signature context (spec/MESH.md §2). */
export const ENVELOPE_LABEL = 'hybridkem/v1/mesh/envelope';
export const MAX_KEY_NAME_LENGTH = 128;
/**
 * Bound on L, the sealed payload's length: a 4096-byte key sealed with the
 * largest suite (26 + 1665 + 4096 + 16 = 5803 bytes) with room to spare, and
 * small enough that the largest envelope (11,098 bytes) armors within core's
 * 16,384-character armor limit (spec/MESH.md §2.1).
 */
export const MAX_SEALED_PAYLOAD_LENGTH = 6144;
/** Bound on the key carried (the sealed plaintext). */
export const MAX_KEY_LENGTH = 4096;
/** Offset of the key-name length byte: every field before it has a fixed size. */
export const FIXED_HEADER_LENGTH = 77;

const KEY_NAME = /^[A-Za-z0-9_.-]+$/;

/** Whether `name` is a key name of spec/MESH.md §2: 1..128 of [A-Za-z0-9_-.], no leading or trailing '.', no '..'. */
export function isValidKeyName(name: unknown): name is string {
  return (
    typeof name === 'string' &&
    name.length >= 1 &&
    name.length <= MAX_KEY_NAME_LENGTH &&
    KEY_NAME.test(name) &&
    !name.startsWith('.') &&
    !name.endsWith('.') &&
    !name.includes('..')
  );
}

/** @throws {InvalidArgumentError} field keyName */
export function checkKeyName(name: unknown): string {
  if (!isValidKeyName(name)) {
    throw new InvalidArgumentError(
      'keyName',
      `expected 1 to ${MAX_KEY_NAME_LENGTH} characters of A-Z a-z 0-9 _ - . (no leading, trailing or doubled '.'), got ${typeof name === 'string' ? JSON.stringify(name.slice(0, 140)) : typeof name}`,
    );
  }
  return name;
}

/** The header fields of an envelope. Ids are lower-case hex (32 digits). */
export interface EnvelopeHeader {
  readonly issuerSuiteId: number;
  readonly issuerKeyId: string;
  readonly recipientKeyId: string;
  readonly envelopeId: string;
  readonly version: number;
  readonly issuedAt: number;
  readonly expiresAt: number;
  readonly keyName: string;
}

export interface DecodedKeyEnvelope extends EnvelopeHeader {
  readonly issuerSuite: SignatureSuite;
  /** Bytes [0, 77 + n): the sealed payload's AAD. Views into `bytes`. */
  readonly header: Uint8Array;
  readonly sealedPayload: Uint8Array;
  /** Bytes [0, 81 + n + L): what the signature covers. */
  readonly signed: Uint8Array;
  readonly signature: Uint8Array;
  /** The envelope as decoded (a copy of the input). */
  readonly bytes: Uint8Array;
}

function idBytes(field: string, hex: unknown): Uint8Array {
  if (typeof hex !== 'string' || !/^[0-9a-f]{32}$/.test(hex)) throw new InvalidArgumentError(field, 'expected 32 lower-case hex digits');
  return hexToBytes(field, hex);
}

/**
 * The header [0, 77 + n) of an envelope.
 * @throws {InvalidArgumentError} for a field out of its bounds
 * @throws {UnknownSuiteError} for an issuer suite that is not a signature suite
 */
export function encodeEnvelopeHeader(h: EnvelopeHeader): Uint8Array {
  getSignatureSuite(h.issuerSuiteId);
  const issuer = idBytes('issuerKeyId', h.issuerKeyId);
  const recipient = idBytes('recipientKeyId', h.recipientKeyId);
  const id = idBytes('envelopeId', h.envelopeId);
  const version = checkU64('version', h.version, 1);
  const issuedAt = checkU64('issuedAt', h.issuedAt, 0);
  const expiresAt = checkU64('expiresAt', h.expiresAt, 0);
  if (expiresAt <= issuedAt) throw new InvalidArgumentError('expiresAt', `must be after issuedAt (${issuedAt}), got ${expiresAt}`);
  const name = ascii(checkKeyName(h.keyName));
  const w = new Writer(FIXED_HEADER_LENGTH + name.length);
  w.u8(1);
  w.u8(KEY_ENVELOPE_KIND);
  w.u16(h.issuerSuiteId);
  w.put(issuer);
  w.put(recipient);
  w.put(id);
  w.u64(version);
  w.u64(issuedAt);
  w.u64(expiresAt);
  w.u8(name.length);
  w.put(name);
  return w.bytes;
}

/** header ‖ L ‖ sealed payload: the bytes the issuer signs. */
export function signedPart(header: Uint8Array, sealedPayload: Uint8Array): Uint8Array {
  checkBytes('sealedPayload', sealedPayload);
  if (sealedPayload.length < 1 || sealedPayload.length > MAX_SEALED_PAYLOAD_LENGTH) {
    throw new InvalidArgumentError('sealedPayload', `expected 1 to ${MAX_SEALED_PAYLOAD_LENGTH} bytes, got ${sealedPayload.length}`);
  }
  const w = new Writer(header.length + 4 + sealedPayload.length);
  w.put(header);
  w.u32(sealedPayload.length);
  w.put(sealedPayload);
  return w.bytes;
}

/** signed ‖ signature: the whole envelope. */
export function assembleEnvelope(signed: Uint8Array, signature: Uint8Array): Uint8Array {
  const out = new Uint8Array(signed.length + signature.length);
  out.set(signed);
  out.set(signature, signed.length);
  return out;
}

/**
 * Decodes a key envelope's structure (spec/MESH.md §2). Checks, in offset
 * order: version, kind, issuer suite, key-id fields' presence, version
 * 1..2^53−1, issued-at ≤ 2^53−1, issued-at < expires-at ≤ 2^53−1, name
 * length 1..128 and its characters, L in 1..6144, the signature's exact
 * length, no trailing byte.
 * @throws {TruncatedError} / {TrailingDataError} / {UnsupportedVersionError} / {UnknownKindError}
 *   / {WrongKindError} / {UnknownSuiteError} / {InvalidArgumentError} (core's codes)
 */
export function decodeKeyEnvelope(input: Uint8Array): DecodedKeyEnvelope {
  // Read on the caller's bytes; the one copy is made once every check passed.
  const r = new Reader(checkBytes('envelope', input), 'key envelope');
  r.header(KEY_ENVELOPE_KIND, 'meshKeyEnvelope');
  const issuerSuiteId = r.u16('issuer suite');
  let issuerSuite: SignatureSuite;
  try {
    issuerSuite = getSignatureSuite(issuerSuiteId);
  } catch {
    throw new UnknownSuiteError(issuerSuiteId);
  }
  const issuerKeyId = bytesToHex(r.take(KEY_ID_LENGTH, 'issuer key id'));
  const recipientKeyId = bytesToHex(r.take(KEY_ID_LENGTH, 'recipient key id'));
  const envelopeId = bytesToHex(r.take(KEY_ID_LENGTH, 'envelope id'));
  const version = r.u64('version');
  if (version < 1) throw new InvalidArgumentError('version', 'expected at least 1, got 0');
  const issuedAt = r.u64('issuedAt');
  const expiresAt = r.u64('expiresAt');
  if (expiresAt <= issuedAt) throw new InvalidArgumentError('expiresAt', `must be after issuedAt (${issuedAt}), got ${expiresAt}`);
  const n = r.u8('key name length');
  if (n < 1 || n > MAX_KEY_NAME_LENGTH) throw new InvalidArgumentError('key name length', `expected 1 to ${MAX_KEY_NAME_LENGTH}, got ${n}`);
  const keyName = fromAscii(r.take(n, 'key name'));
  checkKeyName(keyName);
  const headerEnd = r.off;
  const L = r.u32('sealed payload length');
  if (L < 1 || L > MAX_SEALED_PAYLOAD_LENGTH) {
    throw new InvalidArgumentError('sealed payload length', `expected 1 to ${MAX_SEALED_PAYLOAD_LENGTH}, got ${L}`);
  }
  const sealedStart = r.off;
  r.take(L, 'sealed payload');
  const signedEnd = r.off;
  r.take(issuerSuite.lengths.signature, 'signature');
  if (r.off !== input.length) throw new TrailingDataError('key envelope', r.off, input.length);
  const bytes = input.slice();
  return Object.freeze({
    issuerSuiteId,
    issuerSuite,
    issuerKeyId,
    recipientKeyId,
    envelopeId,
    version,
    issuedAt,
    expiresAt,
    keyName,
    header: bytes.subarray(0, headerEnd),
    sealedPayload: bytes.subarray(sealedStart, signedEnd),
    signed: bytes.subarray(0, signedEnd),
    signature: bytes.subarray(signedEnd),
    bytes,
  });
}

