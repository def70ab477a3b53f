/**
 * How directory records and key envelopes travel (spec/MESH.md §7): one
 * interface, two implementations selected by URL (connect.ts) — in process
 * (`memory:`, no server: one machine, examples, tests) and NATS JetStream
 * (`nats://…`: a KV bucket as the directory, a stream of envelopes with one
 * durable consumer per node).
 *
 * The distribution is untrusted transport. It never decides whether a record
 * or an envelope is genuine: a node verifies every directory record against
 * its trust anchor and every envelope against the directory (spec/MESH.md
 * §3, §4). What the distribution guarantees is delivery: an envelope that
 * was published is handed to its node's handler until the handler has
 * resolved and the acknowledgement is confirmed, in publication order, one
 * at a time; the node store makes a second delivery harmless (§7.4).
 * @module
 */
import { InvalidArgumentError } from '@hybridkem/core';
import type { DirectoryRole } from '../directory/record.js';

export type { DirectoryRole };

/** One directory record as stored: the bytes are a signed record the reader still has to verify. */
export interface DirectoryEntry {
  readonly role: DirectoryRole;
  readonly name: string;
  /** The store's own revision of this key (the KV sequence; increases with every put to the bucket). */
  readonly revision: number;
  readonly bytes: Uint8Array;
}

/** A running watch; stop() ends it. */
export interface DirectoryWatch {
  stop(): Promise<void>;
}

/** The directory: signed records under `<role>.<name>`, every put kept as history. */
export interface DirectoryStore {
  /** Stores `bytes` as the current record of `<role>.<name>`; resolves to the store's revision. */
  put(role: DirectoryRole, name: string, bytes: Uint8Array): Promise<number>;
  /** The current record of `<role>.<name>`, or undefined. */
  get(role: DirectoryRole, name: string): Promise<DirectoryEntry | undefined>;
  /** Every current record (one per key), in no particular order. */
  list(): Promise<DirectoryEntry[]>;
  /**
   * Calls `onRecord` for every current record and then for every later put,
   * in store order. An exception of `onRecord` (a record that fails to
   * verify) is the caller's: the watch goes on.
   */
  watch(onRecord: (entry: DirectoryEntry) => void): Promise<DirectoryWatch>;
}

/** What the distribution said about one publish. */
export interface PublishAck {
  /** Position in the stream (NATS: the stream sequence; memory: a counter). */
  readonly sequence: number;
  /** True when an envelope with this id was already stored within the duplicate window: stored once. */
  readonly duplicate: boolean;
}

/** One delivery of an envelope to its node. */
export interface EnvelopeDelivery {
  readonly bytes: Uint8Array;
  /** The id it was published under (the msgID), lower-case hex; the envelope's own id is in its bytes. */
  readonly envelopeId: string | undefined;
  /** How many times this envelope has been delivered, this delivery included (1 = first). */
  readonly deliveryCount: number;
  /** The stream sequence. */
  readonly sequence: number;
}

/**
 * What the node did with a delivery: 'ack' (applied now, or applied before:
 * a redelivery), or 'term' (refused for good: it must not come again). A
 * handler that throws leaves the envelope unacknowledged: it is delivered
 * again later.
 */
export type HandlerVerdict = 'ack' | 'term';
export type EnvelopeHandler = (delivery: EnvelopeDelivery) => Promise<HandlerVerdict>;

export interface SubscribeOptions {
  /**
   * Called when an error stops one delivery from being handled or
   * acknowledged (the envelope then comes again). Default: ignored.
   */
  onError?: (error: unknown) => void;
}

/** A node's subscription. */
export interface EnvelopeSubscription {
  /**
   * Stops taking envelopes: the one being handled (if any) is finished and
   * its acknowledgement sent, then no other is taken. Resolves when done.
   */
  stop(): Promise<void>;
  /** Resolves when the subscription has ended (after stop(), or on close of the distribution). */
  readonly closed: Promise<void>;
}

/** Directory and envelope transport, in process or over NATS JetStream (spec/MESH.md §7). */
export interface Distribution {
  /** 'memory' or 'nats'. */
  readonly kind: 'memory' | 'nats';
  readonly directory: DirectoryStore;
  /**
   * Stores an envelope for `nodeName`, deduplicated by `envelopeIdHex` (a
   * retried publish is stored once); resolves once the distribution has
   * acknowledged it (NATS: stored by a quorum of the stream's replicas).
   * While the server is unreachable it retries with backoff, up to the
   * configured time, then rejects with DistributionError 'unavailable'.
   */
  publish(nodeName: string, envelopeBytes: Uint8Array, envelopeIdHex: string): Promise<PublishAck>;
  /**
   * Hands `nodeName`'s envelopes to `handler`, one at a time, in publication
   * order; each is acknowledged only after the handler resolved ('ack') or
   * terminated ('term'). One subscriber per node at a time.
   */
  subscribe(nodeName: string, handler: EnvelopeHandler, options?: SubscribeOptions): Promise<EnvelopeSubscription>;
  /** Stops every subscription (draining) and watch, and closes the connection. */
  close(): Promise<void>;
}

/** The largest envelope the distribution carries (bytes); larger is refused before it is stored or handled. */
export const MAX_ENVELOPE_BYTES = 32 * 1024;
/** The largest directory record the distribution carries (bytes). */
export const MAX_DIRECTORY_RECORD_BYTES = 16 * 1024;

const NAME = /^[a-z0-9-]{1,64}$/;
const ENVELOPE_ID = /^[0-9a-f]{32}$/;

/** A node or issuer name as spec/MESH.md §3 allows it (a NATS subject token and a file name). */
export function checkName(field: string, name: unknown): string {
  if (typeof name !== 'string' || !NAME.test(name)) throw new InvalidArgumentError(field, 'expected 1..64 characters of [a-z0-9-]');
  return name;
}

export function checkRole(role: unknown): DirectoryRole {
  if (role !== 'node' && role !== 'issuer') throw new InvalidArgumentError('role', "expected 'node' or 'issuer'");
  return role;
}

/** An envelope id: 16 bytes as 32 lower-case hex digits. */
export function checkEnvelopeId(id: unknown): string {
  if (typeof id !== 'string' || !ENVELOPE_ID.test(id)) throw new InvalidArgumentError('envelopeId', 'expected 32 lower-case hex digits');
  return id;
}

export function checkBytes(field: string, bytes: unknown, max: number): Uint8Array {
  if (!(bytes instanceof Uint8Array)) throw new InvalidArgumentError(field, 'expected a Uint8Array');
  if (bytes.length < 1 || bytes.length > max) throw new InvalidArgumentError(field, `expected 1..${max} bytes, got ${bytes.length}`);
  return bytes;
}

/** The directory key of a record: `<role>.<name>`. */
export function directoryKey(role: DirectoryRole, name: string): string {
  return `${role}.${name}`;
}

/** `<role>.<name>` back to its parts, or undefined for a key the mesh did not write. */
export function parseDirectoryKey(key: string): { role: DirectoryRole; name: string } | undefined {
  const dot = key.indexOf('.');
  if (dot < 0) return undefined;
  const role = key.slice(0, dot);
  const name = key.slice(dot + 1);
  if ((role !== 'node' && role !== 'issuer') || !NAME.test(name)) return undefined;
  return { role, name };
}

/** The `<role>.<name>` key of DirectoryStore.get/put's arguments, each checked. */
export function checkedDirectoryKey(role: unknown, name: unknown): string {
  return directoryKey(checkRole(role), checkName('name', name));
}

/** DirectoryStore.put's arguments checked; returns the directory key. */
export function checkDirectoryPut(role: unknown, name: unknown, bytes: unknown): string {
  const key = checkedDirectoryKey(role, name);
  checkBytes('record', bytes, MAX_DIRECTORY_RECORD_BYTES);
  return key;
}

/** Distribution.publish's arguments checked. */
export function checkPublish(nodeName: unknown, envelopeBytes: unknown, envelopeIdHex: unknown): void {
  checkName('nodeName', nodeName);
  checkBytes('envelope', envelopeBytes, MAX_ENVELOPE_BYTES);
  checkEnvelopeId(envelopeIdHex);
}
