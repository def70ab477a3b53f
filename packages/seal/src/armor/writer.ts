/**
 * The streaming armor writer (spec/WIRE-FORMAT.md §3.1): the sealed message's
 * bytes in, `-----BEGIN <label>-----`, base64 lines of exactly 64 characters
 * (the last 1..64) and `-----END <label>-----` out, LF endings. It holds fewer
 * than 48 bytes (one line's worth) between calls.
 * @module
 */
import { ArmorError, HEADER_LENGTH } from '@hybridkem/core';
import type { Emit } from '../chunks.js';
import { encodeGroups, encodeTail } from './base64.js';
import { kindDescription, sealedLabelForKind, type SealedArmorLabel } from './labels.js';

/** Characters per line (RFC 7468 strict, age's armor). */
export const LINE_CHARACTERS = 64;
/** Bytes one full line encodes. */
const LINE_BYTES = 48;
const LF = 0x0a;

export class SealedArmorWriter {
  private readonly carry = new Uint8Array(LINE_BYTES);
  private carryLength = 0;
  private label: SealedArmorLabel | undefined;

  push(data: Uint8Array, emit: Emit): void {
    let off = 0;
    if (!this.label) {
      // The label comes from the kind byte: hold the first bytes until the header is complete.
      off = this.fillCarry(data, 0, HEADER_LENGTH);
      if (this.carryLength < HEADER_LENGTH) return;
    }
    const total = this.carryLength + data.length - off;
    const lines = Math.floor(total / LINE_BYTES);
    const begin = this.label ? undefined : this.start();
    if (lines === 0 && !begin) {
      this.fillCarry(data, off, LINE_BYTES);
      return;
    }
    const out = new Uint8Array((begin ? begin.length + 1 : 0) + lines * (LINE_CHARACTERS + 1));
    let at = 0;
    if (begin) {
      out.set(begin);
      at = begin.length;
      out[at++] = LF;
    }
    if (lines > 0) {
      // The carry's line first, completed from `data`, then whole lines straight from `data`.
      off = this.fillCarry(data, off, LINE_BYTES);
      at = encodeGroups(this.carry, 0, LINE_BYTES, out, at);
      out[at++] = LF;
      this.carryLength = 0;
      for (let i = 1; i < lines; i++, off += LINE_BYTES) {
        at = encodeGroups(data, off, LINE_BYTES, out, at);
        out[at++] = LF;
      }
    }
    this.fillCarry(data, off, LINE_BYTES);
    emit(out);
  }

  finish(emit: Emit): void {
    const begin = this.label ? undefined : this.start();
    const n = this.carryLength;
    const end = this.label!.end;
    const out = new Uint8Array((begin ? begin.length + 1 : 0) + (n ? Math.ceil(n / 3) * 4 + 1 : 0) + end.length + 1);
    let at = 0;
    if (begin) {
      out.set(begin);
      at = begin.length;
      out[at++] = LF;
    }
    if (n) {
      const whole = n - (n % 3);
      at = encodeGroups(this.carry, 0, whole, out, at);
      if (n % 3) at = encodeTail(this.carry, whole, (n % 3) as 1 | 2, out, at);
      out[at++] = LF;
    }
    out.set(end, at);
    out[at + end.length] = LF;
    this.carryLength = 0;
    emit(out);
  }

  /** Checks the header held in the carry and picks the label; returns the BEGIN line. */
  private start(): Uint8Array {
    if (this.carryLength < HEADER_LENGTH) {
      throw new ArmorError(
        this.carryLength === 0 ? 'nothing to armor: the sealed message is empty' : `the sealed message is ${this.carryLength} bytes, shorter than its ${HEADER_LENGTH}-byte header`,
      );
    }
    const kind = this.carry[1]!;
    const label = sealedLabelForKind(kind);
    if (!label) throw new ArmorError(`the object's kind byte is ${kindDescription(kind)}, not a sealed message's`);
    this.label = label;
    return label.begin;
  }

  /** Copies bytes of `data` from `off` into the carry until it holds `upTo`; returns the new offset. */
  private fillCarry(data: Uint8Array, off: number, upTo: number): number {
    const n = Math.min(upTo - this.carryLength, data.length - off);
    if (n > 0) {
      this.carry.set(data.subarray(off, off + n), this.carryLength);
      this.carryLength += n;
    }
    return off + Math.max(n, 0);
  }
}
