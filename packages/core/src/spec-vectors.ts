/**
 * The shape of spec/vectors/<suite>.json (spec/WIRE-FORMAT.md §5): the
 * contract other implementations check themselves against. Types only.
 * @module
 */

export interface SpecVector {
  /** The private key: 32 bytes; 64 (d ‖ z) for ML-KEM alone (§1.4). */
  seed: string;
  /** Encapsulation randomness: ML-KEM m ‖ ephemeral scalar seed; m alone for ML-KEM; ikmE for DHKEM. */
  randomness: string;
  /** SHAKE256(seed), 64 + Nseed_T bytes: hybrid suites only (§1.4: absent for ML-KEM and DHKEM alone). */
  expandedSeed?: string;
  publicKey: string;
  ciphertext: string;
  sharedSecret: string;
  /** Wire v1 objects, hex. */
  encoded: { publicKey: string; privateKey: string; ciphertext: string };
  /** Their text form. */
  armored: { publicKey: string; privateKey: string; ciphertext: string };
  /** SHA-256(encoded.publicKey)[0..16], hex. */
  keyId: string;
}

export interface SpecVectorFile {
  suite: string;
  suiteId: number;
  construction?: string;
  source?: string;
  generator?: string;
  vectors: SpecVector[];
}
