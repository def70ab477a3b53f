/**
 * Raw one-shot HPKE base mode: `SealBase` / `OpenBase` (RFC 9180 §6.1), with
 * hpke-js doing the key schedule and AEAD and our X-Wing KEM underneath.
 * No framing: `enc` and the ciphertext are returned separately, exactly as
 * RFC 9180 and the HPKE-PQ vectors have them. Sealed messages
 * (spec/WIRE-FORMAT.md §7) are `seal` / `open` in message.ts.
 * @module
 */
import { HybridKemError, InvalidArgumentError } from '@hybridkem/core';
import { expectBytes } from './bytes.js';
import { toOpenError } from './errors.js';
import { wipeKey, type XWingKey } from './key.js';
import type { HpkeSuite } from './suite.js';

export interface SealOptions {
  /** Application-supplied context bound into the key schedule (RFC 9180 §5.1). Default empty. */
  info?: Uint8Array;
  /** Additional authenticated data for the AEAD (RFC 9180 §5.2). Default empty. */
  aad?: Uint8Array;
}

export interface RawSealed {
  /** The KEM ciphertext (Nenc: the suite's ciphertext length, 1120 bytes for X-Wing). */
  readonly enc: Uint8Array;
  /** The AEAD ciphertext: plaintext length + 16-byte tag. */
  readonly ciphertext: Uint8Array;
}

/** RFC 9180 §7.2.1 limits `info` per implementation; hpke-js allows 2^28 bytes, we allow 64 KiB. */
export const MAX_INFO_LENGTH = 65536;
/** The AEAD tag length of both AEADs (Nt = 16, RFC 9180 §7.3). */
export const TAG_LENGTH = 16;

/** @internal */
export function checkOptions(options: SealOptions | undefined): { info: Uint8Array; aad: Uint8Array } {
  if (options !== undefined && (typeof options !== 'object' || options === null)) {
    throw new InvalidArgumentError('options', 'expected an object');
  }
  const info = options?.info === undefined ? new Uint8Array(0) : expectBytes('info', options.info);
  const aad = options?.aad === undefined ? new Uint8Array(0) : expectBytes('aad', options.aad);
  if (info.length > MAX_INFO_LENGTH) {
    throw new InvalidArgumentError('info', `expected at most ${MAX_INFO_LENGTH} bytes, got ${info.length}`);
  }
  return { info, aad };
}

/** @internal */
export function checkSuite(suite: HpkeSuite): void {
  if (typeof suite !== 'object' || suite === null || !suite.cipherSuite || !suite.hpkeKem) {
    throw new InvalidArgumentError('suite', 'expected a suite from createHpkeSuite()');
  }
}

/**
 * `SealBase(pkR, info, aad, pt)` (RFC 9180 §6.1): encapsulates to
 * `recipientPublicKey` (the suite's raw public key) and encrypts `plaintext` once.
 * @throws {InvalidLengthError} for a public key of the wrong length for the suite
 * @throws {InvalidMlKemKeyError} / {InvalidGroupElementError} for an invalid public key
 * @throws {InvalidArgumentError} for arguments of the wrong type
 */
export async function sealRaw(
  suite: HpkeSuite,
  recipientPublicKey: Uint8Array,
  plaintext: Uint8Array,
  options?: SealOptions,
): Promise<RawSealed> {
  checkSuite(suite);
  expectBytes('recipientPublicKey', recipientPublicKey, suite.hpkeKem.publicKeySize);
  expectBytes('plaintext', plaintext);
  const { info, aad } = checkOptions(options);
  const pk = await suite.hpkeKem.deserializePublicKey(recipientPublicKey);
  const { ct, enc } = await suite.cipherSuite.seal({ recipientPublicKey: pk, info }, plaintext, aad);
  return { enc: new Uint8Array(enc), ciphertext: new Uint8Array(ct) };
}

/**
 * `OpenBase(enc, skR, info, aad, ct)` (RFC 9180 §6.1): decapsulates `enc`
 * with `recipientPrivateKey` (the 32-byte seed) and decrypts `ciphertext`.
 * @throws {OpenError} when the message does not authenticate (any changed
 *   byte, another key, aad or info)
 * @throws {InvalidLengthError} for a seed that is not 32 bytes or an enc that is not the suite's Nenc
 * @throws {InvalidGroupElementError} for a low-order X25519 part in enc
 * @throws {InvalidArgumentError} for arguments of the wrong type, or a ciphertext shorter than the tag
 */
export async function openRaw(
  suite: HpkeSuite,
  recipientPrivateKey: Uint8Array,
  enc: Uint8Array,
  ciphertext: Uint8Array,
  options?: SealOptions,
): Promise<Uint8Array> {
  checkSuite(suite);
  expectBytes('recipientPrivateKey', recipientPrivateKey, suite.hpkeKem.privateKeySize);
  expectBytes('enc', enc, suite.hpkeKem.encSize);
  expectBytes('ciphertext', ciphertext);
  if (ciphertext.length < TAG_LENGTH) {
    throw new InvalidArgumentError('ciphertext', `expected at least ${TAG_LENGTH} bytes (the AEAD tag), got ${ciphertext.length}`);
  }
  const { info, aad } = checkOptions(options);
  const sk = (await suite.hpkeKem.deserializePrivateKey(recipientPrivateKey)) as XWingKey;
  try {
    return new Uint8Array(await suite.cipherSuite.open({ recipientKey: sk, enc, info }, ciphertext, aad));
  } catch (e) {
    if (e instanceof HybridKemError) throw e;
    throw toOpenError(e);
  } finally {
    wipeKey(sk);
  }
}
