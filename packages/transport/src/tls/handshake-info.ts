/**
 * What each side learns about a connection's key exchange, kept per socket.
 * @module
 */
import type { TLSSocket } from 'node:tls';
import type { TlsGroupName } from './groups.js';
import type { TlsPolicyName } from './policies.js';
import type { HelloRefusalReason } from './selection.js';

/** The key exchange of one completed handshake. */
export interface HandshakeInfo {
  readonly policy: TlsPolicyName;
  readonly side: 'server' | 'client';
  readonly group: TlsGroupName;
  /** The group combines ML-KEM with an elliptic curve; false means a classical fallback. */
  readonly hybrid: boolean;
  /** The policy accepted the group with an advisory (fips-advisory's non-NIST-hybrid groups). */
  readonly advisory: boolean;
  /** Server: whether the server asked for another key share (HelloRetryRequest). Client: undefined (Node does not say). */
  readonly helloRetry: boolean | undefined;
  /** The TLS 1.3 cipher suite's standard name. */
  readonly cipherSuite: string;
  /** Milliseconds from accepting the TCP connection (server) or calling connect (client) to the end of the handshake. */
  readonly durationMs: number;
}

/**
 * Why a server under a policy did not complete a handshake (spec/TRANSPORT.md
 * §3.1), in the order the spec lists them. Every connection a policy server
 * accepts ends in exactly one `negotiated` or `refused` event.
 */
export const REFUSAL_REASONS = Object.freeze([
  // The ClientHello, under the policy (selection.ts):
  'protocol_version',
  'no_shared_cipher',
  'no_shared_group',
  // The first bytes are not a TLS handshake record.
  'not_tls',
  // A handshake record that is not a readable ClientHello within the bounds.
  'malformed_client_hello',
  // The client closed or reset the connection before the handshake ended.
  'client_aborted',
  // The handshake did not end within the handshake timeout.
  'handshake_timeout',
  // Over the server's `maxConnections`: closed at accept.
  'connection_limit',
  // OpenSSL failed the handshake for another reason (e.g. the client rejected the certificate).
  'tls_error',
  // OpenSSL completed a handshake the policy's selection refuses: closed at once. Never expected.
  'policy_mismatch',
] as const satisfies readonly (HelloRefusalReason | string)[]);

export type RefusalReason = (typeof REFUSAL_REASONS)[number];

// A reason the selection gives must be one of the list.
const selectionReasonsListed: HelloRefusalReason extends RefusalReason ? true : never = true;
void selectionReasonsListed;

export interface Refusal {
  readonly policy: TlsPolicyName;
  readonly reason: RefusalReason;
  /** The group the selection picked, when the refusal came after it picked one. */
  readonly group: TlsGroupName | undefined;
  readonly durationMs: number;
  readonly remoteAddress: string | undefined;
  /** OpenSSL's or the parser's message, when there is one (never key material). */
  readonly detail: string | undefined;
}

const infoBySocket = new WeakMap<TLSSocket, HandshakeInfo>();

/** The key exchange of a connection made by `createServer` or `connect`, once its handshake has completed. */
export function negotiatedGroup(socket: TLSSocket): HandshakeInfo | undefined {
  return infoBySocket.get(socket);
}

export function recordHandshake(socket: TLSSocket, info: HandshakeInfo): void {
  infoBySocket.set(socket, Object.freeze(info));
}
