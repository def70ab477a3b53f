/**
 * The behaviour every Distribution must have (spec/MESH.md §7), run against
 * the in-process one and against NATS JetStream on a single server.
 */
import { randomBytes } from 'node:crypto';
import { expect, it } from 'vitest';
import type { Distribution, EnvelopeDelivery } from '../../src/distribution/index.js';

const id = (): string => randomBytes(16).toString('hex');
const bytesOf = (text: string): Uint8Array => new TextEncoder().encode(text);
const textOf = (b: Uint8Array): string => new TextDecoder().decode(b);

/** Resolves once `cond()` holds (polled), or rejects after `ms`. */
export async function until(cond: () => boolean, ms = 20_000, what: string | (() => string) = 'condition'): Promise<void> {
  const deadline = Date.now() + ms;
  while (!cond()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${typeof what === 'function' ? what() : what}`);
    await new Promise((r) => setTimeout(r, 20));
  }
}

export function distributionContract(open: () => Promise<Distribution>, redeliveryMs: number): void {
  it('delivers each node its own envelopes, one at a time, in publication order', async () => {
    const d = await open();
    try {
      const sent = { a: [] as string[], b: [] as string[] };
      for (let i = 0; i < 12; i++) {
        const node = i % 3 === 0 ? 'b' : 'a';
        sent[node].push(`${node}-${i}`);
        await d.publish(`node-${node}`, bytesOf(`${node}-${i}`), id());
      }
      const got = { a: [] as string[], b: [] as string[] };
      let inFlight = 0;
      let maxInFlight = 0;
      const handler = (node: 'a' | 'b') => async (m: EnvelopeDelivery) => {
        inFlight++;
        maxInFlight = Math.max(maxInFlight, inFlight);
        await new Promise((r) => setTimeout(r, 5));
        got[node].push(textOf(m.bytes));
        inFlight--;
        return 'ack' as const;
      };
      const sa = await d.subscribe('node-a', handler('a'));
      const sb = await d.subscribe('node-b', handler('b'));
      await until(() => got.a.length === 8 && got.b.length === 4, 20_000, 'deliveries');
      await sa.stop();
      await sb.stop();
      expect(got.a).toEqual(['a-1', 'a-2', 'a-4', 'a-5', 'a-7', 'a-8', 'a-10', 'a-11']);
      expect(got.b).toEqual(['b-0', 'b-3', 'b-6', 'b-9']);
      expect(maxInFlight).toBeLessThanOrEqual(2); // one per node
    } finally {
      await d.close();
    }
  });

  it('stores a publish retried with the same envelope id once', async () => {
    const d = await open();
    try {
      const e = id();
      const first = await d.publish('node-dup', bytesOf('once'), e);
      const again = await d.publish('node-dup', bytesOf('once'), e);
      expect(first.duplicate).toBe(false);
      expect(again.duplicate).toBe(true);
      expect(again.sequence).toBe(first.sequence);
      await d.publish('node-dup', bytesOf('after'), id());
      const got: string[] = [];
      const s = await d.subscribe('node-dup', async (m) => (got.push(textOf(m.bytes)), 'ack'));
      await until(() => got.length === 2, 20_000, 'two deliveries');
      await new Promise((r) => setTimeout(r, redeliveryMs + 500)); // nothing else comes
      await s.stop();
      expect(got).toEqual(['once', 'after']);
    } finally {
      await d.close();
    }
  });

  it('delivers an envelope whose handler failed again (same envelope first: the next waits), and never one that was terminated', async () => {
    const d = await open();
    try {
      await d.publish('node-r', bytesOf('fails-once'), id());
      await d.publish('node-r', bytesOf('refused'), id());
      await d.publish('node-r', bytesOf('last'), id());
      const seen: Array<[string, number]> = [];
      let failed = false;
      const errors: unknown[] = [];
      const s = await d.subscribe(
        'node-r',
        async (m) => {
          const t = textOf(m.bytes);
          seen.push([t, m.deliveryCount]);
          if (t === 'fails-once' && !failed) {
            failed = true;
            throw new Error('handler crashed before acknowledging');
          }
          return t === 'refused' ? 'term' : 'ack';
        },
        { onError: (e) => errors.push(e) },
      );
      await until(() => seen.some(([t]) => t === "last"), 30_000, () => `the last envelope (seen ${JSON.stringify(seen)}, errors ${String(errors)})`);
      await new Promise((r) => setTimeout(r, redeliveryMs + 500));
      await s.stop();
      expect(seen).toEqual([
        ['fails-once', 1],
        ['fails-once', 2],
        ['refused', 1],
        ['last', 1],
      ]);
      expect(errors.length).toBeGreaterThanOrEqual(1);
    } finally {
      await d.close();
    }
  });

  it('stop() drains: the envelope in hand is finished and acknowledged; a later subscriber gets only the rest', async () => {
    const d = await open();
    try {
      await d.publish('node-s', bytesOf('first'), id());
      await d.publish('node-s', bytesOf('second'), id());
      let release!: () => void;
      const gate = new Promise<void>((r) => (release = r));
      const first: string[] = [];
      const s1 = await d.subscribe('node-s', async (m) => {
        first.push(textOf(m.bytes));
        await gate;
        return 'ack';
      });
      await until(() => first.length === 1, 20_000, 'first delivery');
      const stopped = s1.stop();
      await new Promise((r) => setTimeout(r, 100));
      release();
      await stopped;
      expect(first).toEqual(['first']);
      const second: Array<[string, number]> = [];
      const s2 = await d.subscribe('node-s', async (m) => (second.push([textOf(m.bytes), m.deliveryCount]), 'ack'));
      await until(() => second.length >= 1, 30_000, 'second delivery');
      await new Promise((r) => setTimeout(r, redeliveryMs + 500));
      await s2.stop();
      expect(second.map(([t]) => t)).toEqual(['second']);
    } finally {
      await d.close();
    }
  });

  it('refuses a second subscriber of the same node, bad names, ids and sizes', async () => {
    const d = await open();
    try {
      const s = await d.subscribe('node-x', async () => 'ack');
      await expect(d.subscribe('node-x', async () => 'ack')).rejects.toMatchObject({ name: 'DistributionError', failure: 'busy' });
      await s.stop();
      await expect(d.publish('Node.X', bytesOf('x'), id())).rejects.toMatchObject({ code: 'ERR_INVALID_ARGUMENT' });
      await expect(d.publish('node-x', bytesOf('x'), 'ABC')).rejects.toMatchObject({ code: 'ERR_INVALID_ARGUMENT' });
      await expect(d.publish('node-x', new Uint8Array(32 * 1024 + 1), id())).rejects.toMatchObject({ code: 'ERR_INVALID_ARGUMENT' });
      await expect(d.publish('node-x', new Uint8Array(0), id())).rejects.toMatchObject({ code: 'ERR_INVALID_ARGUMENT' });
      await expect(d.directory.put('node', 'a.b', bytesOf('x'))).rejects.toMatchObject({ code: 'ERR_INVALID_ARGUMENT' });
    } finally {
      await d.close();
    }
  });

  it('directory: put/get/list round trip, revisions increase, a watch sees current records then later puts', async () => {
    const d = await open();
    try {
      const r1 = await d.directory.put('node', 'n-1', bytesOf('n1-rev1'));
      const r2 = await d.directory.put('issuer', 'main', bytesOf('issuer-rev1'));
      const r3 = await d.directory.put('node', 'n-1', bytesOf('n1-rev2'));
      expect(r2).toBeGreaterThan(r1);
      expect(r3).toBeGreaterThan(r2);
      const got = await d.directory.get('node', 'n-1');
      expect(got && textOf(got.bytes)).toBe('n1-rev2');
      expect(got?.revision).toBe(r3);
      expect(await d.directory.get('node', 'absent')).toBeUndefined();
      const list = (await d.directory.list()).map((e) => `${e.role}.${e.name}=${textOf(e.bytes)}`).sort();
      expect(list).toEqual(['issuer.main=issuer-rev1', 'node.n-1=n1-rev2']);
      const watched: string[] = [];
      const w = await d.directory.watch((e) => {
        watched.push(`${e.role}.${e.name}=${textOf(e.bytes)}`);
        if (e.name === 'bad') throw new Error('a record the caller refuses');
      });
      await until(() => watched.length === 2, 10_000, 'current records');
      await d.directory.put('node', 'bad', bytesOf('bad'));
      await d.directory.put('node', 'n-2', bytesOf('n2-rev1'));
      await until(() => watched.length === 4, 10_000, 'later puts');
      await w.stop();
      expect(watched.slice(0, 2).sort()).toEqual(['issuer.main=issuer-rev1', 'node.n-1=n1-rev2']);
      expect(watched.slice(2)).toEqual(['node.bad=bad', 'node.n-2=n2-rev1']);
    } finally {
      await d.close();
    }
  });
}
