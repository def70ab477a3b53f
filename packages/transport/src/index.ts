/**
 * @hybridkem/transport: post-quantum TLS for Node services — named policies
 * over the hybrid TLS groups (spec/TRANSPORT.md), the negotiated group on both
 * sides of every connection, and a TLS gateway with Prometheus metrics.
 * @module
 */
export { TLS_GROUPS, TLS_GROUP_NAMES, groupById, groupByNodeName, type TlsGroup, type TlsGroupName } from './tls/groups.js';
export {
  TLS_POLICIES,
  TLS_POLICY_NAMES,
  TLS13_CIPHER_SUITES,
  acceptedGroups,
  getPolicy,
  isAdvisory,
  type PolicyTier,
  type TlsCipherSuite,
  type TlsPolicy,
  type TlsPolicyName,
} from './tls/policies.js';
export { MIN_NODE_VERSIONS, TlsUnavailableError, assertHybridTls, hybridTlsUnavailableReason } from './tls/availability.js';
export { opensslGroupsList, tlsOptions, type PolicyTlsOptions } from './tls/options.js';
export { ClientHelloError, readClientHelloSummary, type ClientHelloSummary } from './tls/client-hello.js';
export { selectGroup, type GroupSelection, type HelloRefusalReason } from './tls/selection.js';
export { negotiatedGroup, type HandshakeInfo, type Refusal, type RefusalReason } from './tls/handshake-info.js';
export { DEFAULT_HANDSHAKE_TIMEOUT_MS, createServer, type PolicyServer, type PolicyServerOptions } from './tls/server.js';
export { PolicyViolationError, connect } from './tls/client.js';
