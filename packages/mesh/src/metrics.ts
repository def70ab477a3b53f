/**
 * The mesh's Prometheus metrics (spec/MESH.md §6): `MESH_METRICS` is the one
 * description of them (name, type, help, labels), from which
 * `createMeshMetrics` registers them; the spec's table is held to it by a test.
 * @module
 */
import { Counter, Histogram, Registry } from 'prom-client';
import { REFUSAL_REASONS, type RefusalReason } from './refusals.js';

export interface MeshMetricDescription {
  readonly name: string;
  readonly type: 'counter' | 'gauge' | 'histogram';
  readonly help: string;
  readonly labels: readonly string[];
}

export const MESH_METRICS = Object.freeze({
  issued: {
    name: 'hybridkem_mesh_envelopes_issued_total',
    type: 'counter',
    help: 'Key envelopes an issuer built and signed.',
    labels: [],
  },
  applied: {
    name: 'hybridkem_mesh_envelopes_applied_total',
    type: 'counter',
    help: 'Key envelopes a receiver opened and committed to its node store (each envelope once per recipient).',
    labels: [],
  },
  refused: {
    name: 'hybridkem_mesh_envelopes_refused_total',
    type: 'counter',
    help: 'Key envelopes a receiver refused, by reason (the refusal reasons of spec/MESH.md §4; a redelivery of an applied envelope counts as replay).',
    labels: ['reason'],
  },
  deliveryLatency: {
    name: 'hybridkem_mesh_delivery_latency_seconds',
    type: 'histogram',
    help: 'Seconds from an applied envelope\'s issued-at to its commit on the receiver, by the receiver\'s clock (negative skew counts as 0).',
    labels: [],
  },
} as const satisfies Record<string, MeshMetricDescription>);

/** Loopback deliveries take milliseconds; a node catching up after downtime may take up to the 15-minute window. */
export const DELIVERY_LATENCY_BUCKETS = Object.freeze([0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60, 300, 900]);

export interface MeshMetrics {
  readonly registry: Registry;
  readonly issued: Counter<string>;
  readonly applied: Counter<string>;
  readonly refused: Counter<'reason'>;
  readonly deliveryLatency: Histogram<string>;
  /** Counts one refusal. */
  refuse(reason: RefusalReason): void;
}

/**
 * Registers the mesh metrics on `registry` (a new Registry when omitted) with
 * every refusal reason at 0, so a dashboard sees 0 rather than no series.
 * Throws if `registry` already has them: one MeshMetrics per registry, shared
 * by the issuer and receivers of a process.
 */
export function createMeshMetrics(registry: Registry = new Registry()): MeshMetrics {
  const d = MESH_METRICS;
  const issued = new Counter({ name: d.issued.name, help: d.issued.help, registers: [registry] });
  const applied = new Counter({ name: d.applied.name, help: d.applied.help, registers: [registry] });
  const refused = new Counter<'reason'>({ name: d.refused.name, help: d.refused.help, labelNames: [...d.refused.labels], registers: [registry] });
  const deliveryLatency = new Histogram({
    name: d.deliveryLatency.name,
    help: d.deliveryLatency.help,
    buckets: [...DELIVERY_LATENCY_BUCKETS],
    registers: [registry],
  });
  for (const reason of REFUSAL_REASONS) refused.inc({ reason }, 0);
  return Object.freeze({
    registry,
    issued,
    applied,
    refused,
    deliveryLatency,
    refuse: (reason: RefusalReason) => refused.inc({ reason }),
  });
}
