/**
 * Key ids: SHA-256 of the encoded (header-included) public key, first 16
 * bytes (spec/WIRE-FORMAT.md §4). Hashing the header binds the suite, so one
 * raw key under two suites has two ids.
 * @module
 */
import { sha256 } from '@noble/hashes/sha2.js';
import { bytesToHex } from '../bytes.js';
import { decodePublicKey } from './decode.js';

export const KEY_ID_LENGTH = 16;

/** The key id of an encoded v1 public key, as 32 lower-case hex digits. */
export function keyId(encodedPublicKey: Uint8Array): string {
  decodePublicKey(encodedPublicKey);
  return bytesToHex(sha256(encodedPublicKey).subarray(0, KEY_ID_LENGTH));
}
