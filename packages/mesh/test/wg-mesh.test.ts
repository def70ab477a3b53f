// The rotation engine against real WireGuard (spec/MESH.md §11, §12): two
// network namespaces with wireguard-go in each (the lab of
// @hybridkem/test-runtimes/wireguard), two nodes' rotation engines talking
// over a real nats-server (the NATS PSK channel), each applying PSKs to its
// own device with `wg set … preshared-key` inside its namespace. A ping runs
// through the tunnel across several scheduled rotations and one emergency
// rotation; after each rotation a handshake is forced and must complete
// (latest-handshakes advances), which it can only do when both sides hold
// the same new PSK. No ping may be lost; the audit log must verify.
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startNatsServer, type NatsServer } from '@hybridkem/test-runtimes/nats';
import { startWireGuardLab, wireGuardLabUsable, type WireGuardLab } from '@hybridkem/test-runtimes/wireguard';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openAuditLog, verifyAuditLog, type AuditLog } from '../src/audit/index.js';
import { createWireGuardControl, netnsRunner, type WireGuardControl } from '../src/wg/apply.js';
import { connectNatsPskChannel, type PskChannel } from '../src/wg/channel.js';
import { createPskExchange } from '../src/wg/psk-exchange.js';
import { createRotationEngine, type RotationEngine, type RotationEvent } from '../src/wg/rotation.js';
import { makeCrypto, makeMesh, signingKeys } from './helpers.js';

const crypto = makeCrypto();
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

describe.runIf(wireGuardLabUsable('wg-mesh test'))('PSK rotation on a real WireGuard tunnel (two namespaces, wireguard-go)', () => {
  let lab: WireGuardLab | undefined;
  let nats: NatsServer | undefined;
  let dir: string;
  const channels: PskChannel[] = [];
  const engines: RotationEngine[] = [];
  let audit: AuditLog | undefined;

  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'wg-mesh-'));
    nats = await startNatsServer({ jetstream: false });
    lab = await startWireGuardLab();
  }, 60_000);

  afterAll(async () => {
    for (const e of engines) await e.stop().catch(() => undefined);
    for (const c of channels) await c.close().catch(() => undefined);
    await audit?.close().catch(() => undefined);
    await lab?.stop();
    await nats?.stop();
    await rm(dir, { recursive: true, force: true });
  }, 60_000);

  it('keeps pinging with zero loss across scheduled and emergency rotations; each forced handshake completes; the audit log verifies', async () => {
    const l = lab!;
    const mesh = makeMesh(crypto, { nodes: 2 });
    // node-0 runs on side a (the pair's initiator), node-1 on side b.
    const sides = [
      { name: 'node-0', lab: l.a, peer: 'node-1', peerLab: l.b },
      { name: 'node-1', lab: l.b, peer: 'node-0', peerLab: l.a },
    ] as const;
    const auditKey = signingKeys(crypto);
    const auditPath = join(dir, 'audit.jsonl');
    audit = await openAuditLog(auditPath, { signer: crypto.signer, signingPrivateKey: auditKey.privateKey, signingPublicKey: auditKey.publicKey });
    const events: RotationEvent[] = [];
    const controls: WireGuardControl[] = [];
    for (const [i, s] of sides.entries()) {
      const n = mesh.nodes[i]!;
      const directory = mesh.directory();
      const exchange = createPskExchange({
        crypto,
        node: { name: s.name, kemPublicKey: n.kem.publicKey, kemPrivateKey: n.kem.privateKey, signingPublicKey: n.signing.publicKey, signingPrivateKey: n.signing.privateKey },
        directory,
      });
      const control = createWireGuardControl({ runner: netnsRunner(s.lab.ns, undefined, l.tools.ip), wg: l.tools.wg });
      controls.push(control);
      const channel = await connectNatsPskChannel([nats!.url]);
      channels.push(channel);
      engines.push(
        createRotationEngine({
          exchange,
          directory,
          channel,
          pairs: [['node-0', 'node-1']],
          peerPublicKey: (name) => (name === s.peer ? s.peerLab.publicKey : ''),
          applier: { apply: async (peerPublicKey, psk) => void (await control.applyPresharedKey(s.lab.iface, peerPublicKey, psk)) },
          audit,
          intervalMs: 3_000,
          jitterMs: 300,
          timeoutMs: 3_000,
          retryMs: 500,
          onEvent: (e) => events.push(e),
        }),
      );
    }
    const initiatorApplied = () => events.filter((e): e is Extract<RotationEvent, { type: 'applied' }> => e.type === 'applied' && e.role === 'initiator');
    const waitForRotations = async (n: number, timeoutMs: number) => {
      const deadline = Date.now() + timeoutMs;
      while (initiatorApplied().length < n) {
        if (Date.now() > deadline) throw new Error(`only ${initiatorApplied().length} of ${n} rotations within ${timeoutMs} ms: ${JSON.stringify(events.slice(-5))}`);
        await sleep(20);
      }
    };

    for (const e of engines) await e.start();
    // The first rotation (at start) and a handshake on its PSK before the ping starts.
    await waitForRotations(1, 15_000);
    const handshakes: number[] = [];
    const force = async () => {
      const before = (await controls[0]!.readLatestHandshakes(l.a.iface)).get(l.b.publicKey) ?? 0;
      await controls[0]!.forceHandshake(l.a.iface, l.b.publicKey);
      const at = await controls[0]!.waitForHandshake(l.a.iface, l.b.publicKey, before, { timeoutMs: 10_000 });
      expect(at).toBeGreaterThan(before);
      handshakes.push(at);
    };
    await force();

    // Ping every 20 ms through the tunnel for 18 s while rotations run (3 s apart); after each rotation
    // a forced handshake, which completes only if both sides hold the new PSK; after the third
    // scheduled one, an emergency rotation.
    const pingCount = 900;
    let pingDone = false;
    const ping = l.ping({ from: 'a', count: pingCount, intervalMs: 20 }).finally(() => (pingDone = true));
    const started = initiatorApplied().length;
    let covered = started;
    let emergency = false;
    const forceAfterNewRotations = async () => {
      const applied = initiatorApplied().length;
      if (applied === covered) return;
      covered = applied;
      // latest-handshakes counts seconds: start the handshake in a later second than the previous one.
      await sleep(Math.max(0, (handshakes.at(-1)! + 1) * 1000 + 50 - Date.now()));
      await force();
    };
    while (!pingDone) {
      await forceAfterNewRotations();
      if (!emergency && covered - started >= 3) {
        emergency = true;
        await engines[0]!.rotateNow({ pair: ['node-0', 'node-1'] });
      }
      await sleep(20);
    }
    const result = await ping;
    for (const e of engines) await e.stop();
    await forceAfterNewRotations();
    const rotations = initiatorApplied().length;
    console.log(`${result.sent} pings, ${result.lost} lost, ${rotations} rotations`);

    expect(result.sent).toBe(pingCount);
    expect(result.lost).toBe(0);
    expect(emergency).toBe(true);
    expect(initiatorApplied().filter((e) => e.reason === 'emergency').length).toBe(1);
    expect(initiatorApplied().filter((e) => e.reason === 'scheduled').length).toBeGreaterThanOrEqual(4);
    // Every rotation was followed by a forced handshake, each later than the one before.
    expect(covered).toBe(rotations);
    expect(handshakes.length).toBeGreaterThanOrEqual(rotations - started + 1);
    for (let k = 1; k < handshakes.length; k++) expect(handshakes[k]!).toBeGreaterThan(handshakes[k - 1]!);
    expect(events.filter((e) => e.type === 'aborted' || e.type === 'refused' || e.type === 'error')).toEqual([]);

    // The switching window: responder's apply to initiator's apply, per epoch.
    const windows = initiatorApplied().map((e) => e.at - events.find((r) => r.type === 'applied' && r.role === 'responder' && r.epoch === e.epoch)!.at);
    console.log(`switching window per rotation (ms): ${windows.join(', ')}`);
    for (const w of windows) expect(w).toBeLessThan(2_000);

    const head = await audit.close();
    audit = undefined;
    expect(await verifyAuditLog(auditPath, { signingPublicKeys: [auditKey.publicKey] })).toMatchObject({ ok: true, head });
    const lines = (await readFile(auditPath, 'utf8'))
      .trimEnd()
      .split('\n')
      .map((x) => JSON.parse(x) as { type: string; data: Record<string, unknown> });
    const rotate = lines.filter((x) => x.type === 'rotate');
    expect(rotate.length).toBe(2 * rotations);
    expect(rotate.filter((x) => x.data.reason === 'emergency').length).toBe(1);
  }, 90_000);
});
