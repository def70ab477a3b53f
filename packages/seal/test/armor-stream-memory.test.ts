// Bounded memory of the streaming armor (spec/WIRE-FORMAT.md §3.1): 64 MiB
// generated piece by piece goes through armor → dearmor (WHATWG, then Node
// streams) and is hashed on both sides with node:crypto's SHA-256; the live
// growth of heapUsed + arrayBuffers (sampled after a forced GC, as
// test/memory.test.ts measures) stays under a fixed bound far below 64 MiB.
import { createHash } from 'node:crypto';
import { Readable, Writable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';
import { describe, expect, it } from 'vitest';
import { armorSealedNodeStream, armorSealedStream, dearmorSealedNodeStream, dearmorSealedStream } from '../src/index.js';
import { pattern } from './helpers.js';

const MiB = 1 << 20;
const TOTAL = 64 * MiB;
const PIECE = 1000 * 1000 + 7; // not a multiple of 3 or 48: lines straddle pieces
// Half the payload: holding it (64 MiB in, about 86 MiB armored) would exceed
// this many times over, while the streams' own buffers of a few 1 MB pieces
// fit: measured 5.5–10.7 MiB on Node 24 and about 18.4 MiB on Node 22, whose
// streams buffer more.
const LIMIT = 32 * MiB;

setFlagsFromString('--expose-gc');
const gc = runInNewContext('gc') as () => void;
const jsMemory = () => {
  const m = process.memoryUsage();
  return m.heapUsed + m.arrayBuffers;
};

function meter() {
  gc();
  const base = jsMemory();
  let calls = 0;
  const peak = { live: 0 };
  return {
    peak,
    sample() {
      if (calls++ % 8 === 0) {
        gc();
        peak.live = Math.max(peak.live, jsMemory() - base);
      }
    },
  };
}

/** A source of 64 MiB, a sealed-message-like header first, each piece varied and hashed as it is made. */
function makeSource(seed: number) {
  const block = pattern(PIECE, seed);
  block[0] = 0x01;
  block[1] = 0x04;
  const hash = createHash('sha256');
  let produced = 0;
  return {
    hash,
    next(): Uint8Array | undefined {
      if (produced >= TOTAL) return undefined;
      const n = Math.min(PIECE, TOTAL - produced);
      const piece = block.slice(0, n);
      if (produced > 0) piece[0] = produced & 0xff;
      hash.update(piece);
      produced += n;
      return piece;
    },
  };
}

describe('streaming armor: bounded memory', () => {
  it('64 MiB through armorSealedStream → dearmorSealedStream', async () => {
    const m = meter();
    const src = makeSource(5);
    const outHash = createHash('sha256');
    let received = 0;
    let armoredLength = 0;
    const count = new TransformStream<Uint8Array, Uint8Array>({
      transform(c, ctl) {
        armoredLength += c.length;
        ctl.enqueue(c);
      },
    });
    await new ReadableStream<Uint8Array>({
      pull(ctl) {
        const p = src.next();
        m.sample();
        if (p) ctl.enqueue(p);
        else ctl.close();
      },
    })
      .pipeThrough(armorSealedStream())
      .pipeThrough(count)
      .pipeThrough(dearmorSealedStream())
      .pipeTo(
        new WritableStream({
          write(c) {
            outHash.update(c);
            received += c.length;
            m.sample();
          },
        }),
      );
    expect(received).toBe(TOTAL);
    expect(outHash.digest('hex')).toBe(src.hash.digest('hex'));
    // 4/3 of the bytes in 64-character lines plus LFs, BEGIN and END lines (41 + 39)
    const b64 = Math.ceil(TOTAL / 3) * 4;
    expect(armoredLength).toBe(b64 + Math.ceil(b64 / 64) + 41 + 39);
    console.log(`streaming armor, WHATWG: 64 MiB; live growth ${(m.peak.live / MiB).toFixed(1)} MiB`);
    expect(m.peak.live).toBeLessThan(LIMIT);
  });

  it('64 MiB through armorSealedNodeStream → dearmorSealedNodeStream (stream.pipeline)', async () => {
    const m = meter();
    const src = makeSource(6);
    const outHash = createHash('sha256');
    let received = 0;
    await pipeline(
      new Readable({
        read() {
          m.sample();
          this.push(src.next() ?? null);
        },
      }),
      armorSealedNodeStream(),
      dearmorSealedNodeStream(),
      new Writable({
        write(c: Uint8Array, _e, cb) {
          outHash.update(c);
          received += c.length;
          m.sample();
          cb();
        },
      }),
    );
    expect(received).toBe(TOTAL);
    expect(outHash.digest('hex')).toBe(src.hash.digest('hex'));
    console.log(`streaming armor, Node: 64 MiB; live growth ${(m.peak.live / MiB).toFixed(1)} MiB`);
    expect(m.peak.live).toBeLessThan(LIMIT);
  });
});
