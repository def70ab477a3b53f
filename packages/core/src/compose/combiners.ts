/**
 * The two combiners (spec/WIRE-FORMAT.md §1.2). Every input has a fixed
 * length per suite, so the concatenations are injective.
 * @module
 */
import { expand, extract } from '@noble/hashes/hkdf.js';
import { sha256, sha512 } from '@noble/hashes/sha2.js';
import { sha3_256 } from '@noble/hashes/sha3.js';
import { concat, hexToBytes, wipe } from '../bytes.js';
import type { Suite } from '../suites.js';

export interface CombinerInput {
  ssM: Uint8Array;
  ssT: Uint8Array;
  ctM: Uint8Array;
  pkM: Uint8Array;
  ctT: Uint8Array;
  pkT: Uint8Array;
}

const HYBRID_PRK = new TextEncoder().encode('hybrid_prk');
// info = I2OSP(32, 2) ‖ "shared_secret" (cfrg/draft-irtf-cfrg-hybrid-kems, KitchenSink).
const SHARED_SECRET_INFO = concat(new Uint8Array([0x00, 0x20]), new TextEncoder().encode('shared_secret'));
const labels = new Map<number, Uint8Array>();

function label(suite: Suite): Uint8Array {
  let l = labels.get(suite.id);
  if (!l) labels.set(suite.id, (l = hexToBytes('label', suite.labelHex)));
  return l;
}

/** Computes the suite's shared secret from its components' outputs. */
export function combine(suite: Suite, x: CombinerInput): Uint8Array {
  switch (suite.combiner) {
    case 'cg-sha3-256': {
      // SHA3-256(ss_M ‖ ss_T ‖ ct_T ‖ pk_T ‖ label): X-Wing §5.3 / concrete-hybrid-kems CG.
      const input = concat(x.ssM, x.ssT, x.ctT, x.pkT, label(suite));
      const ss = sha3_256(input);
      wipe(input);
      return ss;
    }
    case 'kitchensink-hkdf-sha256':
    case 'kitchensink-hkdf-sha512': {
      const hash = suite.combiner === 'kitchensink-hkdf-sha256' ? sha256 : sha512;
      // IKM = "hybrid_prk" ‖ ss_M ‖ ss_X ‖ ct_M ‖ pk_M ‖ ct_X ‖ pk_X ‖ label; salt = Nh zero bytes.
      const ikm = concat(HYBRID_PRK, x.ssM, x.ssT, x.ctM, x.pkM, x.ctT, x.pkT, label(suite));
      const prk = extract(hash, ikm, new Uint8Array(hash.outputLen));
      const ss = expand(hash, prk, SHARED_SECRET_INFO, 32);
      wipe(ikm, prk);
      return ss;
    }
  }
}
