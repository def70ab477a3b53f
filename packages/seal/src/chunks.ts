/**
 * The chunked body of a sealed message (spec/WIRE-FORMAT.md §7) as two
 * push-style state machines, shared by the one-shot functions, the WHATWG
 * streams and the Node streams. Each holds at most one chunk (2^e + 16 bytes)
 * of its own; output goes to `emit` as soon as a chunk is sealed, or opened
 * and authenticated.
 * @module
 */
import type { RecipientContext, SenderContext } from '@hpke/core';
import { InvalidArgumentError, TruncatedError } from '@hybridkem/core';
import { requestSealedParts, takeSealedParts } from './aead/node-crypto.js';
import { TAG_LENGTH } from './raw.js';
import { toOpenError } from './errors.js';
import { chunkAad, FLAG_FINAL, FLAG_NON_FINAL, parseHeader, SEALED_HEADER_LENGTH, type SealedHeader } from './format.js';

export type Emit = (bytes: Uint8Array) => void;

// Full chunks go to hpke-js's context as the ArrayBuffer the chunk buffer owns
// (allocated at exactly one chunk, as are the AADs): hpke-js copies any view
// it is given (its toArrayBuffer) but passes an ArrayBuffer through, which
// saves a 64 KiB allocation and copy per chunk. The AEAD is done with the
// bytes before the context's promise settles, and the chunker awaits it
// before it writes to the buffer again.

/** Copies as much of `data` from `off` as fits in `target` after `fill`; returns how many bytes. */
function copyInto(target: Uint8Array, fill: number, data: Uint8Array, off: number): number {
  const n = Math.min(target.length - fill, data.length - off);
  target.set(data.subarray(off, off + n), fill);
  return n;
}

function expectChunk(data: unknown): Uint8Array {
  if (!(data instanceof Uint8Array)) {
    throw new InvalidArgumentError('chunk', `expected a Uint8Array, got ${data === null ? 'null' : typeof data}`);
  }
  return data;
}

/**
 * Sealing: cuts the plaintext into 2^e-byte chunks. A full chunk is sealed
 * (flag 0x00) only once a further byte arrives, so the last chunk — sealed at
 * `finish` with flag 0x01 — is never empty unless the whole plaintext is.
 */
export class SealChunker {
  private readonly buf: Uint8Array<ArrayBuffer>;
  private fill = 0;
  private prefix: Uint8Array | undefined;
  private readonly prefixBytes: number;
  private failed: unknown;
  private finished = false;
  private readonly aadNonFinal: Uint8Array<ArrayBuffer>;
  private readonly aadFinal: Uint8Array<ArrayBuffer>;

  /** `prefix` is HEADER ‖ enc, emitted before the first chunk. */
  constructor(
    private readonly ctx: SenderContext,
    prefix: Uint8Array,
    aad: Uint8Array,
    exponent: number,
  ) {
    this.buf = new Uint8Array(new ArrayBuffer(2 ** exponent));
    requestSealedParts(this.buf.buffer);
    this.prefix = prefix;
    this.prefixBytes = prefix.length;
    this.aadNonFinal = chunkAad(FLAG_NON_FINAL, aad);
    this.aadFinal = chunkAad(FLAG_FINAL, aad);
  }

  async push(data: Uint8Array, emit: Emit): Promise<void> {
    this.guard();
    try {
      expectChunk(data);
      this.emitPrefix(emit);
      let off = 0;
      while (off < data.length) {
        if (this.fill === this.buf.length) {
          await this.sealChunk(this.buf.buffer, this.aadNonFinal, emit);
          this.fill = 0;
        }
        const n = copyInto(this.buf, this.fill, data, off);
        this.fill += n;
        off += n;
      }
    } catch (e) {
      throw this.fail(e);
    }
  }

  async finish(emit: Emit): Promise<void> {
    this.guard();
    try {
      this.emitPrefix(emit);
      await this.sealChunk(this.fill === this.buf.length ? this.buf.buffer : this.buf.subarray(0, this.fill), this.aadFinal, emit);
      this.finished = true;
      this.buf.fill(0);
    } catch (e) {
      throw this.fail(e);
    }
  }

  /** One chunk through the HPKE context; its ciphertext and tag as two pieces when the AEAD left them so (node:crypto's). */
  private async sealChunk(data: ArrayBuffer | Uint8Array, aad: Uint8Array<ArrayBuffer>, emit: Emit): Promise<void> {
    const whole = await this.ctx.seal(data, aad.buffer);
    const parts = takeSealedParts(this.buf.buffer);
    if (parts) {
      emit(parts[0]);
      emit(parts[1]);
    } else {
      emit(new Uint8Array(whole));
    }
  }

  /** Length of HEADER ‖ enc. */
  get prefixLength(): number {
    return this.prefixBytes;
  }

  private emitPrefix(emit: Emit): void {
    if (this.prefix) {
      emit(this.prefix);
      this.prefix = undefined;
    }
  }

  private guard(): void {
    if (this.failed !== undefined) throw this.failed;
    if (this.finished) throw new InvalidArgumentError('chunk', 'the sealed message is already finished');
  }

  private fail(e: unknown): unknown {
    this.failed = e;
    this.buf.fill(0);
    return e;
  }
}

/**
 * The reader's side of opening (spec §7.4): `checkHeader` runs as soon as the
 * 26 header bytes are read, before `enc` is awaited (step 2 before step 3), so
 * a message of another suite fails as such even when it is shorter than this
 * suite's `enc`; `start` runs once `enc` is read and returns the HPKE context.
 */
export interface OpenSteps {
  checkHeader(header: SealedHeader): void;
  start(header: SealedHeader, enc: Uint8Array): Promise<RecipientContext>;
}

/**
 * Opening: reads HEADER and enc, then sealed chunks of 2^e + 16 bytes. A full
 * sealed chunk is opened as non-final (flag 0x00) only once a further byte
 * arrives; what is left at `finish` is the final chunk (flag 0x01). Nothing
 * is emitted before its tag verifies, and after any error every call throws
 * that error again.
 */
export class OpenChunker {
  private state: 'header' | 'enc' | 'chunks' | 'done' = 'header';
  private readonly head = new Uint8Array(SEALED_HEADER_LENGTH);
  private readonly enc: Uint8Array;
  private buf: Uint8Array<ArrayBuffer> = new Uint8Array(0);
  private fill = 0;
  private header: SealedHeader | undefined;
  private ctx: RecipientContext | undefined;
  private chunks = 0;
  private failed: unknown;
  private readonly aadNonFinal: Uint8Array<ArrayBuffer>;
  private readonly aadFinal: Uint8Array<ArrayBuffer>;

  constructor(
    encSize: number,
    aad: Uint8Array,
    private readonly steps: OpenSteps,
    private readonly dispose: () => void = () => {},
  ) {
    this.enc = new Uint8Array(encSize);
    this.aadNonFinal = chunkAad(FLAG_NON_FINAL, aad);
    this.aadFinal = chunkAad(FLAG_FINAL, aad);
  }

  async push(data: Uint8Array, emit: Emit): Promise<void> {
    this.guard();
    try {
      expectChunk(data);
      let off = 0;
      while (off < data.length) {
        if (this.state === 'header') {
          const n = copyInto(this.head, this.fill, data, off);
          this.fill += n;
          off += n;
          this.header = parseHeader(this.head.subarray(0, this.fill), false);
          if (this.header) {
            this.steps.checkHeader(this.header);
            this.state = 'enc';
            this.fill = 0;
          }
        } else if (this.state === 'enc') {
          const n = copyInto(this.enc, this.fill, data, off);
          this.fill += n;
          off += n;
          if (this.fill === this.enc.length) {
            this.ctx = await this.steps.start(this.header!, this.enc);
            this.buf = new Uint8Array(new ArrayBuffer(2 ** this.header!.chunkSizeExponent + TAG_LENGTH));
            this.state = 'chunks';
            this.fill = 0;
          }
        } else {
          // A full sealed chunk followed by at least one more byte is not the last one.
          if (this.fill === this.buf.length) {
            emit(await this.openChunk(this.buf.buffer, this.aadNonFinal.buffer));
            this.fill = 0;
          }
          const n = copyInto(this.buf, this.fill, data, off);
          this.fill += n;
          off += n;
        }
      }
    } catch (e) {
      throw this.fail(e);
    }
  }

  async finish(emit: Emit): Promise<void> {
    this.guard();
    try {
      if (this.state === 'header') {
        parseHeader(this.head.subarray(0, this.fill), true);
        throw new TruncatedError('sealed message header', SEALED_HEADER_LENGTH, this.fill); // not reached
      }
      if (this.state === 'enc') throw new TruncatedError('enc', this.enc.length, this.fill);
      if (this.fill < TAG_LENGTH) throw new TruncatedError('final chunk', TAG_LENGTH, this.fill);
      const last = this.fill === this.buf.length ? this.buf.buffer : this.buf.subarray(0, this.fill);
      const pt = await this.openChunk(last, this.aadFinal.buffer);
      if (pt.length === 0 && this.chunks > 1) {
        // Authentic, but not the canonical encoding: a non-empty plaintext ends in a non-empty chunk.
        throw new InvalidArgumentError('final chunk', 'empty final chunk after a full chunk (not canonical)');
      }
      this.state = 'done';
      emit(pt);
    } catch (e) {
      throw this.fail(e);
    }
  }

  private async openChunk(sealed: Uint8Array | ArrayBuffer, aad: ArrayBuffer): Promise<Uint8Array> {
    let pt: ArrayBuffer;
    try {
      pt = await this.ctx!.open(sealed, aad);
    } catch (e) {
      throw toOpenError(e);
    }
    this.chunks += 1;
    return new Uint8Array(pt);
  }

  private guard(): void {
    if (this.failed !== undefined) throw this.failed;
    if (this.state === 'done') throw new InvalidArgumentError('chunk', 'the sealed message is already complete');
  }

  private fail(e: unknown): unknown {
    this.failed = e;
    this.dispose();
    return e;
  }
}
