/**
 * DHKEM(X25519, HKDF-SHA256) of RFC 9180 §4.1 over a group primitive
 * (spec/WIRE-FORMAT.md §1.4): DeriveKeyPair (§7.1.3), Encap / Decap and
 * ExtractAndExpand with LabeledExtract / LabeledExpand (§4). HKDF and SHA-256
 * come from @noble/hashes; the X25519 arithmetic from the backend's group.
 * @module
 */
import { expand, extract } from '@noble/hashes/hkdf.js';
import { sha256 } from '@noble/hashes/sha2.js';
import { concat, wipe } from '../bytes.js';
import type { DhkemSuite } from '../suites.js';
import type { GroupPrimitive } from './primitives.js';

const utf8 = (s: string) => new TextEncoder().encode(s);

function i2osp2(n: number): Uint8Array {
  return new Uint8Array([(n >> 8) & 0xff, n & 0xff]);
}

/** RFC 9180 §4: LabeledExtract(salt, label, ikm) = Extract(salt, "HPKE-v1" ‖ suite_id ‖ label ‖ ikm). */
function labeledExtract(suiteId: Uint8Array, salt: Uint8Array, label: string, ikm: Uint8Array): Uint8Array {
  const labeledIkm = concat(utf8('HPKE-v1'), suiteId, utf8(label), ikm);
  try {
    return extract(sha256, labeledIkm, salt);
  } finally {
    wipe(labeledIkm);
  }
}

/** RFC 9180 §4: LabeledExpand(prk, label, info, L) = Expand(prk, I2OSP(L, 2) ‖ "HPKE-v1" ‖ suite_id ‖ label ‖ info, L). */
function labeledExpand(suiteId: Uint8Array, prk: Uint8Array, label: string, info: Uint8Array, length: number): Uint8Array {
  return expand(sha256, prk, concat(i2osp2(length), utf8('HPKE-v1'), suiteId, utf8(label), info), length);
}

/** The KEM operations of one DHKEM suite. */
export interface Dhkem {
  /** DeriveKeyPair(ikm)'s private key (RFC 9180 §7.1.3, X25519: no rejection loop). */
  deriveSecretKey(ikm: Uint8Array): Uint8Array;
  /** Encap(pkR) with ikmE = `randomness`; throws (from the group) on an all-zero DH. */
  encapsulate(publicKey: Uint8Array, randomness: Uint8Array): { ciphertext: Uint8Array; sharedSecret: Uint8Array };
  /** Decap(enc, skR) given pkR; throws (from the group) on an all-zero DH. */
  decapsulate(secretKey: Uint8Array, publicKey: Uint8Array, enc: Uint8Array): Uint8Array;
}

/** What {@link dhkem} is: a composed backend of a DHKEM suite takes it in its SuiteSelection. */
export type DhkemFactory = (suite: DhkemSuite, group: GroupPrimitive) => Dhkem;

/** DHKEM for `suite` (its group is X25519, its KDF HKDF-SHA256) over `group`. */
export function dhkem(suite: DhkemSuite, group: GroupPrimitive): Dhkem {
  // suite_id = "KEM" ‖ I2OSP(kem_id, 2) (RFC 9180 §4.1).
  const suiteId = concat(utf8('KEM'), i2osp2(suite.id));
  const nsk = suite.group.lengths.scalar;
  const nsecret = suite.lengths.sharedSecret;

  function extractAndExpand(dh: Uint8Array, kemContext: Uint8Array): Uint8Array {
    const prk = labeledExtract(suiteId, new Uint8Array(0), 'eae_prk', dh);
    try {
      return labeledExpand(suiteId, prk, 'shared_secret', kemContext, nsecret);
    } finally {
      wipe(prk);
    }
  }

  function deriveSecretKey(ikm: Uint8Array): Uint8Array {
    const prk = labeledExtract(suiteId, new Uint8Array(0), 'dkp_prk', ikm);
    try {
      return labeledExpand(suiteId, prk, 'sk', new Uint8Array(0), nsk);
    } finally {
      wipe(prk);
    }
  }

  return Object.freeze({
    deriveSecretKey,
    encapsulate(publicKey: Uint8Array, randomness: Uint8Array) {
      const skE = deriveSecretKey(randomness);
      let dh: Uint8Array | undefined;
      try {
        const enc = group.publicKey(skE);
        dh = group.sharedSecret(skE, publicKey);
        return { ciphertext: enc, sharedSecret: extractAndExpand(dh, concat(enc, publicKey)) };
      } finally {
        wipe(skE, dh);
      }
    },
    decapsulate(secretKey: Uint8Array, publicKey: Uint8Array, enc: Uint8Array) {
      const dh = group.sharedSecret(secretKey, enc);
      try {
        return extractAndExpand(dh, concat(enc, publicKey));
      } finally {
        wipe(dh);
      }
    },
  });
}
