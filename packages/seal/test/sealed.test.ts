// Sealed messages (spec/WIRE-FORMAT.md §7): layout, round trips one-shot and
// streaming (WHATWG and Node), byte compatibility between them, and rejection
// of tampering for every byte-position class, with the typed errors.
import { Readable, Writable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { bytesToHex, createKem, keyId, encodePublicKey } from '@hybridkem/core';
import { backend } from '@hybridkem/noble';
import { concatBytes } from '@noble/hashes/utils.js';
import { describe, expect, it } from 'vitest';
import {
  createHpkeSuite,
  open,
  OpenError,
  openNodeStream,
  openStream,
  parseSealedHeader,
  seal,
  sealNodeStream,
  sealStream,
  type HpkeAeadName,
} from '../src/index.js';
import {
  build,
  canonicalChunks,
  chunkStart,
  drive,
  ENC,
  flip,
  HEADER,
  keyIdOf,
  pattern,
  pieces,
  rejects,
  TAG,
  through,
  utf8,
} from './helpers.js';

const kem = createKem('X-Wing', backend);
const K = 65536;
const SIZES = [0, 1, K - 1, K, K + 1, 3 * K, 1 << 20];

function expectedLength(n: number): number {
  const chunks = Math.max(1, Math.ceil(n / K));
  return HEADER + ENC + n + TAG * chunks;
}

async function nodeThrough(t: import('node:stream').Transform, inputs: Uint8Array[]): Promise<Uint8Array> {
  const got: Uint8Array[] = [];
  await pipeline(
    Readable.from(inputs),
    t,
    new Writable({
      write(chunk: Uint8Array, _e, cb) {
        got.push(new Uint8Array(chunk));
        cb();
      },
    }),
  );
  return concatBytes(...got);
}

describe.each<HpkeAeadName>(['ChaCha20-Poly1305', 'AES-256-GCM'])('sealed messages, X-Wing, HKDF-SHA256, %s', (aead) => {
  const suite = createHpkeSuite({ kem: 'X-Wing', kdf: 'HKDF-SHA256', aead, backend });
  const { publicKey, privateKey } = kem.keygen();
  const info = utf8('hybridkem sealed test');
  const aad = utf8('context');
  const opts = { info, aad };

  it('header layout: version, kind 0x04, suite, KDF, AEAD, key id of spec §4, exponent 16, reserved 0', async () => {
    const sealed = await seal(suite, publicKey, utf8('hi'), opts);
    expect(sealed.length).toBe(expectedLength(2));
    expect(bytesToHex(sealed.subarray(0, 8))).toBe(`0104647a0001${aead === 'AES-256-GCM' ? '0002' : '0003'}`);
    expect(bytesToHex(sealed.subarray(8, 24))).toBe(keyId(encodePublicKey('X-Wing', publicKey)));
    expect([sealed[24], sealed[25]]).toEqual([16, 0]);
    const h = parseSealedHeader(sealed, true)!;
    expect(h).toMatchObject({ kemId: 0x647a, kdfId: 1, aeadId: suite.ids.aead, chunkSizeExponent: 16, keyId: bytesToHex(keyIdOf(publicKey)) });
  });

  it('the spec-built message (test helper, written from §7) opens, and seal() output has its shape', async () => {
    const pt = pattern(3 * K + 5, 9);
    const byHand = await build(suite, publicKey, canonicalChunks(pt), opts);
    expect(await open(suite, privateKey, byHand, opts)).toEqual(pt);
    expect((await seal(suite, publicKey, pt, opts)).length).toBe(byHand.length);
  });

  it('a reader accepts other chunk size exponents (10 and 22)', async () => {
    for (const e of [10, 22]) {
      const pt = pattern(2 ** e * 2 + 3, e);
      const m = await build(suite, publicKey, canonicalChunks(pt, e), { ...opts, header: { exponent: e } });
      expect(await open(suite, privateKey, m, opts)).toEqual(pt);
      expect(await through(openStream(suite, privateKey, opts), pieces(m))).toEqual(pt);
    }
  });

  it.each(SIZES)('round trip, %i bytes: one-shot, WHATWG stream, Node stream, and across them', async (n) => {
    const pt = pattern(n, n + 1);
    const oneShot = await seal(suite, publicKey, pt, opts);
    expect(oneShot.length).toBe(expectedLength(n));
    expect(await open(suite, privateKey, oneShot, opts)).toEqual(pt);

    const streamed = await through(sealStream(suite, publicKey, opts), pieces(pt));
    expect(streamed.length).toBe(expectedLength(n));
    // Byte compatibility both ways.
    expect(await open(suite, privateKey, streamed, opts)).toEqual(pt);
    expect(await through(openStream(suite, privateKey, opts), pieces(oneShot, [3, 1000, 70_000, 1]))).toEqual(pt);
    expect(await through(openStream(suite, privateKey, opts), [streamed])).toEqual(pt);
    // Node streams.
    const nodeSealed = await nodeThrough(sealNodeStream(suite, publicKey, opts), pieces(pt, [65536, 1, 13]));
    expect(nodeSealed.length).toBe(expectedLength(n));
    expect(await open(suite, privateKey, nodeSealed, opts)).toEqual(pt);
    expect(await nodeThrough(openNodeStream(suite, privateKey, opts), pieces(oneShot, [5000, 65552]))).toEqual(pt);
  });

  it('writing nothing at all to the sealing stream gives the empty message', async () => {
    const m = await through(sealStream(suite, publicKey), []);
    expect(m.length).toBe(HEADER + ENC + TAG);
    expect(await open(suite, privateKey, m)).toEqual(new Uint8Array(0));
  });

  describe('tampering', () => {
    const pt = pattern(3 * K - 100, 77); // chunks: 64 KiB, 64 KiB, 64 KiB - 100
    const sealedP = seal(suite, publicKey, pt, opts);
    const auth = async (m: Uint8Array, o: { info?: Uint8Array; aad?: Uint8Array } = opts) => {
      const e = await rejects(open(suite, privateKey, m, o), 'ERR_AUTHENTICATION');
      expect(e).toBeInstanceOf(OpenError);
      const s = await drive(openStream(suite, privateKey, o), pieces(m));
      expect((s.error as OpenError).code).toBe('ERR_AUTHENTICATION');
    };

    it('the untampered message opens', async () => {
      expect(await open(suite, privateKey, await sealedP, opts)).toEqual(pt);
    });

    it('header: version, kind, KEM suite id', async () => {
      const m = await sealedP;
      await rejects(open(suite, privateKey, flip(m, 0, 0x03)), 'ERR_UNSUPPORTED_VERSION');
      await rejects(open(suite, privateKey, flip(m, 1, 0x07)), 'ERR_WRONG_KIND'); // 0x03 ciphertext
      await rejects(open(suite, privateKey, flip(m, 1, 0x01)), 'ERR_WRONG_KIND'); // 0x05 signing public key
      await rejects(open(suite, privateKey, flip(m, 1, 0x0e)), 'ERR_WRONG_KIND'); // 0x0a mesh key envelope
      await rejects(open(suite, privateKey, flip(m, 1, 0x0f)), 'ERR_WRONG_KIND'); // 0x0b mesh directory record
      await rejects(open(suite, privateKey, flip(m, 1, 0x08)), 'ERR_WRONG_KIND'); // 0x0c mesh PSK exchange message
      await rejects(open(suite, privateKey, flip(m, 1, 0xfb)), 'ERR_UNKNOWN_KIND'); // 0xff, not defined
      await rejects(open(suite, privateKey, flip(m, 1, 0x7b)), 'ERR_UNKNOWN_KIND'); // 0x7f
      await rejects(open(suite, privateKey, flip(m, 2, 0xff)), 'ERR_UNKNOWN_SUITE');
      await rejects(open(suite, privateKey, flip(m, 3, 0x01)), 'ERR_UNKNOWN_SUITE');
      // A KEM ciphertext object given to open.
      const ct = encodePublicKey('X-Wing', publicKey);
      await rejects(open(suite, privateKey, ct), 'ERR_WRONG_KIND');
    });

    it('header: KDF and AEAD ids (unknown: ERR_UNKNOWN_SUITE; the other known AEAD: ERR_INVALID_ARGUMENT)', async () => {
      const m = await sealedP;
      await rejects(open(suite, privateKey, flip(m, 5, 0x10)), 'ERR_UNKNOWN_SUITE'); // KDF 0x0011 (SHAKE256): not implemented
      await rejects(open(suite, privateKey, flip(m, 4, 0x80)), 'ERR_UNKNOWN_SUITE');
      await rejects(open(suite, privateKey, flip(m, 7, 0x04)), 'ERR_UNKNOWN_SUITE'); // 0x0006 / 0x0007: not implemented
      const e = await rejects(open(suite, privateKey, flip(m, 7, 0x01)), 'ERR_INVALID_ARGUMENT'); // 0x0002 <-> 0x0003
      expect(e.message).toMatch(/^aead: /);
    });

    it('header: key id (ERR_INVALID_ARGUMENT, field keyId, naming both ids)', async () => {
      const m = await sealedP;
      for (const i of [8, 16, 23]) {
        const e = await rejects(open(suite, privateKey, flip(m, i)), 'ERR_INVALID_ARGUMENT');
        expect(e.message).toMatch(/^keyId: /);
        expect(e.message).toContain(bytesToHex(keyIdOf(publicKey)));
      }
    });

    it('header: chunk size exponent out of range, reserved byte', async () => {
      const m = await sealedP;
      for (const v of [0, 9, 23, 255]) {
        const bad = m.slice();
        bad[24] = v;
        await rejects(open(suite, privateKey, bad), 'ERR_INVALID_ARGUMENT');
      }
      await rejects(open(suite, privateKey, flip(m, 25)), 'ERR_INVALID_ARGUMENT');
    });

    it('header: an in-range exponent change is caught by the key schedule (header bound in info)', async () => {
      const m = await sealedP;
      for (const v of [15, 17]) {
        const bad = m.slice();
        bad[24] = v;
        await auth(bad);
      }
      // A header that parses and matches the key, but is not the one bound in info.
      const other = await build(suite, publicKey, canonicalChunks(pt), {
        ...opts,
        header: { exponent: 16 },
        wireHeader: (await sealedP).slice(0, HEADER).map((b, i) => (i === 24 ? 15 : b)),
      });
      await auth(other);
    });

    it('enc: ML-KEM part and X25519 part', async () => {
      const m = await sealedP;
      for (const [i, mask] of [[HEADER, 1], [HEADER + 500, 1], [HEADER + 1087, 1], [HEADER + 1088, 1], [HEADER + 1119, 0x80]] as const) {
        await auth(flip(m, i, mask));
      }
    });

    it('chunk bodies and tags: first, middle, last', async () => {
      const m = await sealedP;
      const last = m.length;
      for (const i of [chunkStart(0), chunkStart(0) + 1000, chunkStart(1), chunkStart(1) + K - 1, chunkStart(2), last - TAG - 1]) {
        await auth(flip(m, i));
      }
      for (const i of [chunkStart(1) - TAG, chunkStart(1) - 1, chunkStart(2) - TAG, chunkStart(2) - 1, last - TAG, last - 1]) {
        await auth(flip(m, i)); // tags
      }
    });

    it('final flag: last chunk sealed as non-final; first chunk flagged final with more after it', async () => {
      const chunks = canonicalChunks(pt);
      await auth(await build(suite, publicKey, chunks.map((c) => ({ ...c, flag: 0 })), opts));
      await auth(await build(suite, publicKey, chunks.map((c, i) => ({ ...c, flag: i === 0 ? 1 : c.flag })), opts));
      await auth(await build(suite, publicKey, chunks.map((c) => ({ ...c, flag: 1 })), opts));
      await auth(await build(suite, publicKey, chunks.map((c) => ({ ...c, flag: 2 })), opts));
      // A single short chunk flagged non-final.
      await auth(await build(suite, publicKey, [{ pt: utf8('x'), flag: 0 }], opts));
      // Non-canonical: a full chunk, then an empty final chunk (authentic, still rejected).
      const full = pattern(K, 3);
      const nc = await build(suite, publicKey, [{ pt: full, flag: 0 }, { pt: new Uint8Array(0), flag: 1 }], opts);
      const e = await rejects(open(suite, privateKey, nc, opts), 'ERR_INVALID_ARGUMENT');
      expect(e.message).toMatch(/final chunk/);
      // …while the canonical one-chunk form of the same plaintext opens.
      expect(await open(suite, privateKey, await build(suite, publicKey, [{ pt: full, flag: 1 }], opts), opts)).toEqual(full);
    });

    it('truncation: at chunk boundaries, mid-chunk, inside the final tag, enc, header', async () => {
      const m = await sealedP;
      await auth(m.subarray(0, chunkStart(1)));
      await auth(m.subarray(0, chunkStart(2)));
      await auth(m.subarray(0, chunkStart(1) + 5000));
      await auth(m.subarray(0, m.length - 1));
      await auth(m.subarray(0, m.length - TAG));
      await rejects(open(suite, privateKey, m.subarray(0, chunkStart(2) + 15), opts), 'ERR_TRUNCATED'); // a 15-byte final chunk: shorter than a tag
      await rejects(open(suite, privateKey, m.subarray(0, chunkStart(0) + 15), opts), 'ERR_TRUNCATED');
      await rejects(open(suite, privateKey, m.subarray(0, chunkStart(0)), opts), 'ERR_TRUNCATED');
      await rejects(open(suite, privateKey, m.subarray(0, HEADER + 100), opts), 'ERR_TRUNCATED');
      await rejects(open(suite, privateKey, m.subarray(0, HEADER), opts), 'ERR_TRUNCATED');
      await rejects(open(suite, privateKey, m.subarray(0, 10), opts), 'ERR_TRUNCATED');
      await rejects(open(suite, privateKey, new Uint8Array(0), opts), 'ERR_TRUNCATED');
      const s = await drive(openStream(suite, privateKey, opts), [m.subarray(0, HEADER + 100)]);
      expect((s.error as { code: string }).code).toBe('ERR_TRUNCATED');
    });

    it('appended bytes, swapped, duplicated and dropped chunks', async () => {
      const m = await sealedP;
      const c = [0, 1, 2].map((i) => m.subarray(chunkStart(i), Math.min(chunkStart(i + 1), m.length)));
      const head = m.subarray(0, chunkStart(0));
      await auth(concatBytes(m, new Uint8Array([0])));
      await auth(concatBytes(m, c[2]!));
      await auth(concatBytes(head, c[1]!, c[0]!, c[2]!));
      await auth(concatBytes(head, c[0]!, c[0]!, c[1]!, c[2]!));
      await auth(concatBytes(head, c[0]!, c[1]!, c[1]!, c[2]!));
      await auth(concatBytes(head, c[0]!, c[2]!));
      await auth(concatBytes(head, c[1]!, c[2]!));
      // A chunk from another message to the same key.
      const m2 = await seal(suite, publicKey, pt, opts);
      await auth(concatBytes(head, c[0]!, m2.subarray(chunkStart(1), chunkStart(2)), c[2]!));
    });

    it('wrong aad, info, key', async () => {
      const m = await sealedP;
      await auth(m, { info, aad: flip(aad, 0) });
      await auth(m, { info });
      await auth(m, { info: flip(info, 2), aad });
      await auth(m, { aad });
      const other = kem.keygen();
      // Another key: the key id says so first...
      const e = await rejects(open(suite, other.privateKey, m, opts), 'ERR_INVALID_ARGUMENT');
      expect(e.message).toMatch(/^keyId: /);
      // ...and with the key id rewritten to match, authentication fails.
      const relabeled = m.slice();
      relabeled.set(keyIdOf(other.publicKey), 8);
      await rejects(open(suite, other.privateKey, relabeled, opts), 'ERR_AUTHENTICATION');
    });
  });

  describe('streaming releases only authenticated plaintext', () => {
    const pt = pattern(3 * K + 10, 5);

    it('a bad tag in the middle chunk: output is exactly the first chunk, then the stream errors', async () => {
      const m = flip(await seal(suite, publicKey, pt, opts), chunkStart(2) - 1);
      const { out, error } = await drive(openStream(suite, privateKey, opts), pieces(m));
      expect(error).toBeInstanceOf(OpenError);
      expect(out).toEqual(pt.subarray(0, K));
    });

    it('a bad first chunk body: nothing is released', async () => {
      const m = flip(await seal(suite, publicKey, pt, opts), chunkStart(0) + 3);
      const { out, error } = await drive(openStream(suite, privateKey, opts), [m]);
      expect(error).toBeInstanceOf(OpenError);
      expect(out.length).toBe(0);
    });

    it('a bad final chunk: the verified prefix only (Node stream too)', async () => {
      const m = flip(await seal(suite, publicKey, pt, opts), m0Last(pt.length));
      const { out, error } = await drive(openStream(suite, privateKey, opts), pieces(m));
      expect(error).toBeInstanceOf(OpenError);
      expect(out).toEqual(pt.subarray(0, 3 * K));
      const got: Uint8Array[] = [];
      await expect(
        pipeline(
          Readable.from(pieces(m)),
          openNodeStream(suite, privateKey, opts),
          new Writable({
            write(chunk: Uint8Array, _e, cb) {
              got.push(new Uint8Array(chunk));
              cb();
            },
          }),
        ),
      ).rejects.toBeInstanceOf(OpenError);
      expect(concatBytes(...got)).toEqual(pt.subarray(0, 3 * K));
    });

    it('a bad header errors the stream as soon as the byte arrives', async () => {
      const m = flip(await seal(suite, publicKey, pt, opts), 0, 2);
      const ts = openStream(suite, privateKey, opts);
      const writer = ts.writable.getWriter();
      const reading = ts.readable.getReader().read();
      await expect(writer.write(m.subarray(0, 1))).rejects.toMatchObject({ code: 'ERR_UNSUPPORTED_VERSION' });
      await expect(reading).rejects.toMatchObject({ code: 'ERR_UNSUPPORTED_VERSION' });
    });
  });
});

function m0Last(n: number): number {
  return expectedLength(n) - 1;
}

describe('arguments', () => {
  const suite = createHpkeSuite({ kem: 'X-Wing', kdf: 'HKDF-SHA256', aead: 'ChaCha20-Poly1305', backend });
  const { publicKey, privateKey } = kem.keygen();

  it('typed errors, synchronous for the stream factories', async () => {
    await rejects(seal(suite, publicKey.subarray(1), utf8('x')), 'ERR_INVALID_LENGTH');
    await rejects(seal(suite, publicKey, 'x' as unknown as Uint8Array), 'ERR_INVALID_ARGUMENT');
    await rejects(seal(suite, new Uint8Array(1216).fill(0xff), utf8('x')), 'ERR_INVALID_MLKEM_KEY');
    await rejects(open(suite, privateKey.subarray(1), new Uint8Array(2000)), 'ERR_INVALID_LENGTH');
    await rejects(open(suite, privateKey, 'x' as unknown as Uint8Array), 'ERR_INVALID_ARGUMENT');
    expect(() => sealStream(suite, publicKey.subarray(1))).toThrow(expect.objectContaining({ code: 'ERR_INVALID_LENGTH' }));
    expect(() => openStream(suite, privateKey, { info: new Uint8Array(65537) })).toThrow(expect.objectContaining({ code: 'ERR_INVALID_ARGUMENT' }));
    expect(() => sealNodeStream(suite, publicKey, { aad: 'a' as never })).toThrow(expect.objectContaining({ code: 'ERR_INVALID_ARGUMENT' }));
    expect(() => openNodeStream({} as never, privateKey)).toThrow(expect.objectContaining({ code: 'ERR_INVALID_ARGUMENT' }));
    const s = await drive(sealStream(suite, publicKey), ['text' as unknown as Uint8Array]);
    expect((s.error as { code: string }).code).toBe('ERR_INVALID_ARGUMENT');
  });

  it('a low-order X25519 part in enc: ERR_INVALID_GROUP_ELEMENT', async () => {
    const m = await seal(suite, publicKey, utf8('x'));
    m.fill(0, HEADER + 1088, HEADER + ENC);
    await rejects(open(suite, privateKey, m), 'ERR_INVALID_GROUP_ELEMENT');
  });
});
