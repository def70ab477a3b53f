/**
 * Whether this runtime's node:crypto can run the backend: Node ≥ 24.7, the
 * first release with crypto.encapsulate / crypto.decapsulate (ML-KEM), and
 * an OpenSSL with ML-KEM (3.5; Node bundles 3.5 from 24.5, but a Node built
 * against the system's OpenSSL may have an older one).
 * @module
 */
import * as nodeCrypto from 'node:crypto';
import { mlkemSeedPkcs8 } from './der.js';

/** The first Node release whose node:crypto has ML-KEM encapsulation. */
export const MIN_NODE_VERSION = '24.7.0';

function atLeast(version: string, minimum: string): boolean {
  const a = version.split('.').map(Number);
  const b = minimum.split('.').map(Number);
  for (let i = 0; i < 3; i++) {
    if ((a[i] ?? 0) !== (b[i] ?? 0)) return (a[i] ?? 0) > (b[i] ?? 0);
  }
  return true;
}

/** Why the backend cannot run here, or undefined when it can. */
export function unavailableReason(): string | undefined {
  const versions = (globalThis as { process?: { versions?: Record<string, string | undefined> } }).process?.versions ?? {};
  const node = versions.node;
  if (!node) return `@hybridkem/openssl needs Node.js >= ${MIN_NODE_VERSION} (node:crypto with ML-KEM); this runtime is not Node.js`;
  if (!atLeast(node, MIN_NODE_VERSION)) {
    return `@hybridkem/openssl needs Node.js >= ${MIN_NODE_VERSION} (node:crypto with ML-KEM, OpenSSL 3.5); this is Node.js v${node}`;
  }
  const withOpenssl = `Node.js v${node} with OpenSSL ${versions.openssl ?? 'unknown'}`;
  if (typeof nodeCrypto.encapsulate !== 'function' || typeof nodeCrypto.decapsulate !== 'function') {
    return `@hybridkem/openssl needs node:crypto's encapsulate/decapsulate (Node.js >= ${MIN_NODE_VERSION}); ${withOpenssl} has none`;
  }
  // A Node built against an older system OpenSSL has the functions but no ML-KEM keys.
  try {
    nodeCrypto.createPrivateKey({ key: mlkemSeedPkcs8('ML-KEM-768', new Uint8Array(64)), format: 'der', type: 'pkcs8' });
  } catch {
    return `@hybridkem/openssl needs OpenSSL >= 3.5 (ML-KEM) in node:crypto; ${withOpenssl} cannot load an ML-KEM key`;
  }
  return undefined;
}
