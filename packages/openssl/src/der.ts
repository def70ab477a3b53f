/**
 * The fixed DER shapes that carry raw keys into and out of node:crypto's
 * KeyObjects: PKCS#8 and SubjectPublicKeyInfo with each algorithm's OID. They
 * work on every Node with ML-KEM (node:crypto's 'raw-*' key formats are
 * newer and still experimental). Only framing: the key bytes go to OpenSSL
 * unchanged.
 * @module
 */
import { Buffer } from 'node:buffer';
import { InvalidLengthError } from '@hybridkem/core';

const hex = (s: string) => Buffer.from(s.replace(/\s/g, ''), 'hex');

/**
 * The DER lengths below are fixed, so a key of another size must never reach
 * them: OpenSSL may accept trailing bytes after the declared key.
 */
function exactly(field: string, bytes: Uint8Array, length: number): Uint8Array {
  if (bytes.length !== length) throw new InvalidLengthError(field, length, bytes.length);
  return bytes;
}

/** A two-byte DER length. */
function u16(n: number): Buffer {
  return Buffer.from([n >> 8, n & 0xff]);
}

/** AlgorithmIdentifier { OID 2.16.840.1.101.3.4.<arc>.<last> }, no parameters. */
const nistAlgorithm = (arc: '03' | '04', last: string) => hex(`300b 0609 608648016503 04 ${arc} ${last}`);

// FIPS 203 / draft-ietf-lamps-kyber-certificates: id-alg-ml-kem-768 = ...4.4.2, -1024 = ...4.4.3.
const MLKEM_ALGORITHM = { 'ML-KEM-768': nistAlgorithm('04', '02'), 'ML-KEM-1024': nistAlgorithm('04', '03') } as const;
// FIPS 204 / RFC 9881: id-ml-dsa-44/65/87 = 2.16.840.1.101.3.4.3.17/18/19.
const MLDSA_ALGORITHM = { 'ML-DSA-44': nistAlgorithm('03', '11'), 'ML-DSA-65': nistAlgorithm('03', '12'), 'ML-DSA-87': nistAlgorithm('03', '13') } as const;

export type MlKemName = keyof typeof MLKEM_ALGORITHM;
export type MlDsaName = keyof typeof MLDSA_ALGORITHM;

/**
 * PKCS#8 with the private key in its "seed" form: [0] IMPLICIT OCTET STRING
 * of d ‖ z (64 bytes) for ML-KEM (draft-ietf-lamps-kyber-certificates §6),
 * of ξ (32 bytes) for ML-DSA (RFC 9881 §6). The caller wipes the result.
 */
export function mlkemSeedPkcs8(name: MlKemName, seed: Uint8Array): Buffer {
  // SEQUENCE(0x54) { INTEGER 0, AlgorithmIdentifier, OCTET STRING(0x42) { [0](0x40) seed } }
  return Buffer.concat([hex('3054 020100'), MLKEM_ALGORITHM[name], hex('0442 8040'), exactly('ML-KEM seed', seed, 64)]);
}

export function mldsaSeedPkcs8(name: MlDsaName, seed: Uint8Array): Buffer {
  // SEQUENCE(0x34) { INTEGER 0, AlgorithmIdentifier, OCTET STRING(0x22) { [0](0x20) seed } }
  return Buffer.concat([hex('3034 020100'), MLDSA_ALGORITHM[name], hex('0422 8020'), exactly('ML-DSA seed', seed, 32)]);
}

/** SubjectPublicKeyInfo for an ML-KEM or ML-DSA public key (over 256 bytes: two-byte lengths). */
function pqSpki(algorithm: Buffer, publicKey: Uint8Array): Buffer {
  const bitString = Buffer.concat([hex('0382'), u16(publicKey.length + 1), hex('00'), publicKey]);
  return Buffer.concat([hex('3082'), u16(algorithm.length + bitString.length), algorithm, bitString]);
}

export const mlkemSpki = (name: MlKemName, publicKey: Uint8Array) => pqSpki(MLKEM_ALGORITHM[name], publicKey);
export const mldsaSpki = (name: MlDsaName, publicKey: Uint8Array) => pqSpki(MLDSA_ALGORITHM[name], publicKey);

/** RFC 8410 PKCS#8 and SubjectPublicKeyInfo prefixes (X25519 1.3.101.110, Ed25519 .112, Ed448 .113). */
const RFC8410 = {
  X25519: { pkcs8: hex('302e020100300506032b656e04220420'), spki: hex('302a300506032b656e032100'), length: 32 },
  Ed25519: { pkcs8: hex('302e020100300506032b657004220420'), spki: hex('302a300506032b6570032100'), length: 32 },
  Ed448: { pkcs8: hex('3047020100300506032b6571043b0439'), spki: hex('3043300506032b6571033a00'), length: 57 },
} as const;

export type Rfc8410Name = keyof typeof RFC8410;

/** The caller wipes the result. */
export const rfc8410Pkcs8 = (name: Rfc8410Name, privateKey: Uint8Array) =>
  Buffer.concat([RFC8410[name].pkcs8, exactly(`${name} private key`, privateKey, RFC8410[name].length)]);
export const rfc8410Spki = (name: Rfc8410Name, publicKey: Uint8Array) =>
  Buffer.concat([RFC8410[name].spki, exactly(`${name} public key`, publicKey, RFC8410[name].length)]);
