/**
 * The channel over a WebSocket: one frame (length prefix included) per
 * binary message (spec/TRANSPORT.md §6.8). Works with the browser's and
 * workerd's WebSocket and with `ws` in Node: it uses only the WHATWG
 * WebSocket surface (addEventListener, send, close, readyState,
 * bufferedAmount) plus `ws`'s pause()/resume() when present. Runtime
 * neutral: no `node:` import.
 * @module
 */
import { InvalidArgumentError } from '@hybridkem/core';
import { ChannelProtocolError, ChannelTruncatedError } from './errors.js';
import { FRAME_HEADER_LENGTH, MAX_FRAME_LENGTH } from './framing.js';
import { openOverLink, type ChannelLink, type ChannelLinkOptions, type ChannelStreams } from './streams.js';

/** The part of a WebSocket the channel uses (browser, workerd, `ws`). */
export interface WebSocketLike {
  readonly readyState: number;
  binaryType?: string;
  readonly bufferedAmount?: number;
  send(data: Uint8Array): void;
  close(code?: number, reason?: string): void;
  addEventListener(type: string, listener: (event: any) => void): void;
  removeEventListener(type: string, listener: (event: any) => void): void;
  /** `ws` (Node) only: stop reading from the socket. */
  pause?(): void;
  resume?(): void;
}

export interface WebSocketChannelOptions extends ChannelLinkOptions {
  /** Wait while the socket's bufferedAmount is above this (default 1 MiB). */
  readonly sendHighWaterMark?: number;
  /** Messages held for the reader before `ws` is paused (default 16; browsers cannot pause a WebSocket). */
  readonly receiveHighWaterMark?: number;
  /**
   * Bytes of received messages the reader has not read yet that the channel
   * holds (default 16 MiB). A browser's or workerd's WebSocket cannot be
   * paused, so a peer sending faster than the application reads would grow
   * memory without bound: past this the channel fails with
   * ERR_CHANNEL_PROTOCOL and the WebSocket is closed (code 4000).
   */
  readonly receiveBufferLimit?: number;
}

/** The default `receiveBufferLimit`: 256 full frames. */
export const DEFAULT_WEBSOCKET_RECEIVE_BUFFER_LIMIT = 16 * 1024 * 1024;

const CONNECTING = 0;
const OPEN = 1;

function toBytes(data: unknown): Uint8Array | undefined {
  if (data instanceof ArrayBuffer) return new Uint8Array(data);
  if (ArrayBuffer.isView(data)) return new Uint8Array(data.buffer, data.byteOffset, data.byteLength);
  if (Array.isArray(data) && data.every((d) => d instanceof Uint8Array)) {
    // `ws` with binaryType 'fragments'.
    const parts = data as Uint8Array[];
    const out = new Uint8Array(parts.reduce((n, d) => n + d.byteLength, 0));
    let at = 0;
    for (const d of parts) out.set(d, at), (at += d.byteLength);
    return out;
  }
  return undefined;
}

function webSocketLink(ws: WebSocketLike, options: WebSocketChannelOptions): ChannelLink {
  const sendHighWaterMark = options.sendHighWaterMark ?? 1024 * 1024;
  const receiveHighWaterMark = options.receiveHighWaterMark ?? 16;
  const receiveBufferLimit = options.receiveBufferLimit ?? DEFAULT_WEBSOCKET_RECEIVE_BUFFER_LIMIT;
  if (!Number.isSafeInteger(receiveBufferLimit) || receiveBufferLimit < FRAME_HEADER_LENGTH + MAX_FRAME_LENGTH) {
    throw new InvalidArgumentError('receiveBufferLimit', `expected an integer ≥ ${FRAME_HEADER_LENGTH + MAX_FRAME_LENGTH} (one full frame)`);
  }
  if ('binaryType' in ws) ws.binaryType = 'arraybuffer';
  const queue: (Uint8Array | Error)[] = [];
  /** Bytes of the messages in `queue`. */
  let held = 0;
  let ended = false;
  let paused = false;
  let waiter: (() => void) | undefined;
  const wake = (): void => {
    const w = waiter;
    waiter = undefined;
    w?.();
  };
  // Drops what is held, stops receiving and leaves `error` for the reader; the socket is closed as a failed channel's.
  const failNow = (error: Error): void => {
    queue.length = 0;
    held = 0;
    queue.push(error);
    ws.removeEventListener('message', onMessage);
    if (ws.readyState === OPEN || ws.readyState === CONNECTING) ws.close(4000, 'channel failed');
    wake();
  };
  const onMessage = (event: { data: unknown }): void => {
    const bytes = toBytes(event.data);
    if (bytes === undefined) return failNow(new ChannelProtocolError('websocket: a text message (the channel sends binary messages only)'));
    // One frame at most per message (spec/TRANSPORT.md §6.8): anything larger is refused before it is held.
    if (bytes.length > FRAME_HEADER_LENGTH + MAX_FRAME_LENGTH) {
      return failNow(new ChannelProtocolError(`websocket: a message of ${bytes.length} bytes is larger than one frame (${FRAME_HEADER_LENGTH + MAX_FRAME_LENGTH})`));
    }
    if (held + bytes.length > receiveBufferLimit) {
      return failNow(new ChannelProtocolError(`websocket: the peer sent more than ${receiveBufferLimit} bytes the reader has not read (receiveBufferLimit)`));
    }
    queue.push(bytes);
    held += bytes.length;
    if (queue.length >= receiveHighWaterMark && ws.pause !== undefined && !paused) {
      paused = true;
      ws.pause();
    }
    wake();
  };
  const onClose = (): void => {
    ended = true;
    wake();
  };
  ws.addEventListener('message', onMessage);
  ws.addEventListener('close', onClose);
  ws.addEventListener('error', onClose);
  const opened =
    ws.readyState === CONNECTING
      ? new Promise<void>((resolve, reject) => {
          const onOpen = (): void => {
            ws.removeEventListener('open', onOpen);
            resolve();
          };
          ws.addEventListener('open', onOpen);
          ws.addEventListener('close', () => reject(new ChannelTruncatedError('websocket: closed before it opened')));
        })
      : ws.readyState === OPEN
        ? Promise.resolve()
        : Promise.reject(new ChannelTruncatedError('websocket: already closed'));
  opened.catch(() => undefined);
  const detach = (): void => {
    ws.removeEventListener('message', onMessage);
    ws.removeEventListener('close', onClose);
    ws.removeEventListener('error', onClose);
  };
  return {
    framed: true,
    async read() {
      for (;;) {
        const next = queue.shift();
        if (next !== undefined) {
          if (!(next instanceof Error)) held -= next.length;
          if (paused && queue.length < receiveHighWaterMark / 2) {
            paused = false;
            ws.resume?.();
          }
          if (next instanceof Error) throw next;
          return next;
        }
        if (ended) return null;
        await new Promise<void>((resolve) => (waiter = resolve));
      }
    },
    async write(bytes) {
      await opened;
      if (ws.readyState !== OPEN) throw new ChannelTruncatedError('websocket: closed while sending');
      ws.send(bytes);
      // Browsers have no write callback: wait while too much is queued.
      while ((ws.bufferedAmount ?? 0) > sendHighWaterMark && ws.readyState === OPEN) {
        await new Promise((resolve) => setTimeout(resolve, 5));
      }
    },
    async close() {
      detach();
      if (ws.readyState === OPEN || ws.readyState === CONNECTING) ws.close(1000, 'channel closed');
    },
    abort() {
      detach();
      // 4000: an application code browsers accept in close() (RFC 6455 §7.4.2).
      if (ws.readyState === OPEN || ws.readyState === CONNECTING) ws.close(4000, 'channel failed');
    },
  };
}

/** The initiator over a WebSocket (open or connecting); resolves once the handshake authenticated. */
export async function connectWebSocket(ws: WebSocketLike, options: WebSocketChannelOptions): Promise<ChannelStreams> {
  return openOverLink('initiator', webSocketLink(ws, options), options);
}

/** The responder over a WebSocket (e.g. one a `ws` server or workerd's WebSocketPair accepted). */
export async function acceptWebSocket(ws: WebSocketLike, options: WebSocketChannelOptions): Promise<ChannelStreams> {
  return openOverLink('responder', webSocketLink(ws, options), options);
}
