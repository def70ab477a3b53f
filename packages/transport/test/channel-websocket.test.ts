/**
 * The WebSocket adapter with `ws` on both sides over loopback: one frame per
 * binary message, echo both ways, message-boundary and text-message errors,
 * a tampered message, and the bound on what a WebSocket that cannot be
 * paused (a browser's, workerd's) holds unread. Every server and socket is
 * closed after each test.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { WebSocket, WebSocketServer } from 'ws';
import { acceptWebSocket, connectWebSocket, type WebSocketLike } from '../src/channel/websocket.js';
import type { ChannelStreams } from '../src/channel/streams.js';
import { backend, staticKey } from './support/channel-pair.js';

const server = staticKey('X-Wing', 'server');
const client = staticKey('X-Wing', 'client');
const code = (c: string) => expect.objectContaining({ code: c });
const servers: WebSocketServer[] = [];
const clients: WebSocket[] = [];
afterEach(async () => {
  for (const c of clients.splice(0)) c.terminate();
  for (const s of servers.splice(0)) {
    for (const c of s.clients) c.terminate();
    await new Promise((r) => s.close(r));
  }
});

async function startServer(onChannel: (ch: ChannelStreams) => void, onError: (e: unknown) => void): Promise<string> {
  const wss = new WebSocketServer({ host: '127.0.0.1', port: 0 });
  servers.push(wss);
  wss.on('connection', (ws) => {
    acceptWebSocket(ws as never, { backend, staticKeys: [server], suites: ['X-Wing'] }).then(onChannel, onError);
  });
  await new Promise((r) => wss.once('listening', r));
  return `ws://127.0.0.1:${(wss.address() as { port: number }).port}`;
}

async function readAll(readable: ReadableStream<Uint8Array>): Promise<Buffer> {
  const parts: Uint8Array[] = [];
  for await (const p of readable as unknown as AsyncIterable<Uint8Array>) parts.push(p);
  return Buffer.concat(parts);
}

describe('channel over WebSocket (ws)', () => {
  for (const pattern of ['pqNK', 'pqXX'] as const) {
    it(`${pattern}: echo of 300 KiB both ways, close from both sides`, async () => {
      const serverErrors: unknown[] = [];
      const url = await startServer((ch) => void ch.readable.pipeTo(ch.writable).catch((e) => serverErrors.push(e)), (e) => serverErrors.push(e));
      const ws = new WebSocket(url);
      clients.push(ws);
      const ch = await connectWebSocket(ws as never, {
        backend,
        pattern,
        suites: ['X-Wing'],
        ...(pattern === 'pqNK' ? { remoteStaticKeys: [{ suite: 'X-Wing', publicKey: server.publicKey }] } : { staticKeys: [client] }),
      });
      expect(ch.info.pattern).toBe(pattern);
      const data = new Uint8Array(300 * 1024).map((_, i) => (i * 31) & 0xff);
      const echoed = readAll(ch.readable);
      const writer = ch.writable.getWriter();
      await writer.write(data.subarray(0, 100_000));
      await writer.write(data.subarray(100_000));
      await writer.close();
      expect((await echoed).equals(Buffer.from(data))).toBe(true);
      expect(serverErrors).toEqual([]);
    });
  }

  it('a text message, a message of two frames, or a tampered frame fails the server with the right code', async () => {
    const cases: [string, (ws: WebSocket, frames: Buffer[]) => void, string][] = [
      ['text', (ws) => ws.send('hello'), 'ERR_CHANNEL_PROTOCOL'],
      ['two frames in one message', (ws, frames) => ws.send(Buffer.concat([frames[0]!, frames[0]!])), 'ERR_CHANNEL_PROTOCOL'],
      ['length prefix disagreeing with the message', (ws, frames) => ws.send(frames[0]!.subarray(0, frames[0]!.length - 1)), 'ERR_CHANNEL_PROTOCOL'],
    ];
    for (const [, act, expected] of cases) {
      const errors: unknown[] = [];
      const url = await startServer(() => undefined, (e) => errors.push(e));
      // A real offer (captured from a channel's first message), then the bad message.
      const probeWs = new WebSocket(url);
      clients.push(probeWs);
      await new Promise((r) => probeWs.once('open', r));
      const { Channel } = await import('../src/channel/channel.js');
      const probe = new Channel('initiator', { backend, pattern: 'pqNK', suites: ['X-Wing'], remoteStaticKeys: [{ suite: 'X-Wing', publicKey: server.publicKey }] });
      probe.start();
      const frames = probe.takeOutput().map((f) => Buffer.from(f));
      act(probeWs, frames);
      const start = Date.now();
      while (errors.length === 0 && Date.now() - start < 5000) await new Promise((r) => setTimeout(r, 10));
      expect(errors[0]).toEqual(code(expected));
    }
  });

  it('a tampered transport message errors the server readable with ERR_CHANNEL_DECRYPT, nothing released', async () => {
    let serverRead: Promise<Buffer> | undefined;
    const url = await startServer(
      (ch) => {
        serverRead = readAll(ch.readable);
        serverRead.catch(() => undefined); // asserted below
      },
      () => undefined,
    );
    const ws = new WebSocket(url);
    clients.push(ws);
    const ch = await connectWebSocket(ws as never, { backend, pattern: 'pqNK', suites: ['X-Wing'], remoteStaticKeys: [{ suite: 'X-Wing', publicKey: server.publicKey }] });
    // Tamper below the adapter: flip a bit in the next binary message ws sends.
    const send = ws.send.bind(ws);
    (ws as unknown as { send: (d: Uint8Array) => void }).send = (d: Uint8Array) => {
      const copy = Buffer.from(d);
      copy[copy.length - 1] = copy[copy.length - 1]! ^ 1;
      send(copy);
    };
    const writer = ch.writable.getWriter();
    await writer.write(new TextEncoder().encode('secret'));
    const start = Date.now();
    while (serverRead === undefined && Date.now() - start < 5000) await new Promise((r) => setTimeout(r, 10));
    await expect(serverRead).rejects.toEqual(code('ERR_CHANNEL_DECRYPT'));
  });

  /** `ws` seen as a browser's WebSocket: the same socket, without pause()/resume(). */
  function withoutPause(ws: WebSocket): WebSocketLike {
    return {
      get readyState() {
        return ws.readyState;
      },
      get binaryType() {
        return ws.binaryType;
      },
      set binaryType(v) {
        ws.binaryType = v as WebSocket['binaryType'];
      },
      get bufferedAmount() {
        return ws.bufferedAmount;
      },
      send: (d) => ws.send(d),
      close: (c, r) => ws.close(c, r),
      addEventListener: (t, l) => ws.addEventListener(t as 'message', l),
      removeEventListener: (t, l) => ws.removeEventListener(t as 'message', l),
    };
  }

  /** A server that writes `size` bytes to each channel it accepts (a client that fails ends the write early). */
  async function startWriter(size: number): Promise<string> {
    return startServer(
      (ch) => {
        const writer = ch.writable.getWriter();
        writer
          .write(new Uint8Array(size).fill(7))
          .then(() => writer.close())
          .catch(() => undefined);
      },
      () => undefined,
    );
  }

  it('without pause(), a reader that does not keep up fails with ERR_CHANNEL_PROTOCOL past receiveBufferLimit and the socket closes (4000); one that reads gets everything', async () => {
    const url = await startWriter(2 * 1024 * 1024);
    const options = { backend, pattern: 'pqNK', suites: ['X-Wing'], remoteStaticKeys: [{ suite: 'X-Wing', publicKey: server.publicKey }] } as const;

    const slow = new WebSocket(url);
    clients.push(slow);
    const closed = new Promise<number>((r) => slow.once('close', (c: number) => r(c)));
    const ch = await connectWebSocket(withoutPause(slow), { ...options, receiveBufferLimit: 256 * 1024 });
    // Nothing is read: the server's 2 MiB arrive as ~33 messages of a full frame each; past 256 KiB the channel fails.
    expect(await Promise.race([closed, new Promise((r) => setTimeout(() => r('still open after 10 s'), 10_000))])).toBe(4000);
    const reader = ch.readable.getReader();
    const failure = await reader.read().then(
      () => undefined,
      (e: unknown) => e,
    );
    expect(failure).toEqual(code('ERR_CHANNEL_PROTOCOL'));
    expect((failure as Error).message).toContain('more than 262144 bytes the reader has not read');

    const reading = new WebSocket(url);
    clients.push(reading);
    const ch2 = await connectWebSocket(withoutPause(reading), { ...options, receiveBufferLimit: 256 * 1024 });
    const all = await readAll(ch2.readable);
    expect(all.length).toBe(2 * 1024 * 1024);
    expect(all.every((b) => b === 7)).toBe(true);
  });

  it('a message larger than one frame is refused before it is held; a receiveBufferLimit below one frame is refused', async () => {
    const errors: unknown[] = [];
    const url = await startServer(() => undefined, (e) => errors.push(e));
    const ws = new WebSocket(url);
    clients.push(ws);
    await new Promise((r) => ws.once('open', r));
    ws.send(Buffer.alloc(2 + 65535 + 1));
    const start = Date.now();
    while (errors.length === 0 && Date.now() - start < 5000) await new Promise((r) => setTimeout(r, 10));
    expect(errors[0]).toEqual(code('ERR_CHANNEL_PROTOCOL'));
    expect((errors[0] as Error).message).toContain('a message of 65538 bytes is larger than one frame (65537)');

    const other = new WebSocket(url);
    clients.push(other);
    await new Promise((r) => other.once('open', r));
    await expect(connectWebSocket(other as never, { backend, pattern: 'pqNK', suites: ['X-Wing'], remoteStaticKeys: [{ suite: 'X-Wing', publicKey: server.publicKey }], receiveBufferLimit: 65536 })).rejects.toEqual(
      code('ERR_INVALID_ARGUMENT'),
    );
  });
});
