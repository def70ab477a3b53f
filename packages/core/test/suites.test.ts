import { describe, expect, it } from 'vitest';
import { SUITES, getSuite, UnknownSuiteError } from '../src/index.js';

// Sizes from ../shared/STANDARDS.md and the drafts it cites, written out by
// hand so that a wrong parameter set fails here.
const EXPECTED = [
  { name: 'X25519-MLKEM768', id: 0xff01, publicKey: 1216, ciphertext: 1120, randomness: 64 },
  { name: 'X25519-MLKEM1024', id: 0xff02, publicKey: 1600, ciphertext: 1600, randomness: 64 },
  { name: 'X-Wing', id: 0x647a, publicKey: 1216, ciphertext: 1120, randomness: 64 },
  { name: 'MLKEM768-P256', id: 0xff03, publicKey: 1249, ciphertext: 1153, randomness: 64 },
  { name: 'MLKEM1024-P384', id: 0xff04, publicKey: 1665, ciphertext: 1665, randomness: 80 },
  // draft-ietf-hpke-pq-04 §8.2 (Npk, Nenc); randomness = the length of its vectors' ikmE.
  { name: 'HPKE-MLKEM768-P256', id: 0x0050, publicKey: 1249, ciphertext: 1153, randomness: 128 },
  { name: 'HPKE-MLKEM1024-P384', id: 0x0051, publicKey: 1665, ciphertext: 1665, randomness: 80 },
  // FIPS 203 Table 3 (ek, c); m is 32 bytes (Encaps_internal). draft-ietf-hpke-pq-04: Npk, Nenc.
  { name: 'ML-KEM-768', id: 0x0041, publicKey: 1184, ciphertext: 1088, randomness: 32 },
  { name: 'ML-KEM-1024', id: 0x0042, publicKey: 1568, ciphertext: 1568, randomness: 32 },
  // RFC 9180 §7.1: Npk = Nenc = 32 for DHKEM(X25519, HKDF-SHA256); ikmE of Nsk = 32 bytes.
  { name: 'DHKEM-X25519-HKDF-SHA256', id: 0x0020, publicKey: 32, ciphertext: 32, randomness: 32 },
];

// The private key (= keygen seed): 64 bytes d ‖ z for ML-KEM alone (spec/WIRE-FORMAT.md §1.4), 32 otherwise.
const PRIVATE_KEY: Record<string, number> = { 'ML-KEM-768': 64, 'ML-KEM-1024': 64 };
const FAMILY: Record<string, string> = { 'ML-KEM-768': 'pq', 'ML-KEM-1024': 'pq', 'DHKEM-X25519-HKDF-SHA256': 'classical' };

describe('suites', () => {
  it('declare the sizes of the standards', () => {
    expect(SUITES.map((s) => ({ name: s.name, id: s.id, publicKey: s.lengths.publicKey, ciphertext: s.lengths.ciphertext, randomness: s.lengths.randomness }))).toEqual(EXPECTED);
    for (const s of SUITES) {
      expect(s.lengths.privateKey, s.name).toBe(PRIVATE_KEY[s.name] ?? 32);
      expect(s.lengths.seed, s.name).toBe(PRIVATE_KEY[s.name] ?? 32);
      expect(s.lengths.sharedSecret).toBe(32);
      expect(s.family, s.name).toBe(FAMILY[s.name] ?? 'hybrid');
    }
  });

  it('are frozen, lengths included', () => {
    for (const s of SUITES) {
      expect(Object.isFrozen(s)).toBe(true);
      expect(Object.isFrozen(s.lengths)).toBe(true);
      expect(() => {
        (s.lengths as { publicKey: number }).publicKey = 1;
      }).toThrow(TypeError);
    }
    expect(Object.isFrozen(SUITES)).toBe(true);
  });

  it('carry the labels of their sources', () => {
    const label = (name: string) => Buffer.from(getSuite(name).labelHex ?? '', 'hex').toString('latin1');
    expect(label('X-Wing')).toBe('\\.//^\\');
    expect(label('MLKEM768-P256')).toBe('|-()-|');
    expect(label('MLKEM1024-P384')).toBe(' | /-\\');
    expect(label('X25519-MLKEM768')).toBe('KitchenSink-KEM(ML-KEM-768,X25519)-XOF(SHAKE256)-KDF(HKDF-SHA-256)');
    expect(label('X25519-MLKEM1024')).toBe('KitchenSink-KEM(ML-KEM-1024,X25519)-XOF(SHAKE256)-KDF(HKDF-SHA-512)');
    expect(label('HPKE-MLKEM768-P256')).toBe('MLKEM768-P256');
    expect(label('HPKE-MLKEM1024-P384')).toBe('MLKEM1024-P384');
    // The single-algorithm suites have no combiner, so no label.
    for (const name of ['ML-KEM-768', 'ML-KEM-1024', 'DHKEM-X25519-HKDF-SHA256']) {
      expect(getSuite(name).labelHex).toBeUndefined();
      expect(getSuite(name).combiner).toBeUndefined();
    }
  });

  it('name their components by family', () => {
    expect(SUITES.map((s) => [s.name, s.mlkem?.name ?? null, s.group?.name ?? null])).toEqual([
      ['X25519-MLKEM768', 'ML-KEM-768', 'X25519'],
      ['X25519-MLKEM1024', 'ML-KEM-1024', 'X25519'],
      ['X-Wing', 'ML-KEM-768', 'X25519'],
      ['MLKEM768-P256', 'ML-KEM-768', 'P-256'],
      ['MLKEM1024-P384', 'ML-KEM-1024', 'P-384'],
      ['HPKE-MLKEM768-P256', 'ML-KEM-768', 'P-256'],
      ['HPKE-MLKEM1024-P384', 'ML-KEM-1024', 'P-384'],
      ['ML-KEM-768', 'ML-KEM-768', null],
      ['ML-KEM-1024', 'ML-KEM-1024', null],
      ['DHKEM-X25519-HKDF-SHA256', null, 'X25519'],
    ]);
  });

  it('say how RandomScalar reads its windows', () => {
    const derivation = Object.fromEntries(SUITES.filter((s) => s.family === 'hybrid').map((s) => [s.name, s.group!.scalarDerivation]));
    expect(derivation).toEqual({
      'X25519-MLKEM768': 'seed-is-scalar',
      'X25519-MLKEM1024': 'seed-is-scalar',
      'X-Wing': 'seed-is-scalar',
      'MLKEM768-P256': 'nested-shake',
      'MLKEM1024-P384': 'nested-shake',
      'HPKE-MLKEM768-P256': 'main-stream',
      'HPKE-MLKEM1024-P384': 'main-stream',
    });
  });

  it('are found by name (any case), id or object', () => {
    expect(getSuite('x-wing').id).toBe(0x647a);
    expect(getSuite(0xff03).name).toBe('MLKEM768-P256');
    expect(getSuite(SUITES[1]!)).toBe(SUITES[1]);
    expect(getSuite(0x0050).name).toBe('HPKE-MLKEM768-P256');
    expect(getSuite('hpke-mlkem1024-p384').id).toBe(0x0051);
    expect(getSuite(0x0041).name).toBe('ML-KEM-768');
    expect(getSuite(66).name).toBe('ML-KEM-1024');
    expect(getSuite('dhkem-x25519-hkdf-sha256').id).toBe(0x0020);
  });

  it('unknown ids and names are typed errors', () => {
    expect(() => getSuite(0x0052)).toThrow(UnknownSuiteError);
    expect(() => getSuite(0x0052)).toThrow('suite: unknown suite id 0x0052');
    expect(() => getSuite('Kyber')).toThrow('suite: unknown suite name "Kyber"');
  });
});
