// spec/MESH.md §5: the file node store survives restarts, drops a torn last
// line, refuses other corruption, is locked against a second opener, forgets
// ids after expiresAt + skew and compacts its journal.
import { spawnSync } from 'node:child_process';
import { appendFileSync, mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { hostname, tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import {
  createIssuer,
  createReceiver,
  EnvelopeRefusedError,
  NodeStoreError,
  openFileNodeStore,
  type NodeStore,
  type StoredEnvelope,
} from '../src/index.js';
import { makeCrypto, makeMesh, ManualClock, T0, utf8 } from './helpers.js';
import { fill, handEnvelope, hex, sampleFields } from './wire.js';

let dir: string;
const open: NodeStore[] = [];

beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'mesh-store-'));
});
afterEach(async () => {
  for (const s of open.splice(0)) await s.close().catch(() => undefined);
  rmSync(dir, { recursive: true, force: true });
});

async function openStore(o: Parameters<typeof openFileNodeStore>[1] = {}): Promise<NodeStore> {
  const s = await openFileNodeStore(dir, { clock: new ManualClock(), ...o });
  open.push(s);
  return s;
}

let counter = 0;
/** A structurally valid envelope (test/wire.ts) as the store keeps it. */
function stored(keyName: string, version: number, expiresAt = T0 + 900_000): StoredEnvelope {
  const id = fill(16, 0);
  new DataView(id.buffer).setUint32(12, ++counter);
  const f = sampleFields({ keyName, version: BigInt(version), envelopeId: id, issuedAt: BigInt(T0), expiresAt: BigInt(expiresAt) });
  return { envelopeId: hex(id), keyName, version, issuedAt: T0, expiresAt, issuerKeyId: '11'.repeat(16), bytes: handEnvelope(f) };
}

const journal = () => join(dir, 'journal.jsonl');

async function failure(p: Promise<unknown>): Promise<string> {
  try {
    await p;
  } catch (e) {
    expect(e).toBeInstanceOf(NodeStoreError);
    return (e as NodeStoreError).failure;
  }
  throw new Error('expected a NodeStoreError');
}

describe('file node store (spec/MESH.md §5)', () => {
  it('keeps ids, versions and the latest envelopes across a restart', async () => {
    const a1 = stored('a', 1);
    const a2 = stored('a', 2);
    const b1 = stored('b', 1);
    const s = await openStore();
    for (const e of [a1, a2, b1]) await s.commit(e);
    await s.close();
    const t = await openStore();
    expect([t.latestVersion('a'), t.latestVersion('b'), t.latestVersion('c')]).toEqual([2, 1, 0]);
    for (const e of [a1, a2, b1]) expect(t.hasApplied(e.envelopeId)).toBe(true);
    expect(t.applied().map((e) => [e.keyName, e.version, hex(e.bytes)])).toEqual([
      ['a', 2, hex(a2.bytes)],
      ['b', 1, hex(b1.bytes)],
    ]);
    expect(await failure(t.commit(a1))).toBe('conflict'); // applied already
    expect(await failure(t.commit(stored('a', 2)))).toBe('conflict'); // not above 2
    // One line per commit, each ending in a newline.
    expect(readFileSync(journal(), 'utf8').split('\n')).toHaveLength(4);
  });

  it('refuses a commit whose fields are not its bytes\'', async () => {
    const s = await openStore();
    const e = stored('a', 1);
    expect(await failure(s.commit({ ...e, version: 5 }))).toBe('conflict');
    expect(s.latestVersion('a')).toBe(0);
  });

  it('a receiver on a reopened store refuses the replay and the rollback', async () => {
    const crypto = makeCrypto();
    const mesh = makeMesh(crypto);
    const clock = new ManualClock();
    const issuer = createIssuer({ crypto, signingPrivateKey: mesh.issuer.privateKey, signingPublicKey: mesh.issuer.publicKey, clock });
    const node = mesh.nodes[0]!;
    const receiverOn = (store: NodeStore) =>
      createReceiver({ crypto, kemPrivateKey: node.kem.privateKey, kemPublicKey: node.kem.publicKey, directory: mesh.directory(), store, clock });
    const issue = (version: number) => issuer.issue({ recipientKemPublicKey: node.kem.publicKey, keyName: 'svc', version, key: utf8(`v${version}`) });
    const v1 = await issue(1);
    const v2 = await issue(2);
    const first = await openStore({ clock });
    await receiverOn(first).receive(v2.bytes);
    await first.close();
    const again = receiverOn(await openStore({ clock }));
    await expect(again.receive(v2.bytes)).rejects.toSatisfy((e) => e instanceof EnvelopeRefusedError && e.reason === 'replay');
    await expect(again.receive(v1.bytes)).rejects.toSatisfy((e) => e instanceof EnvelopeRefusedError && e.reason === 'rollback');
    // What was applied can be opened again after the restart, from the store.
    const [held] = (open.at(-1) as NodeStore).applied();
    expect(new TextDecoder().decode((await again.reopen(held!.bytes)).key)).toBe('v2');
  });

  it('drops a torn last line and appends after it', async () => {
    const a1 = stored('a', 1);
    const s = await openStore();
    await s.commit(a1);
    await s.close();
    const size = statSync(journal()).size;
    appendFileSync(journal(), '{"op":"apply","env":"AQoA');
    const t = await openStore();
    expect(statSync(journal()).size).toBe(size);
    expect(t.latestVersion('a')).toBe(1);
    await t.commit(stored('a', 2));
    await t.close();
    expect((await openStore()).latestVersion('a')).toBe(2);
  });

  it('refuses to open a journal with any other malformed line', async () => {
    const s = await openStore();
    await s.commit(stored('a', 1));
    await s.close();
    const good = readFileSync(journal(), 'utf8');
    for (const bad of ['not json\n', '{"op":"apply","env":"AAAA"}\n', '{"op":"seen","id":"xyz","exp":1}\n', '{"op":"apply","env":"","x":1}\n']) {
      writeFileSync(journal(), bad + good);
      expect(await failure(openFileNodeStore(dir)), bad).toBe('corrupt');
      writeFileSync(journal(), good + bad); // complete (newline-terminated) last line: not torn
      expect(await failure(openFileNodeStore(dir)), bad).toBe('corrupt');
    }
    // The same envelope twice is a conflict inside the journal: corrupt too.
    writeFileSync(journal(), good + good);
    expect(await failure(openFileNodeStore(dir))).toBe('corrupt');
  });

  it('is locked against a second opener until closed; a dead holder\'s lock is broken', async () => {
    const s = await openStore();
    expect(await failure(openFileNodeStore(dir))).toBe('locked');
    await s.close();
    await (await openStore()).close();
    const child = spawnSync(process.execPath, ['-e', '']);
    expect(child.status).toBe(0);
    writeFileSync(join(dir, '.lock'), JSON.stringify({ pid: child.pid, host: hostname(), token: 'x' }));
    const t = await openStore();
    expect(await failure(openFileNodeStore(dir))).toBe('locked');
    await t.close();
  });

  it('forgets an id at expiresAt + skew, but never the latest envelope\'s', async () => {
    const clock = new ManualClock();
    const s = await openStore({ clock, skewMs: 60_000 });
    const a1 = stored('a', 1, T0 + 1000);
    const a2 = stored('a', 2, T0 + 1000);
    await s.commit(a1);
    await s.commit(a2);
    clock.t = T0 + 1000 + 60_000 - 1;
    await s.commit(stored('b', 1));
    expect(s.hasApplied(a1.envelopeId)).toBe(true);
    clock.t = T0 + 1000 + 60_000;
    await s.commit(stored('c', 1));
    expect(s.hasApplied(a1.envelopeId)).toBe(false);
    expect(s.hasApplied(a2.envelopeId)).toBe(true);
    await s.close();
    const t = await openStore({ clock, skewMs: 60_000 });
    expect([t.hasApplied(a1.envelopeId), t.hasApplied(a2.envelopeId), t.latestVersion('a')]).toEqual([false, true, 2]);
  });

  it('compacts the journal past its bound, atomically, keeping the live state', async () => {
    const s = await openStore({ compactBytes: 20_000 });
    const ids: string[] = [];
    let largest = 0;
    for (let v = 1; v <= 60; v++) {
      const e = stored('k', v);
      ids.push(e.envelopeId);
      await s.commit(e);
      largest = Math.max(largest, statSync(journal()).size);
    }
    // One line is about 3.5 kB; without compaction 60 lines would be about 210 kB.
    expect(largest).toBeLessThan(20_000 + 4_000);
    const text = readFileSync(journal(), 'utf8');
    expect(text).toContain('"op":"seen"');
    expect(text.endsWith('\n')).toBe(true);
    await s.close();
    const t = await openStore();
    expect(t.latestVersion('k')).toBe(60);
    for (const id of ids) expect(t.hasApplied(id)).toBe(true);
  });
});
