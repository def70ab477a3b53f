/**
 * The in-memory state both stores share: the rules of spec/MESH.md §5 in
 * one place (an id applies once; versions only go up; ids are forgotten
 * after expiresAt + skew).
 * @internal
 * @module
 */
import { InvalidArgumentError } from '@hybridkem/core';
import type { Clock } from '../clock.js';
import { isValidKeyName } from '../envelope/format.js';
import { NodeStoreError } from '../errors.js';
import type { StoredEnvelope } from './types.js';

/** Default clock skew, as the receiver's (spec/MESH.md §4). */
export const DEFAULT_SKEW_MS = 60_000;

const HEX32 = /^[0-9a-f]{32}$/;

export function checkStored(a: StoredEnvelope): StoredEnvelope {
  if (typeof a !== 'object' || a === null) throw new InvalidArgumentError('envelope', 'expected a StoredEnvelope');
  if (typeof a.envelopeId !== 'string' || !HEX32.test(a.envelopeId)) throw new InvalidArgumentError('envelopeId', 'expected 32 lower-case hex digits');
  if (typeof a.issuerKeyId !== 'string' || !HEX32.test(a.issuerKeyId)) throw new InvalidArgumentError('issuerKeyId', 'expected 32 lower-case hex digits');
  if (!isValidKeyName(a.keyName)) throw new InvalidArgumentError('keyName', 'not a key name');
  for (const f of ['version', 'issuedAt', 'expiresAt'] as const) {
    if (!Number.isSafeInteger(a[f]) || a[f] < (f === 'version' ? 1 : 0)) throw new InvalidArgumentError(f, 'expected a safe non-negative integer');
  }
  if (!(a.bytes instanceof Uint8Array)) throw new InvalidArgumentError('bytes', 'expected a Uint8Array');
  return Object.freeze({
    envelopeId: a.envelopeId,
    keyName: a.keyName,
    version: a.version,
    issuedAt: a.issuedAt,
    expiresAt: a.expiresAt,
    issuerKeyId: a.issuerKeyId,
    bytes: a.bytes.slice(),
  });
}

export class StoreState {
  readonly latest = new Map<string, StoredEnvelope>();
  /** envelope id → expiresAt */
  readonly seen = new Map<string, number>();

  constructor(
    readonly clock: Clock,
    readonly skewMs: number,
  ) {}

  /** Throws NodeStoreError('conflict') when `a` may not be applied. */
  check(a: StoredEnvelope): void {
    if (this.seen.has(a.envelopeId)) throw new NodeStoreError('conflict', `envelope ${a.envelopeId} is already applied`);
    const v = this.latestVersion(a.keyName);
    if (a.version <= v) throw new NodeStoreError('conflict', `key "${a.keyName}" version ${a.version} is not above the stored version ${v}`);
  }

  apply(a: StoredEnvelope): void {
    this.seen.set(a.envelopeId, a.expiresAt);
    this.latest.set(a.keyName, a);
  }

  /** An id seen (replayed from a journal's compacted "seen" line). */
  remember(id: string, expiresAt: number): void {
    this.seen.set(id, expiresAt);
  }

  /** Forgets ids whose expiresAt + skew has passed, except the latest envelope's of each key name. */
  prune(): void {
    const now = this.clock.now();
    const keep = new Set([...this.latest.values()].map((a) => a.envelopeId));
    for (const [id, exp] of this.seen) if (exp + this.skewMs <= now && !keep.has(id)) this.seen.delete(id);
  }

  hasApplied(id: string): boolean {
    return this.seen.has(id);
  }

  latestVersion(keyName: string): number {
    return this.latest.get(keyName)?.version ?? 0;
  }

  applied(): readonly StoredEnvelope[] {
    return Object.freeze([...this.latest.values()].sort((a, b) => (a.keyName < b.keyName ? -1 : a.keyName > b.keyName ? 1 : 0)));
  }
}

export function checkSkew(skewMs: unknown): number {
  if (skewMs === undefined) return DEFAULT_SKEW_MS;
  if (typeof skewMs !== 'number' || !Number.isSafeInteger(skewMs) || skewMs < 0) throw new InvalidArgumentError('skewMs', 'expected a non-negative integer');
  return skewMs;
}
