/**
 * The IPC messages between the gateway cluster's primary and its workers.
 * Options travel over IPC, not the environment, so the private key is never
 * in a worker's environment (visible in /proc to the same user).
 * @module
 */
import type { HostPort } from './gateway.js';
import type { TlsPolicyName } from '../tls/policies.js';

/** GatewayOptions as a worker receives them: PEM as strings, no registry (each worker has its own). */
export interface WorkerGatewayOptions {
  policy: TlsPolicyName;
  listen: HostPort;
  upstream: HostPort;
  key: string;
  cert: string;
  handshakeTimeoutMs: number;
  idleTimeoutMs: number;
  upstreamConnectTimeoutMs: number;
  maxConnections: number;
}

export type PrimaryMessage =
  | { type: 'hybridkem-gateway:start'; options: WorkerGatewayOptions }
  | { type: 'hybridkem-gateway:drain'; drainTimeoutMs: number };

export type WorkerMessage =
  | { type: 'hybridkem-gateway:hello' }
  | { type: 'hybridkem-gateway:listening'; address: HostPort }
  | { type: 'hybridkem-gateway:failed'; message: string; code: string | undefined }
  | { type: 'hybridkem-gateway:drained' };

export function isWorkerMessage(value: unknown): value is WorkerMessage {
  return typeof value === 'object' && value !== null && typeof (value as { type?: unknown }).type === 'string' && (value as { type: string }).type.startsWith('hybridkem-gateway:');
}

export function isPrimaryMessage(value: unknown): value is PrimaryMessage {
  return isWorkerMessage(value);
}
