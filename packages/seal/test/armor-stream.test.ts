// The streaming armor of spec/WIRE-FORMAT.md §3.1: expected text built here
// by hand (Buffer base64 and 64-character splitting, not the encoder under
// test) and one literal vector; every split of the input; the §3 armor of
// core reads the same; real sealed messages open through it; the detector.
import { Readable, Writable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { armor, ARMOR_LABELS, createKem, dearmor } from '@hybridkem/core';
import { backend } from '@hybridkem/noble';
import { describe, expect, it } from 'vitest';
import {
  armorSealedNodeStream,
  armorSealedStream,
  createHpkeSuite,
  dearmorSealedNodeStream,
  dearmorSealedStream,
  isArmoredSealed,
  open,
  openStream,
  seal,
  SEALED_ARMOR_DETECT_LENGTH,
} from '../src/index.js';
import { SEALED_ARMOR_LABELS } from '../src/armor/labels.js';
import { pattern, rejects, through, utf8 } from './helpers.js';

const LABEL = 'HYBRIDKEM SEALED MESSAGE';

/** The armor of `bytes` written from the spec's words with Buffer's base64: lines of 64, LF or CRLF. */
function byHand(bytes: Uint8Array, label = LABEL, eol = '\n'): string {
  const b64 = Buffer.from(bytes).toString('base64');
  const lines = b64.match(/.{1,64}/g)!;
  return [`-----BEGIN ${label}-----`, ...lines, `-----END ${label}-----`, ''].join(eol);
}

/** A sealed-looking object: version 1, kind 0x04, then pseudo-random bytes. */
function sealedLike(length: number, seed = 7, kind = 0x04): Uint8Array {
  const b = pattern(length, seed);
  b[0] = 0x01;
  b[1] = kind;
  return b;
}

const text = (b: Uint8Array) => Buffer.from(b).toString('latin1');
const armorOf = async (b: Uint8Array, pieces = [b]) => text(await through(armorSealedStream(), pieces));
const dearmorOf = (t: string | Uint8Array, pieces?: Uint8Array[]) =>
  through(dearmorSealedStream(), pieces ?? [typeof t === 'string' ? utf8(t) : t]);

describe('streaming armor: the writer', () => {
  it('writes the literal vector for a 4-byte object', async () => {
    // 01 04 64 7a by hand: 000000 010000 010001 100100 | 011110 10(0000) = "AQRk" "eg=="
    const literal = '-----BEGIN HYBRIDKEM SEALED MESSAGE-----\nAQRkeg==\n-----END HYBRIDKEM SEALED MESSAGE-----\n';
    expect(await armorOf(new Uint8Array([0x01, 0x04, 0x64, 0x7a]))).toBe(literal);
    expect(await dearmorOf(literal)).toEqual(new Uint8Array([0x01, 0x04, 0x64, 0x7a]));
  });

  it('writes 64-character lines, the last 1..64, LF, for every length around the line boundaries', async () => {
    for (const n of [4, 5, 6, 47, 48, 49, 50, 95, 96, 97, 1000, 4801]) {
      const msg = sealedLike(n, n);
      const expected = byHand(msg);
      expect(await armorOf(msg), `length ${n}`).toBe(expected);
      // in uneven pieces, including 1-byte pieces across the 4-byte header
      const pieces = [msg.subarray(0, 1), msg.subarray(1, 3), msg.subarray(3, 50), msg.subarray(50)].filter((p) => p.length);
      expect(await armorOf(msg, pieces), `length ${n} in pieces`).toBe(expected);
    }
  });

  it('gives what core’s §3 armor gives for the same object (the two writers agree)', async () => {
    const msg = sealedLike(3000);
    expect(await armorOf(msg)).toBe(armor(msg));
  });

  it('refuses an empty input, fewer than 4 bytes and a kind that is not sealed (ERR_ARMOR)', async () => {
    await rejects(through(armorSealedStream(), []), 'ERR_ARMOR');
    await rejects(through(armorSealedStream(), [new Uint8Array([1, 4, 0])]), 'ERR_ARMOR');
    const e = await rejects(through(armorSealedStream(), [sealedLike(100, 1, 0x01)]), 'ERR_ARMOR');
    expect(e.message).toContain('publicKey');
    await rejects(through(armorSealedStream(), ['text' as unknown as Uint8Array]), 'ERR_INVALID_ARGUMENT');
  });
});

describe('streaming armor: the reader', () => {
  it('reads hand-written armor, LF and CRLF, with whitespace before BEGIN and after END', async () => {
    const msg = sealedLike(777);
    expect(await dearmorOf(byHand(msg))).toEqual(msg);
    expect(await dearmorOf(byHand(msg, LABEL, '\r\n'))).toEqual(msg);
    expect(await dearmorOf(` \t\r\n\n${byHand(msg)}\n \t\r\n`)).toEqual(msg);
    expect(await dearmorOf(byHand(msg).slice(0, -1))).toEqual(msg); // no final LF
    expect(await dearmorOf(byHand(msg, LABEL, '\r\n').slice(0, -1))).toEqual(msg); // CRLF cut after CR
  });

  it('gives the same bytes for the input split at every position, and byte by byte', async () => {
    const msg = sealedLike(150, 3);
    for (const eol of ['\n', '\r\n']) {
      const armored = utf8(`\n ${byHand(msg, LABEL, eol)} \n`);
      for (let k = 0; k <= armored.length; k++) {
        const out = await dearmorOf(armored, [armored.slice(0, k), armored.slice(k)]);
        expect(out, `split at ${k}`).toEqual(msg);
      }
      const single = Array.from(armored, (b) => new Uint8Array([b]));
      expect(await dearmorOf(armored, single)).toEqual(msg);
    }
  });

  it('passes decoded lines on before the END line arrives', async () => {
    const msg = sealedLike(48 * 10);
    const armored = utf8(byHand(msg));
    const ts = dearmorSealedStream();
    const writer = ts.writable.getWriter();
    const reader = ts.readable.getReader();
    void writer.write(armored.slice(0, 41 + 65 * 3)); // BEGIN and three full lines
    const first = await reader.read();
    expect(first.value).toEqual(msg.subarray(0, 48 * 3));
    void writer.write(armored.slice(41 + 65 * 3));
    void writer.close();
    expect((await reader.read()).value).toEqual(msg.subarray(48 * 3));
    expect((await reader.read()).done).toBe(true);
  });

  it('reads core’s §3 armor of a real sealed message, which then opens; and core reads ours', async () => {
    const suite = createHpkeSuite({ kem: 'X-Wing', kdf: 'HKDF-SHA256', aead: 'ChaCha20-Poly1305', backend });
    const { publicKey, privateKey } = createKem('X-Wing', backend).keygen();
    const plaintext = utf8('attack at dawn');
    const sealed = await seal(suite, publicKey, plaintext);
    const old = armor(sealed); // ≤ 16384 characters: the §3 writer
    expect(old.length).toBeLessThanOrEqual(16384);
    const read = await dearmorOf(old);
    expect(read).toEqual(sealed);
    expect(await open(suite, privateKey, read)).toEqual(plaintext);
    // the same through the streams end to end, CRLF as §3 readers accept
    const crlf = old.replaceAll('\n', '\r\n');
    const opened = await through(dearmorSealedStream(), [utf8(crlf)]).then((b) => through(openStream(suite, privateKey), [b]));
    expect(opened).toEqual(plaintext);
    // and the other way: our armor through core's §3 reader
    const ours = await armorOf(sealed);
    expect(dearmor(ours)).toEqual({ kind: 'sealedMessage', encoded: sealed });
  });

  it('writes and reads both sealed kinds, each under its own label (0x04, 0x09)', async () => {
    // Literal pairs from spec §3 and §10.
    const expected = [
      [0x04, 'HYBRIDKEM SEALED MESSAGE'],
      [0x09, 'HYBRIDKEM MULTI-RECIPIENT SEALED MESSAGE'],
    ];
    expect(SEALED_ARMOR_LABELS.map((l) => [l.kind, l.label])).toEqual(expected);
    expect(Object.values(ARMOR_LABELS).filter((l) => l.includes('SEALED'))).toEqual(expected.map((e) => e[1]));
    for (const [kind, label] of expected as [number, string][]) {
      const msg = sealedLike(200, kind, kind);
      expect(await armorOf(msg)).toBe(byHand(msg, label));
      expect(await dearmorOf(byHand(msg, label))).toEqual(msg);
    }
  });
});

describe('streaming armor: Node streams', () => {
  it('round-trips through armorSealedNodeStream → dearmorSealedNodeStream and matches the hand-written text', async () => {
    const msg = sealedLike(10_000, 11);
    const armored: Buffer[] = [];
    await pipeline(Readable.from([msg.subarray(0, 3), msg.subarray(3, 5000), msg.subarray(5000)]), armorSealedNodeStream(), new Writable({
      write(c: Buffer, _e, cb) {
        armored.push(c);
        cb();
      },
    }));
    expect(Buffer.concat(armored).toString('latin1')).toBe(byHand(msg));
    const back: Buffer[] = [];
    await pipeline(Readable.from([Buffer.concat(armored)]), dearmorSealedNodeStream(), new Writable({
      write(c: Buffer, _e, cb) {
        back.push(c);
        cb();
      },
    }));
    expect(new Uint8Array(Buffer.concat(back))).toEqual(msg);
  });

  it('fails the pipeline with ERR_ARMOR on bad armor', async () => {
    const bad = byHand(sealedLike(100)).replace('-----END', '-----END X');
    await rejects(pipeline(Readable.from([Buffer.from(bad)]), dearmorSealedNodeStream(), new Writable({ write: (_c, _e, cb) => cb() })), 'ERR_ARMOR');
  });
});

describe('isArmoredSealed', () => {
  const a = (s: string) => isArmoredSealed(utf8(s));
  it('says true, false or undefined from the first bytes', () => {
    expect(a('-----BEGIN HYBRIDKEM SEALED MESSAGE-----\n')).toBe(true);
    expect(a('-----BEGIN ')).toBe(true);
    expect(a(' \r\n\t-----BEGIN HYBRIDKEM PUBLIC KEY-----')).toBe(true); // any label: the reader names it
    expect(a('')).toBeUndefined();
    expect(a('   ')).toBeUndefined();
    expect(a('-----BEGI')).toBeUndefined();
    expect(a('-----END ')).toBe(false);
    expect(isArmoredSealed(new Uint8Array([0x01, 0x04, 0x64, 0x7a]))).toBe(false); // a binary sealed message
    expect(a('\u00a0-----BEGIN ')).toBe(false);
    expect(SEALED_ARMOR_DETECT_LENGTH).toBe(1024 + 11);
    expect(a(' '.repeat(1024) + '-----BEGIN ')).toBe(true);
    expect(a(' '.repeat(1025) + '-----BEGIN ')).toBe(false);
    expect(a(' '.repeat(1024) + '-----BEGI')).toBeUndefined();
    expect(a(' '.repeat(1025))).toBe(false);
    expect(() => isArmoredSealed('-----BEGIN ' as unknown as Uint8Array)).toThrow(expect.objectContaining({ code: 'ERR_INVALID_ARGUMENT' }));
  });
});
