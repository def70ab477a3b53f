/**
 * Sealed messages (spec/WIRE-FORMAT.md §7), one-shot:
 * `HEADER ‖ enc ‖ chunk_0 ‖ … ‖ chunk_n` in one byte string. The streaming
 * forms (stream.ts, node.ts) produce and accept the same bytes.
 * @module
 */
import type { RecipientContext } from '@hpke/core';
import { concatBytes } from '@noble/hashes/utils.js';
import { expectBytes } from './bytes.js';
import { OpenChunker, SealChunker } from './chunks.js';
import {
  checkHeader,
  DEFAULT_CHUNK_SIZE_EXPONENT,
  encodeHeader,
  MAX_CHUNK_SIZE_EXPONENT,
  MIN_CHUNK_SIZE_EXPONENT,
  recipientKeyId,
  SEALED_HEADER_LENGTH,
  sealedInfo,
  type SealedHeader,
} from './format.js';
import { wipeKey, type XWingKey } from './key.js';
import { checkOptions, checkSuite, TAG_LENGTH, type SealOptions } from './raw.js';
import type { HpkeSuite } from './suite.js';

/**
 * Collects what a chunker emits into one byte string. With the final length
 * known beforehand, each piece is copied once into a buffer of that size (one
 * copy, as a concatenation at the end would be, but without holding every
 * piece and the result at once); should more arrive than expected, it falls
 * back to collecting the pieces.
 */
function collector(expected: number | undefined): { emit: (b: Uint8Array) => void; result: () => Uint8Array } {
  let out = expected === undefined ? undefined : new Uint8Array(expected);
  let off = 0;
  const parts: Uint8Array[] = [];
  return {
    emit(b) {
      if (out && off + b.length <= out.length) {
        out.set(b, off);
        off += b.length;
        return;
      }
      if (out) {
        parts.push(out.subarray(0, off));
        out = undefined;
      }
      parts.push(b);
    },
    result: () => (out ? (off === out.length ? out : out.slice(0, off)) : concatBytes(...parts)),
  };
}

/** Sealed length for `length` plaintext bytes (spec §7.2): prefix, the plaintext, one tag per chunk. */
function sealedLength(prefixLength: number, length: number, exponent: number): number {
  return prefixLength + length + TAG_LENGTH * Math.max(1, Math.ceil(length / 2 ** exponent));
}

/** Plaintext length of a canonical message of `sealedBytes` bytes, or undefined when the header's exponent is not readable. */
function openedLength(sealed: Uint8Array, encSize: number): number | undefined {
  const exponent = sealed[24];
  if (sealed.length <= SEALED_HEADER_LENGTH + encSize || exponent === undefined) return undefined;
  if (exponent < MIN_CHUNK_SIZE_EXPONENT || exponent > MAX_CHUNK_SIZE_EXPONENT) return undefined;
  const body = sealed.length - SEALED_HEADER_LENGTH - encSize;
  const chunks = Math.ceil(body / (2 ** exponent + TAG_LENGTH));
  return Math.max(0, body - TAG_LENGTH * chunks);
}

/**
 * Checks the arguments of a sealer (synchronously, so a stream factory throws
 * before returning) and returns a function that makes the chunker.
 * @internal
 */
export function prepareSeal(
  suite: HpkeSuite,
  recipientPublicKey: Uint8Array,
  options: SealOptions | undefined,
): () => Promise<SealChunker> {
  checkSuite(suite);
  const pkBytes = expectBytes('recipientPublicKey', recipientPublicKey, suite.hpkeKem.publicKeySize).slice();
  const { info, aad } = checkOptions(options);
  const userInfo = info.slice();
  const userAad = aad.slice();
  return async () => {
    const exponent = DEFAULT_CHUNK_SIZE_EXPONENT;
    const header = encodeHeader(suite, recipientKeyId(suite, pkBytes), exponent);
    const pk = await suite.hpkeKem.deserializePublicKey(pkBytes);
    const ctx = await suite.cipherSuite.createSenderContext({ recipientPublicKey: pk, info: sealedInfo(header, userInfo) });
    return new SealChunker(ctx, concatBytes(header, new Uint8Array(ctx.enc)), userAad, exponent);
  };
}

/**
 * Checks the arguments of an opener and returns the chunker. The private key
 * is copied here and wiped once the HPKE context exists (or the header is
 * rejected).
 * @internal
 */
export function prepareOpen(suite: HpkeSuite, recipientPrivateKey: Uint8Array, options: SealOptions | undefined): OpenChunker {
  checkSuite(suite);
  const seed = expectBytes('recipientPrivateKey', recipientPrivateKey, suite.hpkeKem.privateKeySize).slice();
  const { info, aad } = checkOptions(options);
  const userInfo = info.slice();
  const steps = {
    checkHeader(header: SealedHeader): void {
      try {
        checkHeader(header, suite, recipientKeyId(suite, suite.hpkeKem.kem.getPublicKey(seed)));
      } catch (error) {
        seed.fill(0);
        throw error;
      }
    },
    async start(header: SealedHeader, enc: Uint8Array): Promise<RecipientContext> {
      try {
        const sk = (await suite.hpkeKem.deserializePrivateKey(seed)) as XWingKey;
        try {
          return await suite.cipherSuite.createRecipientContext({ recipientKey: sk, enc, info: sealedInfo(header.bytes, userInfo) });
        } finally {
          wipeKey(sk);
        }
      } finally {
        seed.fill(0);
      }
    },
  };
  return new OpenChunker(suite.hpkeKem.encSize, aad.slice(), steps, () => seed.fill(0));
}

/**
 * Seals `plaintext` to `recipientPublicKey` (the suite's raw public key) as
 * one sealed message (spec/WIRE-FORMAT.md §7): HPKE base mode, 64 KiB chunks.
 * @throws {InvalidLengthError} for a public key of the wrong length for the suite
 * @throws {InvalidMlKemKeyError} / {InvalidGroupElementError} for an invalid public key
 * @throws {InvalidArgumentError} for arguments of the wrong type, `info` over 64 KiB
 */
export async function seal(
  suite: HpkeSuite,
  recipientPublicKey: Uint8Array,
  plaintext: Uint8Array,
  options?: SealOptions,
): Promise<Uint8Array> {
  const make = prepareSeal(suite, recipientPublicKey, options);
  expectBytes('plaintext', plaintext);
  const chunker = await make();
  const { emit, result } = collector(sealedLength(chunker.prefixLength, plaintext.length, DEFAULT_CHUNK_SIZE_EXPONENT));
  await chunker.push(plaintext, emit);
  await chunker.finish(emit);
  return result();
}

/**
 * Opens a sealed message with `recipientPrivateKey` (the 32-byte seed).
 * @throws {OpenError} (ERR_AUTHENTICATION) when any chunk fails to
 *   authenticate: a changed byte, truncation at or inside a chunk, appended,
 *   reordered or repeated chunks, another key, aad or info
 * @throws {TruncatedError} header, enc or final chunk shorter than its fixed length
 * @throws {UnsupportedVersionError} / {UnknownKindError} / {WrongKindError} / {UnknownSuiteError} header
 * @throws {InvalidArgumentError} field `kdf` / `aead` (another suite's message), `keyId`
 *   (sealed to another key), `chunkSizeExponent`, `reserved`, `final chunk` (empty after a full one)
 * @throws {InvalidLengthError} for a seed that is not 32 bytes
 * @throws {InvalidGroupElementError} for a low-order X25519 part in enc
 */
export async function open(
  suite: HpkeSuite,
  recipientPrivateKey: Uint8Array,
  sealed: Uint8Array,
  options?: SealOptions,
): Promise<Uint8Array> {
  const chunker = prepareOpen(suite, recipientPrivateKey, options);
  expectBytes('sealed', sealed);
  // Only authenticated plaintext is ever emitted, so the buffer holds nothing else.
  const { emit, result } = collector(openedLength(sealed, suite.hpkeKem.encSize));
  await chunker.push(sealed, emit);
  await chunker.finish(emit);
  return result();
}
