/**
 * The gateway's Prometheus metrics: `GATEWAY_METRICS` is the one description
 * of them (name, type, help, labels), from which `createGatewayMetrics`
 * registers them; docs and tests are checked against the same table.
 * @module
 */
import { Counter, Gauge, Histogram, type Registry } from 'prom-client';
import { REFUSAL_REASONS } from '../tls/handshake-info.js';
import { getPolicy, type TlsPolicyName } from '../tls/policies.js';
import { TLS_GROUPS } from '../tls/groups.js';

/** Why the gateway could not use the upstream for a connection. */
export type UpstreamFailureReason = 'refused' | 'reset' | 'timeout' | 'error';
export const UPSTREAM_FAILURE_REASONS = Object.freeze(['refused', 'reset', 'timeout', 'error'] as const satisfies readonly UpstreamFailureReason[]);

/**
 * How a proxied connection (one whose handshake completed) ended: both sides
 * finished normally, nothing moved for idleTimeoutMs, the upstream failed,
 * a socket error on the client side, or the gateway's drain timeout ran out.
 */
export type CloseReason = 'completed' | 'idle_timeout' | 'upstream_failure' | 'error' | 'shutdown';
export const CLOSE_REASONS = Object.freeze([
  'completed',
  'idle_timeout',
  'upstream_failure',
  'error',
  'shutdown',
] as const satisfies readonly CloseReason[]);

export type ProxyDirection = 'to_upstream' | 'to_client';
export const PROXY_DIRECTIONS = Object.freeze(['to_upstream', 'to_client'] as const satisfies readonly ProxyDirection[]);

/** Handshakes take well under a millisecond on loopback and seconds over a bad link or a HelloRetryRequest. */
export const HANDSHAKE_DURATION_BUCKETS = Object.freeze([0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10]);

export interface GatewayMetricDescription {
  readonly name: string;
  readonly type: 'counter' | 'gauge' | 'histogram';
  readonly help: string;
  readonly labels: readonly string[];
}

export const GATEWAY_METRICS = Object.freeze({
  handshakes: {
    name: 'hybridkem_gateway_handshakes_total',
    type: 'counter',
    help: 'TLS handshakes that ended, by policy, group (IANA name, or none when no group was selected) and result (accepted or refused).',
    labels: ['policy', 'group', 'result'],
  },
  handshakeDuration: {
    name: 'hybridkem_gateway_handshake_duration_seconds',
    type: 'histogram',
    help: 'Seconds from accepting the TCP connection to the end of the TLS handshake, for accepted handshakes.',
    labels: ['policy', 'group'],
  },
  fallbacks: {
    name: 'hybridkem_gateway_fallbacks_total',
    type: 'counter',
    help: 'Accepted handshakes on a classical (non-hybrid) group: clients without post-quantum key exchange.',
    labels: ['policy', 'group'],
  },
  advisories: {
    name: 'hybridkem_gateway_advisories_total',
    type: 'counter',
    help: 'Accepted handshakes the policy accepts only with an advisory (fips-advisory on a group outside the NIST hybrids).',
    labels: ['policy', 'group'],
  },
  helloRetries: {
    name: 'hybridkem_gateway_hello_retries_total',
    type: 'counter',
    help: 'Accepted handshakes that needed a HelloRetryRequest: the client sent no key share for the group the server picked (one extra round trip).',
    labels: ['policy', 'group'],
  },
  refusals: {
    name: 'hybridkem_gateway_refusals_total',
    type: 'counter',
    help: 'Connections closed before a completed handshake, by reason (connection_limit: closed at accept, over maxConnections).',
    labels: ['policy', 'reason'],
  },
  activeConnections: {
    name: 'hybridkem_gateway_active_connections',
    type: 'gauge',
    help: 'Client TCP connections open now, from accept to close, handshakes in progress included.',
    labels: [],
  },
  proxiedBytes: {
    name: 'hybridkem_gateway_proxied_bytes_total',
    type: 'counter',
    help: 'Payload bytes proxied, by direction: to_upstream (decrypted from clients) or to_client (from the upstream, before encryption).',
    labels: ['direction'],
  },
  upstreamFailures: {
    name: 'hybridkem_gateway_upstream_failures_total',
    type: 'counter',
    help: 'Upstream connections that failed: refused, reset, timeout (connect timeout) or error.',
    labels: ['reason'],
  },
  connectionCloses: {
    name: 'hybridkem_gateway_connection_closes_total',
    type: 'counter',
    help: 'Proxied connections (handshake completed) that closed, by reason: completed, idle_timeout, upstream_failure, error or shutdown (drain timeout).',
    labels: ['reason'],
  },
} as const satisfies Record<string, GatewayMetricDescription>);

/** The metric objects one gateway updates, registered on its registry. */
export interface GatewayMetrics {
  readonly handshakes: Counter<'policy' | 'group' | 'result'>;
  readonly handshakeDuration: Histogram<'policy' | 'group'>;
  readonly fallbacks: Counter<'policy' | 'group'>;
  readonly advisories: Counter<'policy' | 'group'>;
  readonly helloRetries: Counter<'policy' | 'group'>;
  readonly refusals: Counter<'policy' | 'reason'>;
  readonly activeConnections: Gauge<string>;
  readonly proxiedBytes: Counter<'direction'>;
  readonly upstreamFailures: Counter<'reason'>;
  readonly connectionCloses: Counter<'reason'>;
}

function counter<L extends string>(registry: Registry, d: GatewayMetricDescription): Counter<L> {
  return new Counter<L>({ name: d.name, help: d.help, labelNames: d.labels as L[], registers: [registry] });
}

/**
 * Registers the gateway metrics on `registry` and sets every label
 * combination a gateway under `policy` can produce to 0, so that a dashboard
 * sees 0 rather than no series. Throws if `registry` already has them.
 */
export function createGatewayMetrics(registry: Registry, policy: TlsPolicyName): GatewayMetrics {
  const p = getPolicy(policy);
  const d = GATEWAY_METRICS;
  const metrics: GatewayMetrics = {
    handshakes: counter(registry, d.handshakes),
    handshakeDuration: new Histogram<'policy' | 'group'>({
      name: d.handshakeDuration.name,
      help: d.handshakeDuration.help,
      labelNames: [...d.handshakeDuration.labels],
      buckets: [...HANDSHAKE_DURATION_BUCKETS],
      registers: [registry],
    }),
    fallbacks: counter(registry, d.fallbacks),
    advisories: counter(registry, d.advisories),
    helloRetries: counter(registry, d.helloRetries),
    refusals: counter(registry, d.refusals),
    activeConnections: new Gauge({ name: d.activeConnections.name, help: d.activeConnections.help, registers: [registry] }),
    proxiedBytes: counter(registry, d.proxiedBytes),
    upstreamFailures: counter(registry, d.upstreamFailures),
    connectionCloses: counter(registry, d.connectionCloses),
  };

  for (const tier of p.tiers) {
    for (const group of tier.groups) {
      const labels = { policy: p.name, group };
      metrics.handshakes.inc({ ...labels, result: 'accepted' }, 0);
      metrics.handshakeDuration.zero(labels);
      metrics.helloRetries.inc(labels, 0);
      if (!TLS_GROUPS[group].hybrid) metrics.fallbacks.inc(labels, 0);
      if (tier.advisory) metrics.advisories.inc(labels, 0);
    }
  }
  // A refusal carries a group only when the selection had picked one (e.g. a
  // tls_error after the ClientHello); 'none' is the common case.
  metrics.handshakes.inc({ policy: p.name, group: 'none', result: 'refused' }, 0);
  for (const reason of REFUSAL_REASONS) metrics.refusals.inc({ policy: p.name, reason }, 0);
  metrics.activeConnections.set(0);
  for (const direction of PROXY_DIRECTIONS) metrics.proxiedBytes.inc({ direction }, 0);
  for (const reason of UPSTREAM_FAILURE_REASONS) metrics.upstreamFailures.inc({ reason }, 0);
  for (const reason of CLOSE_REASONS) metrics.connectionCloses.inc({ reason }, 0);
  return metrics;
}
