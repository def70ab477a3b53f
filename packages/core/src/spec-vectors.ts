/**
 * The shape of spec/vectors/<suite>.json (spec/WIRE-FORMAT.md §5): the
 * contract other implementations check themselves against. Types only.
 * @module
 */

export interface SpecVector {
  /** 32-byte private key. */
  seed: string;
  /** Encapsulation randomness: ML-KEM m ‖ ephemeral scalar seed. */
  randomness: string;
  /** SHAKE256(seed), 64 + Nseed_T bytes. */
  expandedSeed: string;
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
