/**
 * HPKE `DeriveKeyPair` for X-Wing (MLKEM768-X25519, KEM id 0x647a) as
 * draft-ietf-hpke-pq §4 defines it: a 32-byte seed from SHAKE256's
 * one-stage `LabeledDerive` (draft-ietf-hpke-hpke §4), then X-Wing's own
 * key derivation from that seed.
 * @module
 */
import { InvalidArgumentError } from '@hybridkem/core';
import { shake256 } from '@noble/hashes/sha3.js';
import { concatBytes, utf8ToBytes } from '@noble/hashes/utils.js';
import { expectBytes, i2osp2 } from './bytes.js';

/** X-Wing's HPKE KEM identifier (draft-connolly-cfrg-xwing-kem, draft-ietf-hpke-pq §8.2). */
export const XWING_KEM_ID = 0x647a;

/** `suite_id` of the KEM, "KEM" ‖ I2OSP(kem_id, 2) (RFC 9180 §4.1). */
export const XWING_KEM_SUITE_ID: Uint8Array = concatBytes(utf8ToBytes('KEM'), i2osp2(XWING_KEM_ID));

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
 * The X-Wing private key (32-byte seed) that HPKE's `DeriveKeyPair(ikm)`
 * gives (draft-ietf-hpke-pq §4):
 * `seed = SHAKE256.LabeledDerive(ikm, "DeriveKeyPair", "", 32)` with
 * suite_id "KEM" ‖ 0x647a. The public key is X-Wing's key for that seed.
 * @throws {InvalidArgumentError} when ikm is not 32 to 8192 bytes
 */
export function deriveXWingSeed(ikm: Uint8Array): Uint8Array {
  expectBytes('ikm', ikm);
  if (ikm.length < MIN_IKM_LENGTH || ikm.length > MAX_IKM_LENGTH) {
    throw new InvalidArgumentError('ikm', `expected ${MIN_IKM_LENGTH} to ${MAX_IKM_LENGTH} bytes, got ${ikm.length}`);
  }
  return shake256LabeledDerive(XWING_KEM_SUITE_ID, ikm, LABEL_DERIVE_KEY_PAIR, new Uint8Array(0), SEED_LENGTH);
}
