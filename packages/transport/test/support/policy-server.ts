/**
 * A createServer per policy behind a TCP relay that counts the client's
 * plaintext ClientHello records, so that a test can check the derived
 * `helloRetry` against the wire (two ClientHellos = one HelloRetryRequest).
 * Shared by policy-matrix.test.ts (Node clients) and interop-go.test.ts (Go
 * clients); each server's `negotiated` and `refused` events are collected in
 * order, and `next()` waits for the next one.
 */
import * as net from 'node:net';
import type { AddressInfo } from 'node:net';
import type { HandshakeInfo, Refusal } from '../../src/tls/handshake-info.js';
import type { TlsPolicyName } from '../../src/tls/policies.js';
import { createServer, type PolicyServer } from '../../src/tls/server.js';

/** `p`, or a rejection naming `what` after `ms`. */
export function withTimeout<T>(p: Promise<T>, ms: number, what: string): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  return Promise.race([
    p,
    new Promise<never>((_, reject) => {
      timer = setTimeout(() => reject(new Error(`${what}: nothing within ${ms} ms`)), ms);
    }),
  ]).finally(() => clearTimeout(timer));
}

/** Destroys `sockets` (a server's open connections), then closes `server`. */
export function closeServer(server: net.Server, sockets: Iterable<net.Socket> = []): Promise<void> {
  for (const s of sockets) s.destroy();
  return new Promise((resolve) => server.close(() => resolve()));
}

/**
 * A relay's two sides of one connection: both kept in `sockets` while open
 * (for {@link closeServer}), and an error on either destroys both.
 */
export function trackPair(sockets: Set<net.Socket>, down: net.Socket, up: net.Socket): void {
  for (const s of [down, up]) {
    sockets.add(s);
    s.on('close', () => sockets.delete(s));
    s.on('error', () => {
      down.destroy();
      up.destroy();
    });
  }
}

// ---------------------------------------------------------------------------
// A TCP relay that counts the client's plaintext ClientHello records per connection.

export interface CountingRelay {
  readonly port: number;
  /** ClientHello records seen on each relayed connection, in accept order. */
  readonly clientHellos: number[];
  close(): Promise<void>;
}

export async function startRelay(targetPort: number): Promise<CountingRelay> {
  const clientHellos: number[] = [];
  const sockets = new Set<net.Socket>();
  const relay = net.createServer((down) => {
    const index = clientHellos.push(0) - 1;
    const up = net.connect(targetPort, '127.0.0.1');
    trackPair(sockets, down, up);
    let pending = Buffer.alloc(0);
    let counting = true;
    down.on('data', (chunk: Buffer) => {
      if (counting) {
        pending = Buffer.concat([pending, chunk]);
        while (pending.length >= 5) {
          const length = pending.readUInt16BE(3);
          if (pending.length < 5 + length) break;
          const type = pending[0];
          // 22 = handshake, 1 = ClientHello; 20 = change_cipher_spec (middlebox compatibility).
          if (type === 22 && pending[5] === 1) clientHellos[index]!++;
          else if (type !== 20 && type !== 22) counting = false; // encrypted from here on
          pending = pending.subarray(5 + length);
        }
      }
      up.write(chunk);
    });
    up.on('data', (chunk: Buffer) => down.write(chunk));
    down.on('end', () => up.end());
    up.on('end', () => down.end());
    down.on('close', () => up.destroy());
    up.on('close', () => down.destroy());
  });
  await new Promise<void>((resolve) => relay.listen(0, '127.0.0.1', resolve));
  return {
    port: (relay.address() as AddressInfo).port,
    clientHellos,
    close: () => closeServer(relay, sockets),
  };
}

// ---------------------------------------------------------------------------
// A policy server behind a relay.

export type ServerOutcome = { kind: 'negotiated'; info: HandshakeInfo } | { kind: 'refused'; refusal: Refusal };

export interface PolicyFixture {
  readonly server: PolicyServer;
  /** The server's own port (the relay's is `relay.port`). */
  readonly port: number;
  readonly relay: CountingRelay;
  readonly outcomes: ServerOutcome[];
  /** The next outcome after this call; rejects after the settle timeout. */
  next(): Promise<ServerOutcome>;
  /** Closes the relay, then the server. */
  close(): Promise<void>;
}

export interface PolicyServerOptions {
  /** How long next() waits for an outcome. */
  settleTimeoutMs: number;
  /** createServer's handshakeTimeoutMs; its default when not given. */
  handshakeTimeoutMs?: number;
}

/**
 * createServer(policy) on 127.0.0.1 with `cert`, answering nothing (it reads
 * until the client ends, then ends), behind a {@link startRelay} relay.
 */
export async function startPolicyServer(policy: TlsPolicyName, cert: { key: string; cert: string }, options: PolicyServerOptions): Promise<PolicyFixture> {
  const timeouts = options.handshakeTimeoutMs === undefined ? {} : { handshakeTimeoutMs: options.handshakeTimeoutMs };
  const server = createServer(policy, { key: cert.key, cert: cert.cert, ...timeouts }, (socket) => {
    socket.on('error', () => {});
    socket.resume();
    socket.on('end', () => socket.end());
  });
  const outcomes: ServerOutcome[] = [];
  const waiters: Array<(o: ServerOutcome) => void> = [];
  const push = (o: ServerOutcome) => {
    outcomes.push(o);
    waiters.shift()?.(o);
  };
  server.on('negotiated', (info) => push({ kind: 'negotiated', info }));
  server.on('refused', (refusal) => push({ kind: 'refused', refusal }));
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const port = (server.address() as AddressInfo).port;
  const relay = await startRelay(port);
  return {
    server,
    port,
    relay,
    outcomes,
    next: () => withTimeout(new Promise<ServerOutcome>((resolve) => waiters.push(resolve)), options.settleTimeoutMs, `${policy} server outcome`),
    close: async () => {
      await relay.close();
      await closeServer(server);
    },
  };
}
