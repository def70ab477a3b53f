/**
 * The node agent (spec/MESH.md §7.3, §7.4): subscribes to its node's
 * envelopes, hands each to the receiver (which checks, opens and commits it
 * to the node store), tells the application, and acknowledges.
 *
 * For each delivery:
 * - applied (committed) → onApply → 'ack';
 * - refused `replay`: the envelope was committed before and its
 *   acknowledgement lost (the agent was killed between commit and ack, or
 *   the ack did not reach the server) → 'ack' without applying again;
 * - refused `unknown-issuer` while a directory is attached: the directory is
 *   read again once (an issuer's record may have been put after the watch's
 *   last update) and the envelope retried;
 * - any other refusal → 'term' (it would be refused again; the receiver
 *   counted it in its metrics and audit);
 * - anything else (the node store failing, …) → thrown: not acknowledged,
 *   delivered again.
 *
 * With the distribution's one-at-a-time, ack-after-handler delivery and the
 * store's replay ids, each envelope is applied exactly once per node.
 * @module
 */
import type { AppliedEnvelope, Receiver } from '../receiver.js';
import { DirectoryError, EnvelopeRefusedError } from '../errors.js';
import type { TrustedDirectory } from '../directory/trusted.js';
import type { DirectoryEntry, DirectoryWatch, Distribution, EnvelopeDelivery, EnvelopeSubscription, HandlerVerdict } from '../distribution/types.js';
import { checkName } from '../distribution/types.js';
import type { RefusalReason } from '../refusals.js';

export interface NodeAgentOptions {
  distribution: Distribution;
  receiver: Receiver;
  /** This node's name (its subject token and durable consumer: spec/MESH.md §7.2). */
  nodeName: string;
  /**
   * The receiver's directory. When given, the agent fills it from the
   * distribution's directory before subscribing and keeps it current (a
   * watch); each record is verified by TrustedDirectory.add against the
   * trust anchor, so a record written by anyone else is refused.
   */
  directory?: TrustedDirectory;
  /**
   * Called once per applied envelope, after the commit and before the
   * acknowledgement. The key is wiped when it returns. A notification: the
   * node store is the state (an agent killed before onApply returned does
   * not call it again for that envelope; read store.applied() on start).
   * An exception is reported to onError; the envelope stays applied.
   */
  onApply?: (applied: AppliedEnvelope, delivery: EnvelopeDelivery) => void | Promise<void>;
  /** Called for a delivery of an envelope already applied (refused as replay), which is acknowledged without applying it again. */
  onRedelivered?: (error: EnvelopeRefusedError, delivery: EnvelopeDelivery) => void;
  /** Called for each refusal except replay (which is acknowledged as already applied). */
  onRefuse?: (error: EnvelopeRefusedError, delivery: EnvelopeDelivery) => void;
  /** Called when a directory record is refused (bad anchor signature, rollback, …). */
  onDirectoryRefused?: (error: unknown, entry: DirectoryEntry) => void;
  /** Errors that leave an envelope unacknowledged (it comes again) and transport errors. */
  onError?: (error: unknown) => void;
}

export interface NodeAgentStats {
  /** Envelopes committed and acknowledged by this agent. */
  readonly applied: number;
  /** Deliveries of envelopes already applied (refused as replay), acknowledged without applying. */
  readonly redelivered: number;
  /** Refusals terminated, by reason. */
  readonly refused: Readonly<Partial<Record<RefusalReason, number>>>;
  /** Directory records refused. */
  readonly directoryRefused: number;
}

export interface NodeAgent {
  readonly nodeName: string;
  stats(): NodeAgentStats;
  /** Stops taking envelopes; the one in hand is finished and acknowledged. Does not close the distribution. */
  stop(): Promise<void>;
}

/** Starts a node agent (see the module comment). Resolves once subscribed. */
export async function startNodeAgent(options: NodeAgentOptions): Promise<NodeAgent> {
  const { distribution, receiver, directory } = options;
  const nodeName = checkName('nodeName', options.nodeName);
  const onError = options.onError ?? (() => undefined);
  let applied = 0;
  let redelivered = 0;
  let directoryRefused = 0;
  const refused: Partial<Record<RefusalReason, number>> = {};

  // The store revision of each key already verified (accepted or refused):
  // the initial list and the watch's first values overlap, and a re-read
  // brings back what is known; each revision is verified once.
  const verified = new Map<string, number>();
  const addRecord = (entry: DirectoryEntry): boolean => {
    const key = `${entry.role}.${entry.name}`;
    if ((verified.get(key) ?? 0) >= entry.revision) return false;
    verified.set(key, entry.revision);
    try {
      const before = directory!.get(entry.name);
      const record = directory!.add(entry.bytes);
      return before === undefined || before.revision !== record.revision;
    } catch (error) {
      directoryRefused++;
      options.onDirectoryRefused?.(error, entry);
      if (!(error instanceof DirectoryError)) onError(error);
      return false;
    }
  };
  /** Reads the whole directory again; true when a record was added or replaced. */
  const refreshDirectory = async (): Promise<boolean> => {
    let changed = false;
    for (const entry of (await distribution.directory.list()).sort((a, b) => a.revision - b.revision)) changed = addRecord(entry) || changed;
    return changed;
  };

  let watch: DirectoryWatch | undefined;
  if (directory !== undefined) {
    await refreshDirectory();
    watch = await distribution.directory.watch((entry) => void addRecord(entry));
  }

  const handle = async (delivery: EnvelopeDelivery): Promise<HandlerVerdict> => {
    let result: AppliedEnvelope;
    try {
      try {
        result = await receiver.receive(delivery.bytes);
      } catch (error) {
        if (directory !== undefined && error instanceof EnvelopeRefusedError && error.reason === 'unknown-issuer' && (await refreshDirectory())) {
          result = await receiver.receive(delivery.bytes);
        } else throw error;
      }
    } catch (error) {
      if (!(error instanceof EnvelopeRefusedError)) throw error; // not acknowledged: comes again
      if (error.reason === 'replay') {
        redelivered++;
        try {
          options.onRedelivered?.(error, delivery);
        } catch (e) {
          onError(e);
        }
        return 'ack';
      }
      refused[error.reason] = (refused[error.reason] ?? 0) + 1;
      try {
        options.onRefuse?.(error, delivery);
      } catch (e) {
        onError(e);
      }
      return 'term';
    }
    applied++;
    try {
      await options.onApply?.(result, delivery);
    } catch (error) {
      onError(error);
    } finally {
      result.key.fill(0);
    }
    return 'ack';
  };

  let subscription: EnvelopeSubscription;
  try {
    subscription = await distribution.subscribe(nodeName, handle, { onError });
  } catch (error) {
    await watch?.stop();
    throw error;
  }
  let stopped: Promise<void> | undefined;
  return Object.freeze({
    nodeName,
    stats: () => Object.freeze({ applied, redelivered, refused: Object.freeze({ ...refused }), directoryRefused }),
    stop: () =>
      (stopped ??= (async () => {
        await subscription.stop();
        await watch?.stop();
      })()),
  });
}
