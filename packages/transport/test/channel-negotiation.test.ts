/**
 * Offer, choice, refusal and prologue of spec/TRANSPORT.md §6.4, the modes
 * of §6.2 and the policy mapping of §6.7. Expected bytes are written by hand
 * from the spec's layouts and the ids of §6.1/§6.2 and spec/WIRE-FORMAT.md §1
 * (X-Wing 0x647a, MLKEM768-P256 0xff03, ...).
 */
import { getSuite, type Suite } from '@hybridkem/core';
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import {
  channelPrologue,
  decodeAnswer,
  decodeOffer,
  encodeChoice,
  encodeOffer,
  encodeRefusal,
  MODE_IDS,
  POLICY_PARAMETERS,
  modeSuites,
  parameterList,
  pickParameters,
  policyParameters,
  type ChannelParameters,
} from '../src/channel/negotiation.js';

const hex = (b: Uint8Array) => Buffer.from(b).toString('hex');
const bytes = (h: string) => Uint8Array.from(Buffer.from(h.replace(/\s/g, ''), 'hex'));
const has = (name: string) => {
  try {
    getSuite(name);
    return true;
  } catch {
    return false;
  }
};
const xwing = getSuite('X-Wing');
const p = (suite: Suite, cipher: 'ChaChaPoly' | 'AESGCM', hash: 'SHA256' | 'SHA512', mode: ChannelParameters['mode'] = 'hybrid'): ChannelParameters => ({
  mode,
  suite,
  cipher,
  hash,
});
const code = (c: string) => expect.objectContaining({ code: c });
const reason = (r: string) => expect.objectContaining({ code: 'ERR_CHANNEL_NEGOTIATION', reason: r });

describe('offer and choice encoding', () => {
  it('encodes an offer as 0x01 ‖ version ‖ pattern ‖ count ‖ entries', () => {
    const offer = encodeOffer('pqNK', [p(xwing, 'ChaChaPoly', 'SHA256'), p(getSuite('MLKEM768-P256'), 'AESGCM', 'SHA512')]);
    expect(hex(offer)).toBe('01' + '01' + '01' + '02' + '01 02 647a 01 01'.replace(/ /g, '') + '01 02 ff03 02 02'.replace(/ /g, ''));
    expect(hex(encodeOffer('pqXX', [p(xwing, 'AESGCM', 'SHA256')]))).toBe('01010301' + '0102647a0201');
    expect(hex(encodeChoice(p(xwing, 'ChaChaPoly', 'SHA512')))).toBe('02' + '0102647a0102');
    expect(hex(encodeRefusal('no-common-parameters'))).toBe('0301');
    expect(hex(encodeRefusal('pattern-not-accepted'))).toBe('0302');
    expect(hex(encodeRefusal('malformed-offer'))).toBe('0303');
  });

  it('decodes an offer, keeping entries with ids this build does not know', () => {
    // entry 2: suite 0xbeef (unknown); entry 3: cipher 9; entry 4: version 2; entry 5: X-Wing under mode classical.
    const offer = decodeOffer(bytes('01 01 02 05  0102647a0101  0102beef0101  0102647a0901  0202647a0101  0101647a0101'));
    expect(offer.pattern).toBe('pqIK');
    expect(offer.entries.map((e) => e.parameters?.suite.name)).toEqual(['X-Wing', undefined, undefined, undefined, undefined]);
    expect(offer.entries[1]!.suiteId).toBe(0xbeef);
  });

  it('rejects malformed offers with typed reasons', () => {
    expect(() => decodeOffer(bytes('010101'))).toThrow(reason('malformed-offer'));
    expect(() => decodeOffer(bytes('02010101 0102647a0101'))).toThrow(reason('malformed-offer')); // type
    expect(() => decodeOffer(bytes('01020101 0102647a0101'))).toThrow(reason('malformed-offer')); // version
    expect(() => decodeOffer(bytes('01010100'))).toThrow(reason('malformed-offer')); // count 0
    expect(() => decodeOffer(bytes('01010111' + '0102647a0101'.repeat(17)))).toThrow(reason('malformed-offer')); // count 17
    expect(() => decodeOffer(bytes('01010102 0102647a0101'))).toThrow(reason('malformed-offer')); // short
    expect(() => decodeOffer(bytes('01010101 0102647a0101 00'))).toThrow(reason('malformed-offer')); // trailing
    expect(() => decodeOffer(bytes('01010102 0102647a0101 0102647a0101'))).toThrow(reason('malformed-offer')); // duplicate
    expect(() => decodeOffer(bytes('01010401 0102647a0101'))).toThrow(reason('pattern-not-accepted'));
    expect(() => encodeOffer('pqNK', [])).toThrow(code('ERR_CHANNEL_NEGOTIATION'));
    expect(() => encodeOffer('pqNK', Array.from({ length: 17 }, () => p(xwing, 'AESGCM', 'SHA256')))).toThrow(code('ERR_CHANNEL_NEGOTIATION'));
  });

  it('the initiator accepts only a choice that is one of its entries', () => {
    const offer = decodeOffer(encodeOffer('pqNK', [p(xwing, 'ChaChaPoly', 'SHA256'), p(xwing, 'AESGCM', 'SHA256')]));
    const chosen = decodeAnswer(bytes('02 0102647a0201'), offer);
    expect([chosen.suite.name, chosen.cipher, chosen.hash, chosen.mode]).toEqual(['X-Wing', 'AESGCM', 'SHA256', 'hybrid']);
    expect(() => decodeAnswer(bytes('02 0102647a0202'), offer)).toThrow(reason('choice-not-offered'));
    expect(() => decodeAnswer(bytes('02 0102ff010101'), offer)).toThrow(reason('choice-not-offered'));
    expect(() => decodeAnswer(bytes('02 0102647a02'), offer)).toThrow(reason('malformed-choice'));
    expect(() => decodeAnswer(bytes('02 0102647a020100'), offer)).toThrow(reason('malformed-choice'));
    expect(() => decodeAnswer(bytes('04 0102647a0201'), offer)).toThrow(reason('malformed-choice'));
    expect(() => decodeAnswer(bytes('0301'), offer)).toThrow(expect.objectContaining({ reason: 'refused', refusalCode: 1 }));
    expect(() => decodeAnswer(bytes('0303'), offer)).toThrow(expect.objectContaining({ reason: 'refused', refusalCode: 3 }));
  });

  it('the responder picks its own first preference among what it can use', () => {
    const mine = [p(xwing, 'AESGCM', 'SHA256'), p(xwing, 'ChaChaPoly', 'SHA256')];
    const offer = decodeOffer(encodeOffer('pqNK', [p(xwing, 'ChaChaPoly', 'SHA256'), p(xwing, 'AESGCM', 'SHA256')]));
    expect(pickParameters(offer, mine)?.cipher).toBe('AESGCM');
    expect(pickParameters(offer, mine, (x) => x.cipher === 'ChaChaPoly')?.cipher).toBe('ChaChaPoly');
    expect(pickParameters(offer, mine, () => false)).toBeUndefined();
    expect(pickParameters(offer, [p(xwing, 'AESGCM', 'SHA512')])).toBeUndefined();
  });

  it('the prologue is the label, a zero byte, the offer and the choice', () => {
    expect(hex(channelPrologue(bytes('0a0b'), bytes('0c')))).toBe(Buffer.from('hybridkem/v1/channel').toString('hex') + '00' + '0a0b0c');
  });
});

describe('modes and policies', () => {
  it('hybrid mode lists the hybrid suites, X-Wing first, ChaChaPoly then AESGCM, SHA256', () => {
    const list = parameterList();
    expect(list[0]).toMatchObject({ mode: 'hybrid', cipher: 'ChaChaPoly', hash: 'SHA256' });
    expect(list[0]!.suite.name).toBe('X-Wing');
    expect(new Set(list.map((x) => x.suite.name))).toEqual(
      new Set(['X-Wing', 'X25519-MLKEM768', 'X25519-MLKEM1024', 'MLKEM768-P256', 'MLKEM1024-P384', 'HPKE-MLKEM768-P256', 'HPKE-MLKEM1024-P384'].filter(has)),
    );
    expect(list.length).toBeLessThanOrEqual(16);
  });

  it('pq-only and classical use their suites, or say core lacks them (a typed error)', () => {
    for (const [mode, names] of [
      ['pq-only', ['ML-KEM-768', 'ML-KEM-1024']],
      ['classical', ['DHKEM-X25519-HKDF-SHA256']],
    ] as const) {
      if (names.some(has)) {
        expect(modeSuites(mode).map((s) => s.name)).toEqual(names.filter(has));
        expect(parameterList({ modes: [mode] }).every((x) => x.mode === mode)).toBe(true);
      } else {
        expect(() => parameterList({ modes: [mode] })).toThrow(reason('unsupported-configuration'));
      }
    }
    expect(() => parameterList({ suites: ['No-Such-Suite'] })).toThrow(reason('unsupported-configuration'));
    expect(() => parameterList({ modes: ['quantum' as never] })).toThrow(reason('unsupported-configuration'));
    expect(() => parameterList({ ciphers: ['AES128' as never] })).toThrow(reason('unsupported-configuration'));
  });

  it('fips-strict is NIST-curve hybrids with AESGCM and SHA256 only', () => {
    const list = policyParameters('fips-strict');
    expect(new Set(list.map((x) => x.suite.name))).toEqual(new Set(['MLKEM768-P256', 'MLKEM1024-P384', 'HPKE-MLKEM768-P256', 'HPKE-MLKEM1024-P384'].filter(has)));
    expect(list.every((x) => x.cipher === 'AESGCM' && x.hash === 'SHA256' && x.mode === 'hybrid')).toBe(true);
  });

  it('every policy fits in one offer; only the classical fallback offers DHKEM', () => {
    for (const policy of ['hybrid-only', 'hybrid-with-classical-fallback', 'fips-advisory', 'fips-strict'] as const) {
      const list = policyParameters(policy);
      expect(list.length).toBeGreaterThan(0);
      expect(list.length).toBeLessThanOrEqual(16);
      expect(list.some((x) => x.mode === 'classical')).toBe(policy === 'hybrid-with-classical-fallback' && has('DHKEM-X25519-HKDF-SHA256'));
    }
    expect(policyParameters('fips-advisory')[0]!.suite.name).toBe('MLKEM768-P256');
  });
});

describe('spec/TRANSPORT.md tables', () => {
  const spec = readFileSync(new URL('../../../spec/TRANSPORT.md', import.meta.url), 'utf8');
  const rows = (heading: string) => {
    const lines = spec.slice(spec.indexOf(heading)).split('\n');
    const start = lines.findIndex((l) => l.startsWith('|'));
    const out: string[][] = [];
    for (const l of lines.slice(start + 2)) {
      if (!l.startsWith('|')) break;
      out.push(l.split('|').slice(1, -1).map((c) => c.trim()));
    }
    return out;
  };
  const names = (cell: string) => [...cell.matchAll(/`([^`]+)`/g)].map((m) => m[1]!);

  it('§6.2: mode ids', () => {
    const table = rows('### 6.2 Key-exchange modes');
    expect(table.map((r) => [names(r[0]!)[0], Number(names(r[1]!)[0])])).toEqual(Object.entries(MODE_IDS));
  });

  it('§6.7: each policy row names the ciphers, and the fips rows the suites, of POLICY_PARAMETERS', () => {
    const table = rows('### 6.7 TLS policies as channel parameters');
    expect(table.map((r) => names(r[0]!)[0])).toEqual(Object.keys(POLICY_PARAMETERS));
    for (const [policy, suites, ciphers] of table) {
      const params = POLICY_PARAMETERS[names(policy!)[0] as keyof typeof POLICY_PARAMETERS];
      expect(ciphers!.split(',').map((c) => c.trim())).toEqual([...params.ciphers]);
      if (policy!.includes('fips')) expect(names(suites!)).toEqual([...params.suites]);
    }
  });
});
