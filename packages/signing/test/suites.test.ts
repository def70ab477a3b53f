// The suites as draft-ietf-lamps-pq-composite-sigs-19 writes them: every value
// below is typed in from the draft (and FIPS 204 / RFC 8032), not computed.
import { expectCode } from '@hybridkem/core/testing';
import { describe, expect, it } from 'vitest';
import { MLDSA44_ED25519_SHA512, MLDSA65_ED25519_SHA512, MLDSA87_ED448_SHAKE256, SIGNATURE_SUITES, getSignatureSuite } from '../src/index.js';

const EXPECTED = [
  {
    suite: MLDSA44_ED25519_SHA512,
    id: 0xfe01,
    name: 'MLDSA44-Ed25519-SHA512',
    oid: '1.3.6.1.5.5.7.6.39',
    label: 'COMPSIG-MLDSA44-Ed25519-SHA512',
    prehash: 'SHA-512',
    mldsa: { name: 'ML-DSA-44', publicKey: 1312, seed: 32, signature: 2420 },
    eddsa: { name: 'Ed25519', publicKey: 32, privateKey: 32, signature: 64 },
    lengths: { publicKey: 1344, privateKey: 64, signature: 2484, seed: 64 },
  },
  {
    suite: MLDSA65_ED25519_SHA512,
    id: 0xfe02,
    name: 'MLDSA65-Ed25519-SHA512',
    oid: '1.3.6.1.5.5.7.6.48',
    label: 'COMPSIG-MLDSA65-Ed25519-SHA512',
    prehash: 'SHA-512',
    mldsa: { name: 'ML-DSA-65', publicKey: 1952, seed: 32, signature: 3309 },
    eddsa: { name: 'Ed25519', publicKey: 32, privateKey: 32, signature: 64 },
    lengths: { publicKey: 1984, privateKey: 64, signature: 3373, seed: 64 },
  },
  {
    suite: MLDSA87_ED448_SHAKE256,
    id: 0xfe03,
    name: 'MLDSA87-Ed448-SHAKE256',
    oid: '1.3.6.1.5.5.7.6.51',
    label: 'COMPSIG-MLDSA87-Ed448-SHAKE256',
    prehash: 'SHAKE256-64',
    mldsa: { name: 'ML-DSA-87', publicKey: 2592, seed: 32, signature: 4627 },
    eddsa: { name: 'Ed448', publicKey: 57, privateKey: 57, signature: 114 },
    lengths: { publicKey: 2649, privateKey: 89, signature: 4741, seed: 89 },
  },
] as const;

describe('composite signature suites', () => {
  it('are the three ML-DSA + EdDSA suites, in order', () => {
    expect(SIGNATURE_SUITES.map((s) => s.name)).toEqual(EXPECTED.map((e) => e.name));
    expect(SIGNATURE_SUITES).toEqual(EXPECTED.map((e) => e.suite));
  });

  for (const e of EXPECTED) {
    it(`${e.name}: id, OID, label, PH and sizes as written in the draft`, () => {
      const s = e.suite;
      expect(s.name).toBe(e.name);
      expect(s.id).toBe(e.id);
      expect(s.oid).toBe(e.oid);
      expect(s.label).toBe(e.label);
      expect(s.prehash).toBe(e.prehash);
      expect({ name: s.mldsa.name, ...s.mldsa.lengths }).toEqual(e.mldsa);
      expect({ name: s.eddsa.name, ...s.eddsa.lengths }).toEqual(e.eddsa);
      expect({ ...s.lengths }).toEqual(e.lengths);
    });

    it(`${e.name}: frozen`, () => {
      const s = e.suite;
      for (const o of [s, s.lengths, s.mldsa, s.mldsa.lengths, s.eddsa, s.eddsa.lengths]) expect(Object.isFrozen(o)).toBe(true);
    });

    it(`${e.name}: found by object, name (any case) and wire id`, () => {
      expect(getSignatureSuite(e.suite)).toBe(e.suite);
      expect(getSignatureSuite(e.name)).toBe(e.suite);
      expect(getSignatureSuite(e.name.toLowerCase())).toBe(e.suite);
      expect(getSignatureSuite(e.name.toUpperCase())).toBe(e.suite);
      expect(getSignatureSuite(e.id)).toBe(e.suite);
    });
  }

  it('the list is frozen', () => {
    expect(Object.isFrozen(SIGNATURE_SUITES)).toBe(true);
  });

  it('ids, OIDs and labels are distinct', () => {
    for (const key of ['id', 'oid', 'label'] as const) expect(new Set(SIGNATURE_SUITES.map((s) => s[key])).size).toBe(3);
  });

  it('unknown suites: ERR_UNKNOWN_SUITE, naming what was asked for', () => {
    expect(expectCode(() => getSignatureSuite(0xfe04), 'ERR_UNKNOWN_SUITE').message).toBe('suite: unknown suite id 0xfe04');
    expect(expectCode(() => getSignatureSuite(0), 'ERR_UNKNOWN_SUITE').message).toBe('suite: unknown suite id 0x0000');
    expect(expectCode(() => getSignatureSuite('id-MLDSA65-Ed25519-SHA512'), 'ERR_UNKNOWN_SUITE').message).toBe(
      'suite: unknown suite name "id-MLDSA65-Ed25519-SHA512"',
    );
    expectCode(() => getSignatureSuite('X-Wing'), 'ERR_UNKNOWN_SUITE');
    expectCode(() => getSignatureSuite('MLDSA65-Ed25519-SHA256'), 'ERR_UNKNOWN_SUITE');
    expectCode(() => getSignatureSuite({ ...MLDSA44_ED25519_SHA512, id: 0x1234 }), 'ERR_UNKNOWN_SUITE');
  });
});
