/**
 * Passphrase-protected private keys: a v1 object of kind 0x08
 * (`encryptedPrivateKey`, armor label `HYBRIDKEM ENCRYPTED PRIVATE KEY`)
 * holding an encoded v1 private key — a KEM private key (kind 0x02) or a
 * composite signing private key (kind 0x06) — encrypted with
 * ChaCha20-Poly1305 under a key derived from the passphrase by Argon2id or
 * scrypt. The byte layout is spec/WIRE-FORMAT.md §8: the header's suite id
 * names the family (KEM ids of §1 and signing ids of §6.1 are disjoint) and
 * so the ciphertext's length. Everything before the ciphertext is the AEAD's
 * associated data, so no header byte, KDF parameter, salt or nonce can be
 * changed without the tag failing.
 *
 * Pure JavaScript (@noble/hashes for the KDFs, @hpke/chacha20poly1305 for
 * the AEAD): runs in Node and in browsers. The functions are async because
 * that AEAD's interface is, and so that the KDF yields to the event loop.
 * @module
 */
import { Chacha20Poly1305 } from '@hpke/chacha20poly1305';
import {
  armor,
  dearmor,
  decodePrivateKey,
  getSuite,
  HEADER_LENGTH,
  InvalidArgumentError,
  Kind,
  KIND_NAMES,
  TrailingDataError,
  TruncatedError,
  UnknownKindError,
  UnknownSuiteError,
  UnsupportedVersionError,
  WIRE_VERSION,
  WrongKindError,
  type Suite,
} from '@hybridkem/core';
import { decodeSigningPrivateKey, getSignatureSuite, type SignatureSuite } from '@hybridkem/signing';
import { argon2idAsync } from '@noble/hashes/argon2.js';
import { scryptAsync } from '@noble/hashes/scrypt.js';
import { randomBytes } from '@noble/hashes/utils.js';
import { expectBytes } from '../bytes.js';
import { KeyFileError, UnknownKdfError } from './errors.js';
import {
  checkKdfParams,
  DEFAULT_KDF,
  KDF_LIMITS,
  resolveKdfLimits,
  type KdfLimitsOverride,
  type KdfParams,
} from './kdf-params.js';

export {
  checkKdfParams,
  DEFAULT_KDF,
  KDF_LIMITS,
  resolveKdfLimits,
  SCRYPT_KDF,
  type Argon2idParams,
  type KdfLimits,
  type KdfLimitsOverride,
  type KdfParams,
  type ScryptParams,
} from './kdf-params.js';

/** KDF ids on the wire (one byte at offset 4). */
export const KdfId = Object.freeze({ argon2id: 0x01, scrypt: 0x02 } as const);

export const SALT_LENGTH = 16;
export const NONCE_LENGTH = 12;
export const TAG_LENGTH = 16;
export const KEY_LENGTH = 32;
/** version ‖ kind ‖ suite id ‖ KDF id */
const PREFIX_LENGTH = 5;
const PARAMS_LENGTH = { [KdfId.argon2id]: 9, [KdfId.scrypt]: 6 } as const;

export interface EncryptPrivateKeyOptions {
  /** The KDF and its cost; {@link DEFAULT_KDF} when omitted. Must be within {@link KDF_LIMITS}. */
  readonly kdf?: KdfParams;
}

export interface DecryptPrivateKeyOptions {
  /**
   * Raises (or lowers) some of the read limits, {@link KDF_LIMITS} by
   * default, for key files from a source that is trusted with more memory or
   * time. Checked before any KDF runs.
   */
  readonly limits?: KdfLimitsOverride;
}

/** The fields of an encrypted private key's header common to both families. */
interface EncryptedPrivateKeyFields {
  readonly kdf: KdfParams;
  readonly salt: Uint8Array;
  readonly nonce: Uint8Array;
  /** ciphertext ‖ tag */
  readonly ciphertext: Uint8Array;
  /** The associated data: every byte before the ciphertext. */
  readonly aad: Uint8Array;
}

/** An encrypted KEM private key (wraps kind 0x02). */
export interface EncryptedKemPrivateKeyInfo extends EncryptedPrivateKeyFields {
  readonly family: 'kem';
  readonly wrappedKind: 'privateKey';
  /** The suite of the wrapped key (spec/WIRE-FORMAT.md §1). */
  readonly suite: Suite;
}

/** An encrypted composite signing private key (wraps kind 0x06). */
export interface EncryptedSigningPrivateKeyInfo extends EncryptedPrivateKeyFields {
  readonly family: 'signing';
  readonly wrappedKind: 'signingPrivateKey';
  /** The suite of the wrapped key (spec/WIRE-FORMAT.md §6.1). */
  readonly suite: SignatureSuite;
}

/**
 * What the header of an encrypted private key says, read without the
 * passphrase: `family` tells a KEM key from a signing key (spec/WIRE-FORMAT.md §8).
 */
export type EncryptedPrivateKeyInfo = EncryptedKemPrivateKeyInfo | EncryptedSigningPrivateKeyInfo;

type WrappedSuite = { readonly family: 'kem'; readonly suite: Suite } | { readonly family: 'signing'; readonly suite: SignatureSuite };

/**
 * The suite a header's id names, looked up in both families (their ids are
 * disjoint, spec/WIRE-FORMAT.md §8): the KEM suites of core, then the
 * composite signing suites of @hybridkem/signing.
 * @throws {UnknownSuiteError} when neither knows it
 */
function wrappedSuite(id: number): WrappedSuite {
  try {
    return { family: 'kem', suite: getSuite(id) };
  } catch (e) {
    if (!(e instanceof UnknownSuiteError)) throw e;
  }
  try {
    return { family: 'signing', suite: getSignatureSuite(id) };
  } catch (e) {
    if (!(e instanceof UnknownSuiteError)) throw e;
  }
  throw new UnknownSuiteError(id);
}

/** Length of the wrapped encoded private key: the v1 header and the suite's private key (36, 68 or 93 bytes). */
function encodedPrivateKeyLength(w: WrappedSuite): number {
  return HEADER_LENGTH + w.suite.lengths.privateKey;
}

/**
 * Decodes an encoded private key of either family with its strict decoder,
 * wipes the decoder's copy of the key and returns the family and suite. The
 * kind byte picks the decoder; anything but a signing private key goes to
 * core's decoder, which reports the kind error.
 */
function decodeWrapped(encoded: Uint8Array): WrappedSuite {
  if (encoded.length >= 2 && encoded[0] === WIRE_VERSION && encoded[1] === Kind.signingPrivateKey) {
    const { suite, privateKey } = decodeSigningPrivateKey(encoded);
    privateKey.fill(0);
    return { family: 'signing', suite };
  }
  const { suite, privateKey } = decodePrivateKey(encoded);
  privateKey.fill(0);
  return { family: 'kem', suite };
}

function u32(out: Uint8Array, at: number, v: number): void {
  new DataView(out.buffer, out.byteOffset, out.byteLength).setUint32(at, v, false);
}
function readU32(b: Uint8Array, at: number): number {
  return new DataView(b.buffer, b.byteOffset, b.byteLength).getUint32(at, false);
}

function encodeParams(kdf: KdfParams): Uint8Array {
  if (kdf.name === 'argon2id') {
    const out = new Uint8Array(PARAMS_LENGTH[KdfId.argon2id]);
    u32(out, 0, kdf.m);
    u32(out, 4, kdf.t);
    out[8] = kdf.p;
    return out;
  }
  const out = new Uint8Array(PARAMS_LENGTH[KdfId.scrypt]);
  out[0] = kdf.log2N;
  u32(out, 1, kdf.r);
  out[5] = kdf.p;
  return out;
}

/** The passphrase as bytes we own (UTF-8 of its NFC form for a string); wipe after use. */
function passphraseBytes(passphrase: string | Uint8Array): Uint8Array {
  if (typeof passphrase === 'string') {
    if (passphrase.length === 0) throw new InvalidArgumentError('passphrase', 'must not be empty');
    return new TextEncoder().encode(passphrase.normalize('NFC'));
  }
  if (passphrase instanceof Uint8Array) {
    if (passphrase.length === 0) throw new InvalidArgumentError('passphrase', 'must not be empty');
    return passphrase.slice();
  }
  throw new InvalidArgumentError('passphrase', `expected a string or a Uint8Array, got ${passphrase === null ? 'null' : typeof passphrase}`);
}

async function deriveKey(kdf: KdfParams, passphrase: Uint8Array, salt: Uint8Array): Promise<Uint8Array> {
  if (kdf.name === 'argon2id') {
    return argon2idAsync(passphrase, salt, { m: kdf.m, t: kdf.t, p: kdf.p, dkLen: KEY_LENGTH, maxmem: 2 ** 32 - 1 });
  }
  return scryptAsync(passphrase, salt, {
    N: 2 ** kdf.log2N,
    r: kdf.r,
    p: kdf.p,
    dkLen: KEY_LENGTH,
    // noble's own count of what it allocates; the limits were checked before.
    maxmem: 128 * kdf.r * (2 ** kdf.log2N + kdf.p + 1),
  });
}

/** A fresh ArrayBuffer copy of `bytes`: hpke-js uses an ArrayBuffer as given, so wiping it wipes its only copy. */
function ownedBuffer(bytes: Uint8Array): ArrayBuffer {
  const out = new Uint8Array(bytes.length);
  out.set(bytes);
  return out.buffer;
}

const AEAD = new Chacha20Poly1305();

/**
 * Encrypts an encoded v1 private key under a passphrase (spec/WIRE-FORMAT.md §8).
 * @param encodedPrivateKey - a v1 KEM private key (kind 0x02, checked with
 * core's strict decoder) or composite signing private key (kind 0x06, checked
 * with @hybridkem/signing's)
 * @param passphrase - a non-empty string (UTF-8 of its NFC form is used) or bytes
 * @returns a v1 object of kind 0x08 (see KEYS.md); {@link armor} gives its text form
 * @throws {KdfParameterError} for options outside {@link KDF_LIMITS}: what
 * this library writes, a reader with the default limits can read
 */
export async function encryptPrivateKey(
  encodedPrivateKey: Uint8Array,
  passphrase: string | Uint8Array,
  options: EncryptPrivateKeyOptions = {},
): Promise<Uint8Array> {
  expectBytes('encodedPrivateKey', encodedPrivateKey);
  const { suite } = decodeWrapped(encodedPrivateKey);
  const kdf = checkKdfParams(options.kdf ?? DEFAULT_KDF, KDF_LIMITS);
  const params = encodeParams(kdf);
  const aadLength = PREFIX_LENGTH + params.length + SALT_LENGTH + NONCE_LENGTH;
  const salt = randomBytes(SALT_LENGTH);
  const nonce = randomBytes(NONCE_LENGTH);
  const aad = new Uint8Array(aadLength);
  aad[0] = WIRE_VERSION;
  aad[1] = Kind.encryptedPrivateKey;
  aad[2] = suite.id >> 8;
  aad[3] = suite.id & 0xff;
  aad[4] = KdfId[kdf.name];
  aad.set(params, PREFIX_LENGTH);
  aad.set(salt, PREFIX_LENGTH + params.length);
  aad.set(nonce, PREFIX_LENGTH + params.length + SALT_LENGTH);

  const pass = passphraseBytes(passphrase);
  let key: Uint8Array | undefined;
  let keyBuf: ArrayBuffer | undefined;
  const plain = ownedBuffer(encodedPrivateKey);
  try {
    key = await deriveKey(kdf, pass, salt);
    keyBuf = ownedBuffer(key);
    const sealed = new Uint8Array(await AEAD.createEncryptionContext(keyBuf).seal(nonce, plain, aad));
    const out = new Uint8Array(aadLength + sealed.length);
    out.set(aad);
    out.set(sealed, aadLength);
    return out;
  } finally {
    pass.fill(0);
    key?.fill(0);
    if (keyBuf) new Uint8Array(keyBuf).fill(0);
    new Uint8Array(plain).fill(0);
  }
}

/**
 * Reads the header of an encrypted private key strictly, without the
 * passphrase and without running the KDF. Checks, in order: length of the
 * header (`ERR_TRUNCATED`), version (`ERR_UNSUPPORTED_VERSION`), kind
 * (`ERR_UNKNOWN_KIND` / `ERR_WRONG_KIND`), suite (`ERR_UNKNOWN_SUITE`), KDF
 * id ({@link UnknownKdfError}), total length (`ERR_TRUNCATED` /
 * `ERR_TRAILING_DATA`), KDF parameters against the read limits
 * ({@link KdfParameterError}; {@link KDF_LIMITS} unless `options.limits`).
 */
export function parseEncryptedPrivateKey(bytes: Uint8Array, options: DecryptPrivateKeyOptions = {}): EncryptedPrivateKeyInfo {
  expectBytes('encryptedPrivateKey', bytes);
  const limits = resolveKdfLimits(options.limits);
  if (bytes.length < 4) throw new TruncatedError('encryptedPrivateKey header', 4, bytes.length);
  if (bytes[0] !== WIRE_VERSION) throw new UnsupportedVersionError(WIRE_VERSION, bytes[0]!);
  const kindName = KIND_NAMES[bytes[1]!];
  if (kindName === undefined) throw new UnknownKindError(bytes[1]!);
  if (kindName !== 'encryptedPrivateKey') throw new WrongKindError('encryptedPrivateKey', kindName);
  const wrapped = wrappedSuite((bytes[2]! << 8) | bytes[3]!);
  const { suite } = wrapped;
  if (bytes.length < PREFIX_LENGTH) throw new TruncatedError('encryptedPrivateKey KDF id', PREFIX_LENGTH, bytes.length);
  const kdfId = bytes[4]!;
  if (kdfId !== KdfId.argon2id && kdfId !== KdfId.scrypt) throw new UnknownKdfError(kdfId);
  const paramsLength = PARAMS_LENGTH[kdfId];
  const aadLength = PREFIX_LENGTH + paramsLength + SALT_LENGTH + NONCE_LENGTH;
  const want = aadLength + encodedPrivateKeyLength(wrapped) + TAG_LENGTH;
  const field = `encryptedPrivateKey (${suite.name}, ${kdfId === KdfId.argon2id ? 'argon2id' : 'scrypt'})`;
  if (bytes.length < want) throw new TruncatedError(field, want, bytes.length);
  if (bytes.length > want) throw new TrailingDataError(field, want, bytes.length);
  const p = bytes.subarray(PREFIX_LENGTH, PREFIX_LENGTH + paramsLength);
  const raw: KdfParams =
    kdfId === KdfId.argon2id
      ? { name: 'argon2id', m: readU32(p, 0), t: readU32(p, 4), p: p[8]! }
      : { name: 'scrypt', log2N: p[0]!, r: readU32(p, 1), p: p[5]! };
  const kdf = checkKdfParams(raw, limits);
  const saltAt = PREFIX_LENGTH + paramsLength;
  return Object.freeze({
    ...(wrapped.family === 'kem'
      ? { family: 'kem' as const, wrappedKind: 'privateKey' as const, suite: wrapped.suite }
      : { family: 'signing' as const, wrappedKind: 'signingPrivateKey' as const, suite: wrapped.suite }),
    kdf,
    salt: bytes.slice(saltAt, saltAt + SALT_LENGTH),
    nonce: bytes.slice(saltAt + SALT_LENGTH, aadLength),
    ciphertext: bytes.slice(aadLength),
    aad: bytes.slice(0, aadLength),
  });
}

/**
 * Decrypts a passphrase-encrypted private key.
 * @returns the encoded v1 private key: kind 0x02 (KEM) or 0x06 (composite
 * signing), as the header's suite says (`parseEncryptedPrivateKey(…).family`
 * tells which before decrypting). Secret: wipe it when done.
 * @throws the typed errors of {@link parseEncryptedPrivateKey} for a malformed object or KDF parameters beyond the read limits (before any KDF runs)
 * @throws {KeyFileError} (`ERR_AUTHENTICATION`) for a wrong passphrase or any modified byte
 */
export async function decryptPrivateKey(
  bytes: Uint8Array,
  passphrase: string | Uint8Array,
  options: DecryptPrivateKeyOptions = {},
): Promise<Uint8Array> {
  const info = parseEncryptedPrivateKey(bytes, options);
  const pass = passphraseBytes(passphrase);
  let key: Uint8Array | undefined;
  let keyBuf: ArrayBuffer | undefined;
  let plain: Uint8Array;
  try {
    key = await deriveKey(info.kdf, pass, info.salt);
    keyBuf = ownedBuffer(key);
    try {
      plain = new Uint8Array(await AEAD.createEncryptionContext(keyBuf).open(info.nonce, ownedBuffer(info.ciphertext), info.aad));
    } catch {
      throw new KeyFileError();
    }
  } finally {
    pass.fill(0);
    key?.fill(0);
    if (keyBuf) new Uint8Array(keyBuf).fill(0);
  }
  try {
    // The header's family picks the decoder, so a KEM key under a signing
    // suite id (or the reverse) fails here. Authenticated, so only a faulty
    // writer gets here.
    const { suite, privateKey } = info.family === 'kem' ? decodePrivateKey(plain) : decodeSigningPrivateKey(plain);
    privateKey.fill(0);
    if (suite.id !== info.suite.id) throw new KeyFileError('encrypted private key: the wrapped key is not of the suite its header names');
  } catch (e) {
    plain.fill(0);
    throw e instanceof KeyFileError ? e : new KeyFileError('encrypted private key: the decrypted contents are not a v1 private key', { cause: e });
  }
  return plain;
}

/** {@link encryptPrivateKey}, armored (`-----BEGIN HYBRIDKEM ENCRYPTED PRIVATE KEY-----`). */
export async function encryptPrivateKeyArmored(
  encodedPrivateKey: Uint8Array,
  passphrase: string | Uint8Array,
  options?: EncryptPrivateKeyOptions,
): Promise<string> {
  return armor(await encryptPrivateKey(encodedPrivateKey, passphrase, options));
}

/**
 * {@link decryptPrivateKey} of armored text. The framing, base64 and label
 * are checked first (`ERR_ARMOR`), then as {@link decryptPrivateKey}.
 */
export async function decryptPrivateKeyArmored(
  text: string,
  passphrase: string | Uint8Array,
  options?: DecryptPrivateKeyOptions,
): Promise<Uint8Array> {
  const { encoded } = dearmor(text);
  return decryptPrivateKey(encoded, passphrase, options);
}
