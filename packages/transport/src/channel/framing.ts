/**
 * Frames of the channel (spec/TRANSPORT.md §6.3): `I2OSP(len, 2) ‖ body`,
 * len ≤ 65535, Noise's message limit (Noise §3).
 * @module
 */
import { ChannelProtocolError, ChannelTruncatedError } from './errors.js';

/** Noise §3: a Noise message is at most 65535 bytes. */
export const MAX_FRAME_LENGTH = 65535;
export const FRAME_HEADER_LENGTH = 2;

/** `len ‖ body`; a body over 65535 bytes is ERR_CHANNEL_PROTOCOL (it cannot be framed). */
export function encodeFrame(body: Uint8Array): Uint8Array {
  if (body.length > MAX_FRAME_LENGTH) {
    throw new ChannelProtocolError(`frame: body of ${body.length} bytes exceeds ${MAX_FRAME_LENGTH}`);
  }
  const frame = new Uint8Array(FRAME_HEADER_LENGTH + body.length);
  frame[0] = body.length >>> 8;
  frame[1] = body.length & 0xff;
  frame.set(body, FRAME_HEADER_LENGTH);
  return frame;
}

/**
 * Frames a body sealed in place: `frame` holds FRAME_HEADER_LENGTH bytes of
 * headroom, then the body; the length goes into the headroom (no copy, unlike
 * encodeFrame). The same bound as encodeFrame.
 */
export function frameInPlace(frame: Uint8Array): Uint8Array {
  const length = frame.length - FRAME_HEADER_LENGTH;
  if (length < 0 || length > MAX_FRAME_LENGTH) {
    throw new ChannelProtocolError(`frame: body of ${length} bytes is not 0..${MAX_FRAME_LENGTH}`);
  }
  frame[0] = length >>> 8;
  frame[1] = length & 0xff;
  return frame;
}

/**
 * Splits a byte stream into frame bodies. It holds at most one incomplete
 * frame (≤ 2 + 65535 bytes): complete frames found in a chunk are returned as
 * views of that chunk, so a caller that keeps a chunk's bytes alive keeps them
 * as they were.
 */
export class FrameReader {
  #header = new Uint8Array(FRAME_HEADER_LENGTH);
  #headerFilled = 0;
  #body: Uint8Array | undefined;
  #bodyFilled = 0;

  /** Whether part of a frame is buffered (a stream ending now is truncated). */
  get pending(): boolean {
    return this.#headerFilled > 0 || this.#body !== undefined;
  }

  /** Every frame body completed by `chunk`, in order. */
  push(chunk: Uint8Array): Uint8Array[] {
    const frames: Uint8Array[] = [];
    let offset = 0;
    while (offset < chunk.length) {
      if (this.#body === undefined) {
        if (this.#headerFilled === 0 && chunk.length - offset >= FRAME_HEADER_LENGTH) {
          // Fast path: the whole frame may sit in this chunk.
          const len = (chunk[offset]! << 8) | chunk[offset + 1]!;
          if (chunk.length - offset - FRAME_HEADER_LENGTH >= len) {
            frames.push(chunk.subarray(offset + FRAME_HEADER_LENGTH, offset + FRAME_HEADER_LENGTH + len));
            offset += FRAME_HEADER_LENGTH + len;
            continue;
          }
        }
        this.#header[this.#headerFilled++] = chunk[offset++]!;
        if (this.#headerFilled < FRAME_HEADER_LENGTH) continue;
        this.#headerFilled = 0;
        // Two bytes cannot say more than 65535, the bound of §6.3: the length is allocated only now.
        this.#body = new Uint8Array((this.#header[0]! << 8) | this.#header[1]!);
        this.#bodyFilled = 0;
      }
      const take = Math.min(this.#body.length - this.#bodyFilled, chunk.length - offset);
      this.#body.set(chunk.subarray(offset, offset + take), this.#bodyFilled);
      this.#bodyFilled += take;
      offset += take;
      if (this.#bodyFilled === this.#body.length) {
        frames.push(this.#body);
        this.#body = undefined;
      }
    }
    return frames;
  }

  /** The stream ended: ERR_CHANNEL_TRUNCATED if it ended inside a frame. */
  end(): void {
    if (this.pending) throw new ChannelTruncatedError('frame: the stream ended inside a frame');
  }
}
