/**
 * The channel PSK exchange messages travel on (spec/MESH.md §11.4): beside
 * the distribution of §7, not through it, because a PSK message is useless
 * after its 30-second lifetime and a lost one is what the rotation engine's
 * timeout and retry are for; a durable stream would only redeliver stale
 * messages. Two forms: in process (a hub shared by the engines of one
 * process) and NATS core subjects `hybridkem.mesh.wg.<node>`. The channel
 * is untrusted: every message is checked by the receiving exchange.
 * @module
 */
import { InvalidArgumentError } from '@hybridkem/core';
import { connect, type NatsConnection, type Subscription } from '@nats-io/transport-node';
import { isValidNodeName, MAX_PSK_MESSAGE_LENGTH } from './psk-format.js';

/** The NATS subject prefix; the node name is the last token. */
export const PSK_SUBJECT_PREFIX = 'hybridkem.mesh.wg.';

export type PskMessageHandler = (bytes: Uint8Array) => void | Promise<void>;

export interface PskListener {
  stop(): Promise<void>;
}

export interface PskChannel {
  /** Sends one message to `node` (at most once: it may be lost). */
  send(node: string, bytes: Uint8Array): Promise<void>;
  /** Hands every message for `node` to `handler` (one listener per node). Messages over the size bound are dropped unread. */
  listen(node: string, handler: PskMessageHandler): Promise<PskListener>;
  close(): Promise<void>;
}

function checkNode(node: unknown): string {
  if (!isValidNodeName(node)) throw new InvalidArgumentError('node', 'expected 1 to 64 characters of a-z 0-9 -');
  return node;
}

function checkMessage(bytes: unknown): Uint8Array {
  if (!(bytes instanceof Uint8Array) || bytes.length < 1 || bytes.length > MAX_PSK_MESSAGE_LENGTH) {
    throw new InvalidArgumentError('message', `expected 1 to ${MAX_PSK_MESSAGE_LENGTH} bytes`);
  }
  return bytes;
}

/** A hub of in-process channels; `intercept` lets a test drop, delay or copy messages. */
export interface MemoryPskHub {
  /** Return false to drop the message (it is lost, as on a network). */
  intercept?: (to: string, bytes: Uint8Array) => boolean;
  /** The listeners of the hub's nodes (filled by the channels). */
  listeners?: Map<string, PskMessageHandler>;
}

/** An in-process channel on `hub` (a new hub when omitted); delivery is asynchronous (a microtask), in send order. */
export function createMemoryPskChannel(hub: MemoryPskHub = {}): PskChannel {
  const listeners = (hub.listeners ??= new Map<string, PskMessageHandler>());
  const own = new Set<string>();
  return Object.freeze({
    async send(node: string, bytes: Uint8Array): Promise<void> {
      checkNode(node);
      const copy = checkMessage(bytes).slice();
      if (hub.intercept && !hub.intercept(node, copy)) return;
      const handler = listeners.get(node);
      if (handler === undefined) return;
      // Not awaited: the sender does not wait for the receiver, as over a network.
      void Promise.resolve()
        .then(() => handler(copy))
        .catch(() => undefined);
    },
    async listen(node: string, handler: PskMessageHandler): Promise<PskListener> {
      checkNode(node);
      if (listeners.has(node)) throw new InvalidArgumentError('node', `"${node}" already has a listener`);
      listeners.set(node, handler);
      own.add(node);
      return Object.freeze({
        async stop(): Promise<void> {
          if (listeners.get(node) === handler) listeners.delete(node);
          own.delete(node);
        },
      });
    },
    async close(): Promise<void> {
      for (const node of own) listeners.delete(node);
      own.clear();
    },
  });
}

/**
 * A channel over NATS core subjects `hybridkem.mesh.wg.<node>`: on its own
 * connection to `servers`, or on a connection the caller owns (then close()
 * leaves it open).
 */
export async function connectNatsPskChannel(servers: readonly string[] | NatsConnection, o: { connectionName?: string } = {}): Promise<PskChannel> {
  const owned = Array.isArray(servers);
  const nc: NatsConnection = owned
    ? await connect({ servers: [...(servers as readonly string[])], name: o.connectionName ?? 'hybridkem-mesh-wg', maxReconnectAttempts: -1, reconnectTimeWait: 250 })
    : (servers as NatsConnection);
  const subs = new Set<Subscription>();
  return Object.freeze({
    async send(node: string, bytes: Uint8Array): Promise<void> {
      nc.publish(PSK_SUBJECT_PREFIX + checkNode(node), checkMessage(bytes));
    },
    async listen(node: string, handler: PskMessageHandler): Promise<PskListener> {
      const sub = nc.subscribe(PSK_SUBJECT_PREFIX + checkNode(node), {
        callback: (err, msg) => {
          if (err !== null) return;
          const data = msg.data;
          if (data.length < 1 || data.length > MAX_PSK_MESSAGE_LENGTH) return;
          void Promise.resolve()
            .then(() => handler(data.slice()))
            .catch(() => undefined);
        },
      });
      subs.add(sub);
      // The subscription is in place once the server has seen it.
      await nc.flush();
      return Object.freeze({
        async stop(): Promise<void> {
          subs.delete(sub);
          sub.unsubscribe();
        },
      });
    },
    async close(): Promise<void> {
      for (const sub of subs) sub.unsubscribe();
      subs.clear();
      if (owned) await nc.drain().catch(() => nc.close());
    },
  });
}
