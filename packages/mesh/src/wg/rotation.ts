/**
 * The rotation engine (spec/MESH.md §11): one per node, it keeps the
 * WireGuard PSK of each of the node's pairs fresh.
 *
 * - Only the initiator of a pair (the lower name) schedules: every
 *   `intervalMs` plus a jitter in [0, jitterMs] it picks a new epoch,
 *   sends an initiation and waits `timeoutMs` for the response.
 * - The responder checks the initiation, derives PSK_e, **applies it first**
 *   and then answers; the initiator applies when the response arrives. The
 *   two sides hold different PSKs only for one transit plus the initiator's
 *   processing (§11.2's window W).
 * - A timeout, a failed send or apply aborts the epoch; the initiator
 *   retries after `retryMs` with a higher epoch (the responder accepts any
 *   epoch above the one it holds).
 * - Emergency rotation: rotateNow({ pair }) or rotateNow({ node }), the
 *   latter revoking the node's current record revision first (§11.3).
 * - Every applied PSK is one `rotate` audit event: pair, epoch, role,
 *   reason, peer — never a key, a secret or a fingerprint.
 * @module
 */
import { InvalidArgumentError } from '@hybridkem/core';
import type { AuditSink } from '../audit/sink.js';
import { systemClock, type Clock } from '../clock.js';
import type { TrustedDirectory } from '../directory/trusted.js';
import type { PskChannel, PskListener } from './channel.js';
import type { AbortCause, WgMetrics } from './metrics.js';
import { orderPair, type PskExchange } from './psk-exchange.js';
import { PskExchangeRefusedError, type PskRefusalReason } from './refusals.js';

/** Applies a PSK to the local WireGuard peer with this public key (base64). Must not keep or log `psk`. */
export interface PskApplier {
  apply(peerPublicKey: string, psk: Uint8Array): Promise<void>;
}

/** Timers, injectable for tests. */
export interface RotationTimers {
  setTimeout(fn: () => void, ms: number): unknown;
  clearTimeout(handle: unknown): void;
}

const systemTimers: RotationTimers = Object.freeze({
  setTimeout: (fn: () => void, ms: number) => setTimeout(fn, ms),
  clearTimeout: (h: unknown) => clearTimeout(h as ReturnType<typeof setTimeout>),
});

/** Why the initiator started an epoch; the responder records `answer`. */
export type RotationTrigger = 'scheduled' | 'emergency' | 'manual';

export const DEFAULT_ROTATION_INTERVAL_MS = 120_000;
export const MIN_ROTATION_INTERVAL_MS = 1_000;
export const DEFAULT_ROTATION_TIMEOUT_MS = 5_000;
export const DEFAULT_ROTATION_RETRY_MS = 1_000;

/** What the engine did, for logs and tests (no key material). */
export type RotationEvent =
  | { readonly type: 'applied'; readonly pair: string; readonly peer: string; readonly epoch: number; readonly role: 'initiator' | 'responder'; readonly reason: RotationTrigger | 'answer'; readonly at: number }
  | { readonly type: 'initiated'; readonly pair: string; readonly peer: string; readonly epoch: number; readonly reason: RotationTrigger; readonly at: number }
  | { readonly type: 'aborted'; readonly pair: string; readonly peer: string; readonly epoch: number; readonly cause: AbortCause; readonly at: number; readonly detail: string }
  | { readonly type: 'refused'; readonly reason: PskRefusalReason; readonly sender: string | undefined; readonly at: number }
  | { readonly type: 'error'; readonly detail: string; readonly at: number };

export interface RotationEngineOptions {
  /** This node's PSK exchange (its keys, directory and freshness settings). */
  exchange: PskExchange;
  /** The directory the exchange reads: the engine looks up revisions to revoke there. */
  directory: TrustedDirectory;
  channel: PskChannel;
  /** The topology's pairs (e.g. pairsOf(topology)); those without this node are ignored. */
  pairs: readonly (readonly [string, string])[];
  /** The WireGuard public key (base64) of a peer node, as the applier addresses it. */
  peerPublicKey: (node: string) => string;
  applier: PskApplier;
  audit?: AuditSink;
  metrics?: WgMetrics;
  clock?: Clock;
  timers?: RotationTimers;
  /** Uniform in [0, 1) (default Math.random): the jitter. */
  random?: () => number;
  intervalMs?: number;
  jitterMs?: number;
  timeoutMs?: number;
  retryMs?: number;
  onEvent?: (event: RotationEvent) => void;
}

export interface RotationPairStatus {
  readonly pair: string;
  readonly peer: string;
  readonly role: 'initiator' | 'responder';
  /** The last epoch this node applied for the pair (0: none yet). */
  readonly appliedEpoch: number;
  readonly appliedAt: number | undefined;
  /** The epoch in flight (initiator only). */
  readonly pendingEpoch: number | undefined;
}

/** One pair, or every pair of a node. */
export type RotationTarget = { readonly pair: readonly [string, string] } | { readonly node: string; readonly revokeRevision?: number };

export interface RotationEngine {
  readonly node: string;
  /** Listens on the channel and starts each initiator pair's first rotation at once. */
  start(): Promise<void>;
  /**
   * Rotates now (spec/MESH.md §11.3): one pair, or every pair of `node` (for
   * another node than this one, its records up to `revokeRevision` — default
   * the revision held now — are refused from now on). Pairs this node is the
   * responder of rotate when their initiator is told. Resolves once the
   * initiations are sent.
   */
  rotateNow(target: RotationTarget, reason?: RotationTrigger): Promise<void>;
  status(): readonly RotationPairStatus[];
  /**
   * Stops scheduling, lets each epoch in flight end (its response applied,
   * or its timeout: at most `timeoutMs`), then stops listening. Abandoning
   * it would leave the responder, which applies first, on a PSK the
   * initiator never applies.
   */
  stop(): Promise<void>;
}

function positive(field: string, v: unknown, fallback: number, min: number): number {
  if (v === undefined) return fallback;
  if (typeof v !== 'number' || !Number.isSafeInteger(v) || v < min) throw new InvalidArgumentError(field, `expected an integer ≥ ${min}`);
  return v;
}

interface PairState {
  readonly key: string;
  readonly peer: string;
  readonly role: 'initiator' | 'responder';
  appliedEpoch: number;
  appliedAt: number | undefined;
  /** Highest epoch this node initiated (initiator): the next one is above it. */
  lastInitiated: number;
  pending: { epoch: number; reason: RotationTrigger; timer: unknown } | undefined;
  timer: unknown;
}

export function createRotationEngine(o: RotationEngineOptions): RotationEngine {
  const { exchange, channel, applier, directory } = o;
  const me = exchange.name;
  const clock = o.clock ?? systemClock;
  const timers = o.timers ?? systemTimers;
  const random = o.random ?? Math.random;
  const intervalMs = positive('intervalMs', o.intervalMs, DEFAULT_ROTATION_INTERVAL_MS, MIN_ROTATION_INTERVAL_MS);
  const jitterMs = positive('jitterMs', o.jitterMs, Math.floor(intervalMs / 10), 0);
  const timeoutMs = positive('timeoutMs', o.timeoutMs, DEFAULT_ROTATION_TIMEOUT_MS, 1);
  const retryMs = positive('retryMs', o.retryMs, DEFAULT_ROTATION_RETRY_MS, 1);
  const emit = (e: RotationEvent) => {
    try {
      o.onEvent?.(e);
    } catch {
      // A listener's failure is not the engine's.
    }
  };

  const pairs = new Map<string, PairState>();
  for (const [x, y] of o.pairs) {
    if (x !== me && y !== me) continue;
    const p = orderPair(x, y);
    const peer = p.a === me ? p.b : p.a;
    pairs.set(peer, {
      key: `${p.a},${p.b}`,
      peer,
      role: p.a === me ? 'initiator' : 'responder',
      appliedEpoch: 0,
      appliedAt: undefined,
      lastInitiated: 0,
      pending: undefined,
      timer: undefined,
    });
  }

  let listener: PskListener | undefined;
  let running = false;
  // Set by stop(): no new epoch starts and no retry is scheduled; epochs in flight still end.
  let stopping = false;
  // stop() waits here until no pair has an epoch in flight.
  let drained: (() => void) | undefined;
  let stopRun: Promise<void> | undefined;
  const settled = () => {
    if (drained !== undefined && ![...pairs.values()].some((s) => s.pending !== undefined)) drained();
  };
  // Messages and rotations run one at a time, so the exchange's state and the applier see one change at a time.
  let queue: Promise<unknown> = Promise.resolve();
  const serial = <T>(fn: () => Promise<T>): Promise<T> => {
    const run = queue.then(fn);
    queue = run.catch(() => undefined);
    return run;
  };

  function schedule(s: PairState, delay: number, reason: RotationTrigger): void {
    if (!running || stopping) return;
    if (s.timer !== undefined) timers.clearTimeout(s.timer);
    s.timer = timers.setTimeout(() => {
      s.timer = undefined;
      void serial(() => initiate(s, reason));
    }, delay);
  }

  const nextDelay = () => intervalMs + Math.floor(random() * (jitterMs + 1));

  function abort(s: PairState, cause: AbortCause, detail: string, reason: RotationTrigger): void {
    const epoch = s.pending?.epoch ?? 0;
    if (s.pending !== undefined) timers.clearTimeout(s.pending.timer);
    s.pending = undefined;
    exchange.abort(s.peer);
    o.metrics?.aborts.inc({ cause });
    emit({ type: 'aborted', pair: s.key, peer: s.peer, epoch, cause, at: clock.now(), detail });
    // A retried emergency stays an emergency.
    schedule(s, retryMs, reason);
    settled();
  }

  async function initiate(s: PairState, reason: RotationTrigger): Promise<void> {
    if (!running || stopping || s.role !== 'initiator') return;
    if (s.pending !== undefined) {
      if (reason === 'scheduled') return;
      timers.clearTimeout(s.pending.timer);
      s.pending = undefined;
      exchange.abort(s.peer);
    }
    const epoch = Math.max(s.lastInitiated + 1, exchange.epoch(s.peer) + 1, clock.now());
    s.lastInitiated = epoch;
    let bytes: Uint8Array;
    try {
      bytes = exchange.initiate(s.peer, epoch).bytes;
    } catch (err) {
      s.pending = { epoch, reason, timer: undefined };
      abort(s, 'send', `cannot build the initiation: ${(err as Error).message}`, reason);
      return;
    }
    const timer = timers.setTimeout(() => {
      void serial(async () => {
        if (s.pending?.epoch === epoch) abort(s, 'timeout', `no response within ${timeoutMs} ms`, reason);
      });
    }, timeoutMs);
    s.pending = { epoch, reason, timer };
    emit({ type: 'initiated', pair: s.key, peer: s.peer, epoch, reason, at: clock.now() });
    try {
      await channel.send(s.peer, bytes);
    } catch (err) {
      if (s.pending?.epoch === epoch) abort(s, 'send', `send failed: ${(err as Error).message}`, reason);
    }
  }

  async function applied(s: PairState, epoch: number, role: 'initiator' | 'responder', reason: RotationTrigger | 'answer'): Promise<void> {
    s.appliedEpoch = epoch;
    s.appliedAt = clock.now();
    o.metrics?.rotations.inc({ reason });
    emit({ type: 'applied', pair: s.key, peer: s.peer, epoch, role, reason, at: s.appliedAt });
    await o.audit?.append('rotate', { pair: s.key, epoch, role, reason, peer: s.peer, node: me });
  }

  async function handle(bytes: Uint8Array): Promise<void> {
    if (!running) return;
    let r;
    try {
      r = exchange.receive(bytes);
    } catch (err) {
      if (err instanceof PskExchangeRefusedError) emit({ type: 'refused', reason: err.reason, sender: err.exchange.sender, at: clock.now() });
      else emit({ type: 'error', detail: (err as Error).message, at: clock.now() });
      return;
    }
    const s = pairs.get(r.peer);
    if (s === undefined) {
      // The exchange's topology check let it through, but this engine was not given the pair.
      r.psk.fill(0);
      emit({ type: 'error', detail: `a message for the pair with "${r.peer}", which this engine does not run`, at: clock.now() });
      return;
    }
    try {
      if (r.type === 'initiation') {
        // Apply before answering: when the initiator applies, this side already has the PSK.
        try {
          await applier.apply(o.peerPublicKey(s.peer), r.psk);
        } catch (err) {
          o.metrics?.aborts.inc({ cause: 'apply' });
          emit({ type: 'aborted', pair: s.key, peer: s.peer, epoch: r.epoch, cause: 'apply', at: clock.now(), detail: (err as Error).message });
          return;
        }
        await applied(s, r.epoch, 'responder', 'answer');
        await channel.send(s.peer, r.response).catch((err: unknown) => emit({ type: 'error', detail: `response not sent: ${(err as Error).message}`, at: clock.now() }));
        return;
      }
      const pending = s.pending;
      if (pending === undefined || pending.epoch !== r.epoch) return;
      timers.clearTimeout(pending.timer);
      s.pending = undefined;
      try {
        await applier.apply(o.peerPublicKey(s.peer), r.psk);
      } catch (err) {
        s.pending = { ...pending, timer: undefined };
        abort(s, 'apply', (err as Error).message, pending.reason);
        return;
      }
      await applied(s, r.epoch, 'initiator', pending.reason);
      schedule(s, nextDelay(), 'scheduled');
    } finally {
      r.psk.fill(0);
      // Also when the audit append failed: the epoch is no longer in flight.
      settled();
    }
  }

  return Object.freeze({
    node: me,
    async start(): Promise<void> {
      if (running) return;
      running = true;
      listener = await channel.listen(me, (bytes) => serial(() => handle(bytes)));
      for (const s of pairs.values()) if (s.role === 'initiator') schedule(s, 0, 'scheduled');
    },
    async rotateNow(target: RotationTarget, reason: RotationTrigger = 'emergency'): Promise<void> {
      let targets: PairState[];
      if ('pair' in target) {
        const p = orderPair(target.pair[0], target.pair[1]);
        const s = pairs.get(p.a === me ? p.b : p.a);
        if (s === undefined || (p.a !== me && p.b !== me)) throw new InvalidArgumentError('pair', `"${p.a},${p.b}" is not a pair of "${me}"`);
        targets = [s];
      } else {
        const node = target.node;
        if (node !== me) {
          const held = directory.node(node)?.revision ?? 0;
          exchange.revoke(node, target.revokeRevision ?? held);
          const s = pairs.get(node);
          targets = s === undefined ? [] : [s];
        } else {
          targets = [...pairs.values()];
        }
      }
      await serial(async () => {
        for (const s of targets) if (s.role === 'initiator') await initiate(s, reason);
      });
    },
    status(): readonly RotationPairStatus[] {
      return [...pairs.values()].map((s) =>
        Object.freeze({ pair: s.key, peer: s.peer, role: s.role, appliedEpoch: s.appliedEpoch, appliedAt: s.appliedAt, pendingEpoch: s.pending?.epoch }),
      );
    },
    stop(): Promise<void> {
      stopRun ??= (async () => {
        stopping = true;
        for (const s of pairs.values()) {
          if (s.timer !== undefined) timers.clearTimeout(s.timer);
          s.timer = undefined;
        }
        // An initiation already past its `stopping` check has set `pending` (initiate is synchronous up
        // to its send), so from here on no epoch starts: wait for those in flight to be answered or time out.
        await new Promise<void>((resolve) => {
          drained = resolve;
          settled();
        });
        drained = undefined;
        running = false;
        await listener?.stop();
        listener = undefined;
        await queue;
        stopping = false;
      })().finally(() => (stopRun = undefined));
      return stopRun;
    },
  });
}
