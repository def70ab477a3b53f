/**
 * The WebSocket adapter with `ws` on both sides over loopback: one frame per
 * binary message, echo both ways, message-boundary and text-message errors,
 * a tampered message. Every server and socket is closed after each test.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { WebSocket, WebSocketServer } from 'ws';
import { acceptWebSocket, connectWebSocket } from '../src/channel/websocket.js';
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
});
