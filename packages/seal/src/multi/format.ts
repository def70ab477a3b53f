/**
 * The multi-recipient sealed-message header (spec/WIRE-FORMAT.md §10.1):
 *
 *     FIXED   = 0x01 ‖ 0x09 ‖ kdf id (2) ‖ aead id (2) ‖ e (1) ‖ flags (1) ‖ N (1) ‖ payload salt (16)
 *     STANZA  = suite id (2) ‖ key id (16, only when visible) ‖ enc (Nenc) ‖ wrapped file key (48)
 *     HEADER  = FIXED ‖ STANZA_0 ‖ … ‖ STANZA_{N−1} ‖ MAC (32)
 *
 * Parsing is strict and incremental: every field is checked as soon as its
 * bytes are there, the recipient count before any stanza, a stanza's suite id
 * before the rest of the stanza (its size follows from the suite alone), so
 * nothing is allocated or awaited on a length the wire chose.
 * @module
 */
import {
  bytesToHex,
  getSuite,
  InvalidArgumentError,
  KEY_ID_LENGTH,
  KIND_NAMES,
  Kind,
  TruncatedError,
  UnknownKindError,
  UnknownSuiteError,
  UnsupportedVersionError,
  WIRE_VERSION,
  WrongKindError,
} from '@hybridkem/core';
import { UnknownHpkeAlgorithmError } from '../errors.js';
import { SEALING_SUITES } from '../kem.js';
import { MAX_CHUNK_SIZE_EXPONENT, MIN_CHUNK_SIZE_EXPONENT } from '../format.js';
import { TAG_LENGTH } from '../raw.js';
import { aeadById, HPKE_AEAD_IDS, HPKE_KDF_IDS, kdfById, type HpkeAeadName, type HpkeKdfName } from '../algorithms.js';

/** Kind byte of a multi-recipient sealed message (spec §2, §10). */
export const MULTI_RECIPIENT_KIND = Kind.multiRecipientSealedMessage;
/** Length of FIXED (spec §10.1). */
export const FIXED_LENGTH = 25;
/** Offsets in FIXED. */
const AT_EXPONENT = 6;
const AT_FLAGS = 7;
const AT_COUNT = 8;
const AT_SALT = 9;
/** Flags bit 0: the recipients' key ids are not in the stanzas. */
export const FLAG_HIDE_KEY_IDS = 0x01;
/** Recipients per message, spec §10.1. */
export const MAX_RECIPIENTS = 64;
/** Length of the random file key and of the payload salt. */
export const FILE_KEY_LENGTH = 32;
export const PAYLOAD_SALT_LENGTH = 16;
/** The wrapped file key: 32 bytes ‖ the AEAD's 16-byte tag. */
export const WRAPPED_LENGTH = FILE_KEY_LENGTH + TAG_LENGTH;
/** HMAC-SHA-256 output. */
export const MAC_LENGTH = 32;
/** The largest header: 64 stanzas of the largest suite with key ids (110841 bytes). */
export const MAX_HEADER_LENGTH =
  FIXED_LENGTH + MAX_RECIPIENTS * (2 + KEY_ID_LENGTH + Math.max(...SEALING_SUITES.map((s) => s.lengths.ciphertext)) + WRAPPED_LENGTH) + MAC_LENGTH;

/** One recipient stanza, as read. */
export interface MultiRecipientStanza {
  /** The recipient key's suite id (spec §1), also its HPKE KEM id (spec §7.1). */
  readonly suiteId: number;
  /** The suite's name in @hybridkem/core. */
  readonly suite: string;
  /** The recipient's key id (spec §4), 32 lower-case hex digits; undefined when the ids are hidden. */
  readonly keyId: string | undefined;
  /** Offset of the stanza in the header. */
  readonly offset: number;
  /** The stanza's KEM ciphertext (a view into `bytes` of the header). */
  readonly enc: Uint8Array;
  /** The file key sealed by HPKE (48 bytes, a view into `bytes`). */
  readonly wrapped: Uint8Array;
}

/** The public facts of a multi-recipient header (spec §10.1). */
export interface MultiRecipientHeader {
  readonly kdfId: number;
  readonly kdf: HpkeKdfName;
  readonly aeadId: number;
  readonly aead: HpkeAeadName;
  readonly chunkSizeExponent: number;
  /** Whether the senders left the recipients' key ids out (flags bit 0). */
  readonly keyIdsHidden: boolean;
  readonly recipients: readonly MultiRecipientStanza[];
  /** Length of HEADER (FIXED ‖ stanzas ‖ MAC); the chunks start here. */
  readonly headerLength: number;
  /** HEADER as read (a copy of its bytes). */
  readonly bytes: Uint8Array;
}

const u16 = (b: Uint8Array, at: number) => (b[at]! << 8) | b[at + 1]!;

/** Bytes of a stanza of `suiteId` (spec §10.1): ERR_UNKNOWN_SUITE for a suite that is not in §7.1. */
export function stanzaLength(suiteId: number, hidden: boolean): number {
  const suite = SEALING_SUITES.find((s) => s.id === suiteId);
  if (!suite) throw new UnknownSuiteError(suiteId);
  return 2 + (hidden ? 0 : KEY_ID_LENGTH) + suite.lengths.ciphertext + WRAPPED_LENGTH;
}

/**
 * Checks FIXED as far as `bytes` goes (spec §10.3 step 1, in offset order).
 * @throws {UnsupportedVersionError} / {UnknownKindError} / {WrongKindError} / {UnknownSuiteError} / {InvalidArgumentError}
 */
function checkFixed(bytes: Uint8Array): void {
  const n = bytes.length;
  if (n >= 1 && bytes[0] !== WIRE_VERSION) throw new UnsupportedVersionError(WIRE_VERSION, bytes[0]!);
  if (n >= 2 && bytes[1] !== MULTI_RECIPIENT_KIND) {
    const name = KIND_NAMES[bytes[1]!];
    if (name === undefined) throw new UnknownKindError(bytes[1]!);
    throw new WrongKindError('multiRecipientSealedMessage', name);
  }
  if (n >= 4 && !HPKE_KDF_IDS.includes(u16(bytes, 2))) throw new UnknownHpkeAlgorithmError('kdf', u16(bytes, 2));
  if (n >= 6 && !HPKE_AEAD_IDS.includes(u16(bytes, 4))) throw new UnknownHpkeAlgorithmError('aead', u16(bytes, 4));
  const e = bytes[AT_EXPONENT];
  if (e !== undefined && (e < MIN_CHUNK_SIZE_EXPONENT || e > MAX_CHUNK_SIZE_EXPONENT)) {
    throw new InvalidArgumentError('chunkSizeExponent', `expected ${MIN_CHUNK_SIZE_EXPONENT} to ${MAX_CHUNK_SIZE_EXPONENT}, got ${e}`);
  }
  const flags = bytes[AT_FLAGS];
  if (flags !== undefined && (flags & ~FLAG_HIDE_KEY_IDS) !== 0) {
    throw new InvalidArgumentError('flags', `expected 0x00 or 0x01, got 0x${flags.toString(16).padStart(2, '0')}`);
  }
  const count = bytes[AT_COUNT];
  if (count !== undefined && (count < 1 || count > MAX_RECIPIENTS)) {
    throw new InvalidArgumentError('recipientCount', `expected 1 to ${MAX_RECIPIENTS}, got ${count}`);
  }
}

/**
 * How far the header in `bytes` can be read: the header, or the number of
 * bytes needed before the next step can be taken (a lower bound on the
 * header's length). Throws the first error of spec §10.3 steps 1 and 3.
 * @internal
 */
export function scanHeader(bytes: Uint8Array): MultiRecipientHeader | number {
  checkFixed(bytes.subarray(0, FIXED_LENGTH));
  if (bytes.length < FIXED_LENGTH) return FIXED_LENGTH;
  const hidden = (bytes[AT_FLAGS]! & FLAG_HIDE_KEY_IDS) !== 0;
  const count = bytes[AT_COUNT]!;
  let at = FIXED_LENGTH;
  const spans: { suiteId: number; offset: number; length: number }[] = [];
  for (let i = 0; i < count; i++) {
    if (bytes.length < at + 2) return at + 2;
    const suiteId = u16(bytes, at);
    const length = stanzaLength(suiteId, hidden);
    spans.push({ suiteId, offset: at, length });
    at += length;
  }
  const headerLength = at + MAC_LENGTH;
  if (bytes.length < headerLength) return headerLength;
  const h = bytes.slice(0, headerLength);
  const recipients = spans.map(({ suiteId, offset, length }) => {
    const idEnd = offset + 2 + (hidden ? 0 : KEY_ID_LENGTH);
    return Object.freeze({
      suiteId,
      suite: getSuite(suiteId).name,
      keyId: hidden ? undefined : bytesToHex(h.subarray(offset + 2, idEnd)),
      offset,
      enc: h.subarray(idEnd, offset + length - WRAPPED_LENGTH),
      wrapped: h.subarray(offset + length - WRAPPED_LENGTH, offset + length),
    });
  });
  return Object.freeze({
    kdfId: u16(h, 2),
    kdf: kdfById(u16(h, 2))!,
    aeadId: u16(h, 4),
    aead: aeadById(u16(h, 4))!,
    chunkSizeExponent: h[AT_EXPONENT]!,
    keyIdsHidden: hidden,
    recipients: Object.freeze(recipients),
    headerLength,
    bytes: h,
  });
}

/**
 * The public facts of a multi-recipient sealed message's header (spec §10.1):
 * KDF, AEAD, chunk size exponent, whether the key ids are hidden, and each
 * recipient's suite and key id — e.g. for `hybridkem inspect`, or to pick
 * identities before opening. Needs no key; authenticates nothing (the header
 * MAC needs the file key). Returns `undefined` while `bytes` holds less than
 * the whole header (pass the message's first bytes, or all of it).
 * @throws {UnsupportedVersionError} / {UnknownKindError} / {WrongKindError} version and kind
 * @throws {UnknownSuiteError} a KDF, AEAD or stanza suite id that is not implemented
 * @throws {InvalidArgumentError} field `chunkSizeExponent`, `flags` or `recipientCount` out of range
 */
export function parseMultiRecipientHeader(bytes: Uint8Array): MultiRecipientHeader | undefined {
  if (!(bytes instanceof Uint8Array)) {
    throw new InvalidArgumentError('bytes', `expected a Uint8Array, got ${bytes === null ? 'null' : typeof bytes}`);
  }
  const r = scanHeader(bytes);
  return typeof r === 'number' ? undefined : r;
}

/** ERR_TRUNCATED for a header that ended at `got` bytes while `needed` were required. @internal */
export function truncatedHeader(needed: number, got: number): TruncatedError {
  return new TruncatedError('multi-recipient header', needed, got);
}

/** FIXED as a writer emits it. @internal */
export function encodeFixed(
  kdfId: number,
  aeadId: number,
  exponent: number,
  hidden: boolean,
  count: number,
  salt: Uint8Array,
): Uint8Array {
  const f = new Uint8Array(FIXED_LENGTH);
  f[0] = WIRE_VERSION;
  f[1] = MULTI_RECIPIENT_KIND;
  f[2] = kdfId >>> 8;
  f[3] = kdfId & 0xff;
  f[4] = aeadId >>> 8;
  f[5] = aeadId & 0xff;
  f[AT_EXPONENT] = exponent;
  f[AT_FLAGS] = hidden ? FLAG_HIDE_KEY_IDS : 0;
  f[AT_COUNT] = count;
  f.set(salt, AT_SALT);
  return f;
}

/** The payload salt of a FIXED. @internal */
export function payloadSalt(fixed: Uint8Array): Uint8Array {
  return fixed.subarray(AT_SALT, AT_SALT + PAYLOAD_SALT_LENGTH);
}
