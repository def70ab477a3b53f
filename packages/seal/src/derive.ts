/**
 * HPKE `DeriveKeyPair` for the hybrid KEMs, as draft-ietf-hpke-pq §4 defines
 * it for X-Wing (MLKEM768-X25519, KEM id 0x647a), MLKEM768-P256 (0x0050) and
 * MLKEM1024-P384 (0x0051), and spec/WIRE-FORMAT.md §7.1 for every other suite
 * (0xff01-0xff04): a 32-byte seed from SHAKE256's one-stage `LabeledDerive`
 * (draft-ietf-hpke-hpke §4) with the KEM's suite_id, then the KEM's own key
 * derivation from that seed.
 * @module
 */
import { InvalidArgumentError } from '@hybridkem/core';
import { shake256 } from '@noble/hashes/sha3.js';
import { concatBytes, utf8ToBytes } from '@noble/hashes/utils.js';
import { expectBytes, i2osp2 } from './bytes.js';

/** X-Wing's HPKE KEM identifier (draft-connolly-cfrg-xwing-kem, draft-ietf-hpke-pq §8.2). */
export const XWING_KEM_ID = 0x647a;

/** HPKE KEM identifiers of MLKEM768-P256 and MLKEM1024-P384 (draft-ietf-hpke-pq §8.2); also their wire suite ids. */
export const MLKEM768_P256_KEM_ID = 0x0050;
export const MLKEM1024_P384_KEM_ID = 0x0051;

/** `suite_id` of a KEM, "KEM" ‖ I2OSP(kem_id, 2) (RFC 9180 §4.1). */
export function kemSuiteId(kemId: number): Uint8Array {
  return concatBytes(utf8ToBytes('KEM'), i2osp2(kemId));
}

/** `suite_id` of X-Wing, "KEM" ‖ 0x647a. */
export const XWING_KEM_SUITE_ID: Uint8Array = kemSuiteId(XWING_KEM_ID);

const HPKE_V1 = utf8ToBytes('HPKE-v1');
const LABEL_DERIVE_KEY_PAIR = utf8ToBytes('DeriveKeyPair');
const SEED_LENGTH = 32;
/** draft-ietf-hpke-pq §4: the input "SHOULD be at least 32 bytes long"; we require it. */
export const MIN_IKM_LENGTH = 32;
/** The input limit hpke-js applies to its own KEMs' DeriveKeyPair (its INPUT_LENGTH_LIMIT). */
export const MAX_IKM_LENGTH = 8192;

/**
 * SHAKE256 `LabeledDerive(ikm, label, context, L)` (draft-ietf-hpke-hpke §4,
 * one-stage KDFs): SHAKE256 over
 * `ikm ‖ "HPKE-v1" ‖ suite_id ‖ I2OSP(len(label), 2) ‖ label ‖ I2OSP(L, 2) ‖ context`,
 * L bytes out.
 */
export function shake256LabeledDerive(
  suiteId: Uint8Array,
  ikm: Uint8Array,
  label: Uint8Array,
  context: Uint8Array,
  L: number,
): Uint8Array {
  const labeledIkm = concatBytes(ikm, HPKE_V1, suiteId, i2osp2(label.length), label, i2osp2(L), context);
  try {
    return shake256(labeledIkm, { dkLen: L });
  } finally {
    labeledIkm.fill(0);
  }
}

/**
 * The private key (32-byte seed) that HPKE's `DeriveKeyPair(ikm)` gives for
 * the hybrid KEM `kemId` (draft-ietf-hpke-pq §4, spec/WIRE-FORMAT.md §7.1):
 * `seed = SHAKE256.LabeledDerive(ikm, "DeriveKeyPair", "", 32)` with
 * suite_id "KEM" ‖ I2OSP(kemId, 2). The public key is the KEM's key for
 * that seed.
 * @throws {InvalidArgumentError} when ikm is not 32 to 8192 bytes, or kemId is not 0 to 0xffff
 */
export function deriveHybridSeed(kemId: number, ikm: Uint8Array): Uint8Array {
  if (!Number.isInteger(kemId) || kemId < 0 || kemId > 0xffff) {
    throw new InvalidArgumentError('kemId', 'expected an integer from 0 to 0xffff');
  }
  expectBytes('ikm', ikm);
  if (ikm.length < MIN_IKM_LENGTH || ikm.length > MAX_IKM_LENGTH) {
    throw new InvalidArgumentError('ikm', `expected ${MIN_IKM_LENGTH} to ${MAX_IKM_LENGTH} bytes, got ${ikm.length}`);
  }
  return shake256LabeledDerive(kemSuiteId(kemId), ikm, LABEL_DERIVE_KEY_PAIR, new Uint8Array(0), SEED_LENGTH);
}

/**
 * The X-Wing private key (32-byte seed) that HPKE's `DeriveKeyPair(ikm)`
 * gives: {@link deriveHybridSeed} with KEM id 0x647a.
 * @throws {InvalidArgumentError} when ikm is not 32 to 8192 bytes
 */
export function deriveXWingSeed(ikm: Uint8Array): Uint8Array {
  return deriveHybridSeed(XWING_KEM_ID, ikm);
}
