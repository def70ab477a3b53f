/**
 * Base64 (RFC 4648 §4, standard alphabet, "=" padding) over ASCII bytes, one
 * armor line at a time, for the streaming armor (spec/WIRE-FORMAT.md §3.1).
 * Written here rather than taken from a library because the reader must
 * decode a line straight into a shared output buffer and report which rule a
 * line broke (padding, canonical bits) by line number, which no codec in the
 * dependency tree offers; it is encoding, not cryptography.
 * @module
 */

const ALPHABET = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/';
const ENCODE = /* @__PURE__ */ Uint8Array.from(ALPHABET, (c) => c.charCodeAt(0));
/** Character code → 6-bit value; -1 for anything outside the alphabet (including "="). */
const DECODE = /* @__PURE__ */ (() => {
  const t = new Int8Array(256).fill(-1);
  for (let i = 0; i < 64; i++) t[ALPHABET.charCodeAt(i)] = i;
  return t;
})();
export const PAD = 0x3d; // "="

/** Encodes `n` bytes of `src` from `off` (n a multiple of 3) into `dst` at `at`; returns the new `at`. */
export function encodeGroups(src: Uint8Array, off: number, n: number, dst: Uint8Array, at: number): number {
  for (let i = off, end = off + n; i < end; i += 3) {
    const v = (src[i]! << 16) | (src[i + 1]! << 8) | src[i + 2]!;
    dst[at++] = ENCODE[v >>> 18]!;
    dst[at++] = ENCODE[(v >>> 12) & 63]!;
    dst[at++] = ENCODE[(v >>> 6) & 63]!;
    dst[at++] = ENCODE[v & 63]!;
  }
  return at;
}

/** Encodes the last 1 or 2 bytes with padding (4 characters); returns the new `at`. */
export function encodeTail(src: Uint8Array, off: number, n: 1 | 2, dst: Uint8Array, at: number): number {
  const v = (src[off]! << 16) | (n === 2 ? src[off + 1]! << 8 : 0);
  dst[at++] = ENCODE[v >>> 18]!;
  dst[at++] = ENCODE[(v >>> 12) & 63]!;
  dst[at++] = n === 2 ? ENCODE[(v >>> 6) & 63]! : PAD;
  dst[at++] = PAD;
  return at;
}

/** Why a line does not decode; `column` is 1-based. */
export type LineFault =
  | { readonly fault: 'character'; readonly column: number }
  | { readonly fault: 'length' }
  | { readonly fault: 'padding' }
  | { readonly fault: 'bits' };

/**
 * Decodes `len` characters of `line` (len a positive multiple of 4 is
 * required) into `dst` at `at`. Padding is allowed only as the last one or
 * two characters (RFC 4648 §3.2), and the bits it leaves unused must be zero
 * (canonical encoding, RFC 4648 §3.5). Returns the number of bytes written,
 * or the fault.
 */
export function decodeLine(line: Uint8Array, len: number, dst: Uint8Array, at: number): number | LineFault {
  if (len % 4 !== 0) return { fault: 'length' };
  let pad = 0;
  if (line[len - 1] === PAD) pad = line[len - 2] === PAD ? 2 : 1;
  const full = len - (pad ? 4 : 0);
  const start = at;
  for (let i = 0; i < full; i += 4) {
    const a = DECODE[line[i]!]!;
    const b = DECODE[line[i + 1]!]!;
    const c = DECODE[line[i + 2]!]!;
    const d = DECODE[line[i + 3]!]!;
    if ((a | b | c | d) < 0) return badCharacter(line, i, i + 4);
    const v = (a << 18) | (b << 12) | (c << 6) | d;
    dst[at++] = v >>> 16;
    dst[at++] = (v >>> 8) & 0xff;
    dst[at++] = v & 0xff;
  }
  if (pad) {
    // The last group: "xx==" gives one byte, "xxx=" two.
    const a = DECODE[line[full]!]!;
    const b = DECODE[line[full + 1]!]!;
    const c = pad === 1 ? DECODE[line[full + 2]!]! : 0;
    // A "=" before the final padding run is misplaced padding (badCharacter says so).
    if ((a | b | c) < 0) return badCharacter(line, full, full + 4 - pad);
    if (pad === 2 ? (b & 0x0f) !== 0 : (c & 0x03) !== 0) return { fault: 'bits' };
    dst[at++] = (a << 2) | (b >>> 4);
    if (pad === 1) dst[at++] = ((b & 0x0f) << 4) | (c >>> 2);
  }
  return at - start;
}

function badCharacter(line: Uint8Array, from: number, to: number): LineFault {
  for (let i = from; i < to; i++) {
    if (DECODE[line[i]!]! < 0) return line[i] === PAD ? { fault: 'padding' } : { fault: 'character', column: i + 1 };
  }
  /* c8 ignore next */
  return { fault: 'character', column: from + 1 };
}
