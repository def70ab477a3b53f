/**
 * `createServer(policy, options)`: a `tls.Server` under a policy that knows
 * the group of every connection and says why each refused one was refused.
 *
 * Each accepted TCP connection's ClientHello is read before TLS takes the
 * socket (the bytes go back unchanged), the group OpenSSL will pick is
 * derived from it (selection.ts), and the connection ends in exactly one
 * `negotiated` or `refused` event.
 * @module
 */
import type { Socket } from 'node:net';
import * as tls from 'node:tls';
import { InvalidArgumentError } from '@hybridkem/core';
import { ClientHelloError, readClientHelloSummary } from './client-hello.js';
import { TLS_GROUPS } from './groups.js';
import { recordHandshake, type HandshakeInfo, type Refusal, type RefusalReason } from './handshake-info.js';
import { tlsOptions } from './options.js';
import { getPolicy, type TlsPolicy, type TlsPolicyName } from './policies.js';
import { selectGroup, type GroupSelection } from './selection.js';

/** Default bound on a handshake, ClientHello included: a client that has not finished by then is closed (slowloris). */
export const DEFAULT_HANDSHAKE_TIMEOUT_MS = 10_000;

export interface PolicyServerOptions extends tls.TlsOptions {
  /** Milliseconds from accept to the end of the handshake; default 10 000. */
  handshakeTimeoutMs?: number;
}

export interface PolicyServer extends tls.Server {
  readonly policy: TlsPolicy;
  on(event: 'negotiated', listener: (info: HandshakeInfo, socket: tls.TLSSocket) => void): this;
  on(event: 'refused', listener: (refusal: Refusal) => void): this;
  on(event: string | symbol, listener: (...args: any[]) => void): this;
}

interface PendingConnection {
  readonly acceptedAt: number;
  selection: GroupSelection | undefined;
  settled: boolean;
  timer: NodeJS.Timeout;
}

/**
 * A `tls.Server` under `policy`: `options` are Node's TLS server options (key,
 * cert, ALPN, ...) plus `handshakeTimeoutMs`; the policy's TLS options win over
 * any in `options`. Emits `negotiated(info, socket)` before
 * `secureConnection`, and `refused(refusal)` for every connection that does
 * not get there. Throws TlsUnavailableError on a Node without OpenSSL 3.5.
 */
export function createServer(
  policy: TlsPolicyName,
  options: PolicyServerOptions = {},
  secureConnectionListener?: (socket: tls.TLSSocket) => void,
): PolicyServer {
  const p = getPolicy(policy);
  const { handshakeTimeoutMs = DEFAULT_HANDSHAKE_TIMEOUT_MS, ...rest } = options;
  if (!Number.isInteger(handshakeTimeoutMs) || handshakeTimeoutMs < 1) {
    throw new InvalidArgumentError('handshakeTimeoutMs', `must be a positive integer number of milliseconds, got ${handshakeTimeoutMs}`);
  }
  const server = tls.createServer(
    // Node's own timer only backs ours up: ours covers the ClientHello too.
    { ...rest, ...tlsOptions(policy), handshakeTimeout: handshakeTimeoutMs + 1_000 },
    secureConnectionListener,
  ) as PolicyServer;
  Object.defineProperty(server, 'policy', { value: p, enumerable: true });

  const pending = new WeakMap<Socket, PendingConnection>();
  const refuse = (raw: Socket, state: PendingConnection, reason: RefusalReason, detail?: string) => {
    if (state.settled) return;
    state.settled = true;
    clearTimeout(state.timer);
    const selection = state.selection;
    const refusal: Refusal = {
      policy: p.name,
      // A ClientHello the selection refuses is refused for that reason, however OpenSSL words it.
      reason: selection && !selection.accepted && reason !== 'handshake_timeout' ? selection.reason : reason,
      group: selection?.accepted ? selection.group : undefined,
      durationMs: performance.now() - state.acceptedAt,
      remoteAddress: raw.remoteAddress,
      detail,
    };
    server.emit('refused', refusal);
  };

  // Take over TLS's 'connection' listener: read the ClientHello first, then hand the socket on.
  const startTls = server.listeners('connection')[0] as ((socket: Socket) => void) | undefined;
  if (!startTls) throw new Error('node:tls server has no connection listener to take over');
  server.removeListener('connection', startTls);
  server.on('connection', (raw: Socket) => {
    const state: PendingConnection = {
      acceptedAt: performance.now(),
      selection: undefined,
      settled: false,
      timer: setTimeout(() => {
        refuse(raw, state, 'handshake_timeout');
        raw.destroy();
      }, handshakeTimeoutMs),
    };
    pending.set(raw, state);
    // A reset while we read must not become an unhandled 'error'.
    raw.on('error', () => {});
    raw.once('close', () => refuse(raw, state, 'client_aborted'));
    readClientHelloSummary(raw).then(
      (hello) => {
        if (state.settled || raw.destroyed) return;
        state.selection = selectGroup(p, hello);
        startTls.call(server, raw);
      },
      (error: unknown) => {
        const reason = error instanceof ClientHelloError ? error.reason : 'malformed_client_hello';
        refuse(raw, state, reason, error instanceof Error ? error.message : undefined);
        raw.destroy();
      },
    );
  });

  server.on('tlsClientError', (error: Error & { code?: string }, socket: tls.TLSSocket) => {
    const raw = parentOf(socket);
    const state = raw && pending.get(raw);
    if (!raw || !state) return;
    const aborted = error.code === 'ECONNRESET' || /disconnected|socket hang up/i.test(error.message);
    refuse(raw, state, aborted ? 'client_aborted' : 'tls_error', error.message);
  });

  server.prependListener('secureConnection', (socket: tls.TLSSocket) => {
    const raw = parentOf(socket);
    const state = raw && pending.get(raw);
    if (!raw || !state || state.settled) return;
    const selection = state.selection;
    if (!selection?.accepted) {
      refuse(raw, state, 'policy_mismatch', 'OpenSSL completed a handshake the policy refuses');
      socket.destroy();
      return;
    }
    state.settled = true;
    clearTimeout(state.timer);
    const info: HandshakeInfo = {
      policy: p.name,
      side: 'server',
      group: selection.group,
      hybrid: TLS_GROUPS[selection.group].hybrid,
      advisory: selection.advisory,
      helloRetry: selection.helloRetry,
      cipherSuite: socket.getCipher()?.standardName ?? 'unknown',
      durationMs: performance.now() - state.acceptedAt,
    };
    recordHandshake(socket, info);
    server.emit('negotiated', info, socket);
  });

  server.on('drop', (data?: { remoteAddress?: string }) => {
    const refusal: Refusal = {
      policy: p.name,
      reason: 'connection_limit',
      group: undefined,
      durationMs: 0,
      remoteAddress: data?.remoteAddress,
      detail: undefined,
    };
    server.emit('refused', refusal);
  });
  return server;
}

/**
 * The TCP socket under a server-side TLSSocket. Node keeps it as `_parent`
 * (lib/_tls_wrap.js) and has no public accessor; test/server.test.ts asserts
 * it is there, so a Node that drops it fails a test instead of losing counts.
 */
export function parentOf(socket: tls.TLSSocket): Socket | undefined {
  return (socket as unknown as { _parent?: Socket })._parent ?? undefined;
}
