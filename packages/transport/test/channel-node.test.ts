/**
 * The channel's Node adapter over real TCP on loopback: every pattern ×
 * cipher × hash, a man-in-the-middle proxy that edits frames (tamper, replay,
 * reorder, truncate, downgrade), refusal, backpressure, close semantics, and
 * the WHATWG-streams adapter against the Node one. Every server and socket is
 * closed after each test.
 */
import { randomBytes } from 'node:crypto';
import * as net from 'node:net';
import type { AddressInfo } from 'node:net';
import { Duplex, duplexPair } from 'node:stream';
import { afterEach, describe, expect, it } from 'vitest';
import { type ChannelOptions } from '../src/channel/channel.js';
import { encodeFrame, FrameReader } from '../src/channel/framing.js';
import { acceptChannel, connectChannel, type ChannelDuplex, type ChannelStreamOptions } from '../src/channel/node.js';
import { connectStreams } from '../src/channel/streams.js';
import { backend, staticKey } from './support/channel-pair.js';

const servers = new Set<net.Server>();
const sockets = new Set<net.Socket>();
afterEach(async () => {
  for (const s of sockets) s.destroy();
  sockets.clear();
  await Promise.all([...servers].map((s) => new Promise((resolve) => s.close(resolve))));
  servers.clear();
});

const code = (c: string) => expect.objectContaining({ code: c });
const server = staticKey('X-Wing', 'server');
const client = staticKey('X-Wing', 'client');

function listen(onSocket: (socket: net.Socket) => void): Promise<number> {
  const srv = net.createServer((socket) => {
    sockets.add(socket);
    onSocket(socket);
  });
  servers.add(srv);
  return new Promise((resolve) => srv.listen(0, '127.0.0.1', () => resolve((srv.address() as AddressInfo).port)));
}
function dial(port: number): net.Socket {
  const socket = net.connect(port, '127.0.0.1');
  sockets.add(socket);
  return socket;
}
function collect(stream: Duplex): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const parts: Buffer[] = [];
    stream.on('data', (d: Buffer) => parts.push(d));
    stream.on('end', () => resolve(Buffer.concat(parts)));
    stream.on('error', reject);
  });
}

/** A responder that echoes everything back, then closes; its outcome is recorded. */
function echoServer(options: Partial<ChannelStreamOptions> = {}) {
  const outcome: { errors: Error[]; received: number; channels: ChannelDuplex[] } = { errors: [], received: 0, channels: [] };
  const port = listen((socket) => {
    acceptChannel(socket, { backend, staticKeys: [server], suites: ['X-Wing'], ciphers: ['ChaChaPoly', 'AESGCM'], hashes: ['SHA256', 'SHA512'], ...options }).then(
      (ch) => {
        outcome.channels.push(ch);
        ch.on('data', (d: Buffer) => (outcome.received += d.length));
        ch.on('error', (e) => outcome.errors.push(e));
        ch.pipe(ch);
      },
      (e) => outcome.errors.push(e),
    );
  });
  return { port, outcome };
}

function clientOptions(pattern: 'pqNK' | 'pqIK' | 'pqXX', extra: Partial<ChannelOptions> = {}): ChannelStreamOptions {
  return {
    backend,
    pattern,
    suites: ['X-Wing'],
    ...(pattern !== 'pqXX' && { remoteStaticKeys: [{ suite: 'X-Wing', publicKey: server.publicKey }] }),
    ...(pattern !== 'pqNK' && { staticKeys: [client] }),
    ...extra,
  };
}

function flipAt(frame: Uint8Array, at: number): Uint8Array {
  const copy = frame.slice();
  copy[at] = copy[at]! ^ 0x04;
  return copy;
}

const until = async (cond: () => boolean, ms = 5000) => {
  const end = Date.now() + ms;
  while (!cond()) {
    if (Date.now() > end) throw new Error('timed out waiting');
    await new Promise((r) => setTimeout(r, 10));
  }
};

describe('Node ↔ Node over TCP', () => {
  for (const pattern of ['pqNK', 'pqIK', 'pqXX'] as const) {
    for (const cipher of ['ChaChaPoly', 'AESGCM'] as const) {
      for (const hash of ['SHA256', 'SHA512'] as const) {
        it(`${pattern} ${cipher} ${hash}: 200 KiB echoed intact, same handshake hash on both sides`, async () => {
          const { port, outcome } = echoServer();
          const ch = await connectChannel(dial(await port), clientOptions(pattern, { ciphers: [cipher], hashes: [hash] }));
          expect(ch.info!.parameters).toMatchObject({ cipher, hash });
          expect(ch.info!.pattern).toBe(pattern);
          const data = randomBytes(200 * 1024);
          const echoed = collect(ch);
          ch.end(data);
          expect((await echoed).equals(data)).toBe(true);
          await until(() => outcome.channels.length === 1);
          expect(Buffer.from(outcome.channels[0]!.info!.handshakeHash).equals(Buffer.from(ch.info!.handshakeHash))).toBe(true);
          expect(outcome.errors).toEqual([]);
        });
      }
    }
  }
});

/** A proxy between client and server that parses frames in each direction and lets `edit` rewrite them. */
function mitm(targetPort: number, edit: (dir: 'i2r' | 'r2i', index: number, frame: Uint8Array, sockets: { toServer: net.Socket; toClient: net.Socket }) => Uint8Array[]) {
  return listen((fromClient) => {
    const toServer = dial(targetPort);
    const both = { toServer, toClient: fromClient };
    for (const [from, to, dir] of [
      [fromClient, toServer, 'i2r'],
      [toServer, fromClient, 'r2i'],
    ] as const) {
      const reader = new FrameReader();
      let index = 0;
      from.on('data', (chunk: Buffer) => {
        for (const body of reader.push(chunk)) for (const out of edit(dir, index++, encodeFrame(body).slice(), both)) if (!to.destroyed) to.write(out);
      });
      from.on('end', () => to.end());
      from.on('error', () => to.destroy());
      from.on('close', () => to.destroy());
    }
  });
}

describe('through a man in the middle', () => {
  async function run(pattern: 'pqNK' | 'pqXX', edit: Parameters<typeof mitm>[1], clientExtra: Partial<ChannelOptions> = {}, serverExtra: Partial<ChannelOptions> = {}) {
    const { port, outcome } = echoServer(serverExtra);
    const proxyPort = await mitm(await port, edit);
    let clientError: Error | undefined;
    let clientData = Buffer.alloc(0);
    try {
      const ch = await connectChannel(dial(await proxyPort), clientOptions(pattern, clientExtra));
      ch.on('data', (d: Buffer) => (clientData = Buffer.concat([clientData, d])));
      ch.write('hello ');
      ch.write('world');
      ch.end();
      await new Promise<void>((resolve) => {
        ch.on('error', (e) => ((clientError = e), resolve()));
        ch.on('close', () => resolve());
      });
    } catch (error) {
      clientError = error as Error;
    }
    await until(() => outcome.errors.length > 0 || clientError !== undefined || clientData.length === 11);
    await new Promise((r) => setTimeout(r, 50));
    return { clientError, clientData, serverErrors: outcome.errors, serverReceived: outcome.received };
  }

  it('no edit: the echo arrives', async () => {
    const r = await run('pqNK', (_d, _i, f) => [f]);
    expect(r.clientError).toBeUndefined();
    expect(r.clientData.toString()).toBe('hello world');
  });

  for (const pattern of ['pqNK', 'pqXX'] as const) {
    const handshakeFrames = pattern === 'pqNK' ? 1 : 2;
    for (let i = 1; i <= handshakeFrames; i++) {
      it(`${pattern}: a flipped bit in initiator handshake message ${i} is detected with ERR_CHANNEL_HANDSHAKE`, async () => {
        const r = await run(pattern, (d, idx, f) => (d === 'i2r' && idx === i ? [flipAt(f, f.length - 3)] : [f]));
        // pqXX's first message is not yet keyed: the client detects the edit on the server's reply.
        const unkeyed = pattern === 'pqXX' && i === 1;
        expect(r.serverErrors[0]).toEqual(code(unkeyed ? 'ERR_CHANNEL_TRUNCATED' : 'ERR_CHANNEL_HANDSHAKE'));
        expect(r.serverReceived).toBe(0);
        expect(r.clientError).toEqual(code(unkeyed ? 'ERR_CHANNEL_HANDSHAKE' : 'ERR_CHANNEL_TRUNCATED'));
      });
      it(`${pattern}: a flipped bit in responder handshake message ${i} fails the client with ERR_CHANNEL_HANDSHAKE`, async () => {
        const r = await run(pattern, (d, idx, f) => (d === 'r2i' && idx === i ? [flipAt(f, 10)] : [f]));
        expect(r.clientError).toEqual(code('ERR_CHANNEL_HANDSHAKE'));
        expect(r.clientData.length).toBe(0);
      });
    }
  }

  it('a tampered transport message fails the server with ERR_CHANNEL_DECRYPT and releases nothing', async () => {
    // i2r: 0 offer, 1 handshake, 2 "hello ", 3 "world".
    const r = await run('pqNK', (d, idx, f) => (d === 'i2r' && idx === 2 ? [flipAt(f, 5)] : [f]));
    expect(r.serverErrors[0]).toEqual(code('ERR_CHANNEL_DECRYPT'));
    expect(r.serverReceived).toBe(0);
  });

  it('a replayed transport message fails with ERR_CHANNEL_DECRYPT after releasing only the original', async () => {
    const r = await run('pqNK', (d, idx, f) => (d === 'i2r' && idx === 2 ? [f, f] : [f]));
    expect(r.serverErrors[0]).toEqual(code('ERR_CHANNEL_DECRYPT'));
    expect(r.serverReceived).toBeLessThanOrEqual(6);
  });

  it('reordered transport messages fail with ERR_CHANNEL_DECRYPT', async () => {
    let held: Uint8Array | undefined;
    const r = await run('pqNK', (d, idx, f) => {
      if (d === 'i2r' && idx === 2) return (held = f), [];
      if (d === 'i2r' && idx === 3) return [f, held!];
      return [f];
    });
    expect(r.serverErrors[0]).toEqual(code('ERR_CHANNEL_DECRYPT'));
    expect(r.serverReceived).toBe(0);
  });

  it('a connection cut mid-frame, or before the close, is ERR_CHANNEL_TRUNCATED', async () => {
    let r = await run('pqNK', (d, idx, f, s) => {
      if (d === 'i2r' && idx === 2) {
        s.toServer.end(f.subarray(0, 8));
        return [];
      }
      return d === 'i2r' && idx > 2 ? [] : [f];
    });
    expect(r.serverErrors[0]).toEqual(code('ERR_CHANNEL_TRUNCATED'));
    expect(r.serverReceived).toBe(0);
    r = await run('pqNK', (d, idx, f, s) => {
      if (d === 'i2r' && idx === 4) {
        s.toServer.end(); // the close message (index 4) never arrives
        return [];
      }
      return [f];
    });
    expect(r.serverErrors[0]).toEqual(code('ERR_CHANNEL_TRUNCATED'));
  });

  it('downgrade: an offer entry removed in transit fails the handshake at the server', async () => {
    const r = await run(
      'pqNK',
      (d, idx, f) => (d === 'i2r' && idx === 0 ? [encodeFrame(Buffer.concat([Buffer.of(1, 1, 1, 1), Buffer.from(f.subarray(12, 18))]))] : [f]),
      { ciphers: ['ChaChaPoly', 'AESGCM'] },
      { ciphers: ['AESGCM', 'ChaChaPoly'] },
    );
    expect(r.serverErrors[0]).toEqual(code('ERR_CHANNEL_HANDSHAKE'));
    expect(r.serverReceived).toBe(0);
  });

  it('downgrade: a changed choice fails the handshake at the server', async () => {
    const r = await run(
      'pqNK',
      (d, idx, f) => (d === 'r2i' && idx === 0 ? [encodeFrame(Buffer.from('020102647a0201', 'hex'))] : [f]),
      { ciphers: ['ChaChaPoly', 'AESGCM'] },
      { ciphers: ['ChaChaPoly', 'AESGCM'] },
    );
    expect(r.serverErrors[0]).toEqual(code('ERR_CHANNEL_HANDSHAKE'));
  });
});

describe('refusal, backpressure, close', () => {
  it('no common parameters: the client is refused, the server reports it', async () => {
    const { port, outcome } = echoServer({ ciphers: ['AESGCM'] });
    await expect(connectChannel(dial(await port), clientOptions('pqNK', { ciphers: ['ChaChaPoly'] }))).rejects.toEqual(
      expect.objectContaining({ code: 'ERR_CHANNEL_NEGOTIATION', reason: 'refused', refusalCode: 1 }),
    );
    await until(() => outcome.errors.length === 1);
    expect(outcome.errors[0]).toEqual(expect.objectContaining({ reason: 'no-common-parameters' }));
  });

  it('a slow reader makes write() return false and the buffered amount stays bounded', async () => {
    let serverChannel: ChannelDuplex | undefined;
    const port = await listen((socket) => {
      void acceptChannel(socket, { backend, staticKeys: [server], suites: ['X-Wing'] }).then((ch) => {
        serverChannel = ch;
        ch.on('error', () => undefined); // afterEach cuts the connection
        ch.pause();
      });
    });
    const ch = await connectChannel(dial(port), clientOptions('pqNK'));
    ch.on('error', () => undefined);
    await until(() => serverChannel !== undefined);
    const chunk = Buffer.alloc(64 * 1024, 7);
    let written = 0;
    while (ch.write(chunk)) {
      written += chunk.length;
      expect(written).toBeLessThan(64 * 1024 * 1024);
    }
    written += chunk.length;
    await new Promise((r) => setTimeout(r, 200));
    // Held on the reading side: its readable buffer (≤ highWaterMark + one socket chunk of plaintext).
    expect(serverChannel!.readableLength).toBeLessThanOrEqual(64 * 1024 + 128 * 1024);
    let received = 0;
    serverChannel!.on('data', (d: Buffer) => (received += d.length));
    serverChannel!.resume();
    await until(() => received === written);
  });

  it('close: the client ends, the server still sends, then both sockets close', async () => {
    let serverSide: Promise<Buffer> | undefined;
    let serverSocket: net.Socket | undefined;
    const port = await listen((socket) => {
      serverSocket = socket;
      serverSide = acceptChannel(socket, { backend, staticKeys: [server], suites: ['X-Wing'] }).then(async (ch) => {
        const got = await collect(ch); // ends when the client closed
        ch.end(Buffer.from('after your close'));
        return got;
      });
    });
    const socket = dial(port);
    const ch = await connectChannel(socket, clientOptions('pqIK'));
    const reply = collect(ch);
    ch.end('bye');
    expect((await reply).toString()).toBe('after your close');
    await until(() => serverSide !== undefined);
    expect((await serverSide!).toString()).toBe('bye');
    await until(() => socket.destroyed && serverSocket!.destroyed);
  });

  it('WHATWG streams (Duplex.toWeb over TCP) talk to the Node adapter', async () => {
    const { port } = echoServer();
    const socket = dial(await port);
    await new Promise((r) => socket.once('connect', r));
    const web = Duplex.toWeb(socket) as unknown as { readable: ReadableStream<Uint8Array>; writable: WritableStream<Uint8Array> };
    const ch = await connectStreams(web, clientOptions('pqXX'));
    expect(ch.info.pattern).toBe('pqXX');
    const writer = ch.writable.getWriter();
    await writer.write(new TextEncoder().encode('over web streams'));
    await writer.close();
    const parts: Uint8Array[] = [];
    for await (const p of ch.readable as unknown as AsyncIterable<Uint8Array>) parts.push(p);
    expect(Buffer.concat(parts).toString()).toBe('over web streams');
  });

  it('any Duplex works (stream.duplexPair, no socket)', async () => {
    const [a, b] = duplexPair();
    const [client, srv] = await Promise.all([
      connectChannel(a, clientOptions('pqIK')),
      acceptChannel(b, { backend, staticKeys: [server], suites: ['X-Wing'] }),
    ]);
    expect(Buffer.from(client.info!.handshakeHash).equals(Buffer.from(srv.info!.handshakeHash))).toBe(true);
    const got = collect(srv);
    client.end('through a duplexPair');
    expect((await got).toString()).toBe('through a duplexPair');
    srv.end();
    await collect(client);
  });

  it('a server that never answers: the handshake times out with ERR_CHANNEL_HANDSHAKE', async () => {
    const port = await listen(() => undefined);
    const started = Date.now();
    await expect(connectChannel(dial(port), { ...clientOptions('pqNK'), handshakeTimeoutMs: 300 })).rejects.toEqual(code('ERR_CHANNEL_HANDSHAKE'));
    expect(Date.now() - started).toBeLessThan(5000);
  });
});
