/**
 * The mesh PSK exchange message, wire kind 0x0c (spec/MESH.md §10.2):
 *
 *     0x01 ‖ 0x0c ‖ sender suite (2) ‖ sender key id (16) ‖ KEM suite (2)
 *     ‖ recipient key id (16) ‖ exchange id (16) ‖ epoch (8) ‖ issued-at (8)
 *     ‖ expires-at (8) ‖ type (1) ‖ in-reply-to (32) ‖ s (1) ‖ sender (s)
 *     ‖ r (1) ‖ recipient (r) ‖ C (2) ‖ KEM ciphertext (C) ‖ signature (S)
 *
 * The signature covers every byte before it, context
 * "hybridkem/v1/mesh/wg-psk". Decoding is strict, like core's decoders:
 * fields in offset order, every length against its fixed bound before
 * anything it declares is read, the ciphertext exactly the KEM suite's
 * length, the signature exactly the sender suite's, nothing after it. No
 * cryptography happens here.
 * @module
 */
import {
  bytesToHex,
  getSuite,
  hexToBytes,
  InvalidArgumentError,
  KEY_ID_LENGTH,
  TrailingDataError,
  UnknownSuiteError,
  WIRE_VERSION,
  type Suite,
} from '@hybridkem/core';
import { getSignatureSuite, type SignatureSuite } from '@hybridkem/signing';
import { ascii, checkBytes, checkU64, fromAscii, Reader, Writer } from '../envelope/bytes.js';

/** Wire kind of a PSK exchange message (spec/WIRE-FORMAT.md §2). */
export const PSK_EXCHANGE_KIND = 0x0c;
/** Signature context, HKDF label and domain of the PSK exchange (spec/MESH.md §10). */
export const PSK_LABEL = 'hybridkem/v1/mesh/wg-psk';
/** Armor label (spec/WIRE-FORMAT.md §3). */
export const PSK_ARMOR_LABEL = 'HYBRIDKEM MESH PSK EXCHANGE';
/** Message types (spec/MESH.md §10.2 offset 78). */
export const PSK_MESSAGE_TYPES = Object.freeze({ initiation: 0x01, response: 0x02 } as const);
export type PskMessageType = keyof typeof PSK_MESSAGE_TYPES;
/** Node names as in directory records (spec/MESH.md §3). */
export const MAX_PSK_NAME_LENGTH = 64;
/** The longest KEM ciphertext of any suite (MLKEM1024-P384: 1568 + 97). */
export const MAX_PSK_CIPHERTEXT_LENGTH = 1665;
/** Bytes before the sender-name length: every field there has a fixed size. */
export const PSK_FIXED_HEADER_LENGTH = 111;
/** Length of the in-reply-to field (a SHA-256 digest). */
export const IN_REPLY_TO_LENGTH = 32;
/** The largest message: 115 + 64 + 64 + 1665 + 4741 (an MLDSA87-Ed448 signature). */
export const MAX_PSK_MESSAGE_LENGTH = 115 + 64 + 64 + MAX_PSK_CIPHERTEXT_LENGTH + 4741;

const NAME = /^[a-z0-9-]{1,64}$/;
const ZERO32 = new Uint8Array(IN_REPLY_TO_LENGTH);

/** The fields of a PSK exchange message other than the ciphertext and signature. Ids and hashes are lower-case hex. */
export interface PskMessageHeader {
  readonly senderSuiteId: number;
  readonly senderKeyId: string;
  readonly kemSuiteId: number;
  readonly recipientKeyId: string;
  readonly exchangeId: string;
  readonly epoch: number;
  readonly issuedAt: number;
  readonly expiresAt: number;
  readonly type: PskMessageType;
  /** SHA-256 of the initiation (hex) for a response; undefined for an initiation. */
  readonly inReplyTo: string | undefined;
  readonly sender: string;
  readonly recipient: string;
}

export interface DecodedPskMessage extends PskMessageHeader {
  readonly senderSuite: SignatureSuite;
  readonly kemSuite: Suite;
  /** Views into `bytes`. */
  readonly ciphertext: Uint8Array;
  readonly signed: Uint8Array;
  readonly signature: Uint8Array;
  /** The message as decoded (a copy of the input). */
  readonly bytes: Uint8Array;
}

/** Whether `name` is a node name (1..64 of a-z 0-9 -). */
export function isValidNodeName(name: unknown): name is string {
  return typeof name === 'string' && NAME.test(name);
}

function checkName(field: string, name: unknown): string {
  if (!isValidNodeName(name)) throw new InvalidArgumentError(field, 'expected 1 to 64 characters of a-z 0-9 -');
  return name;
}

function idBytes(field: string, hex: unknown, length = KEY_ID_LENGTH): Uint8Array {
  if (typeof hex !== 'string' || hex.length !== 2 * length || !/^[0-9a-f]+$/.test(hex)) {
    throw new InvalidArgumentError(field, `expected ${2 * length} lower-case hex digits`);
  }
  return hexToBytes(field, hex);
}

function kemSuiteOf(id: number): Suite {
  try {
    return getSuite(id);
  } catch {
    throw new UnknownSuiteError(id);
  }
}

function signatureSuiteOf(id: number): SignatureSuite {
  try {
    return getSignatureSuite(id);
  } catch {
    throw new UnknownSuiteError(id);
  }
}

/**
 * The signed part of a message: every field up to and including the
 * ciphertext (spec/MESH.md §10.2). The caller appends the signature.
 * @throws {InvalidArgumentError} a field out of its bounds
 * @throws {UnknownSuiteError} a suite id that is not a signature / KEM suite
 */
export function encodePskSignedPart(h: PskMessageHeader, ciphertext: Uint8Array): Uint8Array {
  signatureSuiteOf(h.senderSuiteId);
  const kemSuite = kemSuiteOf(h.kemSuiteId);
  const senderKeyId = idBytes('senderKeyId', h.senderKeyId);
  const recipientKeyId = idBytes('recipientKeyId', h.recipientKeyId);
  const exchangeId = idBytes('exchangeId', h.exchangeId);
  const epoch = checkU64('epoch', h.epoch, 1);
  const issuedAt = checkU64('issuedAt', h.issuedAt, 0);
  const expiresAt = checkU64('expiresAt', h.expiresAt, 0);
  if (expiresAt <= issuedAt) throw new InvalidArgumentError('expiresAt', `must be after issuedAt (${issuedAt}), got ${expiresAt}`);
  const type = PSK_MESSAGE_TYPES[h.type];
  if (type === undefined) throw new InvalidArgumentError('type', "expected 'initiation' or 'response'");
  let reply: Uint8Array;
  if (h.type === 'initiation') {
    if (h.inReplyTo !== undefined) throw new InvalidArgumentError('inReplyTo', 'an initiation replies to nothing');
    reply = ZERO32;
  } else {
    reply = idBytes('inReplyTo', h.inReplyTo, IN_REPLY_TO_LENGTH);
    if (reply.every((b) => b === 0)) throw new InvalidArgumentError('inReplyTo', 'a response must name its initiation');
  }
  const sender = ascii(checkName('sender', h.sender));
  const recipient = ascii(checkName('recipient', h.recipient));
  if (h.sender === h.recipient) throw new InvalidArgumentError('recipient', 'must differ from the sender');
  const ct = checkBytes('ciphertext', ciphertext);
  if (ct.length !== kemSuite.lengths.ciphertext) {
    throw new InvalidArgumentError('ciphertext', `expected ${kemSuite.lengths.ciphertext} bytes for ${kemSuite.name}, got ${ct.length}`);
  }
  const w = new Writer(PSK_FIXED_HEADER_LENGTH + 2 + sender.length + recipient.length + 2 + ct.length);
  w.u8(WIRE_VERSION);
  w.u8(PSK_EXCHANGE_KIND);
  w.u16(h.senderSuiteId);
  w.put(senderKeyId);
  w.u16(h.kemSuiteId);
  w.put(recipientKeyId);
  w.put(exchangeId);
  w.u64(epoch);
  w.u64(issuedAt);
  w.u64(expiresAt);
  w.u8(type);
  w.put(reply);
  w.u8(sender.length);
  w.put(sender);
  w.u8(recipient.length);
  w.put(recipient);
  w.u16(ct.length);
  w.put(ct);
  return w.bytes;
}

function readName(r: Reader, field: string): string {
  const n = r.u8(`${field} name length`);
  if (n < 1 || n > MAX_PSK_NAME_LENGTH) throw new InvalidArgumentError(`${field} name length`, `expected 1 to ${MAX_PSK_NAME_LENGTH}, got ${n}`);
  const name = fromAscii(r.take(n, `${field} name`));
  if (!NAME.test(name)) throw new InvalidArgumentError(`${field} name`, 'expected characters of a-z 0-9 -');
  return name;
}

/**
 * Decodes a PSK exchange message's structure (spec/MESH.md §10.2).
 * @throws {TruncatedError} / {TrailingDataError} / {UnsupportedVersionError} / {UnknownKindError}
 *   / {WrongKindError} / {UnknownSuiteError} / {InvalidArgumentError} (core's codes)
 */
export function decodePskMessage(input: Uint8Array): DecodedPskMessage {
  const r = new Reader(checkBytes('message', input), 'PSK exchange message');
  r.header(PSK_EXCHANGE_KIND, 'meshPskExchange');
  const senderSuiteId = r.u16('sender suite');
  const senderSuite = signatureSuiteOf(senderSuiteId);
  const senderKeyId = bytesToHex(r.take(KEY_ID_LENGTH, 'sender key id'));
  const kemSuiteId = r.u16('KEM suite');
  const kemSuite = kemSuiteOf(kemSuiteId);
  const recipientKeyId = bytesToHex(r.take(KEY_ID_LENGTH, 'recipient key id'));
  const exchangeId = bytesToHex(r.take(KEY_ID_LENGTH, 'exchange id'));
  const epoch = r.u64('epoch');
  if (epoch < 1) throw new InvalidArgumentError('epoch', 'expected at least 1, got 0');
  const issuedAt = r.u64('issuedAt');
  const expiresAt = r.u64('expiresAt');
  if (expiresAt <= issuedAt) throw new InvalidArgumentError('expiresAt', `must be after issuedAt (${issuedAt}), got ${expiresAt}`);
  const typeByte = r.u8('message type');
  const type: PskMessageType | undefined = typeByte === 0x01 ? 'initiation' : typeByte === 0x02 ? 'response' : undefined;
  if (type === undefined) throw new InvalidArgumentError('message type', `expected 1 (initiation) or 2 (response), got ${typeByte}`);
  const reply = r.take(IN_REPLY_TO_LENGTH, 'in-reply-to');
  const zero = reply.every((b) => b === 0);
  if (type === 'initiation' && !zero) throw new InvalidArgumentError('in-reply-to', 'an initiation must carry 32 zero bytes');
  if (type === 'response' && zero) throw new InvalidArgumentError('in-reply-to', 'a response must name its initiation');
  const inReplyTo = type === 'response' ? bytesToHex(reply) : undefined;
  const sender = readName(r, 'sender');
  const recipient = readName(r, 'recipient');
  if (sender === recipient) throw new InvalidArgumentError('recipient name', 'must differ from the sender name');
  const C = r.u16('ciphertext length');
  if (C !== kemSuite.lengths.ciphertext) {
    throw new InvalidArgumentError('ciphertext length', `expected ${kemSuite.lengths.ciphertext} for ${kemSuite.name}, got ${C}`);
  }
  const ctStart = r.off;
  r.take(C, 'ciphertext');
  const signedEnd = r.off;
  r.take(senderSuite.lengths.signature, 'signature');
  if (r.off !== input.length) throw new TrailingDataError('PSK exchange message', r.off, input.length);
  const bytes = input.slice();
  return Object.freeze({
    senderSuiteId,
    senderSuite,
    senderKeyId,
    kemSuiteId,
    kemSuite,
    recipientKeyId,
    exchangeId,
    epoch,
    issuedAt,
    expiresAt,
    type,
    inReplyTo,
    sender,
    recipient,
    ciphertext: bytes.subarray(ctStart, signedEnd),
    signed: bytes.subarray(0, signedEnd),
    signature: bytes.subarray(signedEnd),
    bytes,
  });
}
