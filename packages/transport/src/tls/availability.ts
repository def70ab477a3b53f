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
