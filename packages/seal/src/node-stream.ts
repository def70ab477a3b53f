/**
 * Sealed messages as Node streams: `Transform`s for `stream.pipeline`, e.g.
 * `await pipeline(createReadStream(a), sealNodeStream(suite, pk), createWriteStream(b))`.
 * Same format and guarantees as stream.ts; Node's own backpressure keeps
 * memory bounded (one chunk in the transform plus the streams' buffers).
 * `node:stream` is looked up only when one of these is called
 * (`process.getBuiltinModule`, Node ≥ 22.3), so importing the package costs a
 * browser bundle nothing.
 * @module
 */
import type { Transform, TransformCallback } from 'node:stream';
import { InvalidArgumentError } from '@hybridkem/core';
import type { Emit, OpenChunker, SealChunker } from './chunks.js';
import { prepareOpen, prepareSeal } from './message.js';
import type { SealOptions } from './raw.js';
import type { HpkeSuite } from './suite.js';

function nodeStream(): typeof import('node:stream') {
  const get = (globalThis as { process?: { getBuiltinModule?: (id: string) => unknown } }).process?.getBuiltinModule;
  const mod = get?.('node:stream') as typeof import('node:stream') | undefined;
  if (!mod) throw new InvalidArgumentError('runtime', 'Node streams need Node.js (process.getBuiltinModule); use sealStream / openStream');
  return mod;
}

// Each side of the transform buffers up to four 64 KiB chunks (Node's
// default, 64 KiB, is less than one sealed chunk, so every chunk would stall
// the pipeline until the next stage drained it). Still a fixed bound.
const HIGH_WATER_MARK = 4 * (65536 + 16);

function chunkerTransform(getChunker: () => Promise<SealChunker | OpenChunker>): Transform {
  const { Transform } = nodeStream();
  let pending: Promise<SealChunker | OpenChunker> | undefined;
  // Once the chunker exists, each piece goes straight to it: no extra promise
  // hop per piece for looking it up again.
  let ready: SealChunker | OpenChunker | undefined;
  const run = (work: (c: SealChunker | OpenChunker) => Promise<void>, callback: TransformCallback) => {
    const done = () => callback();
    if (ready) {
      work(ready).then(done, callback);
      return;
    }
    (pending ??= getChunker())
      .then((c) => {
        ready = c;
        return work(c);
      })
      .then(done, callback);
  };
  return new Transform({
    writableHighWaterMark: HIGH_WATER_MARK,
    readableHighWaterMark: HIGH_WATER_MARK,
    transform(this: Transform, data: unknown, _encoding: BufferEncoding, callback: TransformCallback) {
      const emit: Emit = (b) => void this.push(b);
      run((c) => c.push(data as Uint8Array, emit), callback);
    },
    flush(this: Transform, callback: TransformCallback) {
      const emit: Emit = (b) => void this.push(b);
      run((c) => c.finish(emit), callback);
    },
  });
}

/**
 * A Node `Transform` that seals its input (Buffers / Uint8Arrays; no string
 * or object mode) to `recipientPublicKey`.
 * @throws {InvalidLengthError} / {InvalidArgumentError} at once, for bad arguments
 */
export function sealNodeStream(suite: HpkeSuite, recipientPublicKey: Uint8Array, options?: SealOptions): Transform {
  const make = prepareSeal(suite, recipientPublicKey, options);
  return chunkerTransform(make);
}

/**
 * A Node `Transform` that opens a sealed message with `recipientPrivateKey`;
 * it pushes a chunk's plaintext only after its tag verifies, and fails the
 * pipeline on the first error.
 * @throws {InvalidLengthError} / {InvalidArgumentError} at once, for bad arguments
 */
export function openNodeStream(suite: HpkeSuite, recipientPrivateKey: Uint8Array, options?: SealOptions): Transform {
  const chunker = prepareOpen(suite, recipientPrivateKey, options);
  return chunkerTransform(async () => chunker);
}
