/**
 * The text form of wire objects: PEM-like armor with RFC 7468's strict
 * encoding (spec/WIRE-FORMAT.md §3).
 * @module
 */
import { base64 } from '@scure/base';
import { expectBytes } from '../bytes.js';
import { ArmorError, UnknownKindError } from '../errors.js';
import { HEADER_LENGTH, KIND_NAMES, type KindName } from './format.js';

export const ARMOR_LABELS: Readonly<Record<KindName, string>> = /* @__PURE__ */ Object.freeze({
  publicKey: 'HYBRIDKEM PUBLIC KEY',
  privateKey: 'HYBRIDKEM PRIVATE KEY',
  ciphertext: 'HYBRIDKEM CIPHERTEXT',
  signingPublicKey: 'HYBRIDKEM SIGNING PUBLIC KEY',
  signingPrivateKey: 'HYBRIDKEM SIGNING PRIVATE KEY',
  signature: 'HYBRIDKEM SIGNATURE',
  sealedMessage: 'HYBRIDKEM SEALED MESSAGE',
  encryptedPrivateKey: 'HYBRIDKEM ENCRYPTED PRIVATE KEY',
  multiRecipientSealedMessage: 'HYBRIDKEM MULTI-RECIPIENT SEALED MESSAGE',
  meshKeyEnvelope: 'HYBRIDKEM MESH KEY ENVELOPE',
  meshDirectoryRecord: 'HYBRIDKEM MESH DIRECTORY RECORD',
  meshPskExchange: 'HYBRIDKEM MESH PSK EXCHANGE',
});

const LINE = 64;
/** Largest armored object we read: the largest v1 object (a 4745-byte signature) with room to spare. */
export const MAX_ARMORED_LENGTH = 16384;

/** Armors an encoded v1 object; the label comes from its kind byte. */
export function armor(encoded: Uint8Array): string {
  expectBytes('encoded object', encoded);
  if (encoded.length < HEADER_LENGTH) throw new ArmorError('object is shorter than its header');
  const kind = KIND_NAMES[encoded[1]!];
  if (kind === undefined) throw new UnknownKindError(encoded[1]!);
  const label = ARMOR_LABELS[kind];
  const b64 = base64.encode(encoded);
  const lines: string[] = [];
  for (let i = 0; i < b64.length; i += LINE) lines.push(b64.slice(i, i + LINE));
  return `-----BEGIN ${label}-----\n${lines.join('\n')}\n-----END ${label}-----\n`;
}

/**
 * Reads armored text back into the encoded bytes. Checks the framing, the
 * base64 (canonical only) and that the label matches the kind byte; the
 * caller then decodes the bytes with the strict decoders.
 */
export function dearmor(text: string): { kind: KindName; encoded: Uint8Array } {
  if (typeof text !== 'string') throw new ArmorError('expected a string');
  if (text.length > MAX_ARMORED_LENGTH) {
    throw new ArmorError(`text is ${text.length} characters, more than the ${MAX_ARMORED_LENGTH} any object needs`);
  }
  // Surrounding whitespace is ASCII's (space, tab, CR, LF; spec §3), not
  // String.trim()'s Unicode set: a byte-order mark or a no-break space is refused.
  const lines = text.replace(/^[ \t\r\n]+|[ \t\r\n]+$/g, '').split(/\r?\n/);
  const first = lines[0] ?? '';
  const last = lines[lines.length - 1] ?? '';
  const begin = /^-----BEGIN ([A-Z ]+)-----$/.exec(first);
  const end = /^-----END ([A-Z ]+)-----$/.exec(last);
  if (!begin || !end || lines.length < 3) throw new ArmorError('expected -----BEGIN …----- and -----END …----- lines around the base64');
  if (begin[1] !== end[1]) throw new ArmorError(`BEGIN label "${begin[1]}" does not match END label "${end[1]}"`);
  const kind = (Object.keys(ARMOR_LABELS) as KindName[]).find((k) => ARMOR_LABELS[k] === begin[1]);
  if (kind === undefined) throw new ArmorError(`unknown label "${begin[1]}"`);
  const body = lines.slice(1, -1);
  body.forEach((line, i) => {
    const isLast = i === body.length - 1;
    if (!/^[A-Za-z0-9+/=]+$/.test(line)) throw new ArmorError(`line ${i + 2}: not base64`);
    if (isLast ? line.length > LINE : line.length !== LINE) {
      throw new ArmorError(`line ${i + 2}: expected ${isLast ? `at most ${LINE}` : LINE} base64 characters, got ${line.length}`);
    }
  });
  const b64 = body.join('');
  let encoded: Uint8Array;
  try {
    encoded = base64.decode(b64);
  } catch {
    throw new ArmorError('invalid base64');
  }
  if (base64.encode(encoded) !== b64) throw new ArmorError('non-canonical base64');
  if (encoded.length >= 2 && KIND_NAMES[encoded[1]!] !== kind) {
    const inner = KIND_NAMES[encoded[1]!] ?? `0x${encoded[1]!.toString(16).padStart(2, '0')}`;
    throw new ArmorError(`label says ${kind} but the object inside is ${inner}`);
  }
  return { kind, encoded };
}

/** True when `text` looks like armor (so a caller can choose between text and binary input). */
export function isArmored(text: string): boolean {
  return /^\s*-----BEGIN /.test(text);
}
