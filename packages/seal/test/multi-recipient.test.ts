// Multi-recipient sealed messages (spec/WIRE-FORMAT.md §10): round trips
// with 1, 2, 3 and 64 recipients of mixed suites, visible and hidden key ids,
// the layout against §10.1's literal sizes, the key schedule of §10.2 checked
// with node:crypto (HKDF, HMAC, the AEAD) and hpke-js directly, and the Node
// streams giving the one-shot bytes.
import { createCipheriv, createDecipheriv, createHmac, hkdfSync } from 'node:crypto';
import { encodePublicKey, HybridKemError, keyId } from '@hybridkem/core';
import type { HybridHpkeKemName as SuiteName } from '../src/index.js';
import { backend } from '@hybridkem/noble';
import { concatBytes } from '@noble/hashes/utils.js';
import { afterEach, describe, expect, it, vi } from 'vitest';
import {
  openWithIdentities,
  openWithIdentitiesNodeStream,
  parseMultiRecipientHeader,
  sealToRecipients,
  sealToRecipientsNodeStream,
} from '../src/index.js';
import { createHpkeSuiteWith } from '../src/suite.js';
import { pattern, rejects, utf8, withFixedRandomness } from './helpers.js';
import { ALL_SUITES, FIXED, headerLength, identity, MAC, nodeRun, party, recipient, stanzaLength, SUITE_ID, suiteFor } from './multi-helpers.js';

const info = utf8('multi info');
const aad = utf8('multi aad');
const MIX: SuiteName[] = ['X-Wing', 'X25519-MLKEM768', 'HPKE-MLKEM768-P256', 'MLKEM1024-P384'];

afterEach(() => {
  vi.restoreAllMocks();
});

describe('sealToRecipients / openWithIdentities (spec §10)', () => {
  for (const n of [1, 2, 3]) {
    it(`${n} recipient(s) of mixed suites: each opens; layout as §10.1`, async () => {
      const parties = MIX.slice(0, n).map((s, i) => party(s, 100 + i));
      const pt = pattern(70_000, n);
      const sealed = await sealToRecipients(parties.map(recipient), pt, { info, aad });
      const names = parties.map((p) => p.name);
      const hl = headerLength(names);
      // 70000 bytes = one full 65536-byte chunk and one of 4464: two tags.
      expect(sealed.length).toBe(hl + 70_000 + 2 * 16);
      expect([...sealed.subarray(0, 9)]).toEqual([0x01, 0x09, 0x00, 0x01, 0x00, 0x03, 16, 0x00, n]);
      let at = FIXED;
      for (const p of parties) {
        expect((sealed[at]! << 8) | sealed[at + 1]!).toBe(SUITE_ID[p.name]);
        expect(Buffer.from(sealed.subarray(at + 2, at + 18)).toString('hex')).toBe(keyId(encodePublicKey(p.name, p.publicKey)));
        at += stanzaLength(p.name);
      }
      expect(at + MAC).toBe(hl);
      for (const p of parties) {
        expect(await openWithIdentities([identity(p)], sealed, { info, aad })).toEqual(pt);
      }
    });
  }

  it('64 recipients, every suite: the header is parsed, the first, a middle and the last recipient open', async () => {
    const parties = Array.from({ length: 64 }, (_, i) => party(ALL_SUITES[i % ALL_SUITES.length]!, 200 + i));
    const pt = utf8('to sixty-four');
    const sealed = await sealToRecipients(parties.map(recipient), pt);
    const names = parties.map((p) => p.name);
    expect(sealed.length).toBe(headerLength(names) + pt.length + 16);
    const h = parseMultiRecipientHeader(sealed)!;
    expect(h.recipients.map((r) => r.suiteId)).toEqual(names.map((s) => SUITE_ID[s]));
    expect(h.recipients.map((r) => r.keyId)).toEqual(parties.map((p) => keyId(encodePublicKey(p.name, p.publicKey))));
    for (const i of [0, 31, 63]) expect(await openWithIdentities([identity(parties[i]!)], sealed)).toEqual(pt);
  });

  it('each of the seven suites alone, AES-256-GCM: round trip', async () => {
    for (const [i, s] of ALL_SUITES.entries()) {
      const p = party(s, 300 + i, 'AES-256-GCM');
      const sealed = await sealToRecipients([recipient(p)], utf8(s));
      expect([...sealed.subarray(4, 6)]).toEqual([0x00, 0x02]);
      expect(await openWithIdentities([identity(p)], sealed)).toEqual(utf8(s));
    }
  });

  it("hpke-js's AEADs (browsers) and node:crypto's give messages each other opens, both AEADs, 3 chunks", async () => {
    for (const aead of ['AES-256-GCM', 'ChaCha20-Poly1305'] as const) {
      const p = party('X-Wing', 5, aead);
      const portable = createHpkeSuiteWith({ kem: 'X-Wing', kdf: 'HKDF-SHA256', aead, backend }, 'hpke-js');
      expect([p.suite.aeadImplementation, portable.aeadImplementation]).toEqual(['node:crypto', 'hpke-js']);
      const pt = pattern(2 * 65_536 + 1, 8);
      const fromPortable = await sealToRecipients([{ suite: portable, publicKey: p.publicKey }], pt, { aad });
      expect(await openWithIdentities([identity(p)], fromPortable, { aad })).toEqual(pt);
      const fromNode = await sealToRecipients([recipient(p)], pt, { aad });
      expect(await openWithIdentities([{ suite: portable, privateKey: p.privateKey }], fromNode, { aad })).toEqual(pt);
      const bad = fromNode.slice();
      bad[bad.length - 20]! ^= 1;
      await rejects(openWithIdentities([{ suite: portable, privateKey: p.privateKey }], bad, { aad }), 'ERR_AUTHENTICATION');
    }
  });

  it('the empty plaintext is one empty final chunk', async () => {
    const p = party('X-Wing', 1);
    const sealed = await sealToRecipients([recipient(p)], new Uint8Array(0));
    expect(sealed.length).toBe(headerLength(['X-Wing']) + 16);
    expect(await openWithIdentities([identity(p)], sealed)).toEqual(new Uint8Array(0));
  });

  it('hidden key ids: no ids in the stanzas, every recipient opens by trial', async () => {
    const parties = MIX.map((s, i) => party(s, 400 + i));
    const pt = pattern(1000, 4);
    const sealed = await sealToRecipients(parties.map(recipient), pt, { hideKeyIds: true, info });
    expect(sealed[7]).toBe(0x01);
    expect(sealed.length).toBe(headerLength(MIX, true) + 1000 + 16);
    const h = parseMultiRecipientHeader(sealed)!;
    expect(h.keyIdsHidden).toBe(true);
    expect(h.recipients.map((r) => r.keyId)).toEqual([undefined, undefined, undefined, undefined]);
    for (const p of parties) expect(await openWithIdentities([identity(p)], sealed, { info })).toEqual(pt);
    // An opener holding several identities (one of them a recipient) finds its stanza.
    const stranger = party('X-Wing', 999);
    expect(await openWithIdentities([identity(stranger), identity(parties[3]!)], sealed, { info })).toEqual(pt);
  });

  it('visible ids: an opener with several identities uses the one named', async () => {
    const [a, b] = [party('X-Wing', 10), party('X-Wing', 11)];
    const sealed = await sealToRecipients([recipient(b)], utf8('b'));
    expect(await openWithIdentities([identity(a), identity(b)], sealed)).toEqual(utf8('b'));
  });

  it('parseMultiRecipientHeader: undefined until the whole header is there, then its public facts', async () => {
    const [a, b] = [party('X-Wing', 20), party('MLKEM1024-P384', 21)];
    const sealed = await sealToRecipients([recipient(a), recipient(b)], utf8('x'));
    const hl = headerLength(['X-Wing', 'MLKEM1024-P384']);
    expect(parseMultiRecipientHeader(sealed.subarray(0, 3))).toBeUndefined();
    expect(parseMultiRecipientHeader(sealed.subarray(0, hl - 1))).toBeUndefined();
    const h = parseMultiRecipientHeader(sealed.subarray(0, hl))!;
    expect({ kdf: h.kdf, kdfId: h.kdfId, aead: h.aead, aeadId: h.aeadId, e: h.chunkSizeExponent, hidden: h.keyIdsHidden, len: h.headerLength }).toEqual({
      kdf: 'HKDF-SHA256',
      kdfId: 1,
      aead: 'ChaCha20-Poly1305',
      aeadId: 3,
      e: 16,
      hidden: false,
      len: hl,
    });
    expect(h.recipients.map((r) => [r.suite, r.keyId])).toEqual([
      ['X-Wing', keyId(encodePublicKey('X-Wing', a.publicKey))],
      ['MLKEM1024-P384', keyId(encodePublicKey('MLKEM1024-P384', b.publicKey))],
    ]);
  });

  it('the key schedule of §10.2, recomputed with hpke-js and node:crypto: wrap info, header MAC, payload key and nonces', async () => {
    const p = party('X-Wing', 30);
    const pt = pattern(65_536 + 5, 30);
    const sealed = await sealToRecipients([recipient(p)], pt, { info, aad });
    const fixed = sealed.subarray(0, FIXED);
    const kid = sealed.subarray(FIXED + 2, FIXED + 18);
    const enc = sealed.subarray(FIXED + 18, FIXED + 18 + 1120);
    const wrapped = sealed.subarray(FIXED + 18 + 1120, FIXED + 18 + 1120 + 48);
    const macAt = FIXED + stanzaLength('X-Wing');
    const wrapInfo = concatBytes(utf8('hybridkem/v1/multi-recipient'), new Uint8Array([0]), fixed, new Uint8Array([0x64, 0x7a]), kid, new Uint8Array([0, 0, 0, info.length]), info);
    const suite = suiteFor('X-Wing');
    const sk = await suite.hpkeKem.deserializePrivateKey(p.privateKey);
    const fileKey = Buffer.from(await suite.cipherSuite.open({ recipientKey: sk, enc: enc.slice(), info: wrapInfo }, wrapped.slice()));
    expect(fileKey.length).toBe(32);
    const macKey = Buffer.from(hkdfSync('sha256', fileKey, new Uint8Array(0), utf8('hybridkem/v1/multi-recipient header'), 32));
    const mac = createHmac('sha256', macKey).update(sealed.subarray(0, macAt)).digest();
    expect(Buffer.from(sealed.subarray(macAt, macAt + 32)).equals(mac)).toBe(true);
    const okm = Buffer.from(hkdfSync('sha256', fileKey, fixed.subarray(9, 25), utf8('hybridkem/v1/multi-recipient payload'), 44));
    const [key, baseNonce] = [okm.subarray(0, 32), okm.subarray(32)];
    const nonce = (i: number) => {
      const n = Buffer.from(baseNonce);
      n[11]! ^= i;
      return n;
    };
    const body = sealed.subarray(macAt + 32);
    const openChunk = (i: number, flag: number, c: Uint8Array) => {
      const d = createDecipheriv('chacha20-poly1305', key, nonce(i), { authTagLength: 16 });
      d.setAAD(concatBytes(new Uint8Array([flag]), aad), { plaintextLength: c.length - 16 });
      d.setAuthTag(c.subarray(c.length - 16));
      return Buffer.concat([d.update(c.subarray(0, c.length - 16)), d.final()]);
    };
    const c0 = body.subarray(0, 65_536 + 16);
    const c1 = body.subarray(65_536 + 16);
    expect(Buffer.concat([openChunk(0, 0, c0), openChunk(1, 1, c1)]).equals(pt)).toBe(true);
    // And the other way: a chunk sealed here with node:crypto is the one in the message.
    const cipher = createCipheriv('chacha20-poly1305', key, nonce(1), { authTagLength: 16 });
    cipher.setAAD(concatBytes(new Uint8Array([1]), aad), { plaintextLength: 3 });
    const again = Buffer.concat([cipher.update(pt.subarray(65_536)), cipher.final(), cipher.getAuthTag()]);
    expect(again.equals(c1)).toBe(true);
  });
});

describe('Node streams (spec §10)', () => {
  const parties = [party('X-Wing', 50), party('HPKE-MLKEM768-P256', 51), party('X25519-MLKEM768', 52)];
  const pt = pattern(3 * 65_536 + 7, 5);
  const cut = (b: Uint8Array, sizes: number[]) => {
    const out: Uint8Array[] = [];
    let at = 0;
    for (let i = 0; at < b.length; i++) {
      const n = sizes[i % sizes.length]!;
      out.push(b.subarray(at, at + n));
      at += n;
    }
    return out;
  };

  for (const hideKeyIds of [false, true]) {
    it(`streamed seal == one-shot seal with fixed randomness, and both open streamed in odd pieces (hideKeyIds ${hideKeyIds})`, async () => {
      const opts = { info, aad, hideKeyIds };
      const oneShot = await withFixedRandomness(7, () => sealToRecipients(parties.map(recipient), pt, opts));
      const streamed = await withFixedRandomness(7, async () => {
        const r = await nodeRun(sealToRecipientsNodeStream(parties.map(recipient), opts), cut(pt, [1, 65_535, 3, 100_000]));
        expect(r.error).toBeUndefined();
        return r.out;
      });
      expect(Buffer.from(streamed).equals(Buffer.from(oneShot))).toBe(true);
      const other = await sealToRecipients(parties.map(recipient), pt, opts);
      expect(Buffer.from(other).equals(Buffer.from(oneShot))).toBe(false); // real randomness: another file key
      for (const p of parties) {
        const r = await nodeRun(openWithIdentitiesNodeStream([identity(p)], { info, aad }), cut(oneShot, [1, 2, 24, 1000, 7, 65_553]));
        expect(r.error).toBeUndefined();
        expect(Buffer.from(r.out).equals(Buffer.from(pt))).toBe(true);
      }
    });
  }

  it('the stream opener releases nothing when the MAC fails, and exactly the chunks before a changed one', async () => {
    const sealed = await sealToRecipients(parties.map(recipient), pt);
    const hl = headerLength(parties.map((p) => p.name));
    const badMac = sealed.slice();
    badMac[hl - 1]! ^= 1;
    let r = await nodeRun(openWithIdentitiesNodeStream([identity(parties[0]!)]), [badMac]);
    expect((r.error as HybridKemError).code).toBe('ERR_AUTHENTICATION');
    expect(r.out.length).toBe(0);
    const badChunk = sealed.slice();
    badChunk[hl + 2 * (65_536 + 16) + 5]! ^= 1; // inside chunk 2
    r = await nodeRun(openWithIdentitiesNodeStream([identity(parties[1]!)]), cut(badChunk, [65_536 + 16]));
    expect((r.error as HybridKemError).code).toBe('ERR_AUTHENTICATION');
    expect(Buffer.from(r.out).equals(Buffer.from(pt.subarray(0, 2 * 65_536)))).toBe(true);
  });

  it('bad arguments throw at once', () => {
    expect(() => sealToRecipientsNodeStream([], {})).toThrow(HybridKemError);
    expect(() => openWithIdentitiesNodeStream([])).toThrow(HybridKemError);
  });
});

describe('arguments', () => {
  it('65 recipients, none, or mixed AEADs are refused with ERR_INVALID_ARGUMENT (field recipients)', async () => {
    const p = party('X-Wing', 60);
    const e = await rejects(sealToRecipients(Array.from({ length: 65 }, () => recipient(p)), utf8('x')), 'ERR_INVALID_ARGUMENT');
    expect(e.message).toBe('recipients: expected 1 to 64 recipients, got 65');
    await rejects(sealToRecipients([], utf8('x')), 'ERR_INVALID_ARGUMENT');
    const q = party('X-Wing', 61, 'AES-256-GCM');
    const m = await rejects(sealToRecipients([recipient(p), recipient(q)], utf8('x')), 'ERR_INVALID_ARGUMENT');
    expect(m.message).toMatch(/^recipients: every recipient's suite must have the same KDF and AEAD/);
  });

  it('a public key of the wrong length: ERR_INVALID_LENGTH naming the recipient', async () => {
    const p = party('X-Wing', 62);
    const e = await rejects(sealToRecipients([recipient(p), { suite: p.suite, publicKey: p.publicKey.subarray(1) }], utf8('x')), 'ERR_INVALID_LENGTH');
    expect(e.message).toBe('recipients[1].publicKey: expected 1216 bytes, got 1215');
  });
});
