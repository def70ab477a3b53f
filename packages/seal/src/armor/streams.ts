/**
 * The streaming armor (spec/WIRE-FORMAT.md §3.1) as WHATWG and Node streams,
 * bytes in and bytes out (the armored side is ASCII), e.g.
 * `sealStream(...).readable.pipeThrough(armorSealedStream())` or
 * `pipeline(input, dearmorSealedNodeStream(), openNodeStream(...), output)`.
 * `node:stream` is looked up only when a Node stream is made
 * (`process.getBuiltinModule`, as node-stream.ts does), so the package still
 * imports no `node:` module.
 * @module
 */
import type { Transform, TransformCallback } from 'node:stream';
import { InvalidArgumentError } from '@hybridkem/core';
import type { Emit } from '../chunks.js';
import { SealedArmorReader } from './reader.js';
import { SealedArmorWriter } from './writer.js';

interface Coder {
  push(data: Uint8Array, emit: Emit): void;
  finish(emit: Emit): void;
}

function expectBytes(data: unknown): Uint8Array {
  if (!(data instanceof Uint8Array)) {
    throw new InvalidArgumentError('chunk', `expected a Uint8Array, got ${data === null ? 'null' : typeof data}`);
  }
  return data;
}

function whatwg(coder: Coder): TransformStream<Uint8Array, Uint8Array> {
  return new TransformStream<Uint8Array, Uint8Array>({
    transform(chunk, controller) {
      coder.push(expectBytes(chunk), (b) => controller.enqueue(b));
    },
    flush(controller) {
      coder.finish((b) => controller.enqueue(b));
    },
  });
}

function nodeStream(): typeof import('node:stream') {
  const get = (globalThis as { process?: { getBuiltinModule?: (id: string) => unknown } }).process?.getBuiltinModule;
  const mod = get?.('node:stream') as typeof import('node:stream') | undefined;
  if (!mod) throw new InvalidArgumentError('runtime', 'Node streams need Node.js (process.getBuiltinModule); use armorSealedStream / dearmorSealedStream');
  return mod;
}

function node(coder: Coder): Transform {
  const { Transform } = nodeStream();
  const transform: Transform = new Transform({
    transform(data: unknown, _encoding: BufferEncoding, callback: TransformCallback) {
      try {
        coder.push(expectBytes(data), emit);
      } catch (e) {
        return callback(e as Error);
      }
      callback();
    },
    flush(callback: TransformCallback) {
      try {
        coder.finish(emit);
      } catch (e) {
        return callback(e as Error);
      }
      callback();
    },
  });
  const emit: Emit = (bytes) => void transform.push(bytes);
  return transform;
}

/** A stream that armors a sealed message (kind 0x04, or another sealed kind under its own label). */
export function armorSealedStream(): TransformStream<Uint8Array, Uint8Array> {
  return whatwg(new SealedArmorWriter());
}

/**
 * A stream that reads the streaming armor back into the sealed message's
 * bytes, refusing anything §3.1 does not allow with ArmorError (ERR_ARMOR).
 * Its output is unauthenticated: pipe it into `openStream`, and treat the
 * result as complete only when both streams close without error.
 */
export function dearmorSealedStream(): TransformStream<Uint8Array, Uint8Array> {
  return whatwg(new SealedArmorReader());
}

/** {@link armorSealedStream} as a Node `Transform`. */
export function armorSealedNodeStream(): Transform {
  return node(new SealedArmorWriter());
}

/** {@link dearmorSealedStream} as a Node `Transform`. */
export function dearmorSealedNodeStream(): Transform {
  return node(new SealedArmorReader());
}
