/**
 * Helpers for the channel tests: a KEM backend, static keys, deterministic
 * "randomness", and a pump that moves frames between two sans-IO channels
 * with a hook that may drop, edit or duplicate each frame in transit.
 */
import { createHash } from 'node:crypto';
import { createKem, getSuite, type Backend } from '@hybridkem/core';
// @hybridkem/noble is not a dependency of transport: its built entry, by path.
import { backend as nobleBackend } from '@hybridkem/noble';
import { Channel, type ChannelKeyPair, type ChannelOptions } from '../../src/channel/channel.js';

export const backend: Backend = nobleBackend;

const keyCache = new Map<string, ChannelKeyPair>();
/** A static key pair of `suite`, from a fixed seed per (suite, label). */
export function staticKey(suite: string, label = 'server'): ChannelKeyPair {
  const id = `${suite}/${label}`;
  let key = keyCache.get(id);
  if (key === undefined) {
    const s = getSuite(suite);
    const seed = createHash('shake256', { outputLength: s.lengths.seed }).update(`channel test ${id}`).digest();
    const pair = createKem(s, backend).keygen(new Uint8Array(seed));
    key = { suite: s, publicKey: pair.publicKey, privateKey: pair.privateKey };
    keyCache.set(id, key);
  }
  return key;
}

/** Deterministic bytes (SHA-256 in counter mode over a label): the same label gives the same stream. */
export function seededRandom(label: string): (n: number) => Uint8Array {
  let counter = 0;
  return (n) => {
    const out = new Uint8Array(n);
    for (let at = 0; at < n; at += 32) {
      const block = createHash('sha256').update(`${label}/${counter++}`).digest();
      out.set(block.subarray(0, Math.min(32, n - at)), at);
    }
    return out;
  };
}

export type Direction = 'i2r' | 'r2i';
/** Sees every frame (length prefix included) with its direction and index in that direction; returns the frames to deliver instead. */
export type FrameHook = (direction: Direction, index: number, frame: Uint8Array) => Uint8Array[];
export const passThrough: FrameHook = (_d, _i, frame) => [frame];

export interface Pumped {
  initiatorData: Uint8Array[];
  responderData: Uint8Array[];
  initiatorError?: Error;
  responderError?: Error;
  frames: Record<Direction, Uint8Array[]>;
}

/**
 * Moves frames between the two channels until neither has output or one
 * fails. Each side's errors are caught and reported, not thrown.
 */
export function pump(initiator: Channel, responder: Channel, hook: FrameHook = passThrough, result?: Pumped): Pumped {
  const r: Pumped = result ?? { initiatorData: [], responderData: [], frames: { i2r: [], r2i: [] } };
  for (;;) {
    let moved = false;
    for (const [from, to, dir] of [
      [initiator, responder, 'i2r'],
      [responder, initiator, 'r2i'],
    ] as const) {
      let out: Uint8Array[];
      try {
        out = from.takeOutput();
      } catch {
        out = [];
      }
      for (const frame of out) {
        const index = r.frames[dir].length;
        r.frames[dir].push(frame);
        for (const delivered of hook(dir, index, frame)) {
          moved = true;
          const errorKey = dir === 'i2r' ? 'responderError' : 'initiatorError';
          if (r[errorKey] !== undefined) continue;
          try {
            const data = to.receive(delivered);
            (dir === 'i2r' ? r.responderData : r.initiatorData).push(...data);
          } catch (error) {
            r[errorKey] = error as Error;
          }
        }
      }
    }
    if (!moved) return r;
  }
}

export interface PairOptions {
  pattern?: ChannelOptions['pattern'];
  suite?: string;
  initiator?: Partial<ChannelOptions>;
  responder?: Partial<ChannelOptions>;
  random?: string;
}

/** Two channels set up for `pattern` over `suite` (X-Wing by default), started. */
export function channelPair(options: PairOptions = {}): { initiator: Channel; responder: Channel } {
  const pattern = options.pattern ?? 'pqNK';
  const suite = options.suite ?? 'X-Wing';
  const server = staticKey(suite, 'server');
  const client = staticKey(suite, 'client');
  const random = options.random;
  const initiator = new Channel('initiator', {
    backend,
    pattern,
    suites: [suite],
    ...(pattern !== 'pqXX' && { remoteStaticKeys: [{ suite: server.suite, publicKey: server.publicKey }] }),
    ...(pattern !== 'pqNK' && { staticKeys: [client] }),
    ...(random !== undefined && { random: seededRandom(`${random}/initiator`) }),
    ...options.initiator,
  });
  const responder = new Channel('responder', {
    backend,
    suites: [suite],
    staticKeys: [server],
    ...(random !== undefined && { random: seededRandom(`${random}/responder`) }),
    ...options.responder,
  });
  initiator.start();
  responder.start();
  return { initiator, responder };
}

export const concatBytes = (parts: Uint8Array[]): Buffer => Buffer.concat(parts.map((p) => Buffer.from(p.buffer, p.byteOffset, p.byteLength)));
