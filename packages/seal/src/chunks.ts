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
import { chunkAead, type ChunkAead } from './aead/chunk-aead.js';
import { TAG_LENGTH } from './raw.js';
import { toOpenError } from './errors.js';
import { chunkAad, FLAG_FINAL, FLAG_NON_FINAL, parseHeader, SEALED_HEADER_LENGTH, type SealedHeader } from './format.js';

export type Emit = (bytes: Uint8Array) => void;

function isChunkAead(x: SenderContext | ChunkAead): x is ChunkAead {
  return typeof (x as Partial<ChunkAead>).direct === 'boolean';
}

/**
 * What a chunker's `push` / `finish` return: nothing when the call is done
 * (the node:crypto AEAD is synchronous, so every chunk is), or a promise when
 * an AEAD call or the key schedule is still pending — the caller awaits it
 * before the next call. Bad input throws synchronously either way.
 */
export type Pending = Promise<void> | undefined;

/**
 * Goes on with `next` once `pending` resolves; a rejection goes through the
 * chunker's `fail` (which records it, so every later call throws it) first.
 */
function settle<T>(pending: Promise<T>, next: (value: T) => Pending | void, fail: (e: unknown) => unknown): Promise<void> {
  return pending.then(next, (e: unknown) => Promise.reject(fail(e))) as Promise<void>;
}

/** Copies as much of `data` from `off` as fits in `target` after `fill`; returns how many bytes. */
function copyInto(target: Uint8Array, fill: number, data: Uint8Array, off: number): number {
  const n = Math.min(target.length - fill, data.length - off);
  // The whole input in one go (the usual case) needs no view of it.
  target.set(off === 0 && n === data.length ? data : data.subarray(off, off + n), fill);
  return n;
}

function expectChunk(data: unknown): Uint8Array {
  if (!(data instanceof Uint8Array)) {
    throw new InvalidArgumentError('chunk', `expected a Uint8Array, got ${data === null ? 'null' : typeof data}`);
  }
  return data;
}

/** A Uint8Array over an ArrayBuffer (not a SharedArrayBuffer), as the AEAD calls take. */
function plainView(data: Uint8Array): Uint8Array<ArrayBuffer> {
  return data.buffer instanceof ArrayBuffer ? (data as Uint8Array<ArrayBuffer>) : data.slice();
}

/**
 * Sealing: cuts the plaintext into 2^e-byte chunks. A full chunk is sealed
 * (flag 0x00) only once a further byte arrives, so the last chunk — sealed at
 * `finish` with flag 0x01 — is never empty unless the whole plaintext is.
 * A chunk that lies whole in the input with a byte after it is sealed from
 * the input itself; the rest is gathered in the chunker's buffer (the input
 * is never held past the call that brought it).
 */
export class SealChunker {
  private readonly aead: ChunkAead;
  private readonly buf: Uint8Array<ArrayBuffer>;
  private fill = 0;
  private prefix: Uint8Array | undefined;
  private readonly prefixBytes: number;
  private failed: unknown;
  private finished = false;
  private readonly aadNonFinal: Uint8Array<ArrayBuffer>;
  private readonly aadFinal: Uint8Array<ArrayBuffer>;

  /**
   * `prefix` is HEADER ‖ enc, emitted before the first chunk. `ctx` is the
   * HPKE context (§7), or a chunk AEAD of its own (the payload key of a
   * multi-recipient message, §10).
   */
  constructor(ctx: SenderContext | ChunkAead, prefix: Uint8Array, aad: Uint8Array, exponent: number) {
    this.aead = isChunkAead(ctx) ? ctx : chunkAead(ctx);
    this.buf = new Uint8Array(new ArrayBuffer(2 ** exponent));
    this.prefix = prefix;
    this.prefixBytes = prefix.length;
    this.aadNonFinal = chunkAad(FLAG_NON_FINAL, aad);
    this.aadFinal = chunkAad(FLAG_FINAL, aad);
  }

  /** Whether the chunks go to node:crypto synchronously (see aead/chunk-aead.ts). */
  get direct(): boolean {
    return this.aead.direct;
  }

  push(data: Uint8Array, emit: Emit): Pending {
    this.guard();
    try {
      expectChunk(data);
      this.emitPrefix(emit);
      return this.take(plainView(data), 0, emit);
    } catch (e) {
      throw this.fail(e);
    }
  }

  finish(emit: Emit): Pending {
    this.guard();
    try {
      this.emitPrefix(emit);
      const pending = this.sealChunk(this.buf.subarray(0, this.fill), this.aadFinal, emit);
      if (pending) return settle(pending, () => this.done(), (e) => this.fail(e));
      this.done();
      return undefined;
    } catch (e) {
      throw this.fail(e);
    }
  }

  /** Takes `data` from `off` on; continues after an asynchronous AEAD call when there is one. */
  private take(data: Uint8Array<ArrayBuffer>, off: number, emit: Emit): Pending {
    const size = this.buf.length;
    while (off < data.length) {
      let pending: Pending;
      if (this.fill === size) {
        pending = this.sealChunk(this.buf, this.aadNonFinal, emit);
        this.fill = 0;
      } else if (this.fill === 0 && data.length - off > size) {
        // A whole chunk with at least one byte after it: not the last one, sealed in place.
        pending = this.sealChunk(data.subarray(off, off + size), this.aadNonFinal, emit);
        off += size;
      } else {
        const n = copyInto(this.buf, this.fill, data, off);
        this.fill += n;
        off += n;
      }
      if (pending) {
        const at = off;
        return settle(pending, () => this.take(data, at, emit), (e) => this.fail(e));
      }
    }
    return undefined;
  }

  /** One chunk through the AEAD, its ciphertext and tag emitted as two pieces (node:crypto) or as one. */
  private sealChunk(data: Uint8Array<ArrayBuffer>, aad: Uint8Array<ArrayBuffer>, emit: Emit): Pending {
    const sealed = this.aead.seal(data, aad);
    if (Array.isArray(sealed)) {
      emit(sealed[0]);
      emit(sealed[1]);
      return undefined;
    }
    return sealed.then((whole) => emit(new Uint8Array(whole)));
  }

  /** Length of HEADER ‖ enc. */
  get prefixLength(): number {
    return this.prefixBytes;
  }

  private done(): void {
    this.finished = true;
    this.buf.fill(0);
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
 * arrives; what is left at `finish` is the final chunk (flag 0x01). A sealed
 * chunk that lies whole in the input with a byte after it is opened from the
 * input itself; the rest is gathered in the chunker's buffer. Nothing is
 * emitted before its tag verifies, and after any error every call throws
 * that error again.
 */
export class OpenChunker {
  private state: 'header' | 'enc' | 'chunks' | 'done' = 'header';
  private readonly head = new Uint8Array(SEALED_HEADER_LENGTH);
  private readonly enc: Uint8Array;
  private buf: Uint8Array<ArrayBuffer> = new Uint8Array(0);
  private fill = 0;
  private header: SealedHeader | undefined;
  private aead: ChunkAead | undefined;
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

  /**
   * An opener of sealed chunks alone (§7.4 steps 4 and 5), for a payload
   * whose header was read and authenticated elsewhere (§10) and whose chunk
   * AEAD is `aead`.
   */
  static forChunks(aead: ChunkAead, exponent: number, aad: Uint8Array, dispose?: () => void): OpenChunker {
    const unused = (): never => {
      throw new InvalidArgumentError('chunk', 'no header in a chunks-only opener');
    };
    const chunker = new OpenChunker(0, aad, { checkHeader: unused, start: unused }, dispose);
    chunker.aead = aead;
    chunker.buf = new Uint8Array(new ArrayBuffer(2 ** exponent + TAG_LENGTH));
    chunker.state = 'chunks';
    return chunker;
  }

  /** Whether the chunks go to node:crypto synchronously (known once the context exists). */
  get direct(): boolean | undefined {
    return this.aead?.direct;
  }

  push(data: Uint8Array, emit: Emit): Pending {
    this.guard();
    try {
      expectChunk(data);
      return this.take(plainView(data), 0, emit);
    } catch (e) {
      throw this.fail(e);
    }
  }

  finish(emit: Emit): Pending {
    this.guard();
    try {
      if (this.state === 'header') {
        parseHeader(this.head.subarray(0, this.fill), true);
        throw new TruncatedError('sealed message header', SEALED_HEADER_LENGTH, this.fill); // not reached
      }
      if (this.state === 'enc') throw new TruncatedError('enc', this.enc.length, this.fill);
      if (this.fill < TAG_LENGTH) throw new TruncatedError('final chunk', TAG_LENGTH, this.fill);
      const opened = this.openChunk(this.buf.subarray(0, this.fill), this.aadFinal);
      if (opened instanceof Promise) return settle(opened, (pt) => this.last(pt, emit), (e) => this.fail(e));
      this.last(opened, emit);
      return undefined;
    } catch (e) {
      throw this.fail(e);
    }
  }

  /** The final chunk's plaintext, emitted once it is known to be canonical. */
  private last(pt: Uint8Array, emit: Emit): void {
    if (pt.length === 0 && this.chunks > 1) {
      // Authentic, but not the canonical encoding: a non-empty plaintext ends in a non-empty chunk.
      throw this.fail(new InvalidArgumentError('final chunk', 'empty final chunk after a full chunk (not canonical)'));
    }
    this.state = 'done';
    emit(pt);
  }

  /** Takes `data` from `off` on; continues after the key schedule or an asynchronous AEAD call. */
  private take(data: Uint8Array<ArrayBuffer>, off: number, emit: Emit): Pending {
    while (off < data.length) {
      let pending: Promise<unknown> | undefined;
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
        if (this.fill === this.enc.length) pending = this.start();
      } else {
        const size = this.buf.length;
        let opened: Uint8Array | Promise<Uint8Array> | undefined;
        if (this.fill === size) {
          // A full sealed chunk followed by at least one more byte is not the last one.
          opened = this.openChunk(this.buf, this.aadNonFinal);
          this.fill = 0;
        } else if (this.fill === 0 && data.length - off > size) {
          opened = this.openChunk(data.subarray(off, off + size), this.aadNonFinal);
          off += size;
        } else {
          const n = copyInto(this.buf, this.fill, data, off);
          this.fill += n;
          off += n;
        }
        if (opened instanceof Promise) pending = opened.then(emit);
        else if (opened) emit(opened);
      }
      if (pending) {
        const at = off;
        return settle(pending, () => this.take(data, at, emit), (e) => this.fail(e));
      }
    }
    return undefined;
  }

  /** The HPKE context, once `enc` is read; then the chunk buffer for the header's chunk size. */
  private async start(): Promise<void> {
    this.aead = chunkAead(await this.steps.start(this.header!, this.enc));
    this.buf = new Uint8Array(new ArrayBuffer(2 ** this.header!.chunkSizeExponent + TAG_LENGTH));
    this.state = 'chunks';
    this.fill = 0;
  }

  private openChunk(sealed: Uint8Array<ArrayBuffer>, aad: Uint8Array<ArrayBuffer>): Uint8Array | Promise<Uint8Array> {
    let opened: Uint8Array | Promise<ArrayBuffer>;
    try {
      opened = this.aead!.open(sealed, aad);
    } catch (e) {
      throw toOpenError(e);
    }
    if (opened instanceof Promise) {
      return opened.then(
        (pt) => {
          this.chunks += 1;
          return new Uint8Array(pt);
        },
        (e) => Promise.reject(toOpenError(e)),
      );
    }
    this.chunks += 1;
    return opened;
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
