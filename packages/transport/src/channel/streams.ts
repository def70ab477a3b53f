/**
 * The channel over WHATWG streams (and, through the same link, over a
 * WebSocket): a ReadableStream/WritableStream pair of plaintext. Runtime
 * neutral: no `node:` import.
 * @module
 */
import { Channel, type ChannelInfo, type ChannelOptions, type ChannelRole } from './channel.js';
import { ChannelClosedError, ChannelHandshakeError, ChannelProtocolError } from './errors.js';
import { FRAME_HEADER_LENGTH } from './framing.js';

/** The plaintext side of a channel as WHATWG streams. */
export interface ChannelStreams {
  /** Authenticated data; ends when the peer closes, errors with the channel's typed error. */
  readonly readable: ReadableStream<Uint8Array>;
  /** Data to send; close() sends the channel's close, abort() tears it down. */
  readonly writable: WritableStream<Uint8Array>;
  readonly info: ChannelInfo;
}

export interface ChannelLinkOptions extends ChannelOptions {
  /** Fail with ERR_CHANNEL_HANDSHAKE if the channel is not open after this long (default 30 s; 0 = never). */
  readonly handshakeTimeoutMs?: number;
}

/**
 * What the channel needs from a transport. `framed`: every read() returns
 * exactly one frame (length prefix included), as a WebSocket message does.
 * @internal
 */
export interface ChannelLink {
  readonly framed: boolean;
  /** The next chunk (or frame), or null at the end of the stream. */
  read(): Promise<Uint8Array | null>;
  /** Resolves when the transport can take more (backpressure). */
  write(bytes: Uint8Array): Promise<void>;
  /** Both directions are closed: end the transport. */
  close(): Promise<void>;
  /** The channel failed: tear the transport down. */
  abort(reason: unknown): void;
}

function concat(frames: Uint8Array[]): Uint8Array {
  if (frames.length === 1) return frames[0]!;
  const out = new Uint8Array(frames.reduce((n, f) => n + f.length, 0));
  let at = 0;
  for (const f of frames) out.set(f, at), (at += f.length);
  return out;
}

async function writeOut(channel: Channel, link: ChannelLink): Promise<void> {
  const frames = channel.takeOutput();
  if (frames.length === 0) return;
  if (link.framed) for (const frame of frames) await link.write(frame);
  else await link.write(concat(frames));
}

function feed(channel: Channel, link: ChannelLink, chunk: Uint8Array): Uint8Array[] {
  if (!link.framed) return channel.receive(chunk);
  const len = chunk.length >= FRAME_HEADER_LENGTH ? (chunk[0]! << 8) | chunk[1]! : -1;
  if (len !== chunk.length - FRAME_HEADER_LENGTH) {
    channel.destroy();
    throw new ChannelProtocolError(`frame: a message of ${chunk.length} bytes is not exactly one frame`);
  }
  return channel.receiveFrame(chunk.subarray(FRAME_HEADER_LENGTH));
}

/**
 * Runs the channel over `link`: negotiation and handshake, then the plaintext
 * streams. Rejects with the channel's typed error if the handshake fails.
 * @internal
 */
export async function openOverLink(role: ChannelRole, link: ChannelLink, options: ChannelLinkOptions): Promise<ChannelStreams> {
  let channel: Channel;
  try {
    channel = new Channel(role, options);
  } catch (error) {
    link.abort(error);
    throw error;
  }
  const early: Uint8Array[] = [];
  const timeoutMs = options.handshakeTimeoutMs ?? 30_000;
  let timer: ReturnType<typeof setTimeout> | undefined;
  try {
    channel.start();
    await writeOut(channel, link);
    const handshake = (async () => {
      while (channel.state === 'negotiating' || channel.state === 'handshake') {
        const chunk = await link.read();
        if (chunk === null) channel.end();
        else {
          let data: Uint8Array[];
          try {
            data = feed(channel, link, chunk!);
          } finally {
            await writeOut(channel, link); // the refusal, when there is one
          }
          early.push(...data);
        }
      }
    })();
    handshake.catch(() => undefined); // a timeout below wins the race; this rejection is then expected
    if (timeoutMs > 0) {
      const timeout = new Promise<never>((_, reject) => {
        timer = setTimeout(() => reject(new ChannelHandshakeError(`handshake: not complete after ${timeoutMs} ms`)), timeoutMs);
      });
      await Promise.race([handshake, timeout]);
    } else {
      await handshake;
    }
  } catch (error) {
    channel.destroy();
    link.abort(error);
    throw error;
  } finally {
    clearTimeout(timer);
  }
  const info = channel.info!;
  let readableDone = false;
  const closeIfDone = async (): Promise<void> => {
    if (channel.localClosed && channel.peerClosed) await link.close();
  };
  const fail = (error: unknown): never => {
    channel.destroy();
    link.abort(error);
    throw error;
  };

  const readable = new ReadableStream<Uint8Array>(
    {
      async pull(controller) {
        if (channel.peerClosed && early.length === 0) {
          if (!readableDone) (readableDone = true), controller.close();
          return;
        }
        while (early.length === 0 && !channel.peerClosed) {
          const chunk = await link.read();
          try {
            if (chunk === null) channel.end();
            else early.push(...feed(channel, link, chunk));
          } catch (error) {
            fail(error);
          }
        }
        for (const d of early.splice(0)) controller.enqueue(d);
        if (channel.peerClosed && !readableDone) {
          readableDone = true;
          controller.close();
          await closeIfDone();
        }
      },
      cancel(reason) {
        channel.destroy();
        link.abort(reason);
      },
    },
    { highWaterMark: 0 },
  );

  const writable = new WritableStream<Uint8Array>({
    async write(chunk) {
      channel.send(chunk);
      await writeOut(channel, link);
    },
    async close() {
      channel.close();
      await writeOut(channel, link);
      await closeIfDone();
    },
    abort(reason) {
      channel.destroy();
      link.abort(reason ?? new ChannelClosedError('the writer aborted'));
    },
  });
  return { readable, writable, info };
}

/** A byte-stream link over a WHATWG stream pair (e.g. a WebTransport stream, a Deno/Bun socket). */
function streamLink(transport: { readable: ReadableStream<Uint8Array>; writable: WritableStream<Uint8Array> }): ChannelLink {
  const reader = transport.readable.getReader();
  const writer = transport.writable.getWriter();
  return {
    framed: false,
    async read() {
      const { done, value } = await reader.read();
      return done ? null : value;
    },
    async write(bytes) {
      await writer.ready;
      await writer.write(bytes);
    },
    async close() {
      await writer.close().catch(() => undefined);
      reader.releaseLock();
    },
    abort(reason) {
      writer.abort(reason).catch(() => undefined);
      reader.cancel(reason).catch(() => undefined);
    },
  };
}

export type StreamPair = { readable: ReadableStream<Uint8Array>; writable: WritableStream<Uint8Array> };

/** The initiator over a WHATWG byte-stream pair; resolves once the handshake authenticated. */
export function connectStreams(transport: StreamPair, options: ChannelLinkOptions): Promise<ChannelStreams> {
  return openOverLink('initiator', streamLink(transport), options);
}

/** The responder over a WHATWG byte-stream pair; resolves once the handshake authenticated. */
export function acceptStreams(transport: StreamPair, options: ChannelLinkOptions): Promise<ChannelStreams> {
  return openOverLink('responder', streamLink(transport), options);
}
