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
];

describe('suites', () => {
  it('declare the sizes of the standards', () => {
    expect(SUITES.map((s) => ({ name: s.name, id: s.id, publicKey: s.lengths.publicKey, ciphertext: s.lengths.ciphertext, randomness: s.lengths.randomness }))).toEqual(EXPECTED);
    for (const s of SUITES) {
      expect(s.lengths.privateKey).toBe(32);
      expect(s.lengths.seed).toBe(32);
      expect(s.lengths.sharedSecret).toBe(32);
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
    const label = (name: string) => Buffer.from(getSuite(name).labelHex, 'hex').toString('latin1');
    expect(label('X-Wing')).toBe('\\.//^\\');
    expect(label('MLKEM768-P256')).toBe('|-()-|');
    expect(label('MLKEM1024-P384')).toBe(' | /-\\');
    expect(label('X25519-MLKEM768')).toBe('KitchenSink-KEM(ML-KEM-768,X25519)-XOF(SHAKE256)-KDF(HKDF-SHA-256)');
    expect(label('X25519-MLKEM1024')).toBe('KitchenSink-KEM(ML-KEM-1024,X25519)-XOF(SHAKE256)-KDF(HKDF-SHA-512)');
    expect(label('HPKE-MLKEM768-P256')).toBe('MLKEM768-P256');
    expect(label('HPKE-MLKEM1024-P384')).toBe('MLKEM1024-P384');
  });

  it('say how RandomScalar reads its windows', () => {
    const derivation = Object.fromEntries(SUITES.map((s) => [s.name, s.group.scalarDerivation]));
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
  });

  it('unknown ids and names are typed errors', () => {
    expect(() => getSuite(0x0052)).toThrow(UnknownSuiteError);
    expect(() => getSuite(0x0052)).toThrow('suite: unknown suite id 0x0052');
    expect(() => getSuite('Kyber')).toThrow('suite: unknown suite name "Kyber"');
  });
});
