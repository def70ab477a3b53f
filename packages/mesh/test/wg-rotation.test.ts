// The rotation engine (spec/MESH.md §11) with the in-process channel and a
// fake clock and timers: scheduled rotations of several pairs, equal PSKs on
// both sides per epoch, emergency rotation of a node (its old key refused),
// a lost message timing out and retried, and the audit log verified.
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { encodePrivateKey, encodePublicKey } from '@hybridkem/core';
import { Registry } from 'prom-client';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { openAuditLog, verifyAuditLog } from '../src/audit/index.js';
import { createDirectoryRecord } from '../src/directory/record.js';
import type { TrustedDirectory } from '../src/directory/trusted.js';
import type { AuditSink } from '../src/audit/sink.js';
import { createMemoryPskChannel, type MemoryPskHub } from '../src/wg/channel.js';
import { createWgMetrics } from '../src/wg/metrics.js';
import { createPskExchange, type PskNodeKeys } from '../src/wg/psk-exchange.js';
import { decodePskMessage } from '../src/wg/psk-format.js';
import { createRotationEngine, type RotationEngine, type RotationEvent, type RotationTimers } from '../src/wg/rotation.js';
import { makeCrypto, makeMesh, signingKeys, T0, type SigningKeys } from './helpers.js';

const crypto = makeCrypto();

/** Timers on a clock of their own: advance() runs each due timer in time order and lets the work it starts finish. */
class FakeTime implements RotationTimers {
  t = T0;
  private seq = 0;
  private readonly due = new Map<number, { at: number; fn: () => void }>();
  constructor(private readonly settle: () => Promise<void>) {}
  now = (): number => this.t;
  setTimeout(fn: () => void, ms: number): unknown {
    const id = ++this.seq;
    this.due.set(id, { at: this.t + ms, fn });
    return id;
  }
  clearTimeout(h: unknown): void {
    this.due.delete(h as number);
  }
  async advance(ms: number): Promise<void> {
    const end = this.t + ms;
    await this.settle();
    for (;;) {
      let next: [number, { at: number; fn: () => void }] | undefined;
      for (const e of this.due) if (e[1].at <= end && (next === undefined || e[1].at < next[1].at || (e[1].at === next[1].at && e[0] < next[0]))) next = e;
      if (next === undefined) break;
      this.due.delete(next[0]);
      this.t = Math.max(this.t, next[1].at);
      next[1].fn();
      await this.settle();
    }
    this.t = end;
  }
}

let dir: string;
beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), 'wg-rotation-'));
});
afterEach(async () => {
  await rm(dir, { recursive: true, force: true });
});

const hex = (b: Uint8Array) => Buffer.from(b).toString('hex');
const wgKey = (name: string) => `wg-${name}`;

function build(o: { nodes: number; pairs: [string, string][]; hub?: MemoryPskHub }) {
  const mesh = makeMesh(crypto, { nodes: o.nodes });
  let progress = 0;
  let auditing = 0;
  const events: RotationEvent[] = [];
  // Work in flight (crypto, applier, audit writes) ends in events or appends; idle = no audit write
  // outstanding and no progress for a while (the crypto is synchronous, so it cannot look idle).
  const settle = async () => {
    for (let quiet = 0; quiet < 3; ) {
      const before = progress;
      await new Promise((r) => setTimeout(r, 15));
      quiet = progress === before && auditing === 0 ? quiet + 1 : 0;
    }
  };
  const counted = (sink: AuditSink | undefined): AuditSink | undefined =>
    sink && {
      async append(type, data) {
        auditing++;
        try {
          await sink.append(type, data);
        } finally {
          auditing--;
          progress++;
        }
      },
    };
  const time = new FakeTime(settle);
  const hub: MemoryPskHub = o.hub ?? {};
  /** Per node, per peer: the PSK the applier holds. */
  const applied = new Map<string, Map<string, string>>();
  const directories = new Map<string, TrustedDirectory>();
  const engines = new Map<string, RotationEngine>();
  const metrics = createWgMetrics(new Registry());
  const keysOf = (i: number): PskNodeKeys => {
    const n = mesh.nodes[i]!;
    return { name: `node-${i}`, kemPublicKey: n.kem.publicKey, kemPrivateKey: n.kem.privateKey, signingPublicKey: n.signing.publicKey, signingPrivateKey: n.signing.privateKey };
  };
  const makeEngine = async (keys: PskNodeKeys, audit: AuditSink | undefined) => {
    const name = keys.name;
    const directory = directories.get(name) ?? mesh.directory();
    directories.set(name, directory);
    const exchange = createPskExchange({ crypto, node: keys, directory, clock: time });
    const held = applied.get(name) ?? new Map<string, string>();
    applied.set(name, held);
    const engine = createRotationEngine({
      exchange,
      directory,
      channel: createMemoryPskChannel(hub),
      pairs: o.pairs,
      peerPublicKey: wgKey,
      applier: {
        async apply(peerPublicKey, psk) {
          expect(psk.length).toBe(32);
          held.set(peerPublicKey.slice(3), hex(psk));
          progress++;
        },
      },
      audit: counted(audit),
      metrics,
      clock: time,
      timers: time,
      random: () => 0.5,
      intervalMs: 2_000,
      jitterMs: 200,
      timeoutMs: 500,
      retryMs: 100,
      onEvent: (e) => {
        events.push(e);
        progress++;
      },
    });
    engines.set(name, engine);
    return engine;
  };
  return { mesh, time, hub, applied, directories, engines, events, metrics, keysOf, makeEngine, settle };
}

/** Both sides of every pair hold the same PSK, at the same epoch. */
function expectPairsAgree(t: ReturnType<typeof build>, pairs: [string, string][]) {
  const psks: string[] = [];
  for (const [a, b] of pairs) {
    const atA = t.applied.get(a)?.get(b);
    const atB = t.applied.get(b)?.get(a);
    expect(atA, `${a} holds a PSK for ${b}`).toBeDefined();
    expect(atA, `${a},${b}`).toBe(atB);
    const ea = t.engines.get(a)!.status().find((s) => s.peer === b)!;
    const eb = t.engines.get(b)!.status().find((s) => s.peer === a)!;
    expect(ea.appliedEpoch).toBe(eb.appliedEpoch);
    expect(ea.pendingEpoch).toBeUndefined();
    psks.push(atA!);
  }
  return psks;
}

const PAIRS: [string, string][] = [
  ['node-0', 'node-1'],
  ['node-0', 'node-2'],
  ['node-1', 'node-2'],
  ['node-2', 'node-3'],
];

/** A hub that, while `holding`, keeps node-0's incoming responses in `held` instead of delivering them; `release()` delivers the last one. */
function holdResponses() {
  const held: Uint8Array[] = [];
  const state = { holding: false };
  const hub: MemoryPskHub = {
    intercept: (to, bytes) => {
      if (!state.holding || to !== 'node-0' || decodePskMessage(bytes).type !== 'response') return true;
      held.push(bytes);
      return false;
    },
  };
  const release = () => Promise.resolve(hub.listeners!.get('node-0')!(held.pop()!)).catch(() => undefined);
  return { hub, held, state, release };
}

describe('rotation engine (spec/MESH.md §11)', () => {
  it('rotates every pair on schedule; both sides hold equal PSKs per epoch; every rotation is audited and the log verifies', async () => {
    const t = build({ nodes: 4, pairs: PAIRS });
    const auditKey: SigningKeys = signingKeys(crypto);
    const path = join(dir, 'audit.jsonl');
    const audit = await openAuditLog(path, { signer: crypto.signer, signingPrivateKey: auditKey.privateKey, signingPublicKey: auditKey.publicKey, clock: t.time });
    for (let i = 0; i < 4; i++) await t.makeEngine(t.keysOf(i), audit);
    try {
      for (const e of t.engines.values()) await e.start();
      await t.time.advance(0);
      const rounds = [expectPairsAgree(t, PAIRS)];
      for (let round = 1; round <= 3; round++) {
        // interval 2000 + jitter 0.5 × 201 → due 2100 ms after the last apply
        await t.time.advance(2_150);
        rounds.push(expectPairsAgree(t, PAIRS));
      }
      // Every round gave every pair a new PSK, and no two pairs share one.
      for (let r = 1; r < rounds.length; r++) for (let p = 0; p < PAIRS.length; p++) expect(rounds[r]![p], `round ${r} pair ${p}`).not.toBe(rounds[r - 1]![p]);
      expect(new Set(rounds.flat()).size).toBe(rounds.flat().length);
      const applied = t.events.filter((e) => e.type === 'applied');
      expect(applied.length).toBe(4 * PAIRS.length * 2);
      expect(t.events.filter((e) => e.type === 'aborted' || e.type === 'refused')).toEqual([]);
      // Epochs increase per pair.
      for (const [a, b] of PAIRS) {
        const epochs = applied.filter((e) => e.type === 'applied' && e.pair === `${a},${b}` && e.role === 'initiator').map((e) => (e as { epoch: number }).epoch);
        expect(epochs).toEqual([...epochs].sort((x, y) => x - y));
        expect(new Set(epochs).size).toBe(4);
      }
    } finally {
      for (const e of t.engines.values()) await e.stop();
    }
    const head = await audit.close();
    const result = await verifyAuditLog(path, { signingPublicKeys: [auditKey.publicKey] });
    expect(result).toMatchObject({ ok: true, head });
    const text = await readFile(path, 'utf8');
    const rotations = text
      .trimEnd()
      .split('\n')
      .map((l) => JSON.parse(l) as { type: string; data: Record<string, unknown> })
      .filter((e) => e.type === 'rotate');
    expect(rotations.length).toBe(32);
    expect(Object.keys(rotations[0]!.data).sort()).toEqual(['epoch', 'node', 'pair', 'peer', 'reason', 'role']);
    expect(new Set(rotations.map((r) => r.data.reason))).toEqual(new Set(['scheduled', 'answer']));
    // No PSK in any form.
    for (const psk of new Set([...t.applied.values()].flatMap((m) => [...m.values()]))) {
      for (const form of [psk, Buffer.from(psk, 'hex').toString('base64'), Buffer.from(psk, 'hex').toString('base64url')]) expect(text).not.toContain(form);
    }
    const counts = Object.fromEntries((await t.metrics.rotations.get()).values.map((v) => [v.labels.reason, v.value]));
    expect(counts).toEqual({ scheduled: 16, emergency: 0, manual: 0, answer: 16 });
  }, 120_000);

  it('a lost response times out, the epoch is aborted and retried with a higher epoch; the sides agree again', async () => {
    let dropNext = 0;
    const hub: MemoryPskHub = {
      intercept: (to, bytes) => {
        if (dropNext > 0 && to === 'node-0' && decodePskMessage(bytes).type === 'response') {
          dropNext--;
          return false;
        }
        return true;
      },
    };
    const pairs: [string, string][] = [['node-0', 'node-1']];
    const t = build({ nodes: 2, pairs, hub });
    for (let i = 0; i < 2; i++) await t.makeEngine(t.keysOf(i), undefined);
    try {
      for (const e of t.engines.values()) await e.start();
      await t.time.advance(0);
      const first = expectPairsAgree(t, pairs);
      dropNext = 1;
      await t.time.advance(2_150);
      // The responder applied epoch e; its response was lost: the sides differ until the retry.
      const [pending] = t.engines.get('node-0')!.status();
      expect(pending!.pendingEpoch).toBeDefined();
      const lostEpoch = pending!.pendingEpoch!;
      expect(t.applied.get('node-1')!.get('node-0')).not.toBe(first[0]);
      expect(t.applied.get('node-0')!.get('node-1')).toBe(first[0]);
      await t.time.advance(500 + 100 + 50);
      const after = expectPairsAgree(t, pairs);
      expect(after[0]).not.toBe(first[0]);
      const aborted = t.events.filter((e) => e.type === 'aborted');
      expect(aborted).toMatchObject([{ cause: 'timeout', epoch: lostEpoch, pair: 'node-0,node-1' }]);
      const [done] = t.engines.get('node-0')!.status();
      expect(done!.appliedEpoch).toBeGreaterThan(lostEpoch);
      expect((await t.metrics.aborts.get()).values.find((v) => v.labels.cause === 'timeout')!.value).toBe(1);
    } finally {
      for (const e of t.engines.values()) await e.stop();
    }
  }, 60_000);

  it('stop() lets an epoch in flight end: its response is applied on both sides; a lost one ends at its timeout, and nothing new starts', async () => {
    const { hub, held, state, release } = holdResponses();
    const pairs: [string, string][] = [['node-0', 'node-1']];
    const t = build({ nodes: 2, pairs, hub });
    for (let i = 0; i < 2; i++) await t.makeEngine(t.keysOf(i), undefined);
    const initiator = t.engines.get('node-0')!;
    try {
      for (const e of t.engines.values()) await e.start();
      await t.time.advance(0);
      const first = expectPairsAgree(t, pairs);

      // The next epoch: the responder has applied it, its response is still on the way.
      state.holding = true;
      await t.time.advance(2_150);
      expect(held.length).toBe(1);
      const inFlight = initiator.status()[0]!.pendingEpoch!;
      expect(inFlight).toBeDefined();
      expect(t.applied.get('node-1')!.get('node-0')).not.toBe(first[0]);
      let stopped = false;
      const stopping = initiator.stop().then(() => (stopped = true));
      await t.settle();
      expect(stopped, 'stop() waits for the epoch in flight').toBe(false);
      state.holding = false;
      void release();
      await stopping;
      const [agreed] = expectPairsAgree(t, pairs);
      expect(agreed).not.toBe(first[0]);
      expect(initiator.status()[0]!.appliedEpoch).toBe(inFlight);
      expect(t.events.filter((e) => e.type === 'applied' && e.epoch === inFlight).map((e) => (e as { role: string }).role).sort()).toEqual(['initiator', 'responder']);

      // Restarted, then stopped while a response is lost: stop() ends when the epoch times out, with no retry.
      await initiator.start();
      await t.time.advance(0);
      expectPairsAgree(t, pairs);
      state.holding = true;
      await t.time.advance(2_150);
      expect(held.length).toBe(1);
      const lost = initiator.status()[0]!.pendingEpoch!;
      stopped = false;
      const stopping2 = initiator.stop().then(() => (stopped = true));
      // Initiated 2 100 ms after the last apply, 50 ms ago: its 500 ms timeout is 450 ms away.
      await t.time.advance(440);
      expect(stopped).toBe(false);
      await t.time.advance(20);
      await stopping2;
      expect(t.events.filter((e) => e.type === 'aborted')).toMatchObject([{ cause: 'timeout', epoch: lost }]);
      const initiated = t.events.filter((e) => e.type === 'initiated').length;
      await t.time.advance(10_000);
      expect(t.events.filter((e) => e.type === 'initiated').length).toBe(initiated);
      expect(initiator.status()[0]!.pendingEpoch).toBeUndefined();
    } finally {
      for (const e of t.engines.values()) await e.stop();
    }
  }, 60_000);

  it('stop() also ends when applying the answered epoch fails to be audited', async () => {
    const { hub, held, state, release } = holdResponses();
    const pairs: [string, string][] = [['node-0', 'node-1']];
    const t = build({ nodes: 2, pairs, hub });
    let failAudit = false;
    const audit: AuditSink = {
      async append() {
        if (failAudit) throw new Error('disk full');
      },
    };
    for (let i = 0; i < 2; i++) await t.makeEngine(t.keysOf(i), audit);
    const initiator = t.engines.get('node-0')!;
    try {
      for (const e of t.engines.values()) await e.start();
      await t.time.advance(0);
      state.holding = true;
      await t.time.advance(2_150);
      expect(held.length).toBe(1);
      const stopping = initiator.stop();
      failAudit = true;
      void release();
      const outcome = await Promise.race([stopping.then(() => 'stopped'), new Promise((r) => setTimeout(() => r('still stopping after 5 s'), 5_000))]);
      expect(outcome).toBe('stopped');
      expect(initiator.status()[0]!.pendingEpoch).toBeUndefined();
    } finally {
      for (const e of t.engines.values()) await e.stop();
    }
  }, 60_000);

  it('emergency rotation of a node: its old key is refused (revoked, then unknown), every pair it touched rotates at once with its new keys', async () => {
    const t = build({ nodes: 4, pairs: PAIRS });
    for (let i = 0; i < 4; i++) await t.makeEngine(t.keysOf(i), undefined);
    try {
      for (const e of t.engines.values()) await e.start();
      await t.time.advance(0);
      const before = expectPairsAgree(t, PAIRS);

      // node-2 is compromised. Its peers revoke its record revision 1 and rotate at once: node-2's old key is refused.
      const touched: [string, string][] = PAIRS.filter((p) => p.includes('node-2'));
      const startedAt = t.time.t;
      for (const name of ['node-0', 'node-1', 'node-3']) await t.engines.get(name)!.rotateNow({ node: 'node-2', revokeRevision: 1 });
      await t.time.advance(50);
      const refused = t.events.filter((e) => e.type === 'refused');
      expect(refused.length).toBeGreaterThan(0);
      expect(new Set(refused.map((e) => (e as { reason: string }).reason))).toEqual(new Set(['revoked']));
      // Pairs without node-2 are untouched; node-2's pairs not yet rotated.
      expect(t.applied.get('node-0')!.get('node-1')).toBe(before[0]);

      // The anchor re-keys node-2 (revision 2); every node's directory gets the record; node-2 restarts with its new keys.
      const kem = crypto.hpke.hpkeKem.kem.keygen();
      const signing = signingKeys(crypto);
      const kemPublicKey = encodePublicKey(crypto.hpke.hpkeKem.kem.suite.id, kem.publicKey);
      const record = createDirectoryRecord({
        crypto,
        anchorPrivateKey: t.mesh.anchor.privateKey,
        anchorPublicKey: t.mesh.anchor.publicKey,
        role: 'node',
        name: 'node-2',
        revision: 2,
        issuedAt: T0,
        kemPublicKey,
        signingPublicKey: signing.publicKey,
      });
      for (const d of t.directories.values()) d.add(record);
      await t.engines.get('node-2')!.stop();
      t.engines.delete('node-2');
      const fresh = await t.makeEngine(
        { name: 'node-2', kemPublicKey, kemPrivateKey: encodePrivateKey(crypto.hpke.hpkeKem.kem.suite.id, kem.privateKey), signingPublicKey: signing.publicKey, signingPrivateKey: signing.privateKey },
        undefined,
      );
      await fresh.start();
      // The peers' outstanding epochs (answered by the old key: revoked) time out (500 ms) and are retried (100 ms)
      // against the new keys; node-2 rotates the pair it initiates when it starts.
      await t.time.advance(700);
      const after = expectPairsAgree(t, PAIRS);
      for (const [i, p] of PAIRS.entries()) {
        if (p.includes('node-2')) expect(after[i], p.join()).not.toBe(before[i]);
        else expect(after[i], p.join()).toBe(before[i]);
      }
      // Every touched pair rotated within the retry bound of the emergency, well before the 2-second schedule.
      for (const [a, b] of touched) {
        const last = t.events.filter((e) => e.type === 'applied' && e.pair === `${a},${b}` && e.role === 'initiator').at(-1)!;
        expect(last.at - startedAt).toBeLessThan(1_000);
        expect((last as { reason: string }).reason).toMatch(/emergency|scheduled/);
      }
      const emergencies = t.events.filter((e) => e.type === 'applied' && e.reason === 'emergency');
      expect(emergencies.map((e) => (e as { pair: string }).pair).sort()).toEqual(['node-0,node-2', 'node-1,node-2']);
      // The revoked key stays refused: an initiation node-2's old engine could still send is unknown now.
      const oldExchange = createPskExchange({ crypto, node: t.keysOf(2), directory: t.mesh.directory(), clock: t.time });
      const stale = oldExchange.initiate('node-3', t.time.t + 10);
      const refusedNow: RotationEvent[] = [];
      const n3 = t.engines.get('node-3')!;
      expect(n3).toBeDefined();
      const count = t.events.length;
      await createMemoryPskChannel(t.hub).send('node-3', stale.bytes);
      await t.time.advance(10);
      refusedNow.push(...t.events.slice(count).filter((e) => e.type === 'refused'));
      expect(refusedNow).toMatchObject([{ type: 'refused', reason: 'unknown-sender', sender: 'node-2' }]);
    } finally {
      for (const e of t.engines.values()) await e.stop();
    }
  }, 120_000);

  it('emergency rotation of one pair rotates only that pair', async () => {
    const t = build({ nodes: 3, pairs: PAIRS.slice(0, 3) });
    for (let i = 0; i < 3; i++) await t.makeEngine(t.keysOf(i), undefined);
    try {
      for (const e of t.engines.values()) await e.start();
      await t.time.advance(0);
      const before = expectPairsAgree(t, PAIRS.slice(0, 3));
      // Asked on the responder's engine nothing happens; on the initiator's it rotates at once.
      await t.engines.get('node-2')!.rotateNow({ pair: ['node-2', 'node-1'] });
      await t.time.advance(10);
      expect(expectPairsAgree(t, PAIRS.slice(0, 3))).toEqual(before);
      await t.engines.get('node-1')!.rotateNow({ pair: ['node-2', 'node-1'] });
      await t.time.advance(10);
      const after = expectPairsAgree(t, PAIRS.slice(0, 3));
      expect(after[0]).toBe(before[0]);
      expect(after[1]).toBe(before[1]);
      expect(after[2]).not.toBe(before[2]);
      await expect(t.engines.get('node-0')!.rotateNow({ pair: ['node-1', 'node-2'] })).rejects.toThrow(/not a pair/);
      // A node's own emergency (its keys are new): every pair it initiates rotates, the others not.
      await t.engines.get('node-0')!.rotateNow({ node: 'node-0' });
      await t.time.advance(10);
      const own = expectPairsAgree(t, PAIRS.slice(0, 3));
      expect(own[0]).not.toBe(after[0]);
      expect(own[1]).not.toBe(after[1]);
      expect(own[2]).toBe(after[2]);
    } finally {
      for (const e of t.engines.values()) await e.stop();
    }
  }, 60_000);
});
