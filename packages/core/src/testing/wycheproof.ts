/**
 * Wycheproof cases (../shared/vectors/wycheproof) applied to the hybrid
 * suites: each component's invalid inputs, embedded in a hybrid key or
 * ciphertext, must be rejected by the suite with the right typed error; and
 * each component's own vectors, for backends that expose their primitives.
 * @module
 */
import { describe, expect, it } from 'vitest';
import type { Backend } from '../backend.js';
import { bytesToHex, concat, hexToBytes } from '../bytes.js';
import type { Primitives } from '../compose/primitives.js';
import { createKem } from '../kem.js';
import { SUITES, type MlKemParams } from '../suites.js';
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

/** Suite-level: Wycheproof's bad component inputs, embedded in hybrid objects. */
export function runWycheproofSuiteChecks(backend: Backend, dir: string): void {
  describe('Wycheproof inputs embedded in hybrid objects', () => {
    const x25519 = cases<XdhCase>(dir, 'x25519_test.json');
    const zero = x25519.filter((c) => /^0+$/.test(c.shared));
    const nonZeroOdd = x25519.filter((c) => !/^0+$/.test(c.shared) && c.flags.some((f) => ['Twist', 'NonCanonicalPublic', 'SmallPublicKey'].includes(f)));

    for (const suite of SUITES.filter((s) => backend.suites.includes(s.id))) {
      const kem = createKem(suite, backend);
      const pqPk = suite.mlkem.lengths.publicKey;
      const pqCt = suite.mlkem.lengths.ciphertext;

      it(`${suite.name}: ML-KEM keys with ModulusOverflow are rejected (ERR_INVALID_MLKEM_KEY)`, () => {
        const { publicKey } = kem.keygen();
        const bad = cases<EncapsCase>(dir, mlkemFile(suite.mlkem, 'encaps_test')).filter((c) => c.flags?.includes('ModulusOverflow'));
        expect(bad.length).toBeGreaterThan(0);
        for (const c of bad) {
          expect(c.result).toBe('invalid');
          const pk = concat(hex(c.ek), publicKey.subarray(pqPk));
          expectCode(() => kem.encapsulate(pk), 'ERR_INVALID_MLKEM_KEY');
        }
      });

      if (suite.group.name !== 'X25519') continue;

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

/** Component-level: ML-KEM and X25519 vectors through a backend's primitives. */
export function runWycheproofPrimitiveChecks(primitives: Primitives, dir: string): void {
  describe('Wycheproof component vectors', () => {
    for (const params of [SUITES[0]!.mlkem, SUITES[1]!.mlkem]) {
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
      const group = primitives.group(SUITES[0]!.group);
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
