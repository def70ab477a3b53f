/**
 * The WireGuard PSK metrics (spec/MESH.md §11.5), a table of their own
 * beside MESH_METRICS (§6): WG_METRICS describes them and createWgMetrics
 * registers them, every label value of a closed set present from the start
 * with 0.
 * @module
 */
import { Counter, Registry } from 'prom-client';
import type { MeshMetricDescription } from '../metrics.js';
import { PSK_REFUSAL_REASONS, type PskRefusalReason } from './refusals.js';

/** Why a rotation ran (spec/MESH.md §11): the initiator's trigger, or `answer` on the responder. */
export const ROTATION_REASONS = Object.freeze(['scheduled', 'emergency', 'manual', 'answer'] as const);
export type RotationReason = (typeof ROTATION_REASONS)[number];
/** Why an epoch was aborted (spec/MESH.md §11.2). */
export const ABORT_CAUSES = Object.freeze(['timeout', 'apply', 'send'] as const);
export type AbortCause = (typeof ABORT_CAUSES)[number];

export const WG_METRICS = Object.freeze({
  rotations: {
    name: 'hybridkem_mesh_wg_rotations_total',
    type: 'counter',
    help: 'PSK rotations this node applied to a WireGuard peer, by reason (the initiator\'s scheduled, emergency or manual; the responder\'s answer).',
    labels: ['reason'],
  },
  aborts: {
    name: 'hybridkem_mesh_wg_aborts_total',
    type: 'counter',
    help: 'Rotation epochs aborted before both sides applied, by cause (timeout, apply, send); each is retried with a new epoch.',
    labels: ['cause'],
  },
  refused: {
    name: 'hybridkem_mesh_wg_psk_refused_total',
    type: 'counter',
    help: 'PSK exchange messages refused, by reason (spec/MESH.md §10.3).',
    labels: ['reason'],
  },
} as const satisfies Record<string, MeshMetricDescription>);

export interface WgMetrics {
  readonly registry: Registry;
  readonly rotations: Counter<'reason'>;
  readonly aborts: Counter<'cause'>;
  readonly refused: Counter<'reason'>;
  refuse(reason: PskRefusalReason): void;
}

/**
 * Registers the WireGuard metrics on `registry` (a new one when omitted; it
 * may already hold MESH_METRICS). Throws if it already has these.
 */
export function createWgMetrics(registry: Registry = new Registry()): WgMetrics {
  const d = WG_METRICS;
  const rotations = new Counter<'reason'>({ name: d.rotations.name, help: d.rotations.help, labelNames: [...d.rotations.labels], registers: [registry] });
  const aborts = new Counter<'cause'>({ name: d.aborts.name, help: d.aborts.help, labelNames: [...d.aborts.labels], registers: [registry] });
  const refused = new Counter<'reason'>({ name: d.refused.name, help: d.refused.help, labelNames: [...d.refused.labels], registers: [registry] });
  for (const reason of ROTATION_REASONS) rotations.inc({ reason }, 0);
  for (const cause of ABORT_CAUSES) aborts.inc({ cause }, 0);
  for (const reason of PSK_REFUSAL_REASONS) refused.inc({ reason }, 0);
  return Object.freeze({ registry, rotations, aborts, refused, refuse: (reason: PskRefusalReason) => refused.inc({ reason }) });
}
