// Bounded memory: 64 MiB streamed through seal → open (WHATWG and Node
// streams), input generated on the fly and output hashed and dropped on the
// fly. Measures heapUsed + arrayBuffers above the baseline (less noisy than
// rss on a shared machine) after a forced GC at each sample: the memory the
// pipeline really holds, independent of when V8 chooses to collect. The
// uncollected peak and rss are reported too.
import { Readable, Writable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';
import { createKem } from '@hybridkem/core';
import { backend } from '@hybridkem/noble';
import { sha256 } from '@noble/hashes/sha2.js';
import { describe, expect, it } from 'vitest';
import { createHpkeSuite, openNodeStream, openStream, sealNodeStream, sealStream } from '../src/index.js';
import { pattern } from './helpers.js';

const MiB = 1 << 20;
const TOTAL = 64 * MiB;
const PIECE = 1000 * 1000 + 7; // uneven pieces, not aligned with 64 KiB chunks
/** Live memory bound asserted: a few chunks and pieces in flight, far below the 64 MiB payload. */
const LIMIT = 16 * MiB;

setFlagsFromString('--expose-gc');
const gc = runInNewContext('gc') as () => void;
const jsMemory = () => {
  const m = process.memoryUsage();
  return m.heapUsed + m.arrayBuffers;
};

/** Samples memory growth over a baseline: raw (as is) and live (after a forced GC, every `every`-th call). */
function meter(every: number) {
  gc();
  const base = jsMemory();
  const baseRss = process.memoryUsage().rss;
  let calls = 0;
  const peak = { raw: 0, live: 0, rss: 0 };
  return {
    peak,
    sample() {
      peak.raw = Math.max(peak.raw, jsMemory() - base);
      peak.rss = Math.max(peak.rss, process.memoryUsage().rss - baseRss);
      if (calls++ % every === 0) {
        gc();
        peak.live = Math.max(peak.live, jsMemory() - base);
      }
    },
    report(name: string) {
      const f = (n: number) => (n / MiB).toFixed(1);
      console.log(`bounded memory, ${name}: 64 MiB; growth after GC ${f(peak.live)} MiB, without forced GC ${f(peak.raw)} MiB, rss ${f(peak.rss)} MiB`);
    },
  };
}

describe('bounded memory', () => {
  it('streams 64 MiB through seal → open with bounded memory', async () => {
    const suite = createHpkeSuite({ kem: 'X-Wing', kdf: 'HKDF-SHA256', aead: 'AES-256-GCM', backend });
    const { publicKey, privateKey } = createKem('X-Wing', backend).keygen();
    const block = pattern(PIECE, 42);
    const m = meter(8);
    const sample = m.sample;

    let produced = 0;
    const inHash = sha256.create();
    const source = new ReadableStream<Uint8Array>({
      pull(controller) {
        if (produced >= TOTAL) return controller.close();
        const n = Math.min(PIECE, TOTAL - produced);
        const piece = block.slice(0, n);
        piece[0] = produced & 0xff; // vary the content a little
        inHash.update(piece);
        produced += n;
        sample();
        controller.enqueue(piece);
      },
    });
    const outHash = sha256.create();
    let received = 0;
    await source
      .pipeThrough(sealStream(suite, publicKey))
      .pipeThrough(openStream(suite, privateKey))
      .pipeTo(
        new WritableStream({
          write(chunk) {
            outHash.update(chunk);
            received += chunk.length;
            sample();
          },
        }),
      );
    expect(received).toBe(TOTAL);
    expect(outHash.digest()).toEqual(inHash.digest());
    m.report('WHATWG streams, AES-256-GCM');
    expect(m.peak.live).toBeLessThan(LIMIT);
  });

  it('streams 64 MiB through sealNodeStream → openNodeStream (stream.pipeline) with bounded memory', async () => {
    const suite = createHpkeSuite({ kem: 'X-Wing', kdf: 'HKDF-SHA256', aead: 'ChaCha20-Poly1305', backend });
    const { publicKey, privateKey } = createKem('X-Wing', backend).keygen();
    const block = pattern(PIECE, 43);
    const m = meter(8);
    let produced = 0;
    let received = 0;
    const inHash = sha256.create();
    const outHash = sha256.create();
    await pipeline(
      new Readable({
        read() {
          if (produced >= TOTAL) return void this.push(null);
          const n = Math.min(PIECE, TOTAL - produced);
          const piece = block.slice(0, n);
          piece[1] = produced & 0xff;
          inHash.update(piece);
          produced += n;
          m.sample();
          this.push(piece);
        },
      }),
      sealNodeStream(suite, publicKey),
      openNodeStream(suite, privateKey),
      new Writable({
        write(chunk: Uint8Array, _e, cb) {
          outHash.update(chunk);
          received += chunk.length;
          m.sample();
          cb();
        },
      }),
    );
    expect(received).toBe(TOTAL);
    expect(outHash.digest()).toEqual(inHash.digest());
    m.report('Node streams, ChaCha20-Poly1305');
    expect(m.peak.live).toBeLessThan(LIMIT);
  });
});
