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
import type { Emit, OpenChunker, Pending, SealChunker } from './chunks.js';
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

const FINISH = Symbol('finish');

/** What a transform drives: a sealer or opener with `push` / `finish` (chunks.ts, multi/). */
export type Chunker = Pick<SealChunker | OpenChunker, 'push' | 'finish'>;

/**
 * A Node `Transform` over the chunker `getChunker` makes (asked for on the
 * first piece or at the end).
 * @internal
 */
export function chunkerTransform(getChunker: () => Promise<Chunker>): Transform {
  const { Transform } = nodeStream();
  let pending: Promise<Chunker> | undefined;
  // Once the chunker exists, each piece goes straight to it, and the callback
  // runs synchronously when the chunker finished synchronously (node:crypto's
  // AEAD): no promise hop and no allocation of ours per piece.
  let ready: Chunker | undefined;
  // `data` is a piece to push, or FINISH at the end of the input.
  const run = (data: Uint8Array | typeof FINISH, callback: TransformCallback) => {
    if (!ready) {
      (pending ??= getChunker()).then((c) => {
        ready = c;
        run(data, callback);
      }, callback);
      return;
    }
    let result: Pending;
    try {
      result = data === FINISH ? ready.finish(emit) : ready.push(data, emit);
    } catch (e) {
      callback(e as Error);
      return;
    }
    if (result) result.then(() => callback(), callback);
    else callback();
  };
  const transform = new Transform({
    writableHighWaterMark: HIGH_WATER_MARK,
    readableHighWaterMark: HIGH_WATER_MARK,
    transform(data: unknown, _encoding: BufferEncoding, callback: TransformCallback) {
      // Anything but a Uint8Array (a string, an object) gets the chunker's typed error.
      run(data as Uint8Array, callback);
    },
    flush(callback: TransformCallback) {
      run(FINISH, callback);
    },
  });
  const emit: Emit = (bytes) => void transform.push(bytes);
  return transform;
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
