/**
 * X.509 SubjectPublicKeyInfo and PKCS#8 (RFC 5958 OneAsymmetricKey)
 * encodings of composite signature keys, and their PEM text form
 * (spec/WIRE-FORMAT.md §6.6; draft-ietf-lamps-pq-composite-sigs-19,
 * "Encoding to DER" and "ASN.1 Definitions").
 *
 * The draft wraps the raw composite keys without any inner ASN.1:
 *
 *     SubjectPublicKeyInfo ::= SEQUENCE {
 *       algorithm         SEQUENCE { OBJECT IDENTIFIER }   -- parameters ABSENT
 *       subjectPublicKey  BIT STRING }                     -- 0 unused bits ‖ mldsaPK ‖ tradPK
 *
 *     OneAsymmetricKey ::= SEQUENCE {
 *       version              INTEGER (0 | 1),
 *       privateKeyAlgorithm  SEQUENCE { OBJECT IDENTIFIER }  -- parameters ABSENT
 *       privateKey           OCTET STRING,                  -- mldsaSeed ‖ tradSK
 *       publicKey        [1] IMPLICIT BIT STRING OPTIONAL }  -- only with version 1
 *
 * The reader here is deliberately not a general ASN.1 parser: it accepts
 * exactly these shapes in DER (definite, minimal lengths; primitive strings;
 * nothing after the outer SEQUENCE) and rejects everything else with a typed
 * error. Attributes ([0]) are not accepted. No error message carries key bytes.
 * @module
 */
import {
  ArmorError,
  InvalidArgumentError,
  InvalidLengthError,
  TrailingDataError,
  TruncatedError,
  UnknownSuiteError,
} from '@hybridkem/core';
import { base64 } from '@scure/base';
import { SIGNATURE_SUITES, getSignatureSuite, type SignatureSuite, type SignatureSuiteRef } from './suites.js';

// ---------------------------------------------------------------- DER tags

const SEQUENCE = 0x30;
const INTEGER = 0x02;
const BIT_STRING = 0x03;
const OCTET_STRING = 0x04;
const OBJECT_IDENTIFIER = 0x06;
/** [0] IMPLICIT Attributes (constructed): OneAsymmetricKey.attributes. Not supported. */
const ATTRIBUTES = 0xa0;
/** [1] IMPLICIT BIT STRING (primitive): OneAsymmetricKey.publicKey (RFC 5958 uses IMPLICIT TAGS). */
const PUBLIC_KEY_V2 = 0x81;

const TAG_NAMES: Readonly<Record<number, string>> = {
  [SEQUENCE]: 'SEQUENCE',
  [INTEGER]: 'INTEGER',
  [BIT_STRING]: 'BIT STRING',
  [OCTET_STRING]: 'OCTET STRING',
  [OBJECT_IDENTIFIER]: 'OBJECT IDENTIFIER',
  [PUBLIC_KEY_V2]: '[1] publicKey',
};

/** The longest length field we read: 3 bytes (16 MiB), far above any composite key object. */
const MAX_LENGTH_OCTETS = 3;
/** An OID longer than this is not one we could know; refuse to decode it for the error message. */
const MAX_OID_LENGTH = 64;

/** RFC 5958 Version: v1(0) is PrivateKeyInfo; v2(1) may carry the public key. */
export const PKCS8_VERSION_1 = 0;
export const PKCS8_VERSION_2 = 1;

const hex2 = (n: number) => `0x${n.toString(16).padStart(2, '0')}`;
const tagName = (tag: number) => TAG_NAMES[tag] ?? `tag ${hex2(tag)}`;

// ---------------------------------------------------------------- writing

function lengthOctets(n: number): number[] {
  if (n < 0x80) return [n];
  const out: number[] = [];
  for (let v = n; v > 0; v = Math.floor(v / 256)) out.unshift(v & 0xff);
  return [0x80 | out.length, ...out];
}

/** One TLV; contents are copied once into the result. */
function tlv(tag: number, ...contents: Uint8Array[]): Uint8Array {
  let n = 0;
  for (const c of contents) n += c.length;
  const head = [tag, ...lengthOctets(n)];
  const out = new Uint8Array(head.length + n);
  out.set(head);
  let o = head.length;
  for (const c of contents) {
    out.set(c, o);
    o += c.length;
  }
  return out;
}

/** OID contents octets (X.690 §8.19) from a dotted string of our own suite table. */
function oidContents(dotted: string): Uint8Array {
  const arcs = dotted.split('.').map(Number);
  const out: number[] = [];
  const push = (v: number) => {
    const group: number[] = [v & 0x7f];
    for (v = Math.floor(v / 128); v > 0; v = Math.floor(v / 128)) group.unshift(0x80 | (v & 0x7f));
    out.push(...group);
  };
  push(arcs[0]! * 40 + arcs[1]!);
  for (const arc of arcs.slice(2)) push(arc);
  return Uint8Array.from(out);
}

interface SuiteDer {
  readonly suite: SignatureSuite;
  readonly oid: Uint8Array;
  /** AlgorithmIdentifier: SEQUENCE { OID } with parameters absent. */
  readonly algorithmIdentifier: Uint8Array;
}

const SUITE_DER: readonly SuiteDer[] = SIGNATURE_SUITES.map((suite) => {
  const oid = oidContents(suite.oid);
  return { suite, oid, algorithmIdentifier: tlv(SEQUENCE, tlv(OBJECT_IDENTIFIER, oid)) };
});

function derOf(suite: SignatureSuite): SuiteDer {
  return SUITE_DER.find((d) => d.suite.id === suite.id)!;
}

function checkBytes(field: string, value: unknown, length?: number): Uint8Array {
  if (!(value instanceof Uint8Array)) throw new InvalidArgumentError(field, 'expected a Uint8Array');
  if (length !== undefined && value.length !== length) throw new InvalidLengthError(field, length, value.length);
  return value;
}

/**
 * The DER SubjectPublicKeyInfo of a raw composite public key (mldsaPK ‖ tradPK).
 * @throws {UnknownSuiteError} {InvalidLengthError} {InvalidArgumentError}
 */
export function exportSpki(suiteRef: SignatureSuiteRef, publicKey: Uint8Array): Uint8Array {
  const suite = getSignatureSuite(suiteRef);
  checkBytes('publicKey', publicKey, suite.lengths.publicKey);
  return tlv(SEQUENCE, derOf(suite).algorithmIdentifier, tlv(BIT_STRING, Uint8Array.of(0), publicKey));
}

export interface Pkcs8Options {
  /**
   * Also carry the composite public key (RFC 5958 v2: version 1 and
   * `[1] publicKey`). Default: a v1 PrivateKeyInfo (version 0), as in the
   * draft's test vectors. The caller is trusted to pass the public key that
   * belongs to the private key.
   */
  publicKey?: Uint8Array;
}

/**
 * The DER PKCS#8 OneAsymmetricKey of a raw composite private key
 * (ML-DSA seed ‖ EdDSA private key). The result is secret.
 * @throws {UnknownSuiteError} {InvalidLengthError} {InvalidArgumentError}
 */
export function exportPkcs8(suiteRef: SignatureSuiteRef, privateKey: Uint8Array, options: Pkcs8Options = {}): Uint8Array {
  const suite = getSignatureSuite(suiteRef);
  checkBytes('privateKey', privateKey, suite.lengths.privateKey);
  const { algorithmIdentifier } = derOf(suite);
  const octets = tlv(OCTET_STRING, privateKey);
  try {
    if (options.publicKey === undefined) {
      return tlv(SEQUENCE, tlv(INTEGER, Uint8Array.of(PKCS8_VERSION_1)), algorithmIdentifier, octets);
    }
    const publicKey = checkBytes('publicKey', options.publicKey, suite.lengths.publicKey);
    const pub = tlv(PUBLIC_KEY_V2, Uint8Array.of(0), publicKey);
    return tlv(SEQUENCE, tlv(INTEGER, Uint8Array.of(PKCS8_VERSION_2)), algorithmIdentifier, octets, pub);
  } finally {
    octets.fill(0);
  }
}

// ---------------------------------------------------------------- reading

/** A cursor over one level of DER contents. Every read is bounded by `end`. */
class DerReader {
  private pos: number;
  constructor(
    private readonly bytes: Uint8Array,
    start: number,
    private readonly end: number,
  ) {
    this.pos = start;
  }

  get remaining(): number {
    return this.end - this.pos;
  }

  peekTag(): number | undefined {
    return this.pos < this.end ? this.bytes[this.pos] : undefined;
  }

  /** Reads one TLV with `tag` and returns a view of its contents. */
  read(tag: number, field: string): { start: number; end: number } {
    const b = this.bytes;
    if (this.remaining < 2) throw new TruncatedError(field, 2, this.remaining);
    const actual = b[this.pos]!;
    if (actual !== tag) throw new InvalidArgumentError(field, `expected DER ${tagName(tag)}, got ${tagName(actual)}`);
    let p = this.pos + 1;
    const first = b[p++]!;
    let length: number;
    if (first < 0x80) {
      length = first;
    } else if (first === 0x80) {
      throw new InvalidArgumentError(field, 'indefinite length (BER) is not DER');
    } else {
      const n = first & 0x7f;
      if (n > MAX_LENGTH_OCTETS) {
        throw new InvalidArgumentError(field, `a ${n}-byte length field: longer than any composite key object`);
      }
      if (this.end - p < n) throw new TruncatedError(`${field} length`, n, this.end - p);
      if (b[p] === 0) throw new InvalidArgumentError(field, 'non-minimal DER length (leading zero byte)');
      length = 0;
      for (let i = 0; i < n; i++) length = length * 256 + b[p++]!;
      if (length < 0x80) throw new InvalidArgumentError(field, 'non-minimal DER length (long form for a length below 128)');
    }
    const available = this.end - p;
    if (length > available) throw new TruncatedError(field, length, available);
    this.pos = p + length;
    return { start: p, end: p + length };
  }

  /** Fails when anything is left at this level. */
  finish(field: string, contentStart: number): void {
    if (this.remaining > 0) {
      throw new TrailingDataError(field, this.pos - contentStart, this.end - contentStart);
    }
  }
}

/** The single top-level SEQUENCE of `der`; nothing may follow it. */
function outerSequence(der: unknown, field: string): { bytes: Uint8Array; reader: DerReader; start: number } {
  const bytes = checkBytes(field, der);
  const top = new DerReader(bytes, 0, bytes.length);
  const { start, end } = top.read(SEQUENCE, field);
  if (end !== bytes.length) throw new TrailingDataError(field, end, bytes.length);
  return { bytes, reader: new DerReader(bytes, start, end), start };
}

/** Decodes OID contents to dotted form, for the unknown-suite error only. */
function dottedOid(c: Uint8Array, field: string): string {
  if (c.length === 0) throw new InvalidArgumentError(field, 'empty OBJECT IDENTIFIER');
  if (c.length > MAX_OID_LENGTH) throw new InvalidArgumentError(field, `OBJECT IDENTIFIER of ${c.length} bytes: longer than any known algorithm`);
  const arcs: bigint[] = [];
  let v = 0n;
  let startOfArc = true;
  for (const byte of c) {
    if (startOfArc && byte === 0x80) throw new InvalidArgumentError(field, 'non-minimal OBJECT IDENTIFIER arc');
    v = (v << 7n) | BigInt(byte & 0x7f);
    startOfArc = (byte & 0x80) === 0;
    if (startOfArc) {
      arcs.push(v);
      v = 0n;
    }
  }
  if (!startOfArc) throw new InvalidArgumentError(field, 'OBJECT IDENTIFIER ends inside an arc');
  const first = arcs[0]!;
  const head = first < 40n ? [0n, first] : first < 80n ? [1n, first - 40n] : [2n, first - 80n];
  return [...head, ...arcs.slice(1)].join('.');
}

function equalBytes(a: Uint8Array, b: Uint8Array): boolean {
  if (a.length !== b.length) return false;
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return false;
  return true;
}

/** AlgorithmIdentifier: SEQUENCE { OID of one of our suites }, parameters absent. */
function readAlgorithm(r: DerReader, bytes: Uint8Array, field: string): SignatureSuite {
  const seq = r.read(SEQUENCE, field);
  const inner = new DerReader(bytes, seq.start, seq.end);
  const oidField = `${field}.algorithm`;
  const o = inner.read(OBJECT_IDENTIFIER, oidField);
  const oid = bytes.subarray(o.start, o.end);
  const found = SUITE_DER.find((d) => equalBytes(d.oid, oid));
  if (!found) throw new UnknownSuiteError(dottedOid(oid, oidField));
  if (inner.remaining > 0) {
    throw new InvalidArgumentError(`${field}.parameters`, `must be absent for ${found.suite.name} (draft-19, ASN.1 Definitions)`);
  }
  return found.suite;
}

/** A BIT STRING (or [1] IMPLICIT BIT STRING) with no unused bits and exactly `length` bytes of key. */
function readKeyBits(r: DerReader, bytes: Uint8Array, tag: number, field: string, length: number): Uint8Array {
  const { start, end } = r.read(tag, field);
  if (end === start) throw new InvalidArgumentError(field, 'BIT STRING without its unused-bits byte');
  if (bytes[start] !== 0) throw new InvalidArgumentError(field, `BIT STRING with ${bytes[start]} unused bits, expected 0`);
  if (end - start - 1 !== length) throw new InvalidLengthError(field, length, end - start - 1);
  return bytes.slice(start + 1, end);
}

export interface ImportedSpki {
  readonly suite: SignatureSuite;
  /** mldsaPK ‖ tradPK (a copy). */
  readonly publicKey: Uint8Array;
}

/**
 * Reads a DER SubjectPublicKeyInfo of one of the composite suites.
 * @throws {TruncatedError} {TrailingDataError} {InvalidArgumentError} {UnknownSuiteError} {InvalidLengthError}
 */
export function importSpki(der: Uint8Array): ImportedSpki {
  const F = 'SubjectPublicKeyInfo';
  const { bytes, reader, start } = outerSequence(der, F);
  const suite = readAlgorithm(reader, bytes, `${F}.algorithm`);
  const publicKey = readKeyBits(reader, bytes, BIT_STRING, `${F}.subjectPublicKey`, suite.lengths.publicKey);
  reader.finish(F, start);
  return Object.freeze({ suite, publicKey });
}

export interface ImportedPkcs8 {
  readonly suite: SignatureSuite;
  /** RFC 5958 version: 0 (v1, PrivateKeyInfo) or 1 (v2, with the public key). */
  readonly version: 0 | 1;
  /** ML-DSA seed ‖ EdDSA private key (a copy). Secret: wipe it when done. */
  readonly privateKey: Uint8Array;
  /**
   * The composite public key when the object carries one (version 1). It is
   * not checked against the private key here: derive the public key with a
   * signer (`getPublicKey`) and compare before trusting it.
   */
  readonly publicKey?: Uint8Array;
}

/**
 * Reads a DER PKCS#8 OneAsymmetricKey of one of the composite suites:
 * version 0 with no public key, or version 1 with the `[1]` public key.
 * @throws {TruncatedError} {TrailingDataError} {InvalidArgumentError} {UnknownSuiteError} {InvalidLengthError}
 */
export function importPkcs8(der: Uint8Array): ImportedPkcs8 {
  const F = 'OneAsymmetricKey';
  const { bytes, reader, start } = outerSequence(der, F);
  const v = reader.read(INTEGER, `${F}.version`);
  if (v.end - v.start !== 1) throw new InvalidArgumentError(`${F}.version`, 'expected the one-byte INTEGER 0 or 1');
  const version = bytes[v.start]!;
  if (version !== PKCS8_VERSION_1 && version !== PKCS8_VERSION_2) {
    throw new InvalidArgumentError(`${F}.version`, `expected 0 (v1) or 1 (v2), got ${version}`);
  }
  const suite = readAlgorithm(reader, bytes, `${F}.privateKeyAlgorithm`);
  const k = reader.read(OCTET_STRING, `${F}.privateKey`);
  if (k.end - k.start !== suite.lengths.privateKey) {
    throw new InvalidLengthError(`${F}.privateKey`, suite.lengths.privateKey, k.end - k.start);
  }
  const next = reader.peekTag();
  if (next === ATTRIBUTES) throw new InvalidArgumentError(`${F}.attributes`, 'attributes are not supported');
  let publicKey: Uint8Array | undefined;
  if (next === PUBLIC_KEY_V2) {
    if (version !== PKCS8_VERSION_2) {
      throw new InvalidArgumentError(`${F}.publicKey`, 'present in a version 0 (v1) key; RFC 5958 requires version 1 (v2)');
    }
    publicKey = readKeyBits(reader, bytes, PUBLIC_KEY_V2, `${F}.publicKey`, suite.lengths.publicKey);
  } else if (version === PKCS8_VERSION_2 && next === undefined) {
    throw new InvalidArgumentError(`${F}.version`, 'version 1 (v2) without a publicKey; RFC 5958 requires version 0 (v1)');
  }
  reader.finish(F, start);
  const privateKey = bytes.slice(k.start, k.end);
  return Object.freeze(publicKey ? { suite, version, privateKey, publicKey } : { suite, version, privateKey }) as ImportedPkcs8;
}

// ---------------------------------------------------------------- PEM (RFC 7468)

export type PemLabel = 'PUBLIC KEY' | 'PRIVATE KEY';

const PEM_LABELS: readonly PemLabel[] = ['PUBLIC KEY', 'PRIVATE KEY'];
const LINE = 64;
/** Largest PEM text we read: the largest object here (a v2 MLDSA87 PKCS#8, 2764 bytes, 3800 characters of PEM) with room to spare. */
export const MAX_PEM_LENGTH = 16384;

function checkLabel(label: unknown): PemLabel {
  if (!PEM_LABELS.includes(label as PemLabel)) {
    throw new InvalidArgumentError('label', `expected "PUBLIC KEY" or "PRIVATE KEY"`);
  }
  return label as PemLabel;
}

/**
 * RFC 7468 text: BEGIN line, standard padded base64 in lines of 64
 * characters, END line, LF line endings and a final LF. A PRIVATE KEY text
 * is secret.
 */
export function toPem(der: Uint8Array, label: PemLabel): string {
  checkLabel(label);
  checkBytes('der', der);
  if (der.length === 0) throw new InvalidArgumentError('der', 'empty');
  const b64 = base64.encode(der);
  const lines: string[] = [];
  for (let i = 0; i < b64.length; i += LINE) lines.push(b64.slice(i, i + LINE));
  return `-----BEGIN ${label}-----\n${lines.join('\n')}\n-----END ${label}-----\n`;
}

function describeLine(line: string, word: 'BEGIN' | 'END'): string {
  const m = new RegExp(`^-----${word} ([A-Z0-9 ]{1,64})-----$`).exec(line);
  return m ? `the label "${m[1]}"` : `no ${word} line`;
}

/**
 * Reads RFC 7468 "strict" text with exactly `label`: the BEGIN and END lines,
 * base64 lines of 64 characters (the last 1 to 64), canonical padded base64,
 * LF or CRLF endings, surrounding whitespace and nothing else (no headers, no
 * text before or after). Returns the DER bytes, not yet parsed.
 * @throws {ArmorError} {InvalidArgumentError} (a label other than the two)
 */
export function fromPem(text: string, label: PemLabel): Uint8Array {
  checkLabel(label);
  if (typeof text !== 'string') throw new ArmorError('expected a string');
  if (text.length > MAX_PEM_LENGTH) {
    throw new ArmorError(`text is ${text.length} characters, more than the ${MAX_PEM_LENGTH} any composite key needs`);
  }
  const lines = text.trim().split(/\r?\n/);
  const first = lines[0] ?? '';
  const last = lines[lines.length - 1] ?? '';
  if (first !== `-----BEGIN ${label}-----`) {
    throw new ArmorError(`expected "-----BEGIN ${label}-----" as the first line, found ${describeLine(first, 'BEGIN')}`);
  }
  if (last !== `-----END ${label}-----`) {
    throw new ArmorError(`expected "-----END ${label}-----" as the last line, found ${describeLine(last, 'END')}`);
  }
  const body = lines.slice(1, -1);
  if (body.length === 0) throw new ArmorError('no base64 between the BEGIN and END lines');
  body.forEach((line, i) => {
    const isLast = i === body.length - 1;
    if (!/^[A-Za-z0-9+/=]+$/.test(line)) throw new ArmorError(`line ${i + 2}: not base64 (headers and blank lines are not allowed)`);
    if (isLast ? line.length > LINE : line.length !== LINE) {
      throw new ArmorError(`line ${i + 2}: expected ${isLast ? `at most ${LINE}` : LINE} base64 characters, got ${line.length}`);
    }
  });
  const b64 = body.join('');
  let der: Uint8Array;
  try {
    der = base64.decode(b64);
  } catch {
    throw new ArmorError('invalid base64');
  }
  if (base64.encode(der) !== b64) {
    der.fill(0);
    throw new ArmorError('non-canonical base64');
  }
  return der;
}

/** PEM "PUBLIC KEY" (SubjectPublicKeyInfo) of a raw composite public key. */
export function publicKeyToPem(suite: SignatureSuiteRef, publicKey: Uint8Array): string {
  return toPem(exportSpki(suite, publicKey), 'PUBLIC KEY');
}

/** Reads PEM "PUBLIC KEY" text: fromPem, then importSpki. */
export function publicKeyFromPem(text: string): ImportedSpki {
  return importSpki(fromPem(text, 'PUBLIC KEY'));
}

/** PEM "PRIVATE KEY" (PKCS#8) of a raw composite private key. The text is secret. */
export function privateKeyToPem(suite: SignatureSuiteRef, privateKey: Uint8Array, options?: Pkcs8Options): string {
  const der = exportPkcs8(suite, privateKey, options);
  try {
    return toPem(der, 'PRIVATE KEY');
  } finally {
    der.fill(0);
  }
}

/** Reads PEM "PRIVATE KEY" text: fromPem, then importPkcs8. Wipe the returned private key when done. */
export function privateKeyFromPem(text: string): ImportedPkcs8 {
  const der = fromPem(text, 'PRIVATE KEY');
  try {
    return importPkcs8(der);
  } finally {
    der.fill(0);
  }
}
