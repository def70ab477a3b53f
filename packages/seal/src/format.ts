/**
 * The sealed-message header (spec/WIRE-FORMAT.md §7): layout, strict parsing
 * with core's typed errors, and the HPKE `info` / per-chunk `aad` built from
 * it.
 *
 *     HEADER = 0x01 ‖ 0x04 ‖ kem suite id (2) ‖ kdf id (2) ‖ aead id (2)
 *              ‖ recipient key id (16) ‖ chunk size exponent (1) ‖ 0x00
 * @module
 */
import {
  bytesToHex,
  encodePublicKey,
  InvalidArgumentError,
  KEY_ID_LENGTH,
  Kind,
  KIND_NAMES,
  TruncatedError,
  UnknownKindError,
  UnknownSuiteError,
  UnsupportedVersionError,
  WIRE_VERSION,
  WrongKindError,
} from '@hybridkem/core';
import { sha256 } from '@noble/hashes/sha2.js';
import { concatBytes, utf8ToBytes } from '@noble/hashes/utils.js';
import { UnknownHpkeAlgorithmError } from './errors.js';
import { HPKE_AEAD_IDS, HPKE_KDF_IDS, HPKE_KEM_IDS, type HpkeSuite } from './suite.js';

/** Kind byte of a sealed message (spec §2; core's kind table). */
export const SEALED_MESSAGE_KIND = Kind.sealedMessage;
/** Fixed header length. */
export const SEALED_HEADER_LENGTH = 26;
/** The chunk size exponent written: 2^16 = 64 KiB of plaintext per chunk. */
export const DEFAULT_CHUNK_SIZE_EXPONENT = 16;
/** Exponents a reader accepts: 1 KiB to 4 MiB chunks. */
export const MIN_CHUNK_SIZE_EXPONENT = 10;
export const MAX_CHUNK_SIZE_EXPONENT = 22;
/** The HPKE `info` prefix, followed by one zero byte. */
export const SEALED_INFO_LABEL = 'hybridkem/v1/sealed';
/** First byte of each chunk's AAD. */
export const FLAG_NON_FINAL = 0x00;
export const FLAG_FINAL = 0x01;


/** A parsed header. */
export interface SealedHeader {
  /** Wire suite id of the KEM (spec §1), also its HPKE KEM id (spec §7.1). */
  readonly kemId: number;
  readonly kdfId: number;
  readonly aeadId: number;
  /** The recipient's key id (spec §4), 32 lower-case hex digits. */
  readonly keyId: string;
  readonly chunkSizeExponent: number;
  /** The 26 header bytes, as read (a copy). */
  readonly bytes: Uint8Array;
}

/** The key id (spec §4) of a raw public key of `suite`'s KEM: SHA-256 of the v1 public-key object, first 16 bytes. */
export function recipientKeyId(suite: HpkeSuite, rawPublicKey: Uint8Array): Uint8Array {
  return sha256(encodePublicKey(suite.hpkeKem.kem.suite.id, rawPublicKey)).subarray(0, KEY_ID_LENGTH);
}

/** The header a writer emits. */
export function encodeHeader(suite: HpkeSuite, keyId: Uint8Array, exponent = DEFAULT_CHUNK_SIZE_EXPONENT): Uint8Array {
  const kemId = suite.hpkeKem.kem.suite.id;
  const h = new Uint8Array(SEALED_HEADER_LENGTH);
  h[0] = WIRE_VERSION;
  h[1] = SEALED_MESSAGE_KIND;
  h[2] = kemId >>> 8;
  h[3] = kemId & 0xff;
  h[4] = suite.ids.kdf >>> 8;
  h[5] = suite.ids.kdf & 0xff;
  h[6] = suite.ids.aead >>> 8;
  h[7] = suite.ids.aead & 0xff;
  h.set(keyId, 8);
  h[24] = exponent;
  h[25] = 0;
  return h;
}

/**
 * Reads the header fields that need no key or suite, in offset order, as far
 * as `bytes` goes (so a short input still reports a bad version or kind
 * first). With fewer than 26 bytes and `complete` set, ERR_TRUNCATED; with
 * fewer and `complete` unset, `undefined` (wait for more).
 * @throws {UnsupportedVersionError} version ≠ 1
 * @throws {UnknownKindError} an undefined kind byte
 * @throws {WrongKindError} a defined kind other than 0x04
 * @throws {UnknownSuiteError} a KEM suite id without an HPKE KEM id (not 0x647a, 0x0050, 0x0051), or a KDF / AEAD id this package lacks
 * @throws {InvalidArgumentError} chunk size exponent outside 10..22, reserved byte ≠ 0
 * @throws {TruncatedError} fewer than 26 bytes when `complete`
 */
export function parseHeader(bytes: Uint8Array, complete: boolean): SealedHeader | undefined {
  const n = bytes.length;
  if (n >= 1 && bytes[0] !== WIRE_VERSION) throw new UnsupportedVersionError(WIRE_VERSION, bytes[0]!);
  if (n >= 2 && bytes[1] !== SEALED_MESSAGE_KIND) {
    const name = KIND_NAMES[bytes[1]!];
    if (name === undefined) throw new UnknownKindError(bytes[1]!);
    throw new WrongKindError('sealedMessage', name);
  }
  // Only X-Wing, HPKE-MLKEM768-P256 and HPKE-MLKEM1024-P384 have an HPKE KEM
  // id (spec §1), and their wire suite ids are those ids.
  if (n >= 4 && !HPKE_KEM_IDS.includes((bytes[2]! << 8) | bytes[3]!)) throw new UnknownSuiteError((bytes[2]! << 8) | bytes[3]!);
  if (n >= 6 && !HPKE_KDF_IDS.includes((bytes[4]! << 8) | bytes[5]!)) {
    throw new UnknownHpkeAlgorithmError('kdf', (bytes[4]! << 8) | bytes[5]!);
  }
  if (n >= 8 && !HPKE_AEAD_IDS.includes((bytes[6]! << 8) | bytes[7]!)) {
    throw new UnknownHpkeAlgorithmError('aead', (bytes[6]! << 8) | bytes[7]!);
  }
  if (n >= 25 && (bytes[24]! < MIN_CHUNK_SIZE_EXPONENT || bytes[24]! > MAX_CHUNK_SIZE_EXPONENT)) {
    throw new InvalidArgumentError(
      'chunkSizeExponent',
      `expected ${MIN_CHUNK_SIZE_EXPONENT} to ${MAX_CHUNK_SIZE_EXPONENT}, got ${bytes[24]!}`,
    );
  }
  if (n >= 26 && bytes[25] !== 0) throw new InvalidArgumentError('reserved', `expected 0x00, got 0x${bytes[25]!.toString(16).padStart(2, '0')}`);
  if (n < SEALED_HEADER_LENGTH) {
    if (complete) throw new TruncatedError('sealed message header', SEALED_HEADER_LENGTH, n);
    return undefined;
  }
  const h = bytes.slice(0, SEALED_HEADER_LENGTH);
  return Object.freeze({
    kemId: (h[2]! << 8) | h[3]!,
    kdfId: (h[4]! << 8) | h[5]!,
    aeadId: (h[6]! << 8) | h[7]!,
    keyId: bytesToHex(h.subarray(8, 24)),
    chunkSizeExponent: h[24]!,
    bytes: h,
  });
}

/**
 * Checks a parsed header against the opener's suite and key.
 * @throws {InvalidArgumentError} field `kem` / `kdf` / `aead` when the message uses a
 *   KEM / KDF / AEAD this package knows but `suite` is not set up for; field `keyId`
 *   (with both ids, which are public) when it is sealed to another key
 */
export function checkHeader(header: SealedHeader, suite: HpkeSuite, keyId: Uint8Array): void {
  const hex4 = (n: number) => `0x${n.toString(16).padStart(4, '0')}`;
  if (header.kemId !== suite.ids.kem) {
    throw new InvalidArgumentError('kem', `message uses KEM ${hex4(header.kemId)}, suite is ${suite.kem} (${hex4(suite.ids.kem)})`);
  }
  if (header.kdfId !== suite.ids.kdf) {
    throw new InvalidArgumentError('kdf', `message uses KDF ${hex4(header.kdfId)}, suite is ${suite.kdf} (${hex4(suite.ids.kdf)})`);
  }
  if (header.aeadId !== suite.ids.aead) {
    throw new InvalidArgumentError('aead', `message uses AEAD ${hex4(header.aeadId)}, suite is ${suite.aead} (${hex4(suite.ids.aead)})`);
  }
  const expected = bytesToHex(keyId);
  if (header.keyId !== expected) {
    throw new InvalidArgumentError('keyId', `message is sealed to key ${header.keyId}, this key is ${expected}`);
  }
}

/** HPKE info = "hybridkem/v1/sealed" ‖ 0x00 ‖ HEADER ‖ I2OSP(len(info), 4) ‖ info. */
export function sealedInfo(header: Uint8Array, userInfo: Uint8Array): Uint8Array {
  const len = new Uint8Array(4);
  new DataView(len.buffer).setUint32(0, userInfo.length);
  return concatBytes(utf8ToBytes(SEALED_INFO_LABEL), new Uint8Array([0]), header, len, userInfo);
}

/** Chunk AAD = flag ‖ user aad. */
export function chunkAad(flag: number, userAad: Uint8Array): Uint8Array<ArrayBuffer> {
  const out = new Uint8Array(1 + userAad.length);
  out[0] = flag;
  out.set(userAad, 1);
  return out;
}
