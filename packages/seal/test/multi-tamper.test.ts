// Multi-recipient sealed messages (spec/WIRE-FORMAT.md §10.3, §10.4): every
// changed, added, removed or reordered part of the header, changed payload
// bytes and truncation give their typed error; the trial decapsulations are
// bounded; a wrong identity is told which key ids the message names.
import { HybridKemError } from '@hybridkem/core';
import { concatBytes } from '@noble/hashes/utils.js';
import fc from 'fast-check';
import { beforeAll, describe, expect, it, vi } from 'vitest';
import { open, openWithIdentities, parseSealedHeader, seal, sealToRecipients } from '../src/index.js';
import { flip, pattern, rejects, utf8 } from './helpers.js';
import { FIXED, headerLength, identity, MAC, party, recipient, stanzaLength, suiteFor } from './multi-helpers.js';

const pt = pattern(2 * 65_536 + 3, 9);
const a = party('X-Wing', 70);
const b = party('MLKEM1024-P384', 71);
const c = party('X25519-MLKEM768', 72);
const names = [a.name, b.name, c.name];
let sealed: Uint8Array;
let hidden: Uint8Array;
const hl = headerLength(names);
/** Offsets of the stanzas of `sealed`. */
const at = [FIXED, FIXED + stanzaLength(a.name), FIXED + stanzaLength(a.name) + stanzaLength(b.name)];
const end = hl - MAC;

beforeAll(async () => {
  sealed = await sealToRecipients([a, b, c].map(recipient), pt);
  hidden = await sealToRecipients([a, b, c].map(recipient), pt, { hideKeyIds: true });
});

const openA = (m: Uint8Array) => openWithIdentities([identity(a)], m);
/** The header with FIXED's count set to `n` and `stanzas` in place of the three. */
const rebuild = (n: number, ...stanzas: Uint8Array[]) => {
  const fixed = sealed.slice(0, FIXED);
  fixed[8] = n;
  return concatBytes(fixed, ...stanzas, sealed.subarray(end));
};
const stanza = (i: number) => sealed.subarray(at[i]!, i === 2 ? end : at[i + 1]!);

describe('header changes (spec §10.3)', () => {
  it('FIXED, field by field', async () => {
    await rejects(openA(flip(sealed, 0, 0x03)), 'ERR_UNSUPPORTED_VERSION');
    const e = await rejects(openA(flip(sealed, 1, 0x0d)), 'ERR_WRONG_KIND'); // 0x04, a single-recipient sealed message
    expect(e.message).toBe('object kind: expected multiRecipientSealedMessage, got sealedMessage');
    await rejects(openA(flip(sealed, 1, 0xf6)), 'ERR_UNKNOWN_KIND'); // 0xff, not defined
    expect((await rejects(openA(flip(sealed, 1, 0x03)), 'ERR_WRONG_KIND')).message).toBe('object kind: expected multiRecipientSealedMessage, got meshKeyEnvelope'); // 0x0a
    await rejects(openA(flip(sealed, 1, 0x02)), 'ERR_WRONG_KIND'); // 0x0b, a mesh directory record
    expect((await rejects(openA(flip(sealed, 1, 0x05)), 'ERR_WRONG_KIND')).message).toBe('object kind: expected multiRecipientSealedMessage, got meshPskExchange'); // 0x0c
    await rejects(openA(flip(sealed, 3, 0x10)), 'ERR_UNKNOWN_SUITE'); // KDF 0x0011
    expect((await rejects(openA(flip(sealed, 3, 0x03)), 'ERR_INVALID_ARGUMENT')).message).toMatch(/^kdf: message uses KDF 0x0002/);
    expect((await rejects(openA(flip(sealed, 5, 0x01)), 'ERR_INVALID_ARGUMENT')).message).toMatch(/^aead: message uses AEAD 0x0002/);
    await rejects(openA(flip(sealed, 5, 0x04)), 'ERR_UNKNOWN_SUITE'); // AEAD 0x0007
    expect((await rejects(openA(flip(sealed, 6, 0x20)), 'ERR_INVALID_ARGUMENT')).message).toBe('chunkSizeExponent: expected 10 to 22, got 48');
    expect((await rejects(openA(flip(sealed, 7, 0x02)), 'ERR_INVALID_ARGUMENT')).message).toBe('flags: expected 0x00 or 0x01, got 0x02');
    const zero = sealed.slice();
    zero[8] = 0;
    expect((await rejects(openA(zero), 'ERR_INVALID_ARGUMENT')).message).toBe('recipientCount: expected 1 to 64, got 0');
    zero[8] = 65;
    expect((await rejects(openA(zero), 'ERR_INVALID_ARGUMENT')).message).toBe('recipientCount: expected 1 to 64, got 65');
  });

  it('in-range changes of FIXED (chunk size, flags, salt) fail to authenticate', async () => {
    await rejects(openA(flip(sealed, 6, 0x01)), 'ERR_AUTHENTICATION'); // e = 17
    await rejects(openA(flip(sealed, 12)), 'ERR_AUTHENTICATION'); // payload salt
    // Visible -> hidden: the stanzas are read 16 bytes short, so the second suite id is read from inside a's enc.
    await rejects(openA(flip(sealed, 7)), 'ERR_UNKNOWN_SUITE');
  });

  it('a changed byte of the opener\'s stanza (enc, wrapped key) or of another stanza, or of the MAC: ERR_AUTHENTICATION', async () => {
    for (const i of [at[0]! + 18, at[0]! + 18 + 1119, at[0]! + 18 + 1120 + 47, at[1]! + 500, at[2]! + 17, end, hl - 1]) {
      await rejects(openA(flip(sealed, i)), 'ERR_AUTHENTICATION');
    }
  });

  it("a changed key id of the opener's stanza: no identity is a recipient (ERR_INVALID_ARGUMENT keyId); of another's: ERR_AUTHENTICATION", async () => {
    await rejects(openA(flip(sealed, at[0]! + 2)), 'ERR_INVALID_ARGUMENT');
    await rejects(openA(flip(sealed, at[1]! + 2)), 'ERR_AUTHENTICATION');
  });

  it('a stanza re-labelled with another suite of the same size fails; an unknown suite id is ERR_UNKNOWN_SUITE', async () => {
    // c is X25519-MLKEM768 (0xff01), the size of X-Wing (0x647a): relabel c's stanza and open with b (MAC) and c.
    const relabelled = sealed.slice();
    relabelled.set([0x64, 0x7a], at[2]!);
    await rejects(openWithIdentities([identity(b)], relabelled), 'ERR_AUTHENTICATION');
    await rejects(openWithIdentities([identity(c)], relabelled), 'ERR_INVALID_ARGUMENT'); // no stanza of c's suite any more
    const unknown = sealed.slice();
    unknown.set([0xff, 0x99], at[1]!);
    const e = await rejects(openA(unknown), 'ERR_UNKNOWN_SUITE');
    expect(e.message).toMatch(/0xff99/);
  });

  it('removed, added, duplicated and reordered stanzas: ERR_AUTHENTICATION', async () => {
    await rejects(openA(rebuild(2, stanza(0), stanza(1))), 'ERR_AUTHENTICATION'); // c removed
    await rejects(openA(rebuild(2, stanza(0), stanza(2))), 'ERR_AUTHENTICATION'); // b removed
    await rejects(openA(rebuild(4, stanza(0), stanza(1), stanza(2), stanza(1))), 'ERR_AUTHENTICATION'); // b again
    const d = party('X-Wing', 73);
    const other = await sealToRecipients([recipient(d)], utf8('d'));
    const dStanza = other.subarray(FIXED, FIXED + stanzaLength('X-Wing'));
    await rejects(openA(rebuild(4, stanza(0), stanza(1), stanza(2), dStanza)), 'ERR_AUTHENTICATION'); // a stranger's stanza added
    await rejects(openA(rebuild(3, stanza(1), stanza(0), stanza(2))), 'ERR_AUTHENTICATION'); // reordered
    await rejects(openA(rebuild(3, stanza(0), stanza(2), stanza(1))), 'ERR_AUTHENTICATION');
  });

  it('nothing is released before the MAC verifies (one-shot: the error only)', async () => {
    const out = await openA(flip(sealed, hl - 1)).catch((e: unknown) => e);
    expect((out as HybridKemError).code).toBe('ERR_AUTHENTICATION');
  });
});

describe('kinds 0x04 and 0x09 do not mix', () => {
  it('a multi-recipient message given to open / parseSealedHeader, and a §7 message given to openWithIdentities: ERR_WRONG_KIND', async () => {
    const e = await rejects(open(a.suite, a.privateKey, sealed), 'ERR_WRONG_KIND');
    expect(e.message).toBe('object kind: expected sealedMessage, got multiRecipientSealedMessage');
    expect(() => parseSealedHeader(sealed, true)).toThrow(e.message);
    const single = await seal(a.suite, a.publicKey, utf8('one'));
    await rejects(openA(single), 'ERR_WRONG_KIND');
  });
});

describe('payload changes and truncation', () => {
  it('a changed byte in the first, middle or last chunk, or its tag: ERR_AUTHENTICATION', async () => {
    for (const i of [hl, hl + 65_536 + 15, hl + 65_536 + 16 + 9, sealed.length - 1]) await rejects(openA(flip(sealed, i)), 'ERR_AUTHENTICATION');
  });

  it('truncation in FIXED, a stanza or the MAC: ERR_TRUNCATED; at or in a chunk: ERR_AUTHENTICATION / ERR_TRUNCATED', async () => {
    for (const n of [0, 1, 24, 25, 26, at[1]! + 1, end - 1, end, hl - 1]) {
      await rejects(openA(sealed.subarray(0, n)), 'ERR_TRUNCATED');
    }
    await rejects(openA(sealed.subarray(0, hl)), 'ERR_TRUNCATED'); // no final chunk
    await rejects(openA(sealed.subarray(0, hl + 15)), 'ERR_TRUNCATED');
    await rejects(openA(sealed.subarray(0, hl + 65_536 + 16)), 'ERR_AUTHENTICATION'); // cut at a chunk boundary
    await rejects(openA(sealed.subarray(0, sealed.length - 1)), 'ERR_AUTHENTICATION');
    await rejects(openA(concatBytes(sealed, new Uint8Array(1))), 'ERR_AUTHENTICATION');
  });

  it('a short input reports its first bad field before ERR_TRUNCATED', async () => {
    await rejects(openA(new Uint8Array([0x02])), 'ERR_UNSUPPORTED_VERSION');
    await rejects(openA(new Uint8Array([0x01, 0x09, 0x00, 0x01, 0x00, 0x03, 16, 0, 0])), 'ERR_INVALID_ARGUMENT');
  });

  it('another info or aad: ERR_AUTHENTICATION', async () => {
    await rejects(openWithIdentities([identity(a)], sealed, { info: utf8('x') }), 'ERR_AUTHENTICATION');
    await rejects(openWithIdentities([identity(a)], sealed, { aad: utf8('x') }), 'ERR_AUTHENTICATION');
  });
});

describe('identities (spec §10.3 steps 4 and 5)', () => {
  it('a wrong identity: ERR_INVALID_ARGUMENT (keyId) naming the key ids, and no secret', async () => {
    const stranger = party('X-Wing', 80);
    const e = await rejects(openWithIdentities([identity(stranger)], sealed), 'ERR_INVALID_ARGUMENT');
    const ids = [a, b, c].map((p) => Buffer.from(sealed.subarray(at[[a, b, c].indexOf(p)]! + 2, at[[a, b, c].indexOf(p)]! + 18)).toString('hex'));
    expect(e.message).toMatch(/^keyId: message is sealed to /);
    for (const id of ids) expect(e.message).toContain(id);
    expect(e.message).not.toContain(Buffer.from(stranger.privateKey).toString('hex'));
    const h = await rejects(openWithIdentities([identity(stranger)], hidden), 'ERR_INVALID_ARGUMENT');
    expect(h.message).toMatch(/^keyId: message for 3 hidden recipients \(X-Wing, MLKEM1024-P384, X25519-MLKEM768\): no identity opens any of its stanzas/);
    const p384 = party('HPKE-MLKEM1024-P384', 81);
    await rejects(openWithIdentities([identity(p384)], hidden), 'ERR_INVALID_ARGUMENT');
  });

  it('identities with mixed KDF / AEAD, none, or a bad seed are refused', async () => {
    await rejects(openWithIdentities([identity(a), identity(party('X-Wing', 82, 'AES-256-GCM'))], sealed), 'ERR_INVALID_ARGUMENT');
    await rejects(openWithIdentities([], sealed), 'ERR_INVALID_ARGUMENT');
    await rejects(openWithIdentities([{ suite: a.suite, privateKey: new Uint8Array(31) }], sealed), 'ERR_INVALID_LENGTH');
  });

  it('hidden ids: at most 64 trial decapsulations, counted; more needed is ERR_INVALID_ARGUMENT (identities) before any', async () => {
    const others = Array.from({ length: 64 }, (_, i) => party('X-Wing', 500 + i));
    const many = await sealToRecipients(others.map(recipient), utf8('64'), { hideKeyIds: true });
    const suite = suiteFor('X-Wing');
    const decap = vi.spyOn(suite.hpkeKem, 'decap');
    try {
      const stranger = party('X-Wing', 90);
      await rejects(openWithIdentities([identity(stranger)], many), 'ERR_INVALID_ARGUMENT');
      expect(decap).toHaveBeenCalledTimes(64);
      decap.mockClear();
      const e = await rejects(openWithIdentities([identity(stranger), identity(others[63]!)], many), 'ERR_INVALID_ARGUMENT');
      expect(e.message).toMatch(/^identities: 128 trial decapsulations needed/);
      expect(decap).toHaveBeenCalledTimes(0);
      // The last recipient alone opens it, after 64 trials.
      expect(await openWithIdentities([identity(others[63]!)], many)).toEqual(utf8('64'));
      expect(decap).toHaveBeenCalledTimes(64);
    } finally {
      decap.mockRestore();
    }
  });
});

describe('any change', () => {
  it('a random byte changed, cut or inserted anywhere: a HybridKemError, never a crash or a partial plaintext', async () => {
    const small = await sealToRecipients([recipient(a), recipient(c)], utf8('property'), { hideKeyIds: true });
    await fc.assert(
      fc.asyncProperty(fc.nat(small.length - 1), fc.integer({ min: 1, max: 255 }), fc.constantFrom('flip', 'cut', 'insert'), async (i, v, how) => {
        const m =
          how === 'flip' ? flip(small, i, v) : how === 'cut' ? small.subarray(0, i) : concatBytes(small.subarray(0, i), new Uint8Array([v]), small.subarray(i));
        const r = await openWithIdentities([identity(a), identity(c)], m).catch((e: unknown) => e);
        expect(r).toBeInstanceOf(HybridKemError);
      }),
      { numRuns: 60 },
    );
  });
});
