/**
 * The streaming armor reader (spec/WIRE-FORMAT.md §3.1): armored ASCII bytes
 * in, the sealed message's bytes out, line by line. It never holds more than
 * one line (64 characters and a CR) of input, refuses an over-long line as
 * soon as it passes that bound, and passes each line's bytes on once the line
 * is checked (and, for the first, once the kind byte matches the label).
 * Every refusal is an ArmorError naming the line, never quoting input.
 * The bytes it passes on are still unauthenticated ciphertext: the
 * sealed-message reader (§7.4) that consumes them authenticates every chunk.
 * @module
 */
import { ARMOR_LABELS, ArmorError } from '@hybridkem/core';
import type { Emit } from '../chunks.js';
import { decodeLine, type LineFault } from './base64.js';
import { kindDescription, SEALED_ARMOR_LABELS, type SealedArmorLabel } from './labels.js';
import { LINE_CHARACTERS } from './writer.js';

/** Whitespace allowed before BEGIN (spec §3.1 rule 1); it bounds what a detector must look at. */
export const MAX_LEADING_WHITESPACE = 1024;
const LF = 0x0a;
const CR = 0x0d;
const DASH = 0x2d;
/** One line's content and its CR: the most the reader ever holds (rule 3). */
const MAX_HELD = LINE_CHARACTERS + 1;

export const isArmorWhitespace = (b: number) => b === 0x20 || b === 0x09 || b === LF || b === CR;

const enum State {
  Leading,
  Begin,
  Body,
  AfterEnd,
}

export class SealedArmorReader {
  private state = State.Leading;
  private readonly line = new Uint8Array(MAX_HELD);
  private held = 0;
  /** 1-based number of the line being read. */
  private lineNumber = 1;
  private leadingWhitespace = 0;
  private crlf = false;
  private label: SealedArmorLabel | undefined;
  /** Length of the previous base64 line (0 before the first). */
  private previousLength = 0;
  private previousPadded = false;
  private decodedTotal = 0;
  private kindChecked = false;
  /** Decoded bytes kept back until the kind byte can be checked (at most one byte). */
  private withheld: Uint8Array | undefined;
  private failure: ArmorError | undefined;

  push(data: Uint8Array, emit: Emit): void {
    this.guard(() => {
      // Decoded output of this piece: at most 3 bytes per 4 characters of held + new input.
      const out = new Uint8Array(Math.floor((this.held + data.length) / 4) * 3);
      let at = 0;
      let i = 0;
      const n = data.length;
      while (i < n) {
        if (this.state === State.Leading) {
          i = this.skipLeading(data, i);
        } else if (this.state === State.AfterEnd) {
          for (; i < n; i++) {
            const b = data[i]!;
            if (!isArmorWhitespace(b)) throw this.error('text after the END line (only whitespace may follow it)');
            if (b === LF) this.lineNumber++;
          }
        } else {
          const lf = data.indexOf(LF, i);
          const stop = lf < 0 ? n : lf;
          if (this.held + stop - i > MAX_HELD) throw this.overLong();
          this.line.set(data.subarray(i, stop), this.held);
          this.held += stop - i;
          if (lf < 0) break;
          at += this.completeLine(true, out, at);
          i = lf + 1;
        }
      }
      this.release(out, at, emit);
    });
  }

  finish(emit: Emit): void {
    this.guard(() => {
      if (this.state === State.Leading) throw this.error('no BEGIN line: the input is empty or only whitespace');
      if (this.state === State.Body || this.state === State.Begin) {
        // A last line without its line ending: only the END line may end the input so.
        if (this.state === State.Begin) throw this.error('the input ends inside the BEGIN line');
        if (this.held === 0 || this.line[0] !== DASH) throw this.error('no END line: the input ends before it');
        this.completeLine(false, new Uint8Array(0), 0);
      }
      this.release(new Uint8Array(0), 0, emit);
    });
  }

  /** Once failed, every later call fails with the same error. */
  private guard(body: () => void): void {
    if (this.failure) throw this.failure;
    try {
      body();
    } catch (e) {
      if (e instanceof ArmorError) this.failure = e;
      throw e;
    }
  }

  private release(out: Uint8Array, at: number, emit: Emit): void {
    let bytes = out.subarray(0, at);
    if (this.withheld) {
      const joined = new Uint8Array(this.withheld.length + bytes.length);
      joined.set(this.withheld);
      joined.set(bytes, this.withheld.length);
      bytes = joined;
      this.withheld = undefined;
    }
    if (bytes.length === 0) return;
    if (!this.kindChecked && this.state !== State.AfterEnd) {
      // Fewer than two bytes so far: nothing leaves before the kind byte is checked (rule 9).
      this.withheld = bytes.slice();
      return;
    }
    emit(bytes);
  }

  private skipLeading(data: Uint8Array, i: number): number {
    for (; i < data.length; i++) {
      const b = data[i]!;
      if (b === DASH) {
        this.state = State.Begin;
        return i;
      }
      if (!isArmorWhitespace(b)) throw this.error('expected the BEGIN line; only whitespace may come before it');
      if (++this.leadingWhitespace > MAX_LEADING_WHITESPACE) {
        throw this.error(`more than ${MAX_LEADING_WHITESPACE} bytes of whitespace before the BEGIN line`);
      }
      if (b === LF) this.lineNumber++;
    }
    return i;
  }

  /**
   * Checks the held line (ended by LF when `terminated`, else by the end of
   * the input) and decodes it into `out` at `at`; returns the bytes decoded.
   */
  private completeLine(terminated: boolean, out: Uint8Array, at: number): number {
    let len = this.held;
    if (!terminated && this.crlf && len > 0 && this.line[len - 1] === CR) {
      len--; // the END line's CRLF cut after the CR by the end of the input
    } else if (terminated) {
      const hasCr = len > 0 && this.line[len - 1] === CR;
      if (this.state === State.Begin) this.crlf = hasCr;
      else if (hasCr !== this.crlf) {
        throw this.error(hasCr ? 'the line ends with CRLF but the BEGIN line with LF' : 'the line ends with LF but the BEGIN line with CRLF');
      }
      if (hasCr) len--;
    }
    if (len > LINE_CHARACTERS) throw this.overLong();
    let decoded = 0;
    if (this.state === State.Begin) this.beginLine(len);
    else if (len > 0 && this.line[0] === DASH) this.endLine(len);
    else decoded = this.base64Line(len, out, at);
    this.held = 0;
    if (terminated) this.lineNumber++;
    return decoded;
  }

  private beginLine(len: number): void {
    const found = SEALED_ARMOR_LABELS.find((l) => this.lineIs(l.begin, len));
    if (!found) {
      const other = Object.values(ARMOR_LABELS).find((label) => this.lineIs(ascii(`-----BEGIN ${label}-----`), len));
      const expected = SEALED_ARMOR_LABELS.map((l) => `"-----BEGIN ${l.label}-----"`).join(' or ');
      throw this.error(other ? `the label is ${other}, not a sealed message's (expected ${expected})` : `the BEGIN line is not ${expected}`);
    }
    this.label = found;
    this.state = State.Body;
  }

  private endLine(len: number): void {
    if (!this.lineIs(this.label!.end, len)) throw this.error(`expected the END line "-----END ${this.label!.label}-----"`);
    if (this.previousLength === 0) throw this.error('no base64 between the BEGIN and END lines');
    this.state = State.AfterEnd;
  }

  private base64Line(len: number, out: Uint8Array, at: number): number {
    if (len === 0) throw this.error('empty line');
    if (this.previousPadded) throw this.error(`line ${this.lineNumber - 1} ends with padding "=" but is not the last line`);
    if (this.previousLength !== 0 && this.previousLength !== LINE_CHARACTERS) {
      throw this.error(
        `line ${this.lineNumber - 1} has ${this.previousLength} characters; every line but the last must have exactly ${LINE_CHARACTERS}`,
      );
    }
    // A short line may only be the last one, checked when the next line arrives; a line
    // whose length is not a multiple of 4 is wrong either way (short, or unpadded).
    if (len % 4 !== 0) throw this.error(`${len} characters, not a multiple of 4 (base64 must be padded)`);
    const result = decodeLine(this.line, len, out, at);
    if (typeof result !== 'number') throw this.lineFault(result);
    this.previousLength = len;
    this.previousPadded = this.line[len - 1] === 0x3d;
    this.decodedTotal += result;
    if (!this.kindChecked && this.decodedTotal >= 2) {
      // The first line decodes to 1..48 bytes, so byte 1 is either in it or (a 1-byte message) nowhere.
      const kind = out[at + 1]!;
      if (kind !== this.label!.kind) {
        throw this.error(`the label says ${this.label!.label} (kind ${kindDescription(this.label!.kind)}) but the kind byte inside is ${kindDescription(kind)}`);
      }
      this.kindChecked = true;
    }
    return result;
  }

  private lineIs(expected: Uint8Array, len: number): boolean {
    if (len !== expected.length) return false;
    for (let i = 0; i < len; i++) if (this.line[i] !== expected[i]) return false;
    return true;
  }

  private lineFault(f: LineFault): ArmorError {
    switch (f.fault) {
      case 'character':
        return this.error(`column ${f.column}: not a base64 character`);
      case 'padding':
        return this.error('padding "=" is allowed only at the end of the last line');
      case 'bits':
        return this.error('non-canonical base64: the bits left over before the padding are not zero');
      case 'length':
        return this.error('not a multiple of 4 characters');
    }
  }

  private overLong(): ArmorError {
    return this.error(`longer than ${LINE_CHARACTERS} characters`);
  }

  private error(reason: string): ArmorError {
    return new ArmorError(`line ${this.lineNumber}: ${reason}`);
  }
}

const ascii = (s: string) => Uint8Array.from(s, (c) => c.charCodeAt(0));
