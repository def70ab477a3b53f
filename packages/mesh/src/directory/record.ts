/**
 * Directory records, wire kind 0x0b (spec/MESH.md §3): a node's or an
 * issuer's public keys and, for an issuer, the key names it may issue,
 * signed by the trust anchor.
 *
 *     0x01 ‖ 0x0b ‖ anchor suite (2) ‖ anchor key id (16) ‖ role (1) ‖ storage tier (1)
 *     ‖ n (1) ‖ name (n)
 *     ‖ revision (8) ‖ issued-at (8) ‖ K (2) ‖ KEM public key (K)
 *     ‖ G (2) ‖ signing public key (G) ‖ p (1) ‖ pattern (p) ‖ signature (S)
 *
 * The signature is the anchor's composite signature over every preceding
 * byte, context "hybridkem/v1/mesh/directory".
 * @module
 */
import { bytesToHex, decodePublicKey, hexToBytes, InvalidArgumentError, KEY_ID_LENGTH, keyId, TrailingDataError, UnknownSuiteError } from '@hybridkem/core';
import { decodeSigningPrivateKey, decodeSigningPublicKey, getSignatureSuite, signingKeyId, type SignatureSuite } from '@hybridkem/signing';
import type { MeshCrypto } from '../crypto.js';
import { ascii, checkBytes, checkU64, fromAscii, Reader, Writer } from '../envelope/bytes.js';
import { isValidKeyName } from '../envelope/format.js';

export const DIRECTORY_RECORD_KIND = 0x0b;
/** The signature context of a directory record. */
export const DIRECTORY_LABEL = 'hybridkem/v1/mesh/directory';
export const MAX_RECORD_NAME_LENGTH = 64;
/** The longest encoded v1 KEM public key (MLKEM1024-P384: 4 + 1568 + 97). */
export const MAX_KEM_PUBLIC_KEY_LENGTH = 1669;
/** The longest encoded v1 signing public key (MLDSA87-Ed448: 4 + 2592 + 57). */
export const MAX_SIGNING_PUBLIC_KEY_LENGTH = 2653;
export const MAX_PATTERN_LENGTH = 128;

export const ROLE_BYTES = Object.freeze({ node: 0x01, issuer: 0x02 } as const);
export type DirectoryRole = keyof typeof ROLE_BYTES;

/**
 * The key-storage tier byte (spec/MESH.md §3, §14): how the identity keeps
 * its private keys. 0x00 and every other value are refused.
 */
export const STORAGE_TIER_BYTES = Object.freeze({ 'passphrase-file': 0x01, pkcs11: 0x02 } as const);
export type StorageTier = keyof typeof STORAGE_TIER_BYTES;
/** The storage tiers, in byte order. */
export const STORAGE_TIERS = Object.freeze(['passphrase-file', 'pkcs11'] as const satisfies readonly StorageTier[]);
/** The tier a record gets when createDirectoryRecord is not told one. */
export const DEFAULT_STORAGE_TIER: StorageTier = 'passphrase-file';

export function isStorageTier(tier: unknown): tier is StorageTier {
  return typeof tier === 'string' && Object.hasOwn(STORAGE_TIER_BYTES, tier);
}

export interface DirectoryRecord {
  readonly role: DirectoryRole;
  /** How the identity keeps its private keys (the anchor signed this too). */
  readonly storageTier: StorageTier;
  readonly name: string;
  readonly revision: number;
  readonly issuedAt: number;
  readonly anchorSuiteId: number;
  /** Lower-case hex. */
  readonly anchorKeyId: string;
  /** Encoded v1 KEM public key (kind 0x01), or undefined (K = 0). */
  readonly kemPublicKey: Uint8Array | undefined;
  /** keyId(kemPublicKey), lower-case hex, when there is one. */
  readonly kemKeyId: string | undefined;
  /** Encoded v1 signing public key (kind 0x05). */
  readonly signingPublicKey: Uint8Array;
  readonly signingKeyId: string;
  readonly signingSuite: SignatureSuite;
  /** "" for a node; "*", a key name, or a prefix ending in "*" for an issuer. */
  readonly keyNamePattern: string;
  /** The bytes the anchor signed, and its signature: views into `bytes`. */
  readonly signed: Uint8Array;
  readonly signature: Uint8Array;
  /** The whole record (a copy of the input). */
  readonly bytes: Uint8Array;
}

const NAME = /^[a-z0-9-]+$/;

export function isValidRecordName(name: unknown): name is string {
  return typeof name === 'string' && name.length >= 1 && name.length <= MAX_RECORD_NAME_LENGTH && NAME.test(name);
}

/**
 * Whether `pattern` is an issuer key-name pattern: "*", a key name, or a
 * prefix of key-name characters ending in "*" (spec/MESH.md §3).
 */
export function isValidKeyNamePattern(pattern: unknown): pattern is string {
  if (typeof pattern !== 'string' || pattern.length < 1 || pattern.length > MAX_PATTERN_LENGTH) return false;
  if (pattern === '*') return true;
  if (pattern.endsWith('*')) {
    const prefix = pattern.slice(0, -1);
    // "svc-*" or "svc.*": the prefix followed by one more character is a key name.
    return /^[A-Za-z0-9_.-]+$/.test(prefix) && !prefix.startsWith('.') && !prefix.includes('..');
  }
  return isValidKeyName(pattern);
}

/** Whether an issuer's pattern covers `keyName`. */
export function patternCovers(pattern: string, keyName: string): boolean {
  if (!isValidKeyNamePattern(pattern)) return false;
  if (pattern === '*') return true;
  if (pattern.endsWith('*')) return keyName.startsWith(pattern.slice(0, -1));
  return keyName === pattern;
}

export interface DirectoryRecordOptions {
  crypto: MeshCrypto;
  /** Encoded v1 signing private key (kind 0x06) of the trust anchor. */
  anchorPrivateKey: Uint8Array;
  /** Encoded v1 signing public key (kind 0x05) of the trust anchor. */
  anchorPublicKey: Uint8Array;
  role: DirectoryRole;
  name: string;
  revision: number;
  issuedAt: number;
  kemPublicKey?: Uint8Array;
  signingPublicKey: Uint8Array;
  keyNamePattern?: string;
  /** The identity's key-storage tier; default {@link DEFAULT_STORAGE_TIER}. */
  storageTier?: StorageTier;
}

/**
 * Builds and signs a directory record (spec/MESH.md §3).
 * @throws {InvalidArgumentError} for a field out of bounds, a node without a
 *   KEM key or with a pattern, an issuer without a valid pattern, anchor
 *   keys that do not match each other or the crypto's signer suite
 */
export function createDirectoryRecord(o: DirectoryRecordOptions): Uint8Array {
  const { crypto } = o;
  const anchorPub = decodeSigningPublicKey(checkBytes('anchorPublicKey', o.anchorPublicKey));
  const anchorPriv = decodeSigningPrivateKey(checkBytes('anchorPrivateKey', o.anchorPrivateKey));
  try {
    if (anchorPub.suite.id !== crypto.signer.suite.id || anchorPriv.suite.id !== crypto.signer.suite.id) {
      throw new InvalidArgumentError('anchorPublicKey', `anchor keys must be of the signer's suite ${crypto.signer.suite.name}`);
    }
    const derived = crypto.signer.getPublicKey(anchorPriv.privateKey);
    if (bytesToHex(derived) !== bytesToHex(anchorPub.publicKey)) {
      throw new InvalidArgumentError('anchorPrivateKey', 'does not belong to anchorPublicKey');
    }
    if (o.role !== 'node' && o.role !== 'issuer') throw new InvalidArgumentError('role', 'expected "node" or "issuer"');
    const storageTier = o.storageTier ?? DEFAULT_STORAGE_TIER;
    if (!isStorageTier(storageTier)) throw new InvalidArgumentError('storageTier', `expected one of ${STORAGE_TIERS.map((t) => `"${t}"`).join(', ')}`);
    if (!isValidRecordName(o.name)) {
      throw new InvalidArgumentError('name', `expected 1 to ${MAX_RECORD_NAME_LENGTH} characters of a-z 0-9 -`);
    }
    const revision = checkU64('revision', o.revision, 1);
    const issuedAt = checkU64('issuedAt', o.issuedAt, 0);
    const kem = o.kemPublicKey === undefined ? new Uint8Array(0) : checkBytes('kemPublicKey', o.kemPublicKey);
    if (kem.length > 0) decodePublicKey(kem);
    if (o.role === 'node' && kem.length === 0) throw new InvalidArgumentError('kemPublicKey', 'a node record needs a KEM public key');
    const signing = checkBytes('signingPublicKey', o.signingPublicKey);
    decodeSigningPublicKey(signing);
    const pattern = o.keyNamePattern ?? '';
    if (o.role === 'node' && pattern !== '') throw new InvalidArgumentError('keyNamePattern', 'a node record has no key-name pattern');
    if (o.role === 'issuer' && !isValidKeyNamePattern(pattern)) {
      throw new InvalidArgumentError('keyNamePattern', 'expected "*", a key name, or a prefix ending in "*"');
    }
    const name = ascii(o.name);
    const pat = ascii(pattern);
    const w = new Writer(23 + name.length + 16 + 2 + kem.length + 2 + signing.length + 1 + pat.length);
    w.u8(1);
    w.u8(DIRECTORY_RECORD_KIND);
    w.u16(anchorPub.suite.id);
    w.put(hexToBytes('anchorKeyId', signingKeyId(o.anchorPublicKey)));
    w.u8(ROLE_BYTES[o.role]);
    w.u8(STORAGE_TIER_BYTES[storageTier]);
    w.u8(name.length);
    w.put(name);
    w.u64(revision);
    w.u64(issuedAt);
    w.u16(kem.length);
    w.put(kem);
    w.u16(signing.length);
    w.put(signing);
    w.u8(pat.length);
    w.put(pat);
    const signature = crypto.signer.sign(anchorPriv.privateKey, w.bytes, { context: ascii(DIRECTORY_LABEL) });
    const out = new Uint8Array(w.bytes.length + signature.length);
    out.set(w.bytes);
    out.set(signature, w.bytes.length);
    return out;
  } finally {
    anchorPriv.privateKey.fill(0);
  }
}

/**
 * Decodes a directory record's structure; the signature is not checked
 * (TrustedDirectory.add does that).
 * @throws core's typed errors: ERR_TRUNCATED, ERR_TRAILING_DATA, ERR_UNSUPPORTED_VERSION,
 *   ERR_UNKNOWN_KIND, ERR_WRONG_KIND, ERR_UNKNOWN_SUITE, ERR_INVALID_ARGUMENT, and the key
 *   decoders' errors for the embedded keys
 */
export function decodeDirectoryRecord(input: Uint8Array): DirectoryRecord {
  const r = new Reader(checkBytes('record', input), 'directory record');
  r.header(DIRECTORY_RECORD_KIND, 'meshDirectoryRecord');
  const anchorSuiteId = r.u16('anchor suite');
  let anchorSuite: SignatureSuite;
  try {
    anchorSuite = getSignatureSuite(anchorSuiteId);
  } catch {
    throw new UnknownSuiteError(anchorSuiteId);
  }
  const anchorKeyId = bytesToHex(r.take(KEY_ID_LENGTH, 'anchor key id'));
  const roleByte = r.u8('role');
  const role: DirectoryRole | undefined = roleByte === 1 ? 'node' : roleByte === 2 ? 'issuer' : undefined;
  if (role === undefined) throw new InvalidArgumentError('role', `expected 0x01 (node) or 0x02 (issuer), got 0x${roleByte.toString(16).padStart(2, '0')}`);
  const tierByte = r.u8('storage tier');
  const storageTier = STORAGE_TIERS.find((t) => STORAGE_TIER_BYTES[t] === tierByte);
  if (storageTier === undefined) {
    throw new InvalidArgumentError('storage tier', `expected 0x01 (passphrase-file) or 0x02 (pkcs11), got 0x${tierByte.toString(16).padStart(2, '0')}`);
  }
  const n = r.u8('name length');
  if (n < 1 || n > MAX_RECORD_NAME_LENGTH) throw new InvalidArgumentError('name length', `expected 1 to ${MAX_RECORD_NAME_LENGTH}, got ${n}`);
  const name = fromAscii(r.take(n, 'name'));
  if (!isValidRecordName(name)) throw new InvalidArgumentError('name', 'expected characters a-z 0-9 -');
  const revision = r.u64('revision');
  if (revision < 1) throw new InvalidArgumentError('revision', 'expected at least 1, got 0');
  const issuedAt = r.u64('issuedAt');
  const K = r.u16('KEM public key length');
  if (K > MAX_KEM_PUBLIC_KEY_LENGTH) throw new InvalidArgumentError('KEM public key length', `expected 0 to ${MAX_KEM_PUBLIC_KEY_LENGTH}, got ${K}`);
  const kemView = r.take(K, 'KEM public key');
  if (K > 0) decodePublicKey(kemView);
  if (role === 'node' && K === 0) throw new InvalidArgumentError('KEM public key length', 'a node record needs a KEM public key');
  const G = r.u16('signing public key length');
  if (G < 1 || G > MAX_SIGNING_PUBLIC_KEY_LENGTH) {
    throw new InvalidArgumentError('signing public key length', `expected 1 to ${MAX_SIGNING_PUBLIC_KEY_LENGTH}, got ${G}`);
  }
  const signingView = r.take(G, 'signing public key');
  const signingSuite = decodeSigningPublicKey(signingView).suite;
  const p = r.u8('key-name pattern length');
  if (p > MAX_PATTERN_LENGTH) throw new InvalidArgumentError('key-name pattern length', `expected 0 to ${MAX_PATTERN_LENGTH}, got ${p}`);
  const keyNamePattern = fromAscii(r.take(p, 'key-name pattern'));
  if (role === 'node' && p !== 0) throw new InvalidArgumentError('key-name pattern', 'a node record has no key-name pattern');
  if (role === 'issuer' && !isValidKeyNamePattern(keyNamePattern)) {
    throw new InvalidArgumentError('key-name pattern', 'expected "*", a key name, or a prefix ending in "*"');
  }
  const signedEnd = r.off;
  r.take(anchorSuite.lengths.signature, 'signature');
  if (r.off !== input.length) throw new TrailingDataError('directory record', r.off, input.length);
  const bytes = input.slice();
  const kemStart = 23 + n + 16 + 2;
  const kemPublicKey = K > 0 ? bytes.slice(kemStart, kemStart + K) : undefined;
  const signingStart = kemStart + K + 2;
  const signingPublicKey = bytes.slice(signingStart, signingStart + G);
  return Object.freeze({
    role,
    storageTier,
    name,
    revision,
    issuedAt,
    anchorSuiteId,
    anchorKeyId,
    kemPublicKey,
    kemKeyId: kemPublicKey === undefined ? undefined : keyId(kemPublicKey),
    signingPublicKey,
    signingKeyId: signingKeyId(signingPublicKey),
    signingSuite,
    keyNamePattern,
    signed: bytes.subarray(0, signedEnd),
    signature: bytes.subarray(signedEnd),
    bytes,
  });
}
