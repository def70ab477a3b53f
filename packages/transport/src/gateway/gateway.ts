/**
 * `createGateway(options)`: terminates TLS under a policy and proxies the
 * bytes of every accepted connection to one TCP upstream, with Prometheus
 * metrics for handshakes, refusals, bytes and closes.
 *
 * Memory stays bounded per connection: the TLS socket is paused until the
 * upstream has connected, and both directions are piped (`Readable.pipe`
 * pauses the source while the destination's buffer is full).
 * @module
 */
import { EventEmitter } from 'node:events';
import { isIP, type AddressInfo, type Socket } from 'node:net';
import * as net from 'node:net';
import type { TLSSocket } from 'node:tls';
import { InvalidArgumentError } from '@hybridkem/core';
import { Registry } from 'prom-client';
import type { HandshakeInfo, Refusal } from '../tls/handshake-info.js';
import { getPolicy, type TlsPolicyName } from '../tls/policies.js';
import { createServer, parentOf, type PolicyServer } from '../tls/server.js';
import { createGatewayMetrics, type CloseReason, type GatewayMetrics, type UpstreamFailureReason } from './metrics.js';

export const DEFAULT_GATEWAY_HANDSHAKE_TIMEOUT_MS = 10_000;
export const DEFAULT_IDLE_TIMEOUT_MS = 60_000;
export const DEFAULT_UPSTREAM_CONNECT_TIMEOUT_MS = 5_000;
export const DEFAULT_MAX_CONNECTIONS = 10_000;
export const DEFAULT_DRAIN_TIMEOUT_MS = 30_000;

export interface HostPort {
  host: string;
  port: number;
}

export interface GatewayOptions {
  policy: TlsPolicyName;
  /** Address to accept TLS on; port 0 picks a free port (see `listen()`'s result). */
  listen: HostPort;
  /** The TCP service the decrypted bytes go to. */
  upstream: HostPort;
  /** PEM private key and certificate chain. */
  key: string | Buffer;
  cert: string | Buffer;
  /** Accept to end of the TLS handshake, ClientHello included; default 10 000. */
  handshakeTimeoutMs?: number;
  /** A proxied connection with no bytes either way for this long is closed; default 60 000. */
  idleTimeoutMs?: number;
  /** Bound on connecting to the upstream; default 5 000. */
  upstreamConnectTimeoutMs?: number;
  /** Open client connections this process accepts; more are closed at accept (refusal `connection_limit`). Default 10 000. */
  maxConnections?: number;
  /** Registry for the gateway metrics; default a fresh one (so two gateways in a process do not clash). */
  registry?: Registry;
}

export interface GatewayCloseOptions {
  /** How long open connections may go on after `close()` before they are destroyed; default 30 000. */
  drainTimeoutMs?: number;
}

export interface Gateway extends EventEmitter {
  /** Starts accepting; resolves with the bound address. */
  listen(): Promise<HostPort>;
  /**
   * Stops accepting at once, lets open connections finish, destroys those
   * still open after `drainTimeoutMs`; resolves when every socket is closed.
   */
  close(options?: GatewayCloseOptions): Promise<void>;
  readonly registry: Registry;
  /** Client TCP connections open now (handshakes in progress included). */
  readonly activeConnections: number;
  readonly server: PolicyServer;
  on(event: 'negotiated', listener: (info: HandshakeInfo, socket: TLSSocket) => void): this;
  on(event: 'refused', listener: (refusal: Refusal) => void): this;
  on(event: 'error', listener: (error: Error) => void): this;
  on(event: string | symbol, listener: (...args: any[]) => void): this;
}

/** Options with their defaults applied, validated. */
export interface ResolvedGatewayOptions extends Required<Omit<GatewayOptions, 'registry'>> {
  registry: Registry | undefined;
}

export function checkHostPort(field: string, value: unknown, allowZero: boolean): HostPort {
  if (typeof value !== 'object' || value === null) throw new InvalidArgumentError(field, 'must be { host, port }');
  const { host, port } = value as Partial<HostPort>;
  if (typeof host !== 'string' || host.length === 0 || /[\s/]/.test(host) || (host.includes(':') && isIP(host) !== 6)) {
    throw new InvalidArgumentError(`${field}.host`, `must be a host name or IP address, got ${JSON.stringify(host)}`);
  }
  const min = allowZero ? 0 : 1;
  if (typeof port !== 'number' || !Number.isInteger(port) || port < min || port > 65_535) {
    throw new InvalidArgumentError(`${field}.port`, `must be an integer from ${min} to 65535, got ${String(port)}`);
  }
  return { host, port };
}

export function checkPositiveInteger(field: string, value: number | undefined, fallback: number): number {
  if (value === undefined) return fallback;
  if (typeof value !== 'number' || !Number.isInteger(value) || value < 1) {
    throw new InvalidArgumentError(field, `must be a positive integer, got ${String(value)}`);
  }
  return value;
}

function checkPem(field: string, value: unknown): string | Buffer {
  if ((typeof value === 'string' || Buffer.isBuffer(value)) && value.length > 0) return value;
  // Never echo the value: it may be key material.
  throw new InvalidArgumentError(field, 'must be a non-empty PEM string or Buffer');
}

/** Validates `options` and applies the defaults; throws InvalidArgumentError naming the field. */
export function resolveGatewayOptions(options: GatewayOptions): ResolvedGatewayOptions {
  if (typeof options !== 'object' || options === null) throw new InvalidArgumentError('options', 'must be an object');
  const policy = getPolicy(options.policy).name;
  if (options.registry !== undefined && !(options.registry instanceof Registry)) {
    throw new InvalidArgumentError('registry', 'must be a prom-client Registry');
  }
  return {
    policy,
    listen: checkHostPort('listen', options.listen, true),
    upstream: checkHostPort('upstream', options.upstream, false),
    key: checkPem('key', options.key),
    cert: checkPem('cert', options.cert),
    handshakeTimeoutMs: checkPositiveInteger('handshakeTimeoutMs', options.handshakeTimeoutMs, DEFAULT_GATEWAY_HANDSHAKE_TIMEOUT_MS),
    idleTimeoutMs: checkPositiveInteger('idleTimeoutMs', options.idleTimeoutMs, DEFAULT_IDLE_TIMEOUT_MS),
    upstreamConnectTimeoutMs: checkPositiveInteger('upstreamConnectTimeoutMs', options.upstreamConnectTimeoutMs, DEFAULT_UPSTREAM_CONNECT_TIMEOUT_MS),
    maxConnections: checkPositiveInteger('maxConnections', options.maxConnections, DEFAULT_MAX_CONNECTIONS),
    registry: options.registry,
  };
}

/** One accepted client connection and, once its handshake is done, its upstream. */
interface Connection {
  readonly raw: Socket;
  tls: TLSSocket | undefined;
  upstream: Socket | undefined;
  /** Sockets of this connection not yet closed; the connection is over at 0. */
  openSockets: number;
  closeReason: CloseReason | undefined;
  idleTimer: NodeJS.Timeout | undefined;
}

function upstreamFailureReason(error: NodeJS.ErrnoException, connected: boolean): UpstreamFailureReason {
  if (!connected && error.code === 'ECONNREFUSED') return 'refused';
  if (error.code === 'ECONNRESET' || error.code === 'EPIPE') return 'reset';
  if (error.code === 'ETIMEDOUT') return 'timeout';
  return 'error';
}

class GatewayImpl extends EventEmitter implements Gateway {
  readonly registry: Registry;
  readonly server: PolicyServer;
  readonly #options: ResolvedGatewayOptions;
  readonly #metrics: GatewayMetrics;
  readonly #connections = new Set<Connection>();
  readonly #byRaw = new WeakMap<Socket, Connection>();
  #closing: Promise<void> | undefined;
  #drained: (() => void) | undefined;

  constructor(options: ResolvedGatewayOptions) {
    super();
    this.#options = options;
    this.registry = options.registry ?? new Registry();
    this.#metrics = createGatewayMetrics(this.registry, options.policy);
    this.server = createServer(options.policy, {
      key: options.key,
      cert: options.cert,
      handshakeTimeoutMs: options.handshakeTimeoutMs,
      // Half-close must reach the upstream: a client that ends its side may still read the reply.
      allowHalfOpen: true,
    });
    // net.Server closes sockets over the limit at accept and emits 'drop' (the policy server's connection_limit refusal).
    this.server.maxConnections = options.maxConnections;
    // In a node:cluster worker, a full worker would otherwise hand the
    // connection back to the primary to try another worker, silently (no
    // 'drop', so no connection_limit count), and while every worker is full
    // the primary keeps re-offering it. Dropping keeps the limit per process
    // and counted, as in a single process (no effect outside a cluster).
    (this.server as PolicyServer & { dropMaxConnection?: boolean }).dropMaxConnection = true;
    const m = this.#metrics;
    const policy = options.policy;

    this.server.on('negotiated', (info: HandshakeInfo, socket: TLSSocket) => {
      const labels = { policy, group: info.group };
      m.handshakes.inc({ ...labels, result: 'accepted' });
      m.handshakeDuration.observe(labels, info.durationMs / 1000);
      if (!info.hybrid) m.fallbacks.inc(labels);
      if (info.advisory) m.advisories.inc(labels);
      if (info.helloRetry) m.helloRetries.inc(labels);
      this.emit('negotiated', info, socket);
    });
    this.server.on('refused', (refusal: Refusal) => {
      m.handshakes.inc({ policy, group: refusal.group ?? 'none', result: 'refused' });
      m.refusals.inc({ policy, reason: refusal.reason });
      this.emit('refused', refusal);
    });
    this.server.on('connection', (raw: Socket) => this.#accept(raw));
    this.server.on('secureConnection', (socket: TLSSocket) => this.#proxy(socket));
    this.server.on('error', (error: Error) => {
      // A listening server's errors (e.g. EMFILE on accept) are reported, never thrown at the process.
      if (this.listenerCount('error') > 0) this.emit('error', error);
    });
  }

  get activeConnections(): number {
    return this.#connections.size;
  }

  listen(): Promise<HostPort> {
    return new Promise((resolve, reject) => {
      const onError = (error: Error) => reject(error);
      this.server.once('error', onError);
      this.server.listen({ host: this.#options.listen.host, port: this.#options.listen.port }, () => {
        this.server.removeListener('error', onError);
        const address = this.server.address() as AddressInfo;
        resolve({ host: address.address, port: address.port });
      });
    });
  }

  close(options: GatewayCloseOptions = {}): Promise<void> {
    if (this.#closing) return this.#closing;
    let drainTimeoutMs: number;
    try {
      drainTimeoutMs = checkPositiveInteger('drainTimeoutMs', options.drainTimeoutMs, DEFAULT_DRAIN_TIMEOUT_MS);
    } catch (error) {
      return Promise.reject(error);
    }
    const serverClosed = new Promise<void>((resolve) => {
      if (!this.server.listening) return resolve();
      this.server.close(() => resolve());
    });
    const drained = new Promise<void>((resolve) => {
      if (this.#connections.size === 0) return resolve();
      this.#drained = resolve;
    });
    const timer = setTimeout(() => {
      for (const connection of this.#connections) this.#destroy(connection, 'shutdown');
    }, drainTimeoutMs);
    this.#closing = Promise.all([serverClosed, drained]).then(() => clearTimeout(timer));
    return this.#closing;
  }

  #accept(raw: Socket): void {
    const connection: Connection = { raw, tls: undefined, upstream: undefined, openSockets: 0, closeReason: undefined, idleTimer: undefined };
    this.#connections.add(connection);
    this.#byRaw.set(raw, connection);
    this.#metrics.activeConnections.inc();
    this.#track(connection, raw);
    // The server is allowHalfOpen (for the proxy's sake), so a client that ends
    // during the ClientHello would otherwise sit until the handshake timeout:
    // it can no longer finish a handshake, so close it now (client_aborted).
    raw.once('end', () => {
      if (!connection.tls) raw.destroy();
    });
  }

  /** Counts `socket` as open until its 'close'; the connection ends when its last socket closes. */
  #track(connection: Connection, socket: Socket): void {
    connection.openSockets++;
    socket.once('close', () => {
      if (--connection.openSockets > 0) {
        // One side is gone for good: end the other so the connection does not linger half-alive.
        for (const other of [connection.tls, connection.upstream]) if (other && other !== socket && !other.destroyed) other.end();
        return;
      }
      this.#finish(connection);
    });
  }

  #finish(connection: Connection): void {
    if (!this.#connections.delete(connection)) return;
    clearTimeout(connection.idleTimer);
    this.#metrics.activeConnections.dec();
    // Only connections that reached the proxy stage have a close reason; the rest are refusals.
    if (connection.tls) this.#metrics.connectionCloses.inc({ reason: connection.closeReason ?? 'completed' });
    if (this.#connections.size === 0 && this.#drained) this.#drained();
  }

  #destroy(connection: Connection, reason: CloseReason): void {
    connection.closeReason ??= reason;
    connection.tls?.destroy();
    connection.upstream?.destroy();
    connection.raw.destroy();
  }

  #proxy(socket: TLSSocket): void {
    const raw = parentOf(socket);
    let connection = raw && this.#byRaw.get(raw);
    if (!connection) {
      connection = { raw: socket, tls: undefined, upstream: undefined, openSockets: 0, closeReason: undefined, idleTimer: undefined };
      this.#connections.add(connection);
      this.#metrics.activeConnections.inc();
    }
    if (socket.destroyed) return;
    const c = connection;
    c.tls = socket;
    this.#track(c, socket);
    socket.pause();
    socket.on('error', () => this.#destroy(c, 'error'));

    const { upstream: target, upstreamConnectTimeoutMs, idleTimeoutMs } = this.#options;
    const m = this.#metrics;
    c.idleTimer = setTimeout(() => this.#destroy(c, 'idle_timeout'), idleTimeoutMs);

    const upstream = net.connect({ host: target.host, port: target.port, allowHalfOpen: true });
    c.upstream = upstream;
    this.#track(c, upstream);
    let connected = false;
    const connectTimer = setTimeout(() => {
      m.upstreamFailures.inc({ reason: 'timeout' });
      this.#destroy(c, 'upstream_failure');
    }, upstreamConnectTimeoutMs);
    upstream.on('error', (error: NodeJS.ErrnoException) => {
      clearTimeout(connectTimer);
      // An error after the connection is already being torn down is not the upstream's failure.
      if (c.closeReason === undefined) m.upstreamFailures.inc({ reason: upstreamFailureReason(error, connected) });
      this.#destroy(c, 'upstream_failure');
    });
    upstream.once('connect', () => {
      clearTimeout(connectTimer);
      connected = true;
      if (socket.destroyed) {
        upstream.destroy();
        return;
      }
      const toUpstream = m.proxiedBytes.labels({ direction: 'to_upstream' });
      const toClient = m.proxiedBytes.labels({ direction: 'to_client' });
      socket.on('data', (chunk: Buffer) => {
        toUpstream.inc(chunk.length);
        c.idleTimer?.refresh();
      });
      upstream.on('data', (chunk: Buffer) => {
        toClient.inc(chunk.length);
        c.idleTimer?.refresh();
      });
      // pipe() ends the destination when the source ends: half-close goes through both ways.
      socket.pipe(upstream);
      upstream.pipe(socket);
    });
  }
}

/** A TLS gateway under `options.policy` (not yet listening: call `listen()`). Throws InvalidArgumentError for bad options. */
export function createGateway(options: GatewayOptions): Gateway {
  return new GatewayImpl(resolveGatewayOptions(options));
}
