/**
 * The input of `open`: armored (spec/WIRE-FORMAT.md §3.1, told apart by its
 * first bytes) or binary, and its header read ahead — the kind byte picks the
 * one-recipient (0x04, §7) or the multi-recipient format (0x09, §10), and the
 * header names the AEAD and the recipients — before the bytes, header
 * included, go on to the opener unchanged.
 * @module
 */
import { pipeline, Readable } from 'node:stream';
import { dearmorSealedNodeStream, isArmoredSealed, SEALED_ARMOR_DETECT_LENGTH } from '@hybridkem/seal';

/** An async byte source that can be looked into before it is passed on whole. */
export class Lookahead {
  private readonly buffered: Uint8Array[] = [];
  private length = 0;
  private ended = false;
  private readonly iterator: AsyncIterator<Uint8Array>;

  constructor(source: AsyncIterable<Uint8Array>) {
    this.iterator = source[Symbol.asyncIterator]();
  }

  /** The first `n` bytes, or fewer when the source ends before. */
  async peek(n: number): Promise<Uint8Array> {
    while (this.length < n && !this.ended) {
      const r = await this.iterator.next();
      if (r.done) this.ended = true;
      else {
        this.buffered.push(r.value);
        this.length += r.value.length;
      }
    }
    return Buffer.concat(this.buffered).subarray(0, n);
  }

  /** Whether the source ended within what was looked at. */
  get done(): boolean {
    return this.ended;
  }

  /** Everything: what was looked at, then the rest. */
  async *all(): AsyncGenerator<Uint8Array> {
    try {
      for (const piece of this.buffered.splice(0)) yield piece;
      if (this.ended) return;
      for (let r = await this.iterator.next(); !r.done; r = await this.iterator.next()) yield r.value;
    } finally {
      await this.iterator.return?.();
    }
  }

  /** Stops the source without reading it further. */
  async close(): Promise<void> {
    await this.iterator.return?.();
  }
}

/** The message's binary bytes: `raw` itself, or `raw` through the streaming armor reader when it starts like armor. */
export async function binaryMessage(raw: AsyncIterable<Uint8Array>): Promise<{ armored: boolean; bytes: Lookahead }> {
  const input = new Lookahead(raw);
  const first = await input.peek(SEALED_ARMOR_DETECT_LENGTH);
  if (isArmoredSealed(first) !== true) return { armored: false, bytes: input };
  // pipeline destroys the reader with the first error, which then ends the iteration with it.
  const decoded = pipeline(Readable.from(input.all()), dearmorSealedNodeStream(), () => {});
  return { armored: true, bytes: new Lookahead(decoded) };
}
