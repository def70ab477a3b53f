// Test helpers for sealed messages: an independent builder of the §7 format
// straight from the spec (so tests can make malicious messages with chosen
// flags, headers and chunk splits), stream drivers and error assertions.
import { encodePublicKey, HybridKemError, type ErrorCode } from '@hybridkem/core';
import { sha256 } from '@noble/hashes/sha2.js';
import { concatBytes, utf8ToBytes } from '@noble/hashes/utils.js';
import { expect, vi } from 'vitest';
import type { HpkeSuite } from '../src/index.js';

export const utf8 = (s: string) => new TextEncoder().encode(s);
export const HEADER = 26;
export const ENC = 1120;
export const TAG = 16;

export async function rejects(p: Promise<unknown>, code: string): Promise<HybridKemError> {
  let caught: unknown;
  try {
    await p;
  } catch (e) {
    caught = e;
  }
  expect(caught, `expected ${code}`).toBeInstanceOf(HybridKemError);
  expect((caught as HybridKemError).code, (caught as Error).message).toBe(code as ErrorCode);
  return caught as HybridKemError;
}

export function flip(bytes: Uint8Array, index: number, mask = 0x01): Uint8Array {
  const out = bytes.slice();
  out[index] = out[index]! ^ mask;
  return out;
}

/** Deterministic pseudo-random bytes (xorshift32), so failures are reproducible. */
export function pattern(length: number, seed = 1): Uint8Array {
  const out = new Uint8Array(length);
  let x = seed >>> 0 || 1;
  for (let i = 0; i < length; i++) {
    x ^= x << 13;
    x ^= x >>> 17;
    x ^= x << 5;
    out[i] = x & 0xff;
  }
  return out;
}

/** Spec §4 key id of a raw X-Wing public key. */
export function keyIdOf(rawPublicKey: Uint8Array): Uint8Array {
  return sha256(encodePublicKey('X-Wing', rawPublicKey)).subarray(0, 16);
}

export interface HeaderFields {
  version?: number;
  kind?: number;
  kemId?: number;
  kdfId?: number;
  aeadId?: number;
  keyId?: Uint8Array;
  exponent?: number;
  reserved?: number;
}

export function header(suite: HpkeSuite, pk: Uint8Array, f: HeaderFields = {}): Uint8Array {
  const kem = f.kemId ?? 0x647a;
  const kdf = f.kdfId ?? suite.ids.kdf;
  const aead = f.aeadId ?? suite.ids.aead;
  return concatBytes(
    new Uint8Array([f.version ?? 1, f.kind ?? 4, kem >> 8, kem & 0xff, kdf >> 8, kdf & 0xff, aead >> 8, aead & 0xff]),
    f.keyId ?? keyIdOf(pk),
    new Uint8Array([f.exponent ?? 16, f.reserved ?? 0]),
  );
}

/** info = "hybridkem/v1/sealed" ‖ 0x00 ‖ HEADER ‖ I2OSP(len(info), 4) ‖ info (spec §7). */
export function sealedInfo(hdr: Uint8Array, info: Uint8Array): Uint8Array {
  const n = info.length;
  return concatBytes(utf8ToBytes('hybridkem/v1/sealed'), new Uint8Array([0]), hdr, new Uint8Array([n >>> 24, (n >>> 16) & 0xff, (n >>> 8) & 0xff, n & 0xff]), info);
}

/**
 * Builds a sealed message by hand with hpke-js's sender context: the given
 * plaintext chunks, each with the given flag, in order (sequence numbers
 * 0, 1, …). `wireHeader` (default: the one bound in info) is what is written.
 */
export async function build(
  suite: HpkeSuite,
  pk: Uint8Array,
  chunks: { pt: Uint8Array; flag: number }[],
  opts: { info?: Uint8Array; aad?: Uint8Array; header?: HeaderFields; wireHeader?: Uint8Array } = {},
): Promise<Uint8Array> {
  const hdr = header(suite, pk, opts.header);
  const ctx = await suite.cipherSuite.createSenderContext({
    recipientPublicKey: await suite.hpkeKem.deserializePublicKey(pk),
    info: sealedInfo(hdr, opts.info ?? new Uint8Array(0)),
  });
  const parts = [opts.wireHeader ?? hdr, new Uint8Array(ctx.enc)];
  for (const c of chunks) {
    parts.push(new Uint8Array(await ctx.seal(c.pt, concatBytes(new Uint8Array([c.flag]), opts.aad ?? new Uint8Array(0)))));
  }
  return concatBytes(...parts);
}

/** Splits a plaintext the way the spec says (2^e-byte chunks, last 1..2^e, or one empty chunk), flags set correctly. */
export function canonicalChunks(pt: Uint8Array, exponent = 16): { pt: Uint8Array; flag: number }[] {
  const size = 2 ** exponent;
  const out: { pt: Uint8Array; flag: number }[] = [];
  let off = 0;
  do {
    const end = Math.min(off + size, pt.length);
    out.push({ pt: pt.subarray(off, end), flag: end === pt.length ? 1 : 0 });
    off = end;
  } while (off < pt.length);
  return out;
}

/** Cuts `input` into uneven pieces (cycling through `sizes`). */
export function pieces(input: Uint8Array, sizes = [1, 7, 4093, 65535, 65537, 3, 200_000]): Uint8Array[] {
  const out: Uint8Array[] = [];
  let off = 0;
  for (let i = 0; off < input.length; i++) {
    const n = Math.min(sizes[i % sizes.length]!, input.length - off);
    out.push(input.slice(off, off + n));
    off += n;
  }
  return out;
}

/**
 * Writes `inputs` into a TransformStream and collects what it emits. Returns
 * the output so far and the error, if the stream errored.
 */
export async function drive(ts: TransformStream<Uint8Array, Uint8Array>, inputs: Uint8Array[]): Promise<{ out: Uint8Array; error: unknown }> {
  const got: Uint8Array[] = [];
  const reading = (async () => {
    const reader = ts.readable.getReader();
    for (;;) {
      const { done, value } = await reader.read();
      if (done) return;
      got.push(value);
    }
  })();
  const writing = (async () => {
    const writer = ts.writable.getWriter();
    for (const p of inputs) await writer.write(p);
    await writer.close();
  })();
  const [r, w] = await Promise.allSettled([reading, writing]);
  const error = r.status === 'rejected' ? r.reason : w.status === 'rejected' ? w.reason : undefined;
  return { out: concatBytes(...got), error };
}

/** `drive` that throws the stream's error. */
export async function through(ts: TransformStream<Uint8Array, Uint8Array>, inputs: Uint8Array[]): Promise<Uint8Array> {
  const { out, error } = await drive(ts, inputs);
  if (error !== undefined) throw error;
  return out;
}

/** Offsets of chunk i's body start in a sealed message with 64 KiB chunks. */
export function chunkStart(i: number, exponent = 16): number {
  return HEADER + ENC + i * (2 ** exponent + TAG);
}

/**
 * Runs `fn` with crypto.getRandomValues replaced by a fixed byte stream, so
 * two seals draw the same randomness (encapsulations, file key, salt) and so
 * the same key schedule.
 */
export async function withFixedRandomness<T>(seed: number, fn: () => Promise<T>): Promise<T> {
  let counter = seed;
  const spy = vi.spyOn(globalThis.crypto, 'getRandomValues').mockImplementation(<A extends ArrayBufferView | null>(array: A): A => {
    const bytes = new Uint8Array(array!.buffer, array!.byteOffset, array!.byteLength);
    bytes.set(pattern(bytes.length, ++counter));
    return array;
  });
  try {
    return await fn();
  } finally {
    spy.mockRestore();
  }
}
