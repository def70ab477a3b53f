/**
 * The key schedule of a multi-recipient sealed message (spec/WIRE-FORMAT.md
 * §10.2): the HPKE `info` of each stanza, the header MAC and the payload key
 * and nonces, all from the 32-byte file key. HKDF (RFC 5869) and HMAC
 * (RFC 2104) with SHA-256 are noble's; the AEAD is node:crypto's or hpke-js's
 * (aead/), never our own.
 * @module
 */
import { InvalidArgumentError, KEY_ID_LENGTH } from '@hybridkem/core';
import { hkdf } from '@noble/hashes/hkdf.js';
import { hmac } from '@noble/hashes/hmac.js';
import { sha256 } from '@noble/hashes/sha2.js';
import { concatBytes, utf8ToBytes } from '@noble/hashes/utils.js';
import type { ChunkAead } from '../aead/chunk-aead.js';
import { makeAead, type AeadImplementation } from '../aead/index.js';
import { NodeCryptoAeadContext } from '../aead/node-crypto.js';
import { OpenError } from '../errors.js';
import type { HpkeAeadName } from '../suite.js';

/** Labels of spec §10.2 (ASCII). Each KDF use has its own label (RFC 5869 §3.2: `info` separates the outputs of one key). */
export const MULTI_INFO_LABEL = 'hybridkem/v1/multi-recipient';
const HEADER_LABEL = utf8ToBytes('hybridkem/v1/multi-recipient header');
const PAYLOAD_LABEL = utf8ToBytes('hybridkem/v1/multi-recipient payload');

/** Key sizes Nk of RFC 9180 §7.3; Nn is 12 for all three. */
const NONCE_LENGTH = 12;
/** A writer and a reader stop before chunk 2^32 (spec §10.2), far below any nonce repetition. */
const MAX_CHUNKS = 2 ** 32;

/**
 * wrap_info_i = "hybridkem/v1/multi-recipient" ‖ 0x00 ‖ FIXED ‖ suite id ‖ key id (when visible)
 *               ‖ I2OSP(len(user_info), 4) ‖ user_info
 */
export function wrapInfo(fixed: Uint8Array, suiteId: number, keyId: Uint8Array | undefined, userInfo: Uint8Array): Uint8Array {
  if (keyId !== undefined && keyId.length !== KEY_ID_LENGTH) throw new InvalidArgumentError('keyId', `expected ${KEY_ID_LENGTH} bytes`);
  const len = new Uint8Array(4);
  new DataView(len.buffer).setUint32(0, userInfo.length);
  return concatBytes(
    utf8ToBytes(MULTI_INFO_LABEL),
    new Uint8Array([0]),
    fixed,
    new Uint8Array([suiteId >>> 8, suiteId & 0xff]),
    keyId ?? new Uint8Array(0),
    len,
    userInfo,
  );
}

/** MAC = HMAC-SHA-256(HKDF-SHA-256(salt = "", IKM = file key, info = header label, 32), FIXED ‖ stanzas). */
export function headerMac(fileKey: Uint8Array, headerWithoutMac: Uint8Array): Uint8Array {
  const macKey = hkdf(sha256, fileKey, undefined, HEADER_LABEL, 32);
  try {
    return hmac(sha256, macKey, headerWithoutMac);
  } finally {
    macKey.fill(0);
  }
}

/** Constant-time equality of two MACs of the same length. */
export function macEquals(a: Uint8Array, b: Uint8Array): boolean {
  if (a.length !== b.length) return false;
  let diff = 0;
  for (let i = 0; i < a.length; i++) diff |= a[i]! ^ b[i]!;
  return diff === 0;
}

/**
 * The payload's chunk AEAD (spec §10.2): key ‖ base_nonce = HKDF-SHA-256(salt
 * = payload salt, IKM = file key, info = payload label, Nk + 12); chunk i
 * uses nonce base_nonce XOR I2OSP(i, 12), RFC 9180 §5.2's ComputeNonce. The
 * chunkers call it in order, one call at a time, so the counter is the chunk
 * index.
 */
export function payloadAead(fileKey: Uint8Array, salt: Uint8Array, aeadName: HpkeAeadName, implementation: AeadImplementation): ChunkAead {
  const { aead } = makeAead(aeadName, implementation);
  const nk = aead.keySize; // RFC 9180 §7.3's Nk, declared by the AEAD itself
  const okm = hkdf(sha256, fileKey, salt, PAYLOAD_LABEL, nk + NONCE_LENGTH);
  const baseNonce = okm.slice(nk);
  // Both AEAD contexts take the key over (node:crypto's wipes what it is given).
  const ctx = aead.createEncryptionContext(okm.slice(0, nk).buffer);
  okm.fill(0);
  let seq = 0;
  const nextNonce = (): Uint8Array<ArrayBuffer> => {
    if (seq >= MAX_CHUNKS) throw new InvalidArgumentError('chunk', `more than 2^32 chunks in one message`);
    const nonce = baseNonce.slice();
    // I2OSP(seq, 12) has its non-zero bytes in the last 6 (seq < 2^48).
    let s = seq;
    for (let i = NONCE_LENGTH - 1; s > 0; i--, s = Math.floor(s / 256)) nonce[i]! ^= s & 0xff;
    seq += 1;
    return nonce;
  };
  if (ctx instanceof NodeCryptoAeadContext) {
    return {
      direct: true,
      seal: (data, aad) => ctx.sealParts(nextNonce(), data, aad),
      open(data, aad) {
        const nonce = nextNonce();
        try {
          return ctx.openSync(nonce, data, aad);
        } catch (e) {
          throw new OpenError({ cause: e });
        }
      },
    };
  }
  return {
    direct: false,
    seal: (data, aad) => ctx.seal(nextNonce(), data, aad),
    open: (data, aad) => {
      const nonce = nextNonce();
      return ctx.open(nonce, data, aad).catch((e: unknown) => Promise.reject(new OpenError({ cause: e })));
    },
  };
}
