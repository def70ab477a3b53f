/**
 * The in-process distribution (`memory:` URLs, spec/MESH.md §7.5): no
 * server, for one machine, the examples and tests. It keeps the semantics of
 * the NATS one, so code written against one runs on the other:
 *
 * - the directory keeps every put of a key (history) and a watch sees the
 *   current records, then every later put, in order;
 * - a publish is deduplicated by envelope id within the duplicate window;
 * - each node has one queue, delivered to its one subscriber one envelope at
 *   a time in publication order (max_ack_pending 1): the head is removed
 *   only after the handler resolved ('ack' or 'term'); a handler that throws
 *   leaves it at the head, delivered again after `redeliveryDelayMs` (the
 *   ack wait), with its delivery count increased.
 *
 * State lives in a hub: `memory:` makes a new one, `memory:NAME` shares the
 * hub NAME with every other connection of this process to it.
 * @module
 */
import { checkedDirectory } from './checked-directory.js';
import { DistributionError } from './errors.js';
import {
  checkName,
  checkPublish,
  parseDirectoryKey,
  type DirectoryEntry,
  type DirectoryStore,
  type DirectoryWatch,
  type Distribution,
  type EnvelopeHandler,
  type EnvelopeSubscription,
  type PublishAck,
  type SubscribeOptions,
} from './types.js';

export interface MemoryDistributionOptions {
  /** How long an unacknowledged envelope waits before it is delivered again (ms; default 1000). */
  redeliveryDelayMs?: number;
  /** How long a published envelope id is remembered for deduplication (ms; default 120 000, as JetStream's default duplicate window). */
  duplicateWindowMs?: number;
  /** Records kept per directory key (default 16). */
  history?: number;
}

interface QueuedEnvelope {
  readonly sequence: number;
  readonly bytes: Uint8Array;
  readonly envelopeId: string;
  deliveries: number;
  notBefore: number;
}

interface Hub {
  readonly options: Required<MemoryDistributionOptions>;
  directoryRevision: number;
  readonly directory: Map<string, DirectoryEntry[]>;
  readonly watchers: Set<(entry: DirectoryEntry) => void>;
  sequence: number;
  readonly queues: Map<string, QueuedEnvelope[]>;
  readonly published: Map<string, { sequence: number; at: number }>;
  readonly subscribed: Set<string>;
  readonly wakers: Map<string, () => void>;
}

const hubs = new Map<string, Hub>();

function newHub(options: MemoryDistributionOptions): Hub {
  const redeliveryDelayMs = options.redeliveryDelayMs ?? 1_000;
  const duplicateWindowMs = options.duplicateWindowMs ?? 120_000;
  const history = options.history ?? 16;
  if (!Number.isInteger(redeliveryDelayMs) || redeliveryDelayMs < 0) throw new RangeError('redeliveryDelayMs: expected an integer ≥ 0');
  if (!Number.isInteger(duplicateWindowMs) || duplicateWindowMs < 0) throw new RangeError('duplicateWindowMs: expected an integer ≥ 0');
  if (!Number.isInteger(history) || history < 1 || history > 64) throw new RangeError('history: expected 1..64');
  return {
    options: Object.freeze({ redeliveryDelayMs, duplicateWindowMs, history }),
    directoryRevision: 0,
    directory: new Map(),
    watchers: new Set(),
    sequence: 0,
    queues: new Map(),
    published: new Map(),
    subscribed: new Set(),
    wakers: new Map(),
  };
}

/**
 * An in-process distribution. `hubName` shares state with every other
 * memory distribution of that name in this process (options apply when the
 * hub is first made); without it the distribution has a hub of its own.
 */
export function createMemoryDistribution(options: MemoryDistributionOptions & { hubName?: string } = {}): Distribution {
  let hub: Hub;
  if (options.hubName === undefined) hub = newHub(options);
  else {
    hub = hubs.get(options.hubName) ?? newHub(options);
    hubs.set(options.hubName, hub);
  }
  return new MemoryDistribution(hub);
}

class MemoryDistribution implements Distribution {
  readonly kind = 'memory' as const;
  readonly directory: DirectoryStore;
  #closed = false;
  readonly #subscriptions = new Set<EnvelopeSubscription>();
  readonly #watches = new Set<DirectoryWatch>();

  constructor(private readonly hub: Hub) {
    this.directory = checkedDirectory(() => this.#open(), this.#watches, {
      async put(key, role, name, bytes) {
        const entry: DirectoryEntry = Object.freeze({ role, name, revision: ++hub.directoryRevision, bytes: bytes.slice() });
        const history = hub.directory.get(key) ?? [];
        history.push(entry);
        if (history.length > hub.options.history) history.shift();
        hub.directory.set(key, history);
        for (const w of hub.watchers) w(entry);
        return entry.revision;
      },
      async get(key) {
        const history = hub.directory.get(key);
        return history?.[history.length - 1];
      },
      async list() {
        return currentRecords(hub);
      },
      watch(deliver) {
        for (const entry of currentRecords(hub).sort((a, b) => a.revision - b.revision)) deliver(entry);
        hub.watchers.add(deliver);
        return async () => {
          hub.watchers.delete(deliver);
        };
      },
    });
  }

  #open(): void {
    if (this.#closed) throw new DistributionError('closed', 'the distribution is closed');
  }

  async publish(nodeName: string, envelopeBytes: Uint8Array, envelopeIdHex: string): Promise<PublishAck> {
    this.#open();
    checkPublish(nodeName, envelopeBytes, envelopeIdHex);
    const hub = this.hub;
    const now = Date.now();
    for (const [id, p] of hub.published) {
      if (now - p.at < hub.options.duplicateWindowMs) break; // insertion order is time order
      hub.published.delete(id);
    }
    const seen = hub.published.get(envelopeIdHex);
    if (seen !== undefined) return Object.freeze({ sequence: seen.sequence, duplicate: true });
    const sequence = ++hub.sequence;
    hub.published.set(envelopeIdHex, { sequence, at: now });
    const queue = hub.queues.get(nodeName) ?? [];
    queue.push({ sequence, bytes: envelopeBytes.slice(), envelopeId: envelopeIdHex, deliveries: 0, notBefore: 0 });
    hub.queues.set(nodeName, queue);
    hub.wakers.get(nodeName)?.();
    return Object.freeze({ sequence, duplicate: false });
  }

  async subscribe(nodeName: string, handler: EnvelopeHandler, options: SubscribeOptions = {}): Promise<EnvelopeSubscription> {
    this.#open();
    checkName('nodeName', nodeName);
    const hub = this.hub;
    if (hub.subscribed.has(nodeName)) throw new DistributionError('busy', `node ${nodeName} already has a subscriber`);
    hub.subscribed.add(nodeName);
    let stopping = false;
    let wake: (() => void) | undefined;
    let timer: NodeJS.Timeout | undefined;
    const waker = (): void => wake?.();
    hub.wakers.set(nodeName, waker);
    const idle = (ms: number | undefined): Promise<void> =>
      new Promise<void>((resolve) => {
        wake = resolve;
        if (ms !== undefined) timer = setTimeout(resolve, ms);
      }).finally(() => {
        wake = undefined;
        clearTimeout(timer);
      });

    const loop = async (): Promise<void> => {
      while (!stopping) {
        const queue = hub.queues.get(nodeName);
        const head = queue?.[0];
        if (head === undefined) {
          await idle(undefined);
          continue;
        }
        const wait = head.notBefore - Date.now();
        if (wait > 0) {
          await idle(wait);
          continue;
        }
        head.deliveries++;
        let verdict;
        try {
          verdict = await handler(Object.freeze({ bytes: head.bytes.slice(), envelopeId: head.envelopeId, deliveryCount: head.deliveries, sequence: head.sequence }));
          if (verdict !== 'ack' && verdict !== 'term') throw new TypeError(`handler resolved to ${String(verdict)}, expected 'ack' or 'term'`);
        } catch (error) {
          // Unacknowledged: it stays at the head and comes again after the ack wait.
          head.notBefore = Date.now() + hub.options.redeliveryDelayMs;
          options.onError?.(error);
          continue;
        }
        queue!.shift();
      }
    };
    const closed = loop().finally(() => {
      if (hub.wakers.get(nodeName) === waker) hub.wakers.delete(nodeName);
      hub.subscribed.delete(nodeName);
    });
    const subscription: EnvelopeSubscription = {
      closed,
      stop: async () => {
        stopping = true;
        wake?.();
        await closed;
        this.#subscriptions.delete(subscription);
      },
    };
    this.#subscriptions.add(subscription);
    return subscription;
  }

  async close(): Promise<void> {
    if (this.#closed) return;
    this.#closed = true;
    await Promise.all([...this.#subscriptions].map((s) => s.stop()));
    await Promise.all([...this.#watches].map((w) => w.stop()));
  }
}

function currentRecords(hub: Hub): DirectoryEntry[] {
  const out: DirectoryEntry[] = [];
  for (const [key, history] of hub.directory) {
    const last = history[history.length - 1];
    if (last !== undefined && parseDirectoryKey(key) !== undefined) out.push(last);
  }
  return out;
}
