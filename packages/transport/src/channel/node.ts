/**
 * The channel over a Node byte stream (net.Socket or any Duplex): a Duplex of
 * plaintext with backpressure both ways. Node only (node:stream); the
 * runtime-neutral adapters are streams.ts and websocket.ts.
 * @module
 */
import { Duplex } from 'node:stream';
import { Channel, type ChannelInfo, type ChannelOptions, type ChannelRole } from './channel.js';
import { ChannelClosedError, ChannelHandshakeError, ChannelTruncatedError } from './errors.js';

/** Default time for negotiation and handshake before the attempt fails. */
export const DEFAULT_CHANNEL_HANDSHAKE_TIMEOUT_MS = 30_000;

export interface ChannelStreamOptions extends ChannelOptions {
  /** Fail with ERR_CHANNEL_HANDSHAKE if the channel is not open after this long (default 30 s; 0 = never). */
  readonly handshakeTimeoutMs?: number;
  /** Plaintext buffered for the reader before the socket is paused (default 64 KiB). */
  readonly readableHighWaterMark?: number;
  /** Plaintext buffered for the writer before write() returns false (default 64 KiB). */
  readonly writableHighWaterMark?: number;
}

/**
 * The plaintext side of a channel. Data is released only after it
 * authenticated; `end()` sends the channel's close; a stream that ended
 * without the peer's close fails with ERR_CHANNEL_TRUNCATED.
 */
export class ChannelDuplex extends Duplex {
  readonly #channel: Channel;
  readonly #socket: Duplex;
  #paused = false;
  #readableDone = false;
  #pendingWrite: { chunk: Uint8Array; callback: (error?: Error | null) => void } | undefined;
  #onOpen: (() => void) | undefined;
  #timer: ReturnType<typeof setTimeout> | undefined;

  /** @internal use connectChannel / acceptChannel. */
  constructor(socket: Duplex, channel: Channel, options: ChannelStreamOptions, onOpen: () => void) {
    super({
      allowHalfOpen: true,
      readableHighWaterMark: options.readableHighWaterMark ?? 64 * 1024,
      writableHighWaterMark: options.writableHighWaterMark ?? 64 * 1024,
    });
    this.#channel = channel;
    this.#socket = socket;
    this.#onOpen = onOpen;
    const timeout = options.handshakeTimeoutMs ?? DEFAULT_CHANNEL_HANDSHAKE_TIMEOUT_MS;
    if (timeout > 0) {
      this.#timer = setTimeout(() => this.destroy(new ChannelHandshakeError(`handshake: not complete after ${timeout} ms`)), timeout);
      this.#timer.unref?.();
    }
    socket.on('data', (chunk: Uint8Array) => this.#onData(chunk));
    socket.on('end', () => this.#onEnd());
    socket.on('error', (error: Error) => this.#fail(new ChannelTruncatedError('the connection failed', { cause: error })));
    socket.on('close', () => {
      if (!this.#finished()) this.#fail(new ChannelTruncatedError('the connection closed before the channel did'));
    });
    socket.on('drain', () => this.emit('socketDrain'));
    try {
      channel.start();
      this.#flush();
    } catch (error) {
      process.nextTick(() => this.#fail(error as Error));
    }
  }

  /** Parameters, handshake hash and peer key; set once the channel is open. */
  get info(): ChannelInfo | undefined {
    return this.#channel.info;
  }

  #finished(): boolean {
    return this.#channel.localClosed && this.#channel.peerClosed;
  }

  #flush(): boolean {
    let ok = true;
    for (const frame of this.#channel.takeOutput()) ok = this.#socket.write(frame);
    return ok;
  }

  #fail(error: Error): void {
    if (this.destroyed) return;
    // A refusal is the only thing a failed channel still sends.
    try {
      this.#flush();
    } catch {
      /* the channel is dead; nothing more to send */
    }
    this.destroy(error);
  }

  #onData(chunk: Uint8Array): void {
    if (this.destroyed) return;
    let data: Uint8Array[];
    try {
      data = this.#channel.receive(chunk);
      this.#flush();
    } catch (error) {
      this.#fail(error as Error);
      return;
    }
    if (this.#onOpen !== undefined && this.#channel.state !== 'negotiating' && this.#channel.state !== 'handshake') {
      clearTimeout(this.#timer);
      const onOpen = this.#onOpen;
      this.#onOpen = undefined;
      onOpen();
      this.#startPendingWrite();
    }
    for (const d of data) if (!this.push(d)) this.#paused = true;
    if (this.#channel.peerClosed && !this.#readableDone) {
      this.#readableDone = true;
      this.push(null);
    }
    if (this.#paused) this.#socket.pause();
    this.#endSocketIfDone();
  }

  #onEnd(): void {
    if (this.destroyed) return;
    try {
      this.#channel.end();
    } catch (error) {
      this.#fail(error as Error);
    }
  }

  #endSocketIfDone(): void {
    if (this.#finished() && !this.#socket.writableEnded) this.#socket.end();
  }

  override _read(): void {
    if (this.#paused) {
      this.#paused = false;
      this.#socket.resume();
    }
  }

  override _write(chunk: Uint8Array, _encoding: BufferEncoding, callback: (error?: Error | null) => void): void {
    if (this.#onOpen !== undefined) {
      this.#pendingWrite = { chunk, callback };
      return;
    }
    this.#send(chunk, callback);
  }

  #startPendingWrite(): void {
    const pending = this.#pendingWrite;
    this.#pendingWrite = undefined;
    if (pending !== undefined) this.#send(pending.chunk, pending.callback);
  }

  #send(chunk: Uint8Array, callback: (error?: Error | null) => void): void {
    let ok: boolean;
    try {
      this.#channel.send(chunk);
      ok = this.#flush();
    } catch (error) {
      callback(error as Error);
      return;
    }
    if (ok) callback();
    else this.#afterDrain(callback);
  }

  #afterDrain(callback: (error?: Error | null) => void): void {
    const done = (): void => {
      this.off('socketDrain', done);
      this.off('close', done);
      callback(this.destroyed ? new ChannelClosedError('the channel closed while a write waited') : undefined);
    };
    this.on('socketDrain', done);
    this.on('close', done);
  }

  override _final(callback: (error?: Error | null) => void): void {
    const finish = (): void => {
      try {
        this.#channel.close();
        this.#flush();
      } catch (error) {
        callback(error as Error);
        return;
      }
      this.#endSocketIfDone();
      callback();
    };
    if (this.#onOpen !== undefined) {
      // Ending before the handshake finished: close once it has.
      const previous = this.#onOpen;
      this.#onOpen = () => {
        previous();
        finish();
      };
      return;
    }
    finish();
  }

  override _destroy(error: Error | null, callback: (error?: Error | null) => void): void {
    clearTimeout(this.#timer);
    const graceful = error === null && this.#finished();
    this.#channel.destroy();
    const pending = this.#pendingWrite;
    this.#pendingWrite = undefined;
    pending?.callback(error ?? new ChannelClosedError());
    if (graceful) this.#endSocketIfDone();
    else if (error !== null && this.#socket.writableLength > 0 && !this.#socket.destroyed) this.#socket.end(); // let a refusal go out
    else this.#socket.destroy();
    callback(error);
  }
}

function open(role: ChannelRole, socket: Duplex, options: ChannelStreamOptions): Promise<ChannelDuplex> {
  return new Promise((resolve, reject) => {
    let duplex: ChannelDuplex | undefined;
    let settled = false;
    const onError = (error: Error): void => {
      if (!settled) {
        settled = true;
        reject(error);
      }
    };
    let channel: Channel;
    try {
      channel = new Channel(role, options);
    } catch (error) {
      socket.destroy();
      reject(error);
      return;
    }
    duplex = new ChannelDuplex(socket, channel, options, () => {
      settled = true;
      // Keep a listener for one turn so an error in the same chunk does not crash before the caller listens.
      setImmediate(() => duplex!.off('error', onError));
      resolve(duplex!);
    });
    duplex.on('error', onError);
    duplex.on('close', () => onError(new ChannelClosedError('the channel closed during the handshake')));
  });
}

/** Runs the initiator over `socket`; resolves with the plaintext Duplex once the handshake authenticated. */
export function connectChannel(socket: Duplex, options: ChannelStreamOptions): Promise<ChannelDuplex> {
  return open('initiator', socket, options);
}

/** Runs the responder over `socket`; resolves with the plaintext Duplex once the handshake authenticated. */
export function acceptChannel(socket: Duplex, options: ChannelStreamOptions): Promise<ChannelDuplex> {
  return open('responder', socket, options);
}

