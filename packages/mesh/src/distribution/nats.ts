/**
 * The NATS JetStream distribution (`nats://` URLs, spec/MESH.md §7):
 *
 * - directory: KV bucket HYBRIDKEM_DIRECTORY, keys `<role>.<name>`, values the
 *   signed record bytes, `history` puts kept per key;
 * - envelopes: stream HYBRIDKEM_ENVELOPES on `hybridkem.mesh.envelope.<node>`,
 *   work-queue retention (an envelope is kept until its node acknowledges or
 *   terminates it, or `maxAgeMs` passes), `replicas` copies (3 in a cluster:
 *   one server down loses nothing and stays writable), published with the
 *   envelope id as Nats-Msg-Id so a publish retried within the duplicate
 *   window is stored once;
 * - per node one durable pull consumer `node-<name>` filtered to its subject,
 *   AckExplicit with max_ack_pending 1: the node sees its envelopes one at a
 *   time in stream order, and the next only after the previous was
 *   acknowledged or terminated. An acknowledgement is sent after the handler
 *   resolved and confirmed by the server (ackAck), retried until confirmed
 *   or until the envelope would be redelivered anyway.
 * @module
 */
import { checkedDirectory } from './checked-directory.js';
import { DistributionError } from './errors.js';
import {
  checkName,
  checkPublish,
  MAX_DIRECTORY_RECORD_BYTES,
  MAX_ENVELOPE_BYTES,
  parseDirectoryKey,
  type DirectoryEntry,
  type DirectoryRole,
  type DirectoryStore,
  type DirectoryWatch,
  type Distribution,
  type EnvelopeHandler,
  type EnvelopeSubscription,
  type PublishAck,
  type SubscribeOptions,
} from './types.js';
import {
  AckPolicy,
  DeliverPolicy,
  DiscardPolicy,
  jetstream,
  JetStreamApiError,
  jetstreamManager,
  RetentionPolicy,
  StorageType,
  type ConsumerMessages,
  type JetStreamClient,
  type JetStreamManager,
  type JsMsg,
} from '@nats-io/jetstream';
import { Kvm, type KV, type KvEntry } from '@nats-io/kv';
import { connect, nanos, type NatsConnection } from '@nats-io/transport-node';

/** The stream of envelopes (spec/MESH.md §7.2). */
export const ENVELOPE_STREAM = 'HYBRIDKEM_ENVELOPES';
/** The subject prefix of envelopes; the node name is the last token. */
export const ENVELOPE_SUBJECT_PREFIX = 'hybridkem.mesh.envelope.';
/** The directory's KV bucket (spec/MESH.md §7.1). */
export const DIRECTORY_BUCKET = 'HYBRIDKEM_DIRECTORY';
/** A node's durable consumer: `node-<name>`. */
export const consumerName = (nodeName: string): string => `node-${nodeName}`;

export interface NatsDistributionOptions {
  /** Copies of the stream and the KV bucket (1, 3 or 5; default 1, use 3 in a 3-server cluster). Applies when they are created. */
  replicas?: number;
  /** JetStream's duplicate window: how long a publish is deduplicated by envelope id (ms; default 120 000; must exceed `publishRetryMs`). */
  duplicateWindowMs?: number;
  /** How long an unacknowledged envelope waits before redelivery (ms; default 30 000). The handler's work keeps it from expiring (+WPI). */
  ackWaitMs?: number;
  /** How long an undelivered envelope is kept (ms; default 24 h; envelopes expire at the receiver after 15 min by default anyway). */
  maxAgeMs?: number;
  /** Directory puts kept per key (default 16, at most 64). */
  history?: number;
  /** How long publish() retries while the servers do not answer (ms; default 60 000). */
  publishRetryMs?: number;
  /** Per-request timeout (ms; default 5 000). */
  requestTimeoutMs?: number;
  /** A name for the connection (server monitoring shows it). */
  connectionName?: string;
}

const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));
const ACK = new TextEncoder().encode('+ACK');

/** Connects to the servers (each `nats://host:port`) and returns the distribution; the stream, consumers and bucket are made on first use. */
export async function connectNatsDistribution(servers: readonly string[], options: NatsDistributionOptions = {}): Promise<Distribution> {
  const o = resolveOptions(options);
  // Each connect() tries every server of the list once; it is repeated with
  // backoff for up to publishRetryMs (one server, or all, may be restarting),
  // then the caller is told. Once connected, the client reconnects for ever.
  let nc: NatsConnection | undefined;
  const deadline = Date.now() + o.publishRetryMs;
  let delay = 100;
  for (;;) {
    try {
      nc = await connect({
        servers: [...servers],
        name: options.connectionName ?? 'hybridkem-mesh',
        maxReconnectAttempts: -1,
        reconnectTimeWait: 250,
        timeout: o.requestTimeoutMs,
      });
      break;
    } catch (error) {
      const left = deadline - Date.now();
      if (left <= 0) throw new DistributionError('unavailable', `cannot connect to ${servers.join(',')} within ${o.publishRetryMs} ms`, { cause: error });
      await sleep(Math.min(delay, left));
      delay = Math.min(delay * 2, 2_000);
    }
  }
  // checkAPI false: no account-info request here (it would fail the connect
  // while a server restarts); the first real request is retried instead.
  const jsm = await jetstreamManager(nc, { timeout: o.requestTimeoutMs, checkAPI: false });
  const js = jetstream(nc, { timeout: o.requestTimeoutMs });
  return new NatsDistribution(nc, jsm, js, o);
}

function resolveOptions(options: NatsDistributionOptions): Required<Omit<NatsDistributionOptions, 'connectionName'>> {
  const o = {
    replicas: options.replicas ?? 1,
    duplicateWindowMs: options.duplicateWindowMs ?? 120_000,
    ackWaitMs: options.ackWaitMs ?? 30_000,
    maxAgeMs: options.maxAgeMs ?? 24 * 3_600_000,
    history: options.history ?? 16,
    publishRetryMs: options.publishRetryMs ?? 60_000,
    requestTimeoutMs: options.requestTimeoutMs ?? 5_000,
  };
  if (![1, 3, 5].includes(o.replicas)) throw new RangeError('replicas: expected 1, 3 or 5');
  for (const [k, v] of Object.entries(o)) if (!Number.isSafeInteger(v) || v < 1) throw new RangeError(`${k}: expected a positive integer`);
  if (o.history > 64) throw new RangeError('history: at most 64');
  if (o.ackWaitMs < 1_000) throw new RangeError('ackWaitMs: at least 1000');
  if (o.duplicateWindowMs <= o.publishRetryMs) throw new RangeError('duplicateWindowMs must exceed publishRetryMs (a retried publish must still be deduplicated)');
  return Object.freeze(o);
}

class NatsDistribution implements Distribution {
  readonly kind = 'nats' as const;
  readonly directory: DirectoryStore;
  #closed = false;
  #stream: Promise<void> | undefined;
  #kv: Promise<KV> | undefined;
  readonly #subscriptions = new Set<EnvelopeSubscription>();
  readonly #watches = new Set<DirectoryWatch>();
  readonly #subscribed = new Set<string>();

  constructor(
    private readonly nc: NatsConnection,
    private readonly jsm: JetStreamManager,
    private readonly js: JetStreamClient,
    private readonly o: ReturnType<typeof resolveOptions>,
  ) {
    const self = this;
    this.directory = checkedDirectory(() => this.#open(), this.#watches, {
      async put(key, _role, _name, bytes) {
        return self.#retry(`directory put ${key}`, async () => (await self.#bucket()).put(key, bytes));
      },
      async get(key, role, name) {
        const e = await self.#retry(`directory get ${key}`, async () => (await self.#bucket()).get(key));
        if (!isRecord(e)) return undefined;
        return entry(role, name, e.revision, e.value);
      },
      async list() {
        return self.#retry('directory list', async () => {
          const kv = await self.#bucket();
          const keys: string[] = [];
          for await (const k of await kv.keys()) keys.push(k);
          const out: DirectoryEntry[] = [];
          for (const key of keys) {
            const parsed = parseDirectoryKey(key);
            if (parsed === undefined) continue;
            const e = await kv.get(key);
            if (!isRecord(e)) continue;
            out.push(entry(parsed.role, parsed.name, e.revision, e.value));
          }
          return out;
        });
      },
      async watch(deliver) {
        const iter = await self.#retry('directory watch', async () => (await self.#bucket()).watch({ key: '>' }));
        const done = (async () => {
          for await (const e of iter) {
            const parsed = parseDirectoryKey(e.key);
            if (parsed === undefined || !isRecord(e)) continue;
            deliver(entry(parsed.role, parsed.name, e.revision, e.value));
          }
        })().catch(() => undefined);
        return async () => {
          iter.stop();
          await done;
        };
      },
    });
  }

  #open(): void {
    if (this.#closed) throw new DistributionError('closed', 'the distribution is closed');
  }

  /** Retries `op` with backoff (100 ms doubling to 2 s) until it succeeds or `publishRetryMs` has passed. */
  async #retry<T>(what: string, op: () => Promise<T>): Promise<T> {
    const deadline = Date.now() + this.o.publishRetryMs;
    let delay = 100;
    for (;;) {
      try {
        return await op();
      } catch (error) {
        if (this.#closed) throw new DistributionError('closed', `${what}: the distribution was closed`, { cause: error });
        const left = deadline - Date.now();
        if (!retriable(error) || left <= 0) {
          throw new DistributionError('unavailable', `${what} failed${retriable(error) ? ` for ${this.o.publishRetryMs} ms` : ''}`, { cause: error });
        }
        await sleep(Math.min(delay, left));
        delay = Math.min(delay * 2, 2_000);
      }
    }
  }

  #bucket(): Promise<KV> {
    this.#kv ??= this.#retry('directory bucket', () =>
      new Kvm(this.js).create(DIRECTORY_BUCKET, { history: this.o.history, replicas: this.o.replicas, maxValueSize: MAX_DIRECTORY_RECORD_BYTES }),
    ).catch((error: unknown) => {
      this.#kv = undefined;
      throw error;
    });
    return this.#kv;
  }

  #ensureStream(): Promise<void> {
    this.#stream ??= this.#retry('envelope stream', async () => {
      try {
        await this.jsm.streams.info(ENVELOPE_STREAM);
        return;
      } catch (error) {
        if (!isNotFound(error)) throw error;
      }
      await this.jsm.streams.add({
        name: ENVELOPE_STREAM,
        subjects: [`${ENVELOPE_SUBJECT_PREFIX}*`],
        retention: RetentionPolicy.Workqueue,
        storage: StorageType.File,
        num_replicas: this.o.replicas,
        duplicate_window: nanos(this.o.duplicateWindowMs),
        max_age: nanos(this.o.maxAgeMs),
        max_msg_size: MAX_ENVELOPE_BYTES,
        discard: DiscardPolicy.Old,
      });
    }).catch((error: unknown) => {
      this.#stream = undefined;
      throw error;
    });
    return this.#stream;
  }

  async #ensureConsumer(nodeName: string): Promise<void> {
    await this.#ensureStream();
    const name = consumerName(nodeName);
    const ackWait = nanos(this.o.ackWaitMs);
    try {
      const info = await this.jsm.consumers.info(ENVELOPE_STREAM, name);
      // A consumer made with another ack wait (or by hand with more pending):
      // bring it to this agent's settings, which the ordering argument needs.
      if (info.config.ack_wait !== ackWait || info.config.max_ack_pending !== 1) {
        await this.jsm.consumers.update(ENVELOPE_STREAM, name, { ack_wait: ackWait, max_ack_pending: 1 });
      }
      return;
    } catch (error) {
      if (!isNotFound(error)) throw error;
    }
    await this.jsm.consumers.add(ENVELOPE_STREAM, {
      durable_name: name,
      filter_subject: `${ENVELOPE_SUBJECT_PREFIX}${nodeName}`,
      ack_policy: AckPolicy.Explicit,
      deliver_policy: DeliverPolicy.All,
      max_ack_pending: 1,
      ack_wait: ackWait,
      max_deliver: -1,
      num_replicas: 0, // the stream's
    });
  }

  async publish(nodeName: string, envelopeBytes: Uint8Array, envelopeIdHex: string): Promise<PublishAck> {
    this.#open();
    checkPublish(nodeName, envelopeBytes, envelopeIdHex);
    await this.#ensureStream();
    const ack = await this.#retry(`publish of envelope ${envelopeIdHex} to ${nodeName}`, () =>
      this.js.publish(`${ENVELOPE_SUBJECT_PREFIX}${nodeName}`, envelopeBytes, {
        msgID: envelopeIdHex,
        expect: { streamName: ENVELOPE_STREAM },
        timeout: this.o.requestTimeoutMs,
      }),
    );
    return Object.freeze({ sequence: ack.seq, duplicate: ack.duplicate });
  }

  async subscribe(nodeName: string, handler: EnvelopeHandler, options: SubscribeOptions = {}): Promise<EnvelopeSubscription> {
    this.#open();
    checkName('nodeName', nodeName);
    if (this.#subscribed.has(nodeName)) throw new DistributionError('busy', `node ${nodeName} already has a subscriber`);
    this.#subscribed.add(nodeName);
    const onError = options.onError ?? (() => undefined);
    let stopping = false;
    let messages: ConsumerMessages | undefined;
    let wakeSleep: (() => void) | undefined;
    try {
      await this.#retry(`consumer of ${nodeName}`, () => this.#ensureConsumer(nodeName));
    } catch (error) {
      this.#subscribed.delete(nodeName);
      throw error;
    }

    const handleOne = async (m: JsMsg): Promise<void> => {
      if (m.data.length < 1 || m.data.length > MAX_ENVELOPE_BYTES) {
        m.term(); // no reason text: nats-server 2.9 ignores '+TERM <reason>'
        return;
      }
      // Tell the server the envelope is being worked on, so the ack wait does
      // not run out under a slow handler (+WPI resets the timer).
      const progress = setInterval(() => m.working(), Math.max(250, Math.floor(this.o.ackWaitMs / 3)));
      let verdict: unknown;
      try {
        verdict = await handler(
          Object.freeze({
            bytes: m.data,
            envelopeId: m.headers?.get('Nats-Msg-Id') || undefined,
            deliveryCount: m.info.deliveryCount,
            sequence: m.seq,
          }),
        );
        if (verdict !== 'ack' && verdict !== 'term') throw new TypeError(`handler resolved to ${String(verdict)}, expected 'ack' or 'term'`);
      } catch (error) {
        clearInterval(progress);
        // Not acknowledged: delivered again after a short delay.
        m.nak(1_000);
        onError(error);
        return;
      }
      clearInterval(progress);
      if (verdict === 'term') {
        m.term(); // no reason text: nats-server 2.9 ignores '+TERM <reason>'
        return;
      }
      await this.#confirmAck(m, () => stopping && this.#closed, onError);
    };

    const run = async (): Promise<void> => {
      let backoff = 250;
      while (!stopping) {
        try {
          const consumer = await this.js.consumers.get(ENVELOPE_STREAM, consumerName(nodeName));
          messages = await consumer.consume({ max_messages: 1, expires: 5_000 });
          if (stopping) break;
          for await (const m of messages) {
            if (stopping) {
              m.nak(); // taken after stop(): give it back at once
              break;
            }
            await handleOne(m);
            backoff = 250;
          }
        } catch (error) {
          if (!stopping) onError(error);
        } finally {
          messages?.stop();
          messages = undefined;
        }
        if (stopping) break;
        await new Promise<void>((r) => {
          wakeSleep = r;
          setTimeout(r, backoff);
        });
        wakeSleep = undefined;
        backoff = Math.min(backoff * 2, 5_000);
        if (!stopping) await this.#ensureConsumer(nodeName).catch(onError);
      }
    };
    const closed = run().finally(() => this.#subscribed.delete(nodeName));
    const subscription: EnvelopeSubscription = {
      closed,
      stop: async () => {
        stopping = true;
        // Ends the iteration once the envelope in hand (if any) is handled and acknowledged.
        messages?.stop();
        wakeSleep?.();
        await closed;
        this.#subscriptions.delete(subscription);
      },
    };
    this.#subscriptions.add(subscription);
    return subscription;
  }

  /**
   * Sends the acknowledgement and waits for the server to confirm it; on a
   * timeout (a server down, a leader moving) sends it again, until confirmed
   * or for twice the ack wait (after which the envelope is redelivered and
   * the node store recognises it: spec/MESH.md §7.4).
   */
  async #confirmAck(m: JsMsg, abandon: () => boolean, onError: (e: unknown) => void): Promise<void> {
    try {
      await m.ackAck({ timeout: this.o.requestTimeoutMs });
      return;
    } catch (error) {
      onError(error);
    }
    const reply = (m as unknown as { reply?: string }).reply;
    if (typeof reply !== 'string' || reply === '') return;
    const deadline = Date.now() + 2 * this.o.ackWaitMs;
    let delay = 100;
    while (Date.now() < deadline && !abandon() && !this.nc.isClosed()) {
      try {
        await this.nc.request(reply, ACK, { timeout: this.o.requestTimeoutMs });
        return;
      } catch (error) {
        onError(error);
      }
      await sleep(delay);
      delay = Math.min(delay * 2, 2_000);
    }
  }

  async close(): Promise<void> {
    if (this.#closed) return;
    await Promise.all([...this.#subscriptions].map((s) => s.stop()));
    await Promise.all([...this.#watches].map((w) => w.stop()));
    this.#closed = true;
    await this.nc.close();
  }
}

/** A KV entry that can hold a record: a put (not a delete or purge marker) of 1..MAX_DIRECTORY_RECORD_BYTES bytes. */
function isRecord(e: KvEntry | null): e is KvEntry {
  return e !== null && e.operation === 'PUT' && e.value.length > 0 && e.value.length <= MAX_DIRECTORY_RECORD_BYTES;
}

function entry(role: DirectoryRole, name: string, revision: number, bytes: Uint8Array): DirectoryEntry {
  return Object.freeze({ role, name, revision, bytes: bytes.slice() });
}

/** The server said the stream (10059) or the consumer (10014) does not exist. */
function isNotFound(error: unknown): boolean {
  return error instanceof JetStreamApiError && (error.code === 10059 || error.code === 10014);
}

/**
 * JetStream API answers that waiting does not change: the stream exists with
 * another configuration (10058), the publish reached another stream (10060),
 * JetStream is off for the account (10039).
 */
const DEFINITIVE_API_CODES: ReadonlySet<number> = new Set([10039, 10058, 10060]);

/**
 * Whether an error is one that waiting can cure (no server, no leader yet, a
 * timeout, a cluster electing), as opposed to a definitive refusal.
 */
function retriable(error: unknown): boolean {
  const e = error as { message?: unknown; code?: unknown };
  if (error instanceof JetStreamApiError && DEFINITIVE_API_CODES.has(error.code)) return false;
  const message = typeof e.message === 'string' ? e.message : '';
  return !/maximum (message|payload)|message size exceeds/i.test(message);
}
