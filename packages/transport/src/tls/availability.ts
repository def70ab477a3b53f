/**
 * Whether this Node's OpenSSL speaks the hybrid TLS groups: OpenSSL 3.5 is
 * the first with ML-KEM key exchange in TLS. The check asks OpenSSL itself
 * (a secure context with every group the policies use) rather than trusting
 * a version number, since a Node may be built against a system OpenSSL.
 * @module
 */
import * as tls from 'node:tls';
import { HybridKemError } from '@hybridkem/core';
import { TLS_GROUP_NAMES, TLS_GROUPS } from './groups.js';

/** The first releases of each Node line that bundle OpenSSL 3.5. */
export const MIN_NODE_VERSIONS = Object.freeze(['22.20.0', '24.5.0']);

/** This Node cannot speak the hybrid TLS groups; the message names the Node versions that can. */
export class TlsUnavailableError extends HybridKemError {
  constructor(message: string, cause?: unknown) {
    super('ERR_TLS_UNAVAILABLE', message, { cause });
    this.name = 'TlsUnavailableError';
  }
}

/**
 * The first releases whose `getEphemeralKeyInfo()` names a hybrid group
 * (`{ type: 'TLSGroup', name: 'X25519MLKEM768' }`); earlier ones, Node 22
 * included, negotiate the groups but report `{}` for them.
 */
export const MIN_NODE_VERSIONS_NAMING_GROUPS = Object.freeze(['24.19.0', '26.5.0']);

function atLeast(version: string, minimum: string): boolean {
  const a = version.split('.').map(Number);
  const b = minimum.split('.').map(Number);
  for (let i = 0; i < 3; i++) if ((a[i] ?? 0) !== (b[i] ?? 0)) return (a[i] ?? 0) > (b[i] ?? 0);
  return true;
}

/** Why a client here cannot learn its negotiated group from Node, or undefined when it can. */
export function clientGroupReportUnavailableReason(): string | undefined {
  const version = process.versions.node;
  const major = Number(version.split('.')[0]);
  const [min24, min26] = MIN_NODE_VERSIONS_NAMING_GROUPS as [string, string];
  if ((major === 24 && atLeast(version, min24)) || (major >= 26 && atLeast(version, min26))) return undefined;
  return (
    `@hybridkem/transport's connect() needs Node.js >= ${min24} (24.x) or >= ${min26} (26.x and later), whose ` +
    `getEphemeralKeyInfo() names the hybrid TLS group; this is Node.js ${process.version}. Older Nodes with OpenSSL 3.5 ` +
    `negotiate the hybrid groups but cannot name them: tls.connect({ ...options, ...tlsOptions(policy) }) connects under ` +
    `the policy without the report`
  );
}

/** Throws TlsUnavailableError unless this Node names the hybrid group on the client side (connect()). */
export function assertClientGroupReport(): void {
  assertHybridTls();
  const reason = clientGroupReportUnavailableReason();
  if (reason !== undefined) throw new TlsUnavailableError(reason);
}

let checked: { reason: string | undefined; cause?: unknown } | undefined;

/** Why hybrid TLS cannot run here, or undefined when it can. */
export function hybridTlsUnavailableReason(): string | undefined {
  return (checked ??= probe()).reason;
}

/** Throws TlsUnavailableError unless this Node's OpenSSL has every group the policies use. */
export function assertHybridTls(): void {
  const result = (checked ??= probe());
  if (result.reason !== undefined) throw new TlsUnavailableError(result.reason, result.cause);
}

function probe(): { reason: string | undefined; cause?: unknown } {
  const needed = `Node.js >= ${MIN_NODE_VERSIONS.join(' (22.x) or >= ')} (24.x and later), which bundle OpenSSL 3.5 with the hybrid TLS groups`;
  const here = `this is Node.js ${process.version} with OpenSSL ${process.versions.openssl ?? 'unknown'}`;
  try {
    tls.createSecureContext({ ecdhCurve: TLS_GROUP_NAMES.map((name) => TLS_GROUPS[name].openssl).join(':') });
    return { reason: undefined };
  } catch (cause) {
    return { reason: `@hybridkem/transport needs ${needed}; ${here}`, cause };
  }
}
