/**
 * Wycheproof cases (../shared/vectors/wycheproof) applied to the suites:
 * each component's invalid inputs, embedded in a hybrid key or ciphertext
 * (or given whole to ML-KEM or DHKEM alone), must be rejected by the suite
 * with the right typed error; ML-KEM alone runs Wycheproof's ML-KEM vectors
 * through the backend itself (keygen from seed, encapsulation with m,
 * decapsulation); and each component's own vectors, for backends that
 * expose their primitives.
 * @module
 */
import { describe, expect, it } from 'vitest';
import type { Backend } from '../backend.js';
import { bytesToHex, concat, hexToBytes } from '../bytes.js';
import type { Primitives } from '../compose/primitives.js';
import { createKem } from '../kem.js';
import { SUITES, type MlKemParams, type MlKemSuite } from '../suites.js';
import { expectCode } from './conformance.js';
import { readJson } from './vectors.js';

interface Group<T> { tests: T[] }
interface WycheproofFile<T> { testGroups: Group<T>[] }
interface XdhCase { tcId: number; public: string; private: string; shared: string; result: string; flags: string[] }
interface EncapsCase { tcId: number; m: string; ek: string; c: string; K: string; result: string; flags?: string[] }
interface DecapsCase { tcId: number; seed: string; ek: string; c: string; K: string; result: string }
interface KeygenCase { tcId: number; seed: string; ek: string; dk: string }

const hex = (s: string) => hexToBytes('vector', s);

function cases<T>(dir: string, file: string): T[] {
  return readJson<WycheproofFile<T>>(dir, `wycheproof/${file}`).testGroups.flatMap((g) => g.tests);
}

const mlkemFile = (p: MlKemParams, kind: string) => `mlkem_${p.name === 'ML-KEM-768' ? 768 : 1024}_${kind}.json`;

/** Suite-level: Wycheproof's bad component inputs, embedded in the suites' objects. */
export function runWycheproofSuiteChecks(backend: Backend, dir: string): void {
  describe('Wycheproof inputs in the suites\' objects', () => {
    const x25519 = cases<XdhCase>(dir, 'x25519_test.json');
    const zero = x25519.filter((c) => /^0+$/.test(c.shared));
    const nonZeroOdd = x25519.filter((c) => !/^0+$/.test(c.shared) && c.flags.some((f) => ['Twist', 'NonCanonicalPublic', 'SmallPublicKey'].includes(f)));

    for (const suite of SUITES.filter((s) => backend.suites.includes(s.id))) {
      const kem = createKem(suite, backend);
      // DHKEM: the whole key / ciphertext is the X25519 value (§1.4).
      const pqPk = suite.mlkem?.lengths.publicKey ?? 0;
      const pqCt = suite.mlkem?.lengths.ciphertext ?? 0;
      const mlkem = suite.mlkem;

      if (mlkem) it(`${suite.name}: ML-KEM keys with ModulusOverflow are rejected (ERR_INVALID_MLKEM_KEY)`, () => {
        const { publicKey } = kem.keygen();
        const bad = cases<EncapsCase>(dir, mlkemFile(mlkem, 'encaps_test')).filter((c) => c.flags?.includes('ModulusOverflow'));
        expect(bad.length).toBeGreaterThan(0);
        for (const c of bad) {
          expect(c.result).toBe('invalid');
          const pk = concat(hex(c.ek), publicKey.subarray(pqPk));
          expectCode(() => kem.encapsulate(pk), 'ERR_INVALID_MLKEM_KEY');
        }
      });

      if (suite.family === 'pq') runWycheproofMlKemSuite(backend, suite, dir);

      if (suite.group?.name !== 'X25519') continue;

      it(`${suite.name}: X25519 keys with an all-zero shared secret are rejected (${zero.length} cases)`, () => {
        expect(zero.length).toBeGreaterThan(10);
        const { publicKey, privateKey } = kem.keygen();
        const { ciphertext } = kem.encapsulate(publicKey);
        for (const c of zero) {
          const pk = concat(publicKey.subarray(0, pqPk), hex(c.public));
          expectCode(() => kem.encapsulate(pk), 'ERR_INVALID_GROUP_ELEMENT');
          const ct = concat(ciphertext.subarray(0, pqCt), hex(c.public));
          expectCode(() => kem.decapsulate(privateKey, ct), 'ERR_INVALID_GROUP_ELEMENT');
        }
      });

      it(`${suite.name}: twist, non-canonical and small X25519 keys with a non-zero result are accepted`, () => {
        expect(nonZeroOdd.length).toBeGreaterThan(10);
        const { publicKey } = kem.keygen();
        for (const c of nonZeroOdd) {
          const pk = concat(publicKey.subarray(0, pqPk), hex(c.public));
          expect(kem.encapsulate(pk).sharedSecret.length).toBe(32);
        }
      });
    }
  });
}

/**
 * ML-KEM alone (spec/WIRE-FORMAT.md §1.4) through the KEM facade and the
 * backend: Wycheproof's keygen-from-seed, encapsulation (with m, for a
 * derandomised backend) and decapsulation files, valid and invalid cases.
 */
function runWycheproofMlKemSuite(backend: Backend, suite: MlKemSuite, dir: string): void {
  const kem = createKem(suite, backend);
  const L = suite.lengths;
  const derandomized = backend.derandomizedEncapsulation !== false;

  it(`${suite.name}: Wycheproof keygen from seed (the private key is d ‖ z)`, () => {
    const all = cases<KeygenCase>(dir, mlkemFile(suite.mlkem, 'keygen_seed_test'));
    expect(all.length).toBeGreaterThan(0);
    for (const c of all) expect(bytesToHex(kem.getPublicKey(hex(c.seed))), `tcId ${c.tcId}`).toBe(c.ek);
  });

  it(`${suite.name}: Wycheproof encapsulation (${derandomized ? 'valid cases with m' : 'valid keys accepted'}; invalid keys typed errors)`, () => {
    const all = cases<EncapsCase>(dir, mlkemFile(suite.mlkem, 'encaps_test'));
    expect(all.filter((c) => c.result === 'valid').length).toBeGreaterThan(0);
    expect(all.filter((c) => c.result !== 'valid').length).toBeGreaterThan(0);
    for (const c of all) {
      const ek = hex(c.ek);
      if (c.result === 'valid') {
        if (derandomized) {
          const r = kem.encapsulate(ek, hex(c.m));
          expect(bytesToHex(r.ciphertext), `tcId ${c.tcId}`).toBe(c.c);
          expect(bytesToHex(r.sharedSecret), `tcId ${c.tcId}`).toBe(c.K);
        } else {
          expect(kem.encapsulate(ek).ciphertext.length, `tcId ${c.tcId}`).toBe(L.ciphertext);
        }
      } else {
        // A key of the wrong length, or one whose coefficients fail the modulus check (FIPS 203 §7.2).
        expectCode(() => kem.encapsulate(ek, derandomized ? hex(c.m) : undefined), ek.length === L.publicKey ? 'ERR_INVALID_MLKEM_KEY' : 'ERR_INVALID_LENGTH');
      }
    }
  });

  it(`${suite.name}: Wycheproof decapsulation (valid and invalid)`, () => {
    const all = cases<DecapsCase>(dir, mlkemFile(suite.mlkem, 'test'));
    expect(all.filter((c) => c.result !== 'valid').length).toBeGreaterThan(0);
    for (const c of all) {
      const seed = hex(c.seed);
      const ct = hex(c.c);
      if (c.result === 'valid') {
        expect(bytesToHex(kem.getPublicKey(seed)), `tcId ${c.tcId}`).toBe(c.ek);
        expect(bytesToHex(kem.decapsulate(seed, ct)), `tcId ${c.tcId}`).toBe(c.K);
      } else {
        // Wycheproof's invalid decapsulations are a seed or a ciphertext of the wrong length.
        expect(seed.length !== L.privateKey || ct.length !== L.ciphertext, `tcId ${c.tcId}`).toBe(true);
        expectCode(() => kem.decapsulate(seed, ct), 'ERR_INVALID_LENGTH');
      }
    }
  });
}

const MLKEM_PARAMS = (): MlKemParams[] => [...new Set(SUITES.flatMap((s) => (s.mlkem ? [s.mlkem] : [])))];

/** Component-level: ML-KEM and X25519 vectors through a backend's primitives. */
export function runWycheproofPrimitiveChecks(primitives: Primitives, dir: string): void {
  describe('Wycheproof component vectors', () => {
    for (const params of MLKEM_PARAMS()) {
      const mlkem = primitives.mlkem(params);
      it(`${params.name} keygen from seed`, () => {
        const all = cases<KeygenCase>(dir, mlkemFile(params, 'keygen_seed_test'));
        expect(all.length).toBeGreaterThan(0);
        for (const c of all) {
          const k = mlkem.keygen(hex(c.seed));
          expect(bytesToHex(k.publicKey), `tcId ${c.tcId}`).toBe(c.ek);
          expect(bytesToHex(k.secretKey), `tcId ${c.tcId}`).toBe(c.dk);
        }
      });
      it(`${params.name} encapsulation (valid and invalid)`, () => {
        const all = cases<EncapsCase>(dir, mlkemFile(params, 'encaps_test'));
        for (const c of all) {
          if (c.result === 'valid') {
            const r = mlkem.encapsulate(hex(c.ek), hex(c.m));
            expect(bytesToHex(r.ciphertext), `tcId ${c.tcId}`).toBe(c.c);
            expect(bytesToHex(r.sharedSecret), `tcId ${c.tcId}`).toBe(c.K);
          } else {
            expect(() => mlkem.encapsulate(hex(c.ek), hex(c.m)), `tcId ${c.tcId}`).toThrow();
          }
        }
      });
      it(`${params.name} decapsulation (valid and invalid)`, () => {
        const all = cases<DecapsCase>(dir, mlkemFile(params, 'test'));
        for (const c of all) {
          const run = () => {
            const k = mlkem.keygen(hex(c.seed));
            expect(bytesToHex(k.publicKey)).toBe(c.ek);
            return bytesToHex(mlkem.decapsulate(k.secretKey, hex(c.c)));
          };
          if (c.result === 'valid') expect(run(), `tcId ${c.tcId}`).toBe(c.K);
          else expect(run, `tcId ${c.tcId}`).toThrow();
        }
      });
    }

    it('X25519 (Wycheproof x25519_test.json)', () => {
      const group = primitives.group(SUITES.find((s) => s.group?.name === 'X25519')!.group!);
      const all = cases<XdhCase>(dir, 'x25519_test.json');
      expect(all.length).toBeGreaterThan(500);
      for (const c of all) {
        if (/^0+$/.test(c.shared)) {
          expect(() => group.sharedSecret(hex(c.private), hex(c.public)), `tcId ${c.tcId}`).toThrow();
        } else {
          expect(bytesToHex(group.sharedSecret(hex(c.private), hex(c.public))), `tcId ${c.tcId}`).toBe(c.shared);
        }
      }
    });
  });
}
