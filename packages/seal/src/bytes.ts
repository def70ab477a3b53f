/**
 * Byte helpers: argument checks with core's typed errors, and the
 * ArrayBuffer conversions hpke-js's interfaces need.
 * @module
 */
import { InvalidArgumentError, InvalidLengthError } from '@hybridkem/core';

/**
 * `value` as a Uint8Array of `length` bytes (any length when omitted).
 * @throws {InvalidArgumentError} when it is not a Uint8Array
 * @throws {InvalidLengthError} when its length is wrong
 */
export function expectBytes(field: string, value: unknown, length?: number): Uint8Array {
  if (!(value instanceof Uint8Array)) {
    throw new InvalidArgumentError(field, `expected a Uint8Array, got ${value === null ? 'null' : typeof value}`);
  }
  if (length !== undefined && value.length !== length) throw new InvalidLengthError(field, length, value.length);
  return value;
}

/** A view of hpke-js's `ArrayBufferLike | ArrayBufferView` input (no copy). */
export function asBytes(data: ArrayBufferLike | ArrayBufferView): Uint8Array {
  if (ArrayBuffer.isView(data)) return new Uint8Array(data.buffer, data.byteOffset, data.byteLength);
  return new Uint8Array(data);
}

/** A fresh ArrayBuffer holding a copy of `bytes`. */
export function toArrayBuffer(bytes: Uint8Array): ArrayBuffer {
  const out = new Uint8Array(bytes.length);
  out.set(bytes);
  return out.buffer;
}

/** Big-endian I2OSP(n, 2) (RFC 9180 §3). */
export function i2osp2(n: number): Uint8Array {
  return new Uint8Array([(n >>> 8) & 0xff, n & 0xff]);
}
