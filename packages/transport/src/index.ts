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
export {
  MIN_NODE_VERSIONS,
  MIN_NODE_VERSIONS_NAMING_GROUPS,
  TlsUnavailableError,
  assertClientGroupReport,
  assertHybridTls,
  clientGroupReportUnavailableReason,
  hybridTlsUnavailableReason,
} from './tls/availability.js';
export { opensslGroupsList, tlsOptions, type PolicyTlsOptions } from './tls/options.js';
export { ClientHelloError, readClientHelloSummary, type ClientHelloSummary } from './tls/client-hello.js';
export { selectGroup, type GroupSelection, type HelloRefusalReason } from './tls/selection.js';
export { REFUSAL_REASONS, negotiatedGroup, type HandshakeInfo, type Refusal, type RefusalReason } from './tls/handshake-info.js';
export { DEFAULT_HANDSHAKE_TIMEOUT_MS, createServer, type PolicyServer, type PolicyServerOptions } from './tls/server.js';
export { PolicyViolationError, connect } from './tls/client.js';
export {
  DEFAULT_DRAIN_TIMEOUT_MS,
  DEFAULT_GATEWAY_HANDSHAKE_TIMEOUT_MS,
  DEFAULT_IDLE_TIMEOUT_MS,
  DEFAULT_MAX_CONNECTIONS,
  DEFAULT_UPSTREAM_CONNECT_TIMEOUT_MS,
  createGateway,
  type Gateway,
  type GatewayCloseOptions,
  type GatewayOptions,
  type HostPort,
} from './gateway/gateway.js';
export {
  CLOSE_REASONS,
  GATEWAY_METRICS,
  HANDSHAKE_DURATION_BUCKETS,
  PROXY_DIRECTIONS,
  UPSTREAM_FAILURE_REASONS,
  createGatewayMetrics,
  type CloseReason,
  type GatewayMetricDescription,
  type GatewayMetrics,
  type ProxyDirection,
  type UpstreamFailureReason,
} from './gateway/metrics.js';
export {
  MAX_RESTARTS_PER_MINUTE,
  gatewayWorkerEntry,
  runGatewayMain,
  startGatewayCluster,
  type GatewayCluster,
  type GatewayClusterOptions,
} from './gateway/cluster.js';
// The Noise channel (spec/TRANSPORT.md §6): runtime-neutral parts and the Node stream adapter.
export * from './channel/errors.js';
export * from './channel/framing.js';
export * from './channel/negotiation.js';
export * from './channel/channel.js';
export * from './channel/streams.js';
export * from './channel/websocket.js';
export * from './channel/node.js';
// The channel's Noise machinery (HandshakeState, CipherState, names, crypto providers; node:crypto in this build).
export * from './channel/noise/index.js';
export { nodeCrypto } from './channel/noise/crypto-node.js';
