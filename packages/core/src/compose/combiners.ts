/**
 * The two combiners (spec/WIRE-FORMAT.md §1.2). Every input has a fixed
 * length per suite, so the concatenations are injective.
 *
 * Each combiner is its own object, picked by a backend that composes only
 * some suites (see composeSuites): a bundle of X-Wing alone then carries
 * SHA3-256 but neither HKDF nor SHA-2. Nothing here runs at module load, so a
 * bundler drops the combiners nobody references.
 * @module
 */
import { expand, extract } from '@noble/hashes/hkdf.js';
import { sha256, sha512 } from '@noble/hashes/sha2.js';
import { sha3_256 } from '@noble/hashes/sha3.js';
import { concat, hexToBytes, wipe } from '../bytes.js';
import type { CombinerName, HybridSuite } from '../suites.js';

export interface CombinerInput {
  ssM: Uint8Array;
  ssT: Uint8Array;
  ctM: Uint8Array;
  pkM: Uint8Array;
  ctT: Uint8Array;
  pkT: Uint8Array;
}

/** One of the combiners a suite names in `suite.combiner`. */
export interface Combiner {
  readonly name: CombinerName;
  /** The suite's shared secret from its components' outputs. */
  combine(suite: HybridSuite, input: CombinerInput): Uint8Array;
}

const labels = new Map<number, Uint8Array>();

function label(suite: HybridSuite): Uint8Array {
  let l = labels.get(suite.id);
  if (!l) labels.set(suite.id, (l = hexToBytes('label', suite.labelHex)));
  return l;
}

/** SHA3-256(ss_M ‖ ss_T ‖ ct_T ‖ pk_T ‖ label): X-Wing §5.3 / concrete-hybrid-kems CG. */
export const cgSha3_256: Combiner = /* @__PURE__ */ Object.freeze({
  name: 'cg-sha3-256',
  combine(suite: HybridSuite, x: CombinerInput): Uint8Array {
    const input = concat(x.ssM, x.ssT, x.ctT, x.pkT, label(suite));
    const ss = sha3_256(input);
    wipe(input);
    return ss;
  },
});

function kitchenSink(name: CombinerName, hash: typeof sha256 | typeof sha512): Combiner {
  const utf8 = (s: string) => new TextEncoder().encode(s);
  const hybridPrk = utf8('hybrid_prk');
  // info = I2OSP(32, 2) ‖ "shared_secret" (cfrg/draft-irtf-cfrg-hybrid-kems, KitchenSink).
  const sharedSecretInfo = concat(new Uint8Array([0x00, 0x20]), utf8('shared_secret'));
  return Object.freeze({
    name,
    combine(suite: HybridSuite, x: CombinerInput): Uint8Array {
      // IKM = "hybrid_prk" ‖ ss_M ‖ ss_X ‖ ct_M ‖ pk_M ‖ ct_X ‖ pk_X ‖ label; salt = Nh zero bytes.
      const ikm = concat(hybridPrk, x.ssM, x.ssT, x.ctM, x.pkM, x.ctT, x.pkT, label(suite));
      const prk = extract(hash, ikm, new Uint8Array(hash.outputLen));
      const ss = expand(hash, prk, sharedSecretInfo, 32);
      wipe(ikm, prk);
      return ss;
    },
  });
}

/** KitchenSink over HKDF-SHA-256 (X25519-MLKEM768). */
export const kitchenSinkHkdfSha256: Combiner = /* @__PURE__ */ kitchenSink('kitchensink-hkdf-sha256', sha256);
/** KitchenSink over HKDF-SHA-512 (X25519-MLKEM1024). */
export const kitchenSinkHkdfSha512: Combiner = /* @__PURE__ */ kitchenSink('kitchensink-hkdf-sha512', sha512);

/** Every combiner, for a backend that composes every suite. */
export const COMBINERS: readonly Combiner[] = /* @__PURE__ */ Object.freeze([cgSha3_256, kitchenSinkHkdfSha256, kitchenSinkHkdfSha512]);
