/**
 * Bounds-checked big-endian reading and writing for the mesh's wire objects
 * (spec/MESH.md §2, §3). Every read names its field and checks the input's
 * length first, so a short input is ERR_TRUNCATED before anything is
 * allocated from a length it declares.
 * @internal
 * @module
 */
import {
  InvalidArgumentError,
  KIND_NAMES,
  TruncatedError,
  UnknownKindError,
  UnsupportedVersionError,
  WIRE_VERSION,
  WrongKindError,
} from '@hybridkem/core';

/** 2^53 − 1: the largest u64 the mesh accepts (a JavaScript safe integer). */
export const MAX_U64 = Number.MAX_SAFE_INTEGER;

export class Reader {
  off = 0;
  constructor(
    readonly bytes: Uint8Array,
    readonly object: string,
  ) {}

  need(size: number, field: string): void {
    if (this.bytes.length - this.off < size) throw new TruncatedError(`${this.object} ${field}`, this.off + size, this.bytes.length);
  }

  u8(field: string): number {
    this.need(1, field);
    return this.bytes[this.off++]!;
  }

  u16(field: string): number {
    this.need(2, field);
    const v = (this.bytes[this.off]! << 8) | this.bytes[this.off + 1]!;
    this.off += 2;
    return v;
  }

  u32(field: string): number {
    this.need(4, field);
    const b = this.bytes;
    const v = b[this.off]! * 0x1000000 + ((b[this.off + 1]! << 16) | (b[this.off + 2]! << 8) | b[this.off + 3]!);
    this.off += 4;
    return v;
  }

  /** A u64 that must be at most 2^53 − 1 (checked on the high word, before any arithmetic could lose bits). */
  u64(field: string): number {
    this.need(8, field);
    const hi = this.u32(field);
    const lo = this.u32(field);
    if (hi > 0x1fffff) throw new InvalidArgumentError(field, 'exceeds 2^53 − 1');
    return hi * 0x100000000 + lo;
  }

  /** A view (not a copy) of the next `size` bytes; `size` has been bounded by the caller. */
  take(size: number, field: string): Uint8Array {
    this.need(size, field);
    const v = this.bytes.subarray(this.off, this.off + size);
    this.off += size;
    return v;
  }

  /** Byte 0 (version) and byte 1 (kind), with core's errors: a kind core's table names is the wrong kind, any other unknown. */
  header(kind: number, kindName: string): void {
    if (this.u8('version') !== WIRE_VERSION) throw new UnsupportedVersionError(WIRE_VERSION, this.bytes[0]!);
    const k = this.u8('kind');
    if (k !== kind) {
      const name = KIND_NAMES[k];
      if (name === undefined) throw new UnknownKindError(k);
      throw new WrongKindError(kindName, name);
    }
  }
}

export class Writer {
  readonly bytes: Uint8Array;
  off = 0;
  constructor(size: number) {
    this.bytes = new Uint8Array(size);
  }
  u8(v: number): void {
    this.bytes[this.off++] = v;
  }
  u16(v: number): void {
    this.bytes[this.off++] = v >>> 8;
    this.bytes[this.off++] = v & 0xff;
  }
  u32(v: number): void {
    this.bytes[this.off++] = (v >>> 24) & 0xff;
    this.bytes[this.off++] = (v >>> 16) & 0xff;
    this.bytes[this.off++] = (v >>> 8) & 0xff;
    this.bytes[this.off++] = v & 0xff;
  }
  u64(v: number): void {
    this.u32(Math.floor(v / 0x100000000));
    this.u32(v >>> 0);
  }
  put(b: Uint8Array): void {
    this.bytes.set(b, this.off);
    this.off += b.length;
  }
}

export function ascii(s: string): Uint8Array {
  const out = new Uint8Array(s.length);
  for (let i = 0; i < s.length; i++) out[i] = s.charCodeAt(i);
  return out;
}

export function fromAscii(b: Uint8Array): string {
  return String.fromCharCode(...b);
}

/** A u64 field value given to an encoder: a safe integer in [min, 2^53 − 1]. */
export function checkU64(field: string, v: unknown, min: number): number {
  if (typeof v !== 'number' || !Number.isSafeInteger(v) || v < min) {
    throw new InvalidArgumentError(field, `expected an integer from ${min} to 2^53 − 1, got ${typeof v === 'number' ? v : typeof v}`);
  }
  return v;
}

export function checkBytes(field: string, v: unknown): Uint8Array {
  if (!(v instanceof Uint8Array)) throw new InvalidArgumentError(field, 'expected a Uint8Array');
  return v;
}
