/**
 * The audit log's JetStream mirror (spec/MESH.md §8.7): every line, as it is
 * appended, published to a stream the log's host cannot rewrite alone, and
 * the stream's last entry read back as the head a verifier expects.
 * @module
 */
import { jetstream, jetstreamManager, type JetStreamClient, type JetStreamManager } from '@nats-io/jetstream';
import { connect, type NatsConnection } from '@nats-io/transport-node';
import { ZERO_HASH, entryHash, parseLine, type AuditHead } from './entry.js';
import { AuditLogError } from './errors.js';
import type { AppendedEntry, AuditLog } from './log.js';
import { readLogLines } from './verify.js';

/** Default stream of the mirror. */
export const AUDIT_STREAM = 'HYBRIDKEM_AUDIT';
/** Default subject of the mirror. */
export const AUDIT_SUBJECT = 'hybridkem.audit';

export interface AuditMirrorOptions {
  /** Stream name (default HYBRIDKEM_AUDIT); created with `subject` if it does not exist. */
  readonly stream?: string;
  /** Subject the lines are published on (default hybridkem.audit); one subject per log. */
  readonly subject?: string;
  /** Called with each publication that failed (the log itself is not affected). */
  readonly onError?: (error: unknown, seq: number) => void;
}

export interface AuditMirror {
  readonly stream: string;
  readonly subject: string;
  /** Lines the stream acknowledged (duplicates included). */
  published(): number;
  /** Publications that failed. */
  failures(): number;
  /** Resolves once every line appended so far has been published (or has failed). */
  flush(): Promise<void>;
  /** Stops mirroring new lines and flushes. */
  stop(): Promise<void>;
}

const isJetStreamClient = (x: NatsConnection | JetStreamClient): x is JetStreamClient =>
  typeof (x as JetStreamClient).jetstreamManager === 'function';

/** The head of the entry in a message: its seq and the hash of its bytes. */
function headOf(data: Uint8Array, where: string): AuditHead {
  const parsed = parseLine(data);
  if (!parsed.ok) throw new AuditLogError(parsed.reason, `${where}: not an audit-log entry: ${parsed.message}`);
  return { count: parsed.entry.seq, hash: entryHash(data) };
}

async function managerOf(js: NatsConnection | JetStreamClient | JetStreamManager): Promise<JetStreamManager> {
  if ('streams' in js && typeof (js as JetStreamManager).streams.info === 'function') return js as JetStreamManager;
  return (isJetStreamClient(js as NatsConnection | JetStreamClient) ? (js as JetStreamClient) : jetstream(js as NatsConnection)).jetstreamManager();
}

/**
 * The head recorded in the stream: the last entry published on `subject`
 * (or, without a subject, the stream's last message), as {count: its seq,
 * hash: its hash}; {count: 0, hash: ZERO_HASH} when there is none. The
 * message is checked to be an entry, not verified: the verifier compares
 * the log's own verified head to it.
 */
export async function readAuditHead(
  js: NatsConnection | JetStreamClient | JetStreamManager,
  stream: string = AUDIT_STREAM,
  subject?: string,
): Promise<AuditHead> {
  const jsm = await managerOf(js);
  let msg;
  if (subject !== undefined) {
    msg = await jsm.streams.getMessage(stream, { last_by_subj: subject });
  } else {
    const info = await jsm.streams.info(stream);
    msg = info.state.messages === 0 ? null : await jsm.streams.getMessage(stream, { seq: info.state.last_seq });
  }
  if (msg === null) return { count: 0, hash: ZERO_HASH };
  return headOf(msg.data, `stream ${stream} message ${msg.seq}`);
}

/**
 * readAuditHead over a connection of its own to `servers` (a NATS URL, or
 * several comma-separated), closed before it returns: what
 * `hybridkem audit verify --nats URL` uses.
 */
export async function readAuditHeadAt(
  servers: string,
  stream: string = AUDIT_STREAM,
  subject: string | undefined = AUDIT_SUBJECT,
  options: { readonly timeoutMs?: number } = {},
): Promise<AuditHead> {
  const timeout = options.timeoutMs ?? 10_000;
  const nc = await connect({ servers: servers.split(','), timeout, reconnect: false, name: 'hybridkem-audit-head' });
  try {
    return await readAuditHead(await jetstreamManager(nc, { timeout }), stream, subject);
  } finally {
    await nc.close();
  }
}

/**
 * Publishes each entry of `log` to JetStream as it is appended (over `js`, or
 * over a connection of its own to the NATS URL `js`), one message
 * per line on `subject`, with message id `<subject>:<seq>` so that a line
 * published twice (a retry, a restarted mirror) is stored once. On start,
 * the lines the stream lacks (those after its last entry on `subject`) are
 * published first, after checking that the stream's last entry is the
 * log's entry of that seq (else `head-mismatch`: another log on this
 * subject, or a rewritten file).
 */
export async function mirrorAuditLog(
  log: AuditLog,
  js: NatsConnection | JetStreamClient | string,
  options: AuditMirrorOptions = {},
): Promise<AuditMirror> {
  const stream = options.stream ?? AUDIT_STREAM;
  const subject = options.subject ?? AUDIT_SUBJECT;
  // A URL: a connection of the mirror's own, closed by stop().
  const owned = typeof js === 'string' ? await connect({ servers: js.split(','), name: 'hybridkem-audit-mirror' }) : undefined;
  const conn = owned ?? (js as NatsConnection | JetStreamClient);
  const client = isJetStreamClient(conn) ? conn : jetstream(conn);
  let jsm: JetStreamManager;
  try {
    jsm = await client.jetstreamManager();
    try {
      await jsm.streams.info(stream);
    } catch (e) {
      if (!/not found/i.test(String((e as Error)?.message))) throw e;
      await jsm.streams.add({ name: stream, subjects: [subject] });
    }
  } catch (e) {
    await owned?.close();
    throw e;
  }

  let published = 0;
  let failures = 0;
  let chain: Promise<void> = Promise.resolve();
  const publish = async (line: Uint8Array | string, seq: number): Promise<void> => {
    try {
      await client.publish(subject, line, { msgID: `${subject}:${seq}` });
      published++;
    } catch (e) {
      failures++;
      options.onError?.(e, seq);
    }
  };
  // Listen before reading the stream's head, so that no line appended meanwhile is missed;
  // lines heard before the catch-up is queued wait for it, so the stream gets them in order.
  let started = false;
  const early: AppendedEntry[] = [];
  const stopListening = log.onAppend((a) => {
    if (!started) early.push(a);
    else chain = chain.then(() => publish(a.line, a.entry.seq));
  });
  const start = log.head().count;
  const lines: Uint8Array[] = [];
  let from = start;
  try {
    const there = await readAuditHead(jsm, stream, subject);
    if (there.count > log.head().count) {
      throw new AuditLogError('head-exceeded', `stream ${stream} holds entry ${there.count} on ${subject}, past the log's ${log.head().count}: another log on this subject?`);
    }
    from = Math.min(there.count, start);
    let seq = 0;
    if (there.count > 0 || start > 0) {
      for await (const l of readLogLines(log.path)) {
        seq++;
        if (seq > Math.max(start, there.count)) break;
        if (seq === there.count && entryHash(l) !== there.hash) {
          throw new AuditLogError('head-mismatch', `stream ${stream}'s last entry on ${subject} (seq ${seq}) is not the log's: another log on this subject, or a rewritten file`);
        }
        if (seq > there.count && seq <= start) lines.push(l);
      }
    }
  } catch (e) {
    stopListening();
    await owned?.close();
    throw e;
  }
  chain = (async () => {
    for (let i = 0; i < lines.length; i++) await publish(lines[i]!, from + 1 + i);
    for (const a of early) await publish(a.line, a.entry.seq);
  })();
  started = true;

  async function flush(): Promise<void> {
    let seen: Promise<void>;
    do {
      seen = chain;
      await seen;
    } while (seen !== chain);
  }

  return Object.freeze({
    stream,
    subject,
    published: () => published,
    failures: () => failures,
    flush,
    async stop() {
      stopListening();
      await flush();
      await owned?.close();
    },
  });
}
