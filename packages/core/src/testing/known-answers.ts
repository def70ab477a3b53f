/**
 * The published known-answer vectors of the suites, normalised to one
 * shape: seed, encapsulation randomness, public key, ciphertext, secret.
 * @module
 */
import type { SuiteName } from '../suites.js';
import {
  readJson,
  type ConcreteVector,
  type HpkeVector,
  type KitchenSinkVector,
  type SpecVectorFile,
  type XWingVector,
} from './vectors.js';

export interface KnownAnswer {
  source: string;
  suite: SuiteName;
  seed: string;
  randomness: string;
  publicKey: string;
  ciphertext: string;
  sharedSecret: string;
}

const CONCRETE: Record<string, SuiteName> = {
  mlkem768_x25519: 'X-Wing',
  mlkem768_p256: 'MLKEM768-P256',
  mlkem1024_p384: 'MLKEM1024-P384',
};

export function publishedKnownAnswers(dir: string): KnownAnswer[] {
  const out: KnownAnswer[] = [];
  readJson<XWingVector[]>(dir, 'xwing/test-vectors.json').forEach((v, i) =>
    out.push({ source: `xwing #${i}`, suite: 'X-Wing', seed: v.seed, randomness: v.eseed, publicKey: v.pk, ciphertext: v.ct, sharedSecret: v.ss }),
  );
  readJson<KitchenSinkVector[]>(dir, 'hybrid-kems/kitchensink-mlkem768-x25519-hkdf-sha256.json').forEach((v, i) =>
    out.push({ source: `hybrid-kems #${i}`, suite: 'X25519-MLKEM768', seed: v.seed, randomness: v.randomness, publicKey: v.pk, ciphertext: v.ct, sharedSecret: v.ss }),
  );
  const concrete = readJson<Record<string, ConcreteVector[]>>(dir, 'concrete-hybrid-kems/test-vectors.json');
  for (const [key, suite] of Object.entries(CONCRETE)) {
    (concrete[key] ?? []).forEach((v, i) =>
      out.push({
        source: `concrete-hybrid-kems ${key} #${i}`,
        suite,
        seed: v.seed,
        randomness: v.randomness,
        publicKey: v.encapsulation_key,
        ciphertext: v.ciphertext,
        sharedSecret: v.shared_secret,
      }),
    );
  }
  return out;
}

/**
 * The HPKE KEM ids we implement under the same id: X-Wing (0x647a),
 * HPKE-MLKEM768-P256 (0x0050), HPKE-MLKEM1024-P384 (0x0051), ML-KEM-768
 * (0x0041), ML-KEM-1024 (0x0042), DHKEM(X25519, HKDF-SHA256) (0x0020).
 */
export const HPKE_KEM_IDS: readonly number[] = Object.freeze([0x647a, 0x0050, 0x0051, 0x0041, 0x0042, 0x0020]);

/**
 * HPKE-PQ vectors (../shared/vectors/hpke-pq) of the KEMs in
 * {@link HPKE_KEM_IDS}. skRm is our private key (the 32-byte seed; d ‖ z for
 * ML-KEM alone; the X25519 private key for DHKEM); ikmE is exactly the
 * encapsulation randomness (spec/WIRE-FORMAT.md §1.1, §1.4).
 */
export function hpkeKemAnswers(dir: string): HpkeVector[] {
  return readJson<HpkeVector[]>(dir, 'hpke-pq/test-vectors.json').filter((v) => HPKE_KEM_IDS.includes(v.kem_id));
}

export function specKnownAnswers(file: SpecVectorFile, name: string): KnownAnswer[] {
  return file.vectors.map((v, i) => ({
    source: `spec/vectors/${name} #${i}`,
    suite: file.suite as SuiteName,
    seed: v.seed,
    randomness: v.randomness,
    publicKey: v.publicKey,
    ciphertext: v.ciphertext,
    sharedSecret: v.sharedSecret,
  }));
}
